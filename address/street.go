package address

import "strings"

// Street types and their abbreviations (after folding). They are only
// recognised, never expanded: the street is returned as written.
var streetTypes = map[string]bool{
	"rua": true, "r": true, "ru": true, "avenida": true, "av": true, "ave": true, "avda": true,
	"alameda": true, "al": true, "travessa": true, "tv": true, "trav": true, "trv": true,
	"rodovia": true, "rod": true, "estrada": true, "est": true, "estr": true,
	"praca": true, "pc": true, "pca": true, "largo": true, "lgo": true, "lg": true,
	"beco": true, "bc": true, "viela": true, "via": true, "vila": true, "vl": true,
	"ladeira": true, "lad": true, "parque": true, "pq": true, "quadra": true, "qd": true,
	"servidao": true, "passagem": true, "caminho": true, "acesso": true, "marginal": true,
	"boulevard": true, "esplanada": true, "viaduto": true, "conjunto": true, "setor": true,
	"sitio": true, "fazenda": true, "chacara": true, "loteamento": true, "condominio": true,
	"jardim": true, "residencial": true, "linha": true, "br": true, "sqs": true, "sqn": true,
	"shis": true, "shin": true, "cln": true, "cls": true, "qi": true, "ql": true, "qs": true,
	"qn": true, "shces": true, "scs": true, "sgas": true, "sgan": true, "qnm": true,
}

// hasStreetType reports whether s starts with a street type ("R. Umari",
// "Av Paulista", "Praça da Sé").
func hasStreetType(s string) bool {
	var buf [32]byte
	head := s
	if len(head) > 24 {
		head = head[:24]
	}
	w := string(appendWords(buf[:0], head))
	first, _, _ := strings.Cut(w, " ")
	return streetTypes[first]
}
