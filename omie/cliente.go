package omie

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/lenient"
)

// Cliente is a record of Omie's shared register of clients, suppliers and
// carriers (clientes_cadastro), limited to the fields the sync needs.
//
// Writes send only non-empty fields (an empty string leaves Omie's value
// alone), always send inativo, send tags only when Tags is non-nil (an empty
// non-nil slice clears them), and never send the read-only Info or
// CidadeIBGE: Omie rejects fields it does not know (Client-5001), so nothing
// else ever goes out.
type Cliente struct {
	CodigoClienteOmie       int64  // assigned by Omie
	CodigoClienteIntegracao string // our key; UpsertCliente matches on it
	RazaoSocial             string // required on create, at most 60 characters
	NomeFantasia            string
	Document                string // Omie often answers it formatted (12.345.678/0001-90)
	Telefone1DDD            string
	Telefone1Numero         string
	Telefone2DDD            string
	Telefone2Numero         string
	Email                   string
	Endereco                string
	EnderecoNumero          string
	Complemento             string
	Bairro                  string
	Cidade                  string
	Estado                  string // UF, two letters
	CEP                     string
	CidadeIBGE              string // read-only: returned by the listing, ignored on input
	Inativo                 bool
	Tags                    []string
	Observacao              string
	Info                    Info // read-only

	// Clear lists fields a write sends as empty strings, blanking them in
	// Omie. Without it an empty field is left out of the request and Omie
	// keeps its value, so a value removed on purpose would survive.
	Clear []Field
}

// Info is Omie's read-only bookkeeping of a record, in São Paulo time.
type Info struct {
	Incluido     time.Time // dInc + hInc
	Alterado     time.Time // dAlt + hAlt
	ImportadoAPI bool      // cImpAPI: the record was created through the API
}

type tagWire struct {
	Tag string `json:"tag"`
}

// clienteOut is what a write sends: known fields only, never info.
type clienteOut struct {
	CodigoClienteOmie       int64     `json:"codigo_cliente_omie,omitempty"`
	CodigoClienteIntegracao string    `json:"codigo_cliente_integracao,omitempty"`
	RazaoSocial             string    `json:"razao_social,omitempty"`
	NomeFantasia            string    `json:"nome_fantasia,omitempty"`
	Document                string    `json:"cnpj_cpf,omitempty"`
	Telefone1DDD            string    `json:"telefone1_ddd,omitempty"`
	Telefone1Numero         string    `json:"telefone1_numero,omitempty"`
	Telefone2DDD            string    `json:"telefone2_ddd,omitempty"`
	Telefone2Numero         string    `json:"telefone2_numero,omitempty"`
	Email                   string    `json:"email,omitempty"`
	Endereco                string    `json:"endereco,omitempty"`
	EnderecoNumero          string    `json:"endereco_numero,omitempty"`
	Complemento             string    `json:"complemento,omitempty"`
	Bairro                  string    `json:"bairro,omitempty"`
	Cidade                  string    `json:"cidade,omitempty"`
	Estado                  string    `json:"estado,omitempty"`
	CEP                     string    `json:"cep,omitempty"`
	Inativo                 string    `json:"inativo"`
	Tags                    []tagWire `json:"tags,omitempty"`
	Observacao              string    `json:"observacao,omitempty"`
}

// clienteIn is what Omie answers; unknown fields in answers are ignored.
type clienteIn struct {
	CodigoClienteOmie       flexInt    `json:"codigo_cliente_omie"`
	CodigoClienteIntegracao flexString `json:"codigo_cliente_integracao"`
	RazaoSocial             flexString `json:"razao_social"`
	NomeFantasia            flexString `json:"nome_fantasia"`
	Document                flexString `json:"cnpj_cpf"`
	Telefone1DDD            flexString `json:"telefone1_ddd"`
	Telefone1Numero         flexString `json:"telefone1_numero"`
	Telefone2DDD            flexString `json:"telefone2_ddd"`
	Telefone2Numero         flexString `json:"telefone2_numero"`
	Email                   flexString `json:"email"`
	Endereco                flexString `json:"endereco"`
	EnderecoNumero          flexString `json:"endereco_numero"`
	Complemento             flexString `json:"complemento"`
	Bairro                  flexString `json:"bairro"`
	Cidade                  flexString `json:"cidade"`
	Estado                  flexString `json:"estado"`
	CEP                     flexString `json:"cep"`
	CidadeIBGE              flexString `json:"cidade_ibge"`
	Inativo                 flexString `json:"inativo"`
	Tags                    []tagWire  `json:"tags"`
	Observacao              flexString `json:"observacao"`
	Info                    *struct {
		DInc    string `json:"dInc"`
		HInc    string `json:"hInc"`
		DAlt    string `json:"dAlt"`
		HAlt    string `json:"hAlt"`
		CImpAPI string `json:"cImpAPI"`
	} `json:"info"`
}

// Field names a clientes_cadastro field that Cliente.Clear may blank.
type Field string

// The fields a write may blank. razao_social is required and cannot be.
const (
	FieldNomeFantasia    Field = "nome_fantasia"
	FieldTelefone1DDD    Field = "telefone1_ddd"
	FieldTelefone1Numero Field = "telefone1_numero"
	FieldTelefone2DDD    Field = "telefone2_ddd"
	FieldTelefone2Numero Field = "telefone2_numero"
	FieldEmail           Field = "email"
	FieldEndereco        Field = "endereco"
	FieldEnderecoNumero  Field = "endereco_numero"
	FieldComplemento     Field = "complemento"
	FieldBairro          Field = "bairro"
	FieldCidade          Field = "cidade"
	FieldEstado          Field = "estado"
	FieldCEP             Field = "cep"
	FieldObservacao      Field = "observacao"
)

// field points at the struct field f names, or is nil for a field that
// may not be blanked.
func (c *Cliente) field(f Field) *string {
	switch f {
	case FieldNomeFantasia:
		return &c.NomeFantasia
	case FieldTelefone1DDD:
		return &c.Telefone1DDD
	case FieldTelefone1Numero:
		return &c.Telefone1Numero
	case FieldTelefone2DDD:
		return &c.Telefone2DDD
	case FieldTelefone2Numero:
		return &c.Telefone2Numero
	case FieldEmail:
		return &c.Email
	case FieldEndereco:
		return &c.Endereco
	case FieldEnderecoNumero:
		return &c.EnderecoNumero
	case FieldComplemento:
		return &c.Complemento
	case FieldBairro:
		return &c.Bairro
	case FieldCidade:
		return &c.Cidade
	case FieldEstado:
		return &c.Estado
	case FieldCEP:
		return &c.CEP
	case FieldObservacao:
		return &c.Observacao
	}
	return nil
}

// MarshalJSON writes the record as a write request's clientes_cadastro.
func (c Cliente) MarshalJSON() ([]byte, error) {
	out := clienteOut{
		CodigoClienteOmie:       c.CodigoClienteOmie,
		CodigoClienteIntegracao: c.CodigoClienteIntegracao,
		RazaoSocial:             c.RazaoSocial,
		NomeFantasia:            c.NomeFantasia,
		Document:                c.Document,
		Telefone1DDD:            c.Telefone1DDD,
		Telefone1Numero:         c.Telefone1Numero,
		Telefone2DDD:            c.Telefone2DDD,
		Telefone2Numero:         c.Telefone2Numero,
		Email:                   c.Email,
		Endereco:                c.Endereco,
		EnderecoNumero:          c.EnderecoNumero,
		Complemento:             c.Complemento,
		Bairro:                  c.Bairro,
		Cidade:                  c.Cidade,
		Estado:                  c.Estado,
		CEP:                     c.CEP,
		Inativo:                 flag(c.Inativo),
		Observacao:              c.Observacao,
	}
	if c.Tags != nil {
		out.Tags = make([]tagWire, 0, len(c.Tags))
		for _, t := range c.Tags {
			out.Tags = append(out.Tags, tagWire{Tag: t})
		}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	if c.Tags != nil && len(c.Tags) == 0 {
		// omitempty drops an empty slice, but an empty non-nil Tags means "clear".
		data = append(bytes.TrimSuffix(data, []byte("}")), []byte(`,"tags":[]}`)...)
	}
	cleared := map[Field]bool{}
	for _, f := range c.Clear {
		v := c.field(f)
		if v == nil {
			return nil, fmt.Errorf("omie: field %q cannot be cleared", f)
		}
		if *v != "" || cleared[f] {
			continue // sent with its value, or already added
		}
		cleared[f] = true
		// omitempty dropped it: send it explicitly empty.
		data = append(bytes.TrimSuffix(data, []byte("}")), []byte(`,"`+string(f)+`":""}`)...)
	}
	return data, nil
}

// UnmarshalJSON reads a clientes_cadastro answered by Omie.
func (c *Cliente) UnmarshalJSON(data []byte) error {
	var in clienteIn
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("omie: decoding clientes_cadastro: %w", err)
	}
	inativo, err := parseFlag("inativo", string(in.Inativo))
	if err != nil {
		return err
	}
	out := Cliente{
		CodigoClienteOmie:       int64(in.CodigoClienteOmie),
		CodigoClienteIntegracao: string(in.CodigoClienteIntegracao),
		RazaoSocial:             string(in.RazaoSocial),
		NomeFantasia:            string(in.NomeFantasia),
		Document:                string(in.Document),
		Telefone1DDD:            string(in.Telefone1DDD),
		Telefone1Numero:         string(in.Telefone1Numero),
		Telefone2DDD:            string(in.Telefone2DDD),
		Telefone2Numero:         string(in.Telefone2Numero),
		Email:                   string(in.Email),
		Endereco:                string(in.Endereco),
		EnderecoNumero:          string(in.EnderecoNumero),
		Complemento:             string(in.Complemento),
		Bairro:                  string(in.Bairro),
		Cidade:                  string(in.Cidade),
		Estado:                  string(in.Estado),
		CEP:                     string(in.CEP),
		CidadeIBGE:              string(in.CidadeIBGE),
		Inativo:                 inativo,
		Observacao:              string(in.Observacao),
	}
	for _, t := range in.Tags {
		out.Tags = append(out.Tags, t.Tag)
	}
	if in.Info != nil {
		if out.Info.Incluido, err = parseDateTime("info.dInc/hInc", in.Info.DInc, in.Info.HInc); err != nil {
			return err
		}
		if out.Info.Alterado, err = parseDateTime("info.dAlt/hAlt", in.Info.DAlt, in.Info.HAlt); err != nil {
			return err
		}
		if out.Info.ImportadoAPI, err = parseFlag("info.cImpAPI", in.Info.CImpAPI); err != nil {
			return err
		}
	}
	*c = out
	return nil
}

func flag(b bool) string {
	if b {
		return "S"
	}
	return "N"
}

// parseFlag reads an S/N flag; empty is false.
func parseFlag(field, v string) (bool, error) {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "S":
		return true, nil
	case "N", "":
		return false, nil
	default:
		return false, fmt.Errorf("omie: %s is %q, want \"S\" or \"N\"", field, v)
	}
}

// Status is Omie's answer to a write (clientes_status).
type Status struct {
	CodigoClienteOmie       int64
	CodigoClienteIntegracao string
	CodigoStatus            string // "0" on success
	DescricaoStatus         string
}

func (s *Status) UnmarshalJSON(data []byte) error {
	var in struct {
		CodigoClienteOmie       flexInt    `json:"codigo_cliente_omie"`
		CodigoClienteIntegracao flexString `json:"codigo_cliente_integracao"`
		CodigoStatus            flexString `json:"codigo_status"`
		DescricaoStatus         flexString `json:"descricao_status"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("omie: decoding clientes_status: %w", err)
	}
	*s = Status{
		CodigoClienteOmie:       int64(in.CodigoClienteOmie),
		CodigoClienteIntegracao: string(in.CodigoClienteIntegracao),
		CodigoStatus:            string(in.CodigoStatus),
		DescricaoStatus:         string(in.DescricaoStatus),
	}
	return nil
}

// ClienteChave addresses one record by Omie's code or by our integration code.
type ClienteChave struct {
	CodigoClienteOmie       int64  `json:"codigo_cliente_omie,omitempty"`
	CodigoClienteIntegracao string `json:"codigo_cliente_integracao,omitempty"`
}

func (k ClienteChave) empty() bool {
	return k.CodigoClienteOmie == 0 && strings.TrimSpace(k.CodigoClienteIntegracao) == ""
}

func (c Cliente) clone() Cliente {
	if c.Tags != nil {
		c.Tags = append([]string{}, c.Tags...)
	}
	return c
}

// The vendor sends these fields in more than one JSON shape.
type flexInt = lenient.Int
type flexString = lenient.String
