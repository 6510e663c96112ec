package contaazul

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/auvosync/auvosync/internal/plaintext"
)

// wireProfiles decodes perfis in both shapes: ["CLIENTE", ...] in list
// items and [{"tipo_perfil": "Cliente"}, ...] in details and create answers.
type wireProfiles []string

func (p *wireProfiles) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*p = nil
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return fmt.Errorf("perfis: not an array")
	}
	out := make(wireProfiles, 0, len(items))
	for _, item := range items {
		var name string
		if err := json.Unmarshal(item, &name); err != nil {
			var obj struct {
				TipoPerfil string `json:"tipo_perfil"`
			}
			if err := json.Unmarshal(item, &obj); err != nil {
				return fmt.Errorf("perfis: item is neither a string nor an object")
			}
			name = obj.TipoPerfil
		}
		if strings.TrimSpace(name) != "" {
			out = append(out, normaliseProfile(name))
		}
	}
	*p = out
	return nil
}

type wireProfile struct {
	TipoPerfil string `json:"tipo_perfil"`
}

type wireAddress struct {
	ID          string `json:"id,omitempty"`
	Logradouro  string `json:"logradouro"`
	Numero      string `json:"numero"`
	Complemento string `json:"complemento"`
	Bairro      string `json:"bairro"`
	Cidade      string `json:"cidade"`
	Estado      string `json:"estado"`
	CEP         string `json:"cep"`
	Pais        string `json:"pais"`
}

type wireListPage struct {
	TotalItems int            `json:"totalItems"`
	Items      []wireListItem `json:"items"`
}

// wireListItem is ItemResumoPessoa, the list shape.
type wireListItem struct {
	ID                string       `json:"id"`
	IDLegado          *int64       `json:"id_legado"`
	Nome              string       `json:"nome"`
	TipoPessoa        string       `json:"tipo_pessoa"`
	Documento         string       `json:"documento"`
	Email             string       `json:"email"`
	Telefone          string       `json:"telefone"`
	Ativo             bool         `json:"ativo"`
	ObservacoesGerais string       `json:"observacoes_gerais"`
	Perfis            wireProfiles `json:"perfis"`
	Endereco          *wireAddress `json:"endereco"`
	DataCriacao       string       `json:"data_criacao"`
	DataAlteracao     string       `json:"data_alteracao"`
}

// wireDetail is the GET /v1/pessoas/{id} shape; the create answer is a
// subset of it.
type wireDetail struct {
	ID                string        `json:"id"`
	Codigo            string        `json:"codigo"`
	Nome              string        `json:"nome"`
	NomeEmpresa       string        `json:"nome_empresa"`
	TipoPessoa        string        `json:"tipo_pessoa"`
	Documento         string        `json:"documento"`
	DataNascimento    string        `json:"data_nascimento"`
	Email             string        `json:"email"`
	TelefoneCelular   string        `json:"telefone_celular"`
	TelefoneComercial string        `json:"telefone_comercial"`
	Ativo             *bool         `json:"ativo"`
	Observacao        string        `json:"observacao"`
	CriadoEm          string        `json:"criado_em"`
	DataCriacao       string        `json:"data_criacao"`
	DataAlteracao     string        `json:"data_alteracao"`
	Perfis            wireProfiles  `json:"perfis"`
	Enderecos         []wireAddress `json:"enderecos"`
}

func (a wireAddress) address() Address {
	return Address{
		ID: a.ID, Logradouro: a.Logradouro, Numero: a.Numero, Complemento: a.Complemento,
		Bairro: a.Bairro, Cidade: a.Cidade, Estado: a.Estado, CEP: a.CEP, Pais: a.Pais,
	}
}

func (w wireListItem) person() (Person, error) {
	p := Person{
		ID: w.ID, Name: w.Nome, PersonType: readPersonType(w.TipoPessoa), Document: w.Documento,
		Email: w.Email, Phone: w.Telefone, Note: w.ObservacoesGerais, Active: w.Ativo,
		Profiles: []string(w.Perfis), Summary: true,
	}
	if w.IDLegado != nil {
		p.LegacyID = *w.IDLegado
	}
	if w.Endereco != nil {
		p.Addresses = []Address{w.Endereco.address()}
	}
	var err error
	if p.CreatedAt, err = parseTime(w.DataCriacao); err != nil {
		return Person{}, fmt.Errorf("data_criacao of person %s: %w", w.ID, err)
	}
	if p.UpdatedAt, err = parseTime(w.DataAlteracao); err != nil {
		return Person{}, fmt.Errorf("data_alteracao of person %s: %w", w.ID, err)
	}
	return p, nil
}

func (w wireDetail) person() (Person, error) {
	p := Person{
		ID: w.ID, Code: w.Codigo, Name: w.Nome, TradeName: w.NomeEmpresa,
		PersonType: readPersonType(w.TipoPessoa), Document: w.Documento, Email: w.Email,
		Phone: firstNonEmpty(w.TelefoneComercial, w.TelefoneCelular), PhoneCommercial: w.TelefoneComercial,
		PhoneMobile: w.TelefoneCelular, Note: w.Observacao, BirthDate: w.DataNascimento,
		Active: w.Ativo == nil || *w.Ativo, Profiles: []string(w.Perfis),
	}
	for _, a := range w.Enderecos {
		p.Addresses = append(p.Addresses, a.address())
	}
	var err error
	if p.CreatedAt, err = parseTime(firstNonEmpty(w.CriadoEm, w.DataCriacao)); err != nil {
		return Person{}, fmt.Errorf("criado_em of person %s: %w", w.ID, err)
	}
	if p.UpdatedAt, err = parseTime(w.DataAlteracao); err != nil {
		return Person{}, fmt.Errorf("data_alteracao of person %s: %w", w.ID, err)
	}
	return p, nil
}

// readPersonType keeps an unknown tipo_pessoa as sent rather than losing it.
func readPersonType(s string) string {
	if t := normalisePersonType(s); t != "" {
		return t
	}
	return strings.TrimSpace(s)
}

// wireCreate is the POST body. Documents go out as cpf or cnpj; the API
// reads them back as documento.
type wireCreate struct {
	Nome              string        `json:"nome"`
	TipoPessoa        string        `json:"tipo_pessoa"`
	CPF               string        `json:"cpf,omitempty"`
	CNPJ              string        `json:"cnpj,omitempty"`
	Codigo            string        `json:"codigo,omitempty"`
	NomeFantasia      string        `json:"nome_fantasia,omitempty"`
	DataNascimento    string        `json:"data_nascimento,omitempty"`
	Email             string        `json:"email,omitempty"`
	TelefoneCelular   string        `json:"telefone_celular,omitempty"`
	TelefoneComercial string        `json:"telefone_comercial,omitempty"`
	Observacao        string        `json:"observacao,omitempty"`
	Ativo             *bool         `json:"ativo,omitempty"`
	Perfis            []wireProfile `json:"perfis,omitempty"`
	Enderecos         []wireAddress `json:"enderecos,omitempty"`
}

// wirePut is the PUT body: a full replacement, so every field the docs mark
// required is sent even when empty (data_nascimento as null).
type wirePut struct {
	Nome              string        `json:"nome"`
	TipoPessoa        string        `json:"tipo_pessoa"`
	CPF               string        `json:"cpf,omitempty"`
	CNPJ              string        `json:"cnpj,omitempty"`
	Codigo            string        `json:"codigo"`
	NomeFantasia      string        `json:"nome_fantasia"`
	DataNascimento    *string       `json:"data_nascimento"`
	Email             string        `json:"email"`
	TelefoneCelular   string        `json:"telefone_celular"`
	TelefoneComercial string        `json:"telefone_comercial"`
	Observacao        string        `json:"observacao"`
	Ativo             bool          `json:"ativo"`
	Perfis            []wireProfile `json:"perfis"`
	Enderecos         []wireAddress `json:"enderecos"`
}

type wirePatch struct {
	Nome              *string        `json:"nome,omitempty"`
	Codigo            *string        `json:"codigo,omitempty"`
	Email             *string        `json:"email,omitempty"`
	TelefoneCelular   *string        `json:"telefone_celular,omitempty"`
	TelefoneComercial *string        `json:"telefone_comercial,omitempty"`
	Observacao        *string        `json:"observacao,omitempty"`
	Ativo             *bool          `json:"ativo,omitempty"`
	Perfis            *[]wireProfile `json:"perfis,omitempty"`
	Enderecos         *[]wireAddress `json:"enderecos,omitempty"`
}

// maxLengths are the documented limits on write fields, by wire name,
// checked before sending so the error names the field. MaxLength exposes
// them to callers that clip a value to fit.
var maxLengths = map[string]int{
	"nome":          200,
	"nome_fantasia": 200,
	"codigo":        20,
	"email":         100,
	"observacao":    2000,
}

// MaxLength is the most characters Conta Azul takes in a person field (by
// its wire name, "observacao"), or 0 when no limit is documented.
func MaxLength(field string) int { return maxLengths[field] }

// FieldProblem is one reason a write was refused before it was sent.
type FieldProblem struct {
	Field   string // the wire name ("observacao", "enderecos[1].estado")
	Problem string // never the value when it may be personal data
}

// ValidationError is a write refused before it was sent. It matches
// ErrInvalid with errors.Is.
type ValidationError struct {
	Op       string // "create person", "patch person", ...
	Problems []FieldProblem
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Problem
	}
	return fmt.Sprintf("%s: %s: %s: %v", Vendor, e.Op, strings.Join(msgs, "; "), ErrInvalid)
}

// Is lets errors.Is(err, ErrInvalid) catch local refusals too.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

type problems []FieldProblem

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, FieldProblem{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (p problems) err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Op: what, Problems: p}
}

// text checks a free-text field: clean UTF-8 without control characters,
// and within its documented limit. label is how messages name it.
func (p *problems) text(field, label, value string) {
	if problem := plaintext.Problem(value); problem != "" {
		p.add(field, "%s %s", label, problem)
	}
	if limit := maxLengths[field]; limit > 0 {
		if n := utf8.RuneCountInString(value); n > limit {
			p.add(field, "%s has %d characters, more than %d", label, n, limit)
		}
	}
}

// person checks the free-text fields every write body shares; an empty
// value passes (it is not sent, or it clears the field).
func (p *problems) person(name, code, tradeName, email, phoneCommercial, phoneMobile, note string) {
	p.text("nome", "name", name)
	p.text("codigo", "code", code)
	p.text("nome_fantasia", "trade name", tradeName)
	p.text("email", "email", email)
	p.text("telefone_comercial", "commercial phone", phoneCommercial)
	p.text("telefone_celular", "mobile phone", phoneMobile)
	p.text("observacao", "note", note)
}

func writeProfiles(in []string, bad *problems) []wireProfile {
	out := make([]wireProfile, 0, len(in))
	for _, name := range in {
		n := normaliseProfile(name)
		switch n {
		case ProfileCustomer, ProfileSupplier, ProfileCarrier:
			out = append(out, wireProfile{TipoPerfil: n})
		default:
			bad.add("perfis", "profile %q is not Cliente, Fornecedor or Transportadora", name)
		}
	}
	return out
}

func writeAddresses(in []Address, bad *problems) []wireAddress {
	out := make([]wireAddress, 0, len(in))
	for i, a := range in {
		w := wireAddress{
			ID: strings.TrimSpace(a.ID), Logradouro: strings.TrimSpace(a.Logradouro),
			Numero: strings.TrimSpace(a.Numero), Complemento: strings.TrimSpace(a.Complemento),
			Bairro: strings.TrimSpace(a.Bairro), Cidade: strings.TrimSpace(a.Cidade),
			Estado: strings.ToUpper(strings.TrimSpace(a.Estado)), CEP: strings.TrimSpace(a.CEP),
			Pais: strings.TrimSpace(a.Pais),
		}
		if w.Pais == "" {
			w.Pais = "Brasil"
		}
		if w.Estado != "" && !isUF(w.Estado) {
			bad.add(fmt.Sprintf("enderecos[%d].estado", i), "address %d: estado %q is not a two-letter UF", i+1, a.Estado)
		}
		for _, f := range []struct{ name, value string }{
			{"logradouro", w.Logradouro}, {"numero", w.Numero}, {"complemento", w.Complemento},
			{"bairro", w.Bairro}, {"cidade", w.Cidade}, {"cep", w.CEP}, {"pais", w.Pais},
		} {
			field := fmt.Sprintf("enderecos[%d].%s", i, f.name)
			bad.text(field, fmt.Sprintf("address %d: %s", i+1, f.name), f.value)
		}
		out = append(out, w)
	}
	return out
}

func isUF(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// documentFields places a document in cpf or cnpj according to the person
// type, inferring the type from the length when it is not given.
func documentFields(personType, document string, bad *problems) (kind, cpf, cnpj string) {
	doc := documentKey(document)
	kind = normalisePersonType(personType)
	if strings.TrimSpace(personType) != "" && kind == "" {
		bad.add("tipo_pessoa", "person type %q is not Física, Jurídica or Estrangeira", personType)
		return "", "", ""
	}
	if kind == "" {
		switch len(doc) {
		case 11:
			kind = PersonTypeIndividual
		case 14:
			kind = PersonTypeCompany
		default:
			bad.add("tipo_pessoa", "person type is missing and the document does not say it (11 digits for a CPF, 14 characters for a CNPJ)")
			return "", "", ""
		}
	}
	switch {
	case doc == "":
	case kind == PersonTypeIndividual && len(doc) == 11:
		cpf = doc
	case kind == PersonTypeCompany && len(doc) == 14:
		cnpj = doc
	case kind == PersonTypeForeign:
		bad.add("documento", "a foreign person (Estrangeira) has no cpf or cnpj field for the document")
	default:
		bad.add("documento", "document has %d characters, which does not fit a %s person (CPF 11, CNPJ 14)", len(doc), kind)
	}
	return kind, cpf, cnpj
}

func (n NewPerson) wire() (wireCreate, error) {
	var bad problems
	w := wireCreate{
		Nome: strings.TrimSpace(n.Name), Codigo: strings.TrimSpace(n.Code),
		NomeFantasia: strings.TrimSpace(n.TradeName), DataNascimento: strings.TrimSpace(n.BirthDate),
		Email: strings.TrimSpace(n.Email), TelefoneCelular: strings.TrimSpace(n.PhoneMobile),
		TelefoneComercial: strings.TrimSpace(n.PhoneCommercial), Observacao: n.Note, Ativo: n.Active,
	}
	if w.Nome == "" {
		bad.add("nome", "name is required")
	}
	w.TipoPessoa, w.CPF, w.CNPJ = documentFields(n.PersonType, n.Document, &bad)
	bad.person(w.Nome, w.Codigo, w.NomeFantasia, w.Email, w.TelefoneComercial, w.TelefoneCelular, w.Observacao)
	bad.text("data_nascimento", "birth date", w.DataNascimento)
	if len(n.Profiles) > 0 {
		w.Perfis = writeProfiles(n.Profiles, &bad)
	}
	if len(n.Addresses) > 0 {
		w.Enderecos = writeAddresses(n.Addresses, &bad)
	}
	return w, bad.err("create person")
}

func putBody(p Person) (wirePut, error) {
	var bad problems
	w := wirePut{
		Nome: strings.TrimSpace(p.Name), Codigo: strings.TrimSpace(p.Code),
		NomeFantasia: strings.TrimSpace(p.TradeName), Email: strings.TrimSpace(p.Email),
		TelefoneCelular: strings.TrimSpace(p.PhoneMobile), TelefoneComercial: strings.TrimSpace(p.PhoneCommercial),
		Observacao: p.Note, Ativo: p.Active,
		Perfis: writeProfiles(p.Profiles, &bad), Enderecos: writeAddresses(p.Addresses, &bad),
	}
	if d := strings.TrimSpace(p.BirthDate); d != "" {
		w.DataNascimento = &d
	}
	if w.Nome == "" {
		bad.add("nome", "name is required")
	}
	if p.Summary {
		bad.add("", "person came from a list item or a create answer, which lack fields a full replacement would erase: Get it first")
	}
	w.TipoPessoa, w.CPF, w.CNPJ = documentFields(p.PersonType, p.Document, &bad)
	bad.person(w.Nome, w.Codigo, w.NomeFantasia, w.Email, w.TelefoneComercial, w.TelefoneCelular, w.Observacao)
	if w.DataNascimento != nil {
		bad.text("data_nascimento", "birth date", *w.DataNascimento)
	}
	return w, bad.err("replace person")
}

func (pp PersonPatch) wire() (wirePatch, error) {
	var bad problems
	trim := func(s *string) *string {
		if s == nil {
			return nil
		}
		t := strings.TrimSpace(*s)
		return &t
	}
	w := wirePatch{
		Nome: trim(pp.Name), Codigo: trim(pp.Code), Email: trim(pp.Email),
		TelefoneCelular: trim(pp.PhoneMobile), TelefoneComercial: trim(pp.PhoneCommercial),
		Observacao: pp.Note, Ativo: pp.Active,
	}
	if w.Nome != nil && *w.Nome == "" {
		bad.add("nome", "name cannot be emptied")
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	bad.person(deref(w.Nome), deref(w.Codigo), "", deref(w.Email), deref(w.TelefoneComercial), deref(w.TelefoneCelular), deref(w.Observacao))
	if pp.Profiles != nil {
		profiles := writeProfiles(*pp.Profiles, &bad)
		w.Perfis = &profiles
	}
	if pp.Addresses != nil {
		addresses := writeAddresses(*pp.Addresses, &bad)
		w.Enderecos = &addresses
	}
	if w == (wirePatch{}) {
		bad.add("", "nothing to change")
	}
	return w, bad.err("patch person")
}
