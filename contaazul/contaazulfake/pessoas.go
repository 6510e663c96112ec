package contaazulfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

var pageSizes = []int{10, 20, 50, 100, 200, 500, 1000}

const maxWindow = 365 * 24 * time.Hour

// badRequest is a 400 with the field it concerns.
type badRequest struct{ field, message string }

func (b *badRequest) Error() string { return b.field + ": " + b.message }

func bad(field, format string, args ...any) *badRequest {
	return &badRequest{field: field, message: fmt.Sprintf(format, args...)}
}

func writeBad(w http.ResponseWriter, b *badRequest) {
	writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", b.message, b.field)
}

type listQuery struct {
	page, size      int
	ids, docs       []string
	search          string
	profile         string
	types           []string
	withAddress     bool
	from, to        time.Time
	hasWindow       bool
	orderBy         string
	descending      bool
	hasIDs, hasDocs bool
}

func parseListQuery(q url.Values) (listQuery, *badRequest) {
	lq := listQuery{page: 1, size: 10, orderBy: "NOME"}
	if v := q.Get("pagina"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return lq, bad("pagina", "pagina deve ser um inteiro a partir de 1")
		}
		lq.page = n
	}
	if v := q.Get("tamanho_pagina"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !slices.Contains(pageSizes, n) {
			return lq, bad("tamanho_pagina", "tamanho_pagina deve ser um de 10, 20, 50, 100, 200, 500, 1000")
		}
		lq.size = n
	}
	if v, ok := q["ids"]; ok {
		lq.hasIDs, lq.ids = true, splitList(strings.Join(v, ","))
	}
	if v, ok := q["documentos"]; ok {
		lq.hasDocs = true
		for _, d := range splitList(strings.Join(v, ",")) {
			lq.docs = append(lq.docs, documentKey(d))
		}
	}
	lq.search = strings.TrimSpace(q.Get("busca"))
	if v := q.Get("tipo_perfil"); v != "" {
		if _, ok := upperProfile[v]; !ok {
			return lq, bad("tipo_perfil", "tipo_perfil deve ser Cliente, Fornecedor ou Transportadora")
		}
		lq.profile = v
	}
	for _, t := range splitList(q.Get("tipos_pessoa")) {
		if t != typeIndividual && t != typeCompany && t != typeForeign {
			return lq, bad("tipos_pessoa", "tipos_pessoa deve ser Física, Jurídica ou Estrangeira")
		}
		lq.types = append(lq.types, t)
	}
	switch q.Get("com_endereco") {
	case "", "false":
	case "true":
		lq.withAddress = true
	default:
		return lq, bad("com_endereco", "com_endereco deve ser true ou false")
	}
	switch v := q.Get("tipo_ordenacao"); v {
	case "":
	case "NOME", "EMAIL", "DOCUMENTO", "ATIVO":
		lq.orderBy = v
	default:
		return lq, bad("tipo_ordenacao", "tipo_ordenacao deve ser NOME, EMAIL, DOCUMENTO ou ATIVO")
	}
	switch q.Get("ordem_ordenacao") {
	case "", "ASC":
	case "DESC":
		lq.descending = true
	default:
		return lq, bad("ordem_ordenacao", "ordem_ordenacao deve ser ASC ou DESC")
	}
	from, to := q.Get("data_alteracao_de"), q.Get("data_alteracao_ate")
	if from != "" || to != "" {
		// The quirk third-party code reports: one bound alone is a 400.
		if from == "" || to == "" {
			return lq, bad("data_alteracao_de", "data_alteracao_de e data_alteracao_ate devem ser informadas juntas")
		}
		var err *badRequest
		if lq.from, err = parseFilterTime("data_alteracao_de", from, false); err != nil {
			return lq, err
		}
		if lq.to, err = parseFilterTime("data_alteracao_ate", to, true); err != nil {
			return lq, err
		}
		if lq.to.Before(lq.from) {
			return lq, bad("data_alteracao_ate", "data_alteracao_ate anterior a data_alteracao_de")
		}
		if lq.to.Sub(lq.from) > maxWindow {
			return lq, bad("data_alteracao_de", "o intervalo de data_alteracao deve ser de no máximo 365 dias")
		}
		lq.hasWindow = true
	}
	return lq, nil
}

func splitList(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// parseFilterTime takes São Paulo local time, with or without a -03:00
// style offset. UTC "Z" values are refused: they gave 400s on the real API.
// requireOffset is WithOffsetDatesOnly's refusal of a window bound sent
// without its UTC offset.
func requireOffset(q url.Values) *badRequest {
	for _, field := range []string{"data_alteracao_de", "data_alteracao_ate"} {
		v := q.Get(field)
		if v == "" {
			continue
		}
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			return bad(field, "%s deve informar o fuso horário (ex.: 2024-01-15T10:30:00-03:00)", field)
		}
	}
	return nil
}

func parseFilterTime(field, v string, endOfDay bool) (time.Time, *badRequest) {
	if strings.HasSuffix(strings.ToUpper(v), "Z") {
		return time.Time{}, bad(field, "%s deve estar no horário de Brasília, sem Z", field)
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, saoPaulo); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", v, saoPaulo); err == nil {
		if endOfDay {
			t = t.Add(24*time.Hour - time.Nanosecond)
		}
		return t, nil
	}
	return time.Time{}, bad(field, "%s não é uma data ISO 8601", field)
}

func (lq listQuery) matches(r *record) bool {
	if lq.hasIDs && !slices.Contains(lq.ids, r.ID) {
		return false
	}
	if lq.hasDocs && !slices.Contains(lq.docs, r.docKey) {
		return false
	}
	if lq.profile != "" && !slices.Contains(r.Profiles, lq.profile) {
		return false
	}
	if len(lq.types) > 0 && !slices.Contains(lq.types, r.PersonType) {
		return false
	}
	if lq.hasWindow && (r.UpdatedAt.Before(lq.from) || r.UpdatedAt.After(lq.to)) {
		return false
	}
	if lq.search != "" && !searchMatches(lq.search, r) {
		return false
	}
	return true
}

// searchMatches is busca: part of the name, or of the document when the
// text looks like one.
func searchMatches(search string, r *record) bool {
	if strings.Contains(r.nameKey, foldName(search)) {
		return true
	}
	key := documentKey(search)
	return len(key) >= 3 && strings.ContainsAny(key, "0123456789") && !strings.Contains(search, " ") &&
		strings.Contains(r.docKey, key)
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	lq, badReq := parseListQuery(r.URL.Query())
	if badReq == nil && s.offsetDatesOnly {
		badReq = requireOffset(r.URL.Query())
	}
	if badReq != nil {
		writeBad(w, badReq)
		return
	}
	var candidates []*record
	switch {
	case lq.hasDocs:
		for _, d := range lq.docs {
			candidates = append(candidates, s.recordsWithDocument(d)...)
		}
		candidates = uniqueSorted(candidates)
	case lq.hasIDs:
		for _, id := range lq.ids {
			if rec, ok := s.people[id]; ok {
				candidates = append(candidates, rec)
			}
		}
		candidates = uniqueSorted(candidates)
	default:
		candidates = s.sortedByName()
	}
	custom := lq.orderBy != "NOME" || lq.descending
	var matched []*record
	total := 0
	start := (lq.page - 1) * lq.size
	for _, rec := range candidates {
		if !lq.matches(rec) {
			continue
		}
		if custom {
			matched = append(matched, rec)
		} else if total >= start && total < start+lq.size {
			matched = append(matched, rec)
		}
		total++
	}
	if custom {
		sortRecords(matched, lq.orderBy, lq.descending)
		matched = matched[min(start, len(matched)):min(start+lq.size, len(matched))]
	}
	out := listJSON{TotalItems: total, Items: make([]listItemJSON, 0, len(matched))}
	for _, rec := range matched {
		out.Items = append(out.Items, rec.listItem(lq.withAddress))
	}
	writeJSON(w, http.StatusOK, out)
}

func uniqueSorted(recs []*record) []*record {
	slices.SortFunc(recs, compareByName)
	return slices.CompactFunc(recs, func(a, b *record) bool { return a == b })
}

func sortRecords(recs []*record, by string, desc bool) {
	key := func(r *record) string {
		switch by {
		case "EMAIL":
			return strings.ToLower(r.Email)
		case "DOCUMENTO":
			return r.docKey
		case "ATIVO":
			return strconv.FormatBool(r.Active)
		}
		return r.nameKey
	}
	slices.SortStableFunc(recs, func(a, b *record) int {
		c := strings.Compare(key(a), key(b))
		if c == 0 {
			c = compareByName(a, b)
		}
		if desc {
			return -c
		}
		return c
	})
}

func (s *Server) handleGet(w http.ResponseWriter, id string) {
	rec, ok := s.people[id]
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "pessoa não encontrada", "id")
		return
	}
	writeJSON(w, http.StatusOK, rec.detail())
}

type profileIn struct {
	ID         string `json:"id"`
	TipoPerfil string `json:"tipo_perfil"`
}

type addressIn struct {
	ID          string `json:"id"`
	IDCidade    *int   `json:"id_cidade"`
	Logradouro  string `json:"logradouro"`
	Numero      string `json:"numero"`
	Complemento string `json:"complemento"`
	Bairro      string `json:"bairro"`
	Cidade      string `json:"cidade"`
	Estado      string `json:"estado"`
	CEP         string `json:"cep"`
	Pais        string `json:"pais"`
}

// personIn accepts the documented write fields of POST, PUT and PATCH
// (PATCH spells some differently). Anything else is a 400, so a misspelt
// field in a client shows up in its tests.
type personIn struct {
	Nome                       *string         `json:"nome"`
	TipoPessoa                 *string         `json:"tipo_pessoa"`
	CPF                        *string         `json:"cpf"`
	CNPJ                       *string         `json:"cnpj"`
	Codigo                     *string         `json:"codigo"`
	NomeFantasia               *string         `json:"nome_fantasia"`
	NomeEmpresa                *string         `json:"nome_empresa"`
	RG                         *string         `json:"rg"`
	DataNascimento             *string         `json:"data_nascimento"`
	Email                      *string         `json:"email"`
	TelefoneCelular            *string         `json:"telefone_celular"`
	TelefoneComercial          *string         `json:"telefone_comercial"`
	Observacao                 *string         `json:"observacao"`
	Ativo                      *bool           `json:"ativo"`
	AgenciaPublica             *bool           `json:"agencia_publica"`
	OrgaoPublico               *bool           `json:"orgao_publico"`
	OptanteSimples             *bool           `json:"optante_simples"`
	OptanteSimplesNacional     *bool           `json:"optante_simples_nacional"`
	Perfis                     *[]profileIn    `json:"perfis"`
	Enderecos                  *[]addressIn    `json:"enderecos"`
	Inscricoes                 json.RawMessage `json:"inscricoes"`
	OutrosContatos             json.RawMessage `json:"outros_contatos"`
	ContatoCobrancaFaturamento json.RawMessage `json:"contato_cobranca_faturamento"`
}

func decodePerson(r *http.Request) (personIn, map[string]json.RawMessage, *badRequest) {
	var in personIn
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return in, nil, bad("body", "corpo ilegível")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, nil, bad("body", "JSON inválido: %v", err)
	}
	var keys map[string]json.RawMessage
	_ = json.Unmarshal(data, &keys)
	return in, keys, nil
}

var birthDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// apply writes the fields present in in onto p. Addresses with an id must
// be the person's own; those without one are new.
func (in personIn) apply(p *Person) *badRequest {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&p.Name, in.Nome)
	set(&p.Code, in.Codigo)
	set(&p.TradeName, in.NomeFantasia)
	set(&p.TradeName, in.NomeEmpresa)
	set(&p.Email, in.Email)
	set(&p.PhoneMobile, in.TelefoneCelular)
	set(&p.PhoneCommercial, in.TelefoneComercial)
	set(&p.Note, in.Observacao)
	if in.DataNascimento != nil {
		p.BirthDate = *in.DataNascimento
	}
	if in.Ativo != nil {
		p.Active = *in.Ativo
	}
	if in.TipoPessoa != nil {
		if t := *in.TipoPessoa; t != typeIndividual && t != typeCompany && t != typeForeign {
			return bad("tipo_pessoa", "tipo_pessoa deve ser Física, Jurídica ou Estrangeira")
		}
		p.PersonType = *in.TipoPessoa
	}
	if in.CPF != nil && in.CNPJ != nil {
		return bad("cpf", "informe cpf ou cnpj, não ambos")
	}
	if in.CPF != nil {
		if p.PersonType != typeIndividual {
			return bad("cpf", "cpf só pode ser informado para pessoa Física")
		}
		p.Document = *in.CPF
	}
	if in.CNPJ != nil {
		if p.PersonType != typeCompany {
			return bad("cnpj", "cnpj só pode ser informado para pessoa Jurídica")
		}
		p.Document = *in.CNPJ
	}
	if in.Perfis != nil {
		p.Profiles = p.Profiles[:0:0]
		for _, pr := range *in.Perfis {
			if _, ok := upperProfile[pr.TipoPerfil]; !ok {
				return bad("perfis", "tipo_perfil %q inválido: use Cliente, Fornecedor ou Transportadora", pr.TipoPerfil)
			}
			if !slices.Contains(p.Profiles, pr.TipoPerfil) {
				p.Profiles = append(p.Profiles, pr.TipoPerfil)
			}
		}
	}
	if in.Enderecos != nil {
		var out []Address
		for i, a := range *in.Enderecos {
			if a.ID != "" && !slices.ContainsFunc(p.Addresses, func(old Address) bool { return old.ID == a.ID }) {
				return bad(fmt.Sprintf("enderecos[%d].id", i), "endereço %s não pertence a esta pessoa", a.ID)
			}
			id := a.ID
			if id == "" {
				id = uuid.NewString()
			}
			out = append(out, Address{
				ID: id, Street: a.Logradouro, Number: a.Numero, Complement: a.Complemento,
				District: a.Bairro, City: a.Cidade, State: a.Estado, ZIP: a.CEP, Country: a.Pais,
			})
		}
		p.Addresses = out
	}
	return nil
}

// validate checks the whole record, as Conta Azul does on every write
// (even a PATCH can fail on a field it did not touch).
func validate(p Person) *badRequest {
	name := strings.TrimSpace(p.Name)
	switch {
	case name == "":
		return bad("nome", "nome é obrigatório")
	case utf8.RuneCountInString(name) > 200:
		return bad("nome", "nome deve ter no máximo 200 caracteres")
	case utf8.RuneCountInString(p.TradeName) > 200:
		return bad("nome_fantasia", "nome_fantasia deve ter no máximo 200 caracteres")
	case utf8.RuneCountInString(p.Code) > 20:
		return bad("codigo", "codigo deve ter no máximo 20 caracteres")
	case utf8.RuneCountInString(p.Email) > 100:
		return bad("email", "email deve ter no máximo 100 caracteres")
	case utf8.RuneCountInString(p.Note) > 2000:
		return bad("observacao", "observacao deve ter no máximo 2000 caracteres")
	case p.BirthDate != "" && !birthDate.MatchString(p.BirthDate):
		return bad("data_nascimento", "data_nascimento deve estar no formato AAAA-MM-DD")
	}
	key := documentKey(p.Document)
	switch p.PersonType {
	case typeIndividual:
		if key != "" && len(key) != 11 {
			return bad("cpf", "cpf deve ter 11 dígitos")
		}
	case typeCompany:
		if key != "" && len(key) != 14 {
			return bad("cnpj", "cnpj deve ter 14 caracteres")
		}
	case typeForeign:
	default:
		return bad("tipo_pessoa", "tipo_pessoa deve ser Física, Jurídica ou Estrangeira")
	}
	for i, a := range p.Addresses {
		if a.State != "" && !isUF(a.State) {
			return bad(fmt.Sprintf("enderecos[%d].estado", i), "estado deve ser a sigla da UF com 2 letras maiúsculas")
		}
	}
	return nil
}

func isUF(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	in, _, badReq := decodePerson(r)
	if badReq != nil {
		writeBad(w, badReq)
		return
	}
	if in.Nome == nil {
		writeBad(w, bad("nome", "nome é obrigatório"))
		return
	}
	if in.TipoPessoa == nil {
		writeBad(w, bad("tipo_pessoa", "tipo_pessoa é obrigatório"))
		return
	}
	now := s.clock()
	p := Person{ID: uuid.NewString(), Active: true, CreatedAt: now, UpdatedAt: now}
	if badReq := in.apply(&p); badReq != nil {
		writeBad(w, badReq)
		return
	}
	if badReq := validate(p); badReq != nil {
		writeBad(w, badReq)
		return
	}
	s.legacy++
	p.LegacyID = s.legacy
	s.store(p)
	rec := s.people[p.ID]
	writeJSON(w, http.StatusCreated, createdJSON{
		ID: rec.ID, Nome: rec.Name, TipoPessoa: rec.PersonType, Documento: formatDocument(rec.docKey),
		Ativo: rec.Active, Perfis: profilesOut(rec),
	})
}

// putRequired are the fields the docs mark required on PUT.
var putRequired = []string{"nome", "codigo", "data_nascimento", "email", "enderecos", "observacao"}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request, id string) {
	s.update(w, r, id, true)
}

func (s *Server) handlePatch(w http.ResponseWriter, r *http.Request, id string) {
	s.update(w, r, id, false)
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, id string, replace bool) {
	rec, ok := s.people[id]
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "pessoa não encontrada", "id")
		return
	}
	in, keys, badReq := decodePerson(r)
	if badReq != nil {
		writeBad(w, badReq)
		return
	}
	p := clonePerson(rec.Person)
	if replace {
		for _, k := range putRequired {
			if _, ok := keys[k]; !ok {
				writeBad(w, bad(k, "%s é obrigatório na atualização completa", k))
				return
			}
		}
		// A full replacement: what the body leaves out is cleared.
		p = Person{ID: p.ID, LegacyID: p.LegacyID, Document: p.Document, PersonType: p.PersonType,
			Addresses: p.Addresses, CreatedAt: p.CreatedAt}
	} else if len(keys) == 0 {
		writeBad(w, bad("body", "nenhum campo para atualizar"))
		return
	}
	if badReq := in.apply(&p); badReq != nil {
		writeBad(w, badReq)
		return
	}
	if badReq := validate(p); badReq != nil {
		writeBad(w, badReq)
		return
	}
	p.UpdatedAt = s.clock()
	s.store(p)
	w.WriteHeader(http.StatusNoContent)
}
