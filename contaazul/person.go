package contaazul

import (
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/document"
)

// Person types as Conta Azul spells them (tipo_pessoa), accents included.
const (
	PersonTypeIndividual = "Física"
	PersonTypeCompany    = "Jurídica"
	PersonTypeForeign    = "Estrangeira"
)

// Profiles (perfis). Lists send them upper-case ("CLIENTE"); Person always
// holds these spellings.
const (
	ProfileCustomer = "Cliente"
	ProfileSupplier = "Fornecedor"
	ProfileCarrier  = "Transportadora"
)

// Person is a Conta Azul "pessoa" read from either shape. Fields a shape
// does not carry are left empty; Summary tells which shape it was.
type Person struct {
	ID         string // UUID
	LegacyID   int64  // id_legado: the id in the discontinued v1 API, 0 if none
	Code       string // codigo: external or own code (max 20); details only
	Name       string // nome
	TradeName  string // nome_empresa; details only
	PersonType string // tipo_pessoa: PersonTypeIndividual, PersonTypeCompany or PersonTypeForeign
	// Document is the CPF or CNPJ as Conta Azul returns it (documento,
	// usually formatted: "123.456.789-00"). Writes send it as cpf or cnpj.
	Document string
	Email    string // may hold several addresses, comma-separated
	// Phone is the main phone: the list item's telefone, or for details
	// telefone_comercial, else telefone_celular.
	Phone           string
	PhoneCommercial string // telefone_comercial; details only
	PhoneMobile     string // telefone_celular; details only
	Note            string // observacao (details) or observacoes_gerais (list)
	BirthDate       string // data_nascimento, YYYY-MM-DD; details only
	Active          bool   // ativo
	// Profiles holds ProfileCustomer, ProfileSupplier, ProfileCarrier (or an
	// unknown profile as sent), from either shape.
	Profiles []string
	// Addresses comes from enderecos[] (details) or the single endereco of a
	// list item (present only when ListOptions.WithAddress is set).
	Addresses []Address
	CreatedAt time.Time // criado_em / data_criacao
	UpdatedAt time.Time // data_alteracao
	// Summary is true for list items and create responses, which lack
	// codigo, the split phones, the birth date and all but one address.
	Summary bool
}

// HasProfile reports whether p has the profile, comparing case- and
// accent-insensitively.
func (p Person) HasProfile(profile string) bool {
	want := normaliseProfile(profile)
	for _, have := range p.Profiles {
		if normaliseProfile(have) == want {
			return true
		}
	}
	return false
}

// Address uses Conta Azul's own field names (enderecos[] items).
type Address struct {
	ID          string // id of an existing address; PUT needs it to keep the address
	Logradouro  string // street
	Numero      string // number
	Complemento string
	Bairro      string // district
	Cidade      string // city
	Estado      string // UF, two letters
	CEP         string
	Pais        string // country; writes default to "Brasil"
}

// NewPerson is the body of a create. Document goes out as cpf (Física) or
// cnpj (Jurídica); PersonType may be left empty when the document's length
// says it (11 digits: Física, 14 characters: Jurídica).
type NewPerson struct {
	Name            string
	PersonType      string
	Document        string
	Code            string
	TradeName       string
	Email           string
	PhoneCommercial string
	PhoneMobile     string
	Note            string
	BirthDate       string // YYYY-MM-DD
	// Active nil leaves the vendor default (active).
	Active    *bool
	Profiles  []string
	Addresses []Address
}

// PersonPatch is a partial update: only non-nil fields are sent.
type PersonPatch struct {
	Name            *string
	Code            *string
	Email           *string
	PhoneCommercial *string
	PhoneMobile     *string
	Note            *string
	Active          *bool
	// Profiles and Addresses replace the whole list when non-nil.
	Profiles  *[]string
	Addresses *[]Address
}

// Ptr is a convenience for building a PersonPatch.
func Ptr[T any](v T) *T { return &v }

var accentFolder = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ã", "a", "é", "e", "ê", "e", "í", "i",
	"ó", "o", "ô", "o", "õ", "o", "ú", "u", "ü", "u", "ç", "c",
)

func fold(s string) string {
	return accentFolder.Replace(strings.ToLower(strings.TrimSpace(s)))
}

// normaliseProfile maps "CLIENTE", "cliente", "Cliente" to ProfileCustomer
// (and likewise); an unknown profile is returned trimmed, as sent.
func normaliseProfile(s string) string {
	switch fold(s) {
	case "cliente":
		return ProfileCustomer
	case "fornecedor":
		return ProfileSupplier
	case "transportadora":
		return ProfileCarrier
	}
	return strings.TrimSpace(s)
}

// normalisePersonType accepts the wire spellings, unaccented or any case,
// and the one-letter forms; "" for anything else.
func normalisePersonType(s string) string {
	switch fold(s) {
	case "fisica", "f", "pf":
		return PersonTypeIndividual
	case "juridica", "j", "pj":
		return PersonTypeCompany
	case "estrangeira", "estrangeiro", "e":
		return PersonTypeForeign
	}
	return ""
}

// documentKey is the document as the cpf and cnpj fields take it: letters
// and digits, upper-cased (CNPJs may hold letters from July 2026).
func documentKey(doc string) string { return document.Key(doc) }
