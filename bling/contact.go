package bling

import (
	"encoding/json"
	"fmt"

	"github.com/auvosync/auvosync/internal/document"
	"github.com/auvosync/auvosync/internal/lenient"
)

// Contact situations (situacao).
const (
	StatusActive     = "A" // Ativo
	StatusInactive   = "I" // Inativo
	StatusDeleted    = "E" // Excluído
	StatusNoMovement = "S" // Sem movimentação
)

// Person types (tipo).
const (
	TypePerson  = "F" // Física (CPF)
	TypeCompany = "J" // Jurídica (CNPJ)
	TypeForeign = "E" // Estrangeira
)

// Contact is a Bling contact. Bling contacts have no notes field.
//
// List returns summaries: only ID, Name, Code, Status, Document, Phone and
// Mobile are filled and Detailed is false. Get returns the detail
// (Detailed true) and remembers the fields this struct does not model
// (vendedor, financeiro, endereco.cobranca, ...) so Update can write them
// back unchanged.
type Contact struct {
	ID     int64
	Name   string // nome
	Code   string // codigo: the external code
	Status string // situacao: A, I, E or S
	// Document is numeroDocumento as Bling returns it; reads may be
	// formatted ("123.456.789-10"). DocumentDigits strips the punctuation
	// (and keeps an alphanumeric CNPJ's letters).
	Document string
	Phone    string // telefone
	Mobile   string // celular

	// Detail fields (filled by Get only).
	TradeName         string // fantasia
	Type              string // tipo: F, J or E
	Email             string // email
	InvoiceEmail      string // emailNotaFiscal
	StateRegistration string // ie
	// StateRegistrationIndicator is indicadorIe: 1 ICMS contributor, 2 exempt,
	// 9 not a contributor, 0 not given.
	StateRegistrationIndicator int
	Address                    Address       // endereco.geral
	ContactTypes               []ContactType // tiposContato

	// Detailed is true when the contact came from Get (the detail), false for
	// List summaries.
	Detailed bool

	raw map[string]json.RawMessage // the detail as read, for Update
}

// Address is endereco.geral; fields keep Bling's names. Bling addresses
// have no country (foreign contacts carry pais.nome outside the address).
type Address struct {
	Endereco    string // street
	Numero      string
	Complemento string
	Bairro      string
	Municipio   string
	UF          string
	CEP         string
}

// ContactType is one entry of tiposContato (ids are per account).
type ContactType struct {
	ID        int64
	Descricao string // e.g. "Cliente", "Fornecedor"
}

// DocumentDigits is the document without punctuation, the form Bling's
// numeroDocumento filter takes: "529.982.247-25" → "52998224725". An
// alphanumeric CNPJ (since July 2026) keeps its letters, upper-cased:
// "12.abc.345/01de-35" → "12ABC34501DE35".
func (c Contact) DocumentDigits() string { return document.Key(c.Document) }

// String keeps personal data out of anything that prints a contact with %v.
func (c Contact) String() string {
	return fmt.Sprintf("bling.Contact{ID:%d Status:%s Type:%s Detailed:%t}", c.ID, c.Status, c.Type, c.Detailed)
}

func validStatus(s string) bool {
	switch s {
	case StatusActive, StatusInactive, StatusDeleted, StatusNoMovement:
		return true
	}
	return false
}

func validType(s string) bool {
	switch s {
	case TypePerson, TypeCompany, TypeForeign:
		return true
	}
	return false
}

// Wire types: the JSON of ContatosDadosBaseDTO + ContatosDadosDTO.
type contactWire struct {
	ID              int64             `json:"id"`
	Nome            string            `json:"nome"`
	Codigo          string            `json:"codigo"`
	Situacao        string            `json:"situacao"`
	NumeroDocumento string            `json:"numeroDocumento"`
	Telefone        string            `json:"telefone"`
	Celular         string            `json:"celular"`
	Fantasia        string            `json:"fantasia"`
	Tipo            string            `json:"tipo"`
	Email           string            `json:"email"`
	EmailNotaFiscal string            `json:"emailNotaFiscal"`
	IE              string            `json:"ie"`
	IndicadorIE     int               `json:"indicadorIe"`
	Endereco        *addressGroupWire `json:"endereco"`
	TiposContato    []contactTypeWire `json:"tiposContato"`
}

type addressGroupWire struct {
	Geral *addressWire `json:"geral"`
}

type addressWire struct {
	Endereco    string `json:"endereco"`
	Numero      string `json:"numero"`
	Complemento string `json:"complemento"`
	Bairro      string `json:"bairro"`
	Municipio   string `json:"municipio"`
	UF          string `json:"uf"`
	CEP         string `json:"cep"`
}

type contactTypeWire struct {
	ID        int64  `json:"id"`
	Descricao string `json:"descricao,omitempty"`
}

func (w contactWire) contact(detailed bool) Contact {
	c := Contact{
		ID: w.ID, Name: w.Nome, Code: w.Codigo, Status: w.Situacao,
		Document: w.NumeroDocumento, Phone: w.Telefone, Mobile: w.Celular,
		Detailed: detailed,
	}
	if !detailed {
		return c
	}
	c.TradeName, c.Type, c.Email, c.InvoiceEmail = w.Fantasia, w.Tipo, w.Email, w.EmailNotaFiscal
	c.StateRegistration, c.StateRegistrationIndicator = w.IE, int(w.IndicadorIE)
	if w.Endereco != nil && w.Endereco.Geral != nil {
		g := w.Endereco.Geral
		c.Address = Address{Endereco: g.Endereco, Numero: g.Numero, Complemento: g.Complemento,
			Bairro: g.Bairro, Municipio: g.Municipio, UF: g.UF, CEP: g.CEP}
	}
	for _, t := range w.TiposContato {
		c.ContactTypes = append(c.ContactTypes, ContactType(t))
	}
	return c
}

// decodeDetail reads one contact detail and keeps its raw fields.
func decodeDetail(data []byte) (Contact, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Contact{}, err
	}
	var w contactWire
	if err := json.Unmarshal(data, &w); err != nil {
		return Contact{}, err
	}
	c := w.contact(true)
	c.raw = raw
	return c, nil
}

// fields are the modelled fields as Bling names them. For a create, empty
// optional fields are left out; for a full update every modelled field is
// written, because PUT replaces the whole contact.
func (c Contact) fields(full bool) map[string]any {
	out := map[string]any{}
	put := func(key, value string) {
		if full || value != "" {
			out[key] = value
		}
	}
	out["nome"] = c.Name
	out["situacao"] = c.Status
	out["tipo"] = c.Type
	put("codigo", c.Code)
	put("numeroDocumento", c.Document)
	put("telefone", c.Phone)
	put("celular", c.Mobile)
	put("fantasia", c.TradeName)
	put("email", c.Email)
	put("emailNotaFiscal", c.InvoiceEmail)
	put("ie", c.StateRegistration)
	if c.StateRegistrationIndicator != 0 {
		out["indicadorIe"] = c.StateRegistrationIndicator
	}
	if full || c.ContactTypes != nil {
		types := make([]contactTypeWire, 0, len(c.ContactTypes))
		for _, t := range c.ContactTypes {
			types = append(types, contactTypeWire(t))
		}
		out["tiposContato"] = types
	}
	return out
}

func (a Address) wire() addressWire {
	return addressWire{Endereco: a.Endereco, Numero: a.Numero, Complemento: a.Complemento,
		Bairro: a.Bairro, Municipio: a.Municipio, UF: a.UF, CEP: a.CEP}
}

// createBody is the POST /contatos body.
func (c Contact) createBody() ([]byte, error) {
	body := c.fields(false)
	if c.Address != (Address{}) {
		body["endereco"] = map[string]any{"geral": c.Address.wire()}
	}
	return json.Marshal(body)
}

// updateBody is the PUT body: base is the detail as read (so fields this
// package does not model survive), overlaid with c's modelled fields.
func (c Contact) updateBody(base map[string]json.RawMessage) ([]byte, error) {
	out := make(map[string]any, len(base)+16)
	for k, v := range base {
		if k != "id" {
			out[k] = v
		}
	}
	for k, v := range c.fields(true) {
		out[k] = v
	}
	group := map[string]any{}
	if old, ok := base["endereco"]; ok {
		var parts map[string]json.RawMessage
		if json.Unmarshal(old, &parts) == nil {
			for k, v := range parts {
				group[k] = v
			}
		}
	}
	geral := map[string]any{}
	if old, ok := group["geral"].(json.RawMessage); ok {
		var parts map[string]json.RawMessage
		if json.Unmarshal(old, &parts) == nil {
			for k, v := range parts {
				geral[k] = v
			}
		}
	}
	a := c.Address.wire()
	for k, v := range map[string]string{"endereco": a.Endereco, "numero": a.Numero, "complemento": a.Complemento,
		"bairro": a.Bairro, "municipio": a.Municipio, "uf": a.UF, "cep": a.CEP} {
		geral[k] = v
	}
	group["geral"] = geral
	out["endereco"] = group
	return json.Marshal(out)
}

// The vendor sends these fields in more than one JSON shape.
type flexInt = lenient.Int
