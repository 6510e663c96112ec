package address

// Address is a Brazilian postal address split into the fields partners store.
// Empty strings mean the line did not carry that part.
type Address struct {
	Street     string `json:"street"`     // logradouro, as written ("Av. Paulista")
	Number     string `json:"number"`     // digits/letters as written, or "S/N"
	Complement string `json:"complement"` // "Apto 4", "Sala 12"
	District   string `json:"district"`   // bairro
	City       string `json:"city"`       // official IBGE spelling when known
	State      string `json:"state"`      // two-letter UF
	ZIP        string `json:"zip"`        // CEP as 00000-000
	Country    string `json:"country"`    // as written ("Brasil"), usually empty
}
