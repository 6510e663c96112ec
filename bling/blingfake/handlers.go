package blingfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/document"
)

const dateTimeLayout = "2006-01-02 15:04:05"

// Wire types of the fake (not the client's).
type summaryWire struct {
	ID              int64  `json:"id"`
	Nome            string `json:"nome"`
	Codigo          string `json:"codigo"`
	Situacao        string `json:"situacao"`
	NumeroDocumento string `json:"numeroDocumento"`
	Telefone        string `json:"telefone"`
	Celular         string `json:"celular"`
}

type addressWire struct {
	Endereco    string `json:"endereco"`
	CEP         string `json:"cep"`
	Bairro      string `json:"bairro"`
	Municipio   string `json:"municipio"`
	UF          string `json:"uf"`
	Numero      string `json:"numero"`
	Complemento string `json:"complemento"`
}

type tipoWire struct {
	ID        int64  `json:"id"`
	Descricao string `json:"descricao"`
}

func (a addressWire) dados() EnderecoDados {
	return EnderecoDados{Endereco: a.Endereco, Numero: a.Numero, Complemento: a.Complemento,
		Bairro: a.Bairro, Municipio: a.Municipio, UF: a.UF, CEP: a.CEP}
}

func summaryOf(c *Contact) summaryWire {
	return summaryWire{ID: c.ID, Nome: c.Nome, Codigo: c.Codigo, Situacao: c.Situacao,
		NumeroDocumento: c.NumeroDocumento, Telefone: c.Telefone, Celular: c.Celular}
}

func addressOf(a EnderecoDados) addressWire {
	return addressWire{Endereco: a.Endereco, CEP: a.CEP, Bairro: a.Bairro, Municipio: a.Municipio,
		UF: a.UF, Numero: a.Numero, Complemento: a.Complemento}
}

func detailOf(c *Contact) map[string]any {
	out := make(map[string]any, len(c.Extra)+16)
	for k, v := range c.Extra {
		out[k] = v
	}
	tipos := make([]tipoWire, 0, len(c.TiposContato))
	for _, t := range c.TiposContato {
		tipos = append(tipos, tipoWire(t))
	}
	for k, v := range map[string]any{
		"id": c.ID, "nome": c.Nome, "codigo": c.Codigo, "situacao": c.Situacao,
		"numeroDocumento": c.NumeroDocumento, "telefone": c.Telefone, "celular": c.Celular,
		"fantasia": c.Fantasia, "tipo": c.Tipo, "indicadorIe": c.IndicadorIE, "ie": c.IE,
		"email": c.Email, "emailNotaFiscal": c.EmailNotaFiscal,
		"endereco": map[string]addressWire{
			"geral":    addressOf(c.Endereco.Geral),
			"cobranca": addressOf(c.Endereco.Cobranca),
		},
		"tiposContato": tipos,
	} {
		out[k] = v
	}
	return out
}

type listQuery struct {
	page, limit, criterio  int
	doc, search            string
	changedFrom, changedTo time.Time
	addedFrom, addedTo     time.Time
}

func (s *Server) parseList(q url.Values) (listQuery, []fieldError) {
	lq := listQuery{page: 1, limit: maxPageSize, criterio: 3}
	var bad []fieldError
	intParam := func(name string, dst *int, ok func(int) bool) {
		raw := q.Get(name)
		if raw == "" {
			return
		}
		n, err := strconv.Atoi(raw)
		if err != nil || !ok(n) {
			bad = append(bad, fieldError{Code: 1, Msg: fmt.Sprintf("O parâmetro %s é inválido", name), Element: name, Namespace: "CONTATOS"})
			return
		}
		*dst = n
	}
	intParam("pagina", &lq.page, func(n int) bool { return n >= 1 })
	intParam("limite", &lq.limit, func(n int) bool { return n >= 1 })
	intParam("criterio", &lq.criterio, func(n int) bool { return n >= 1 && n <= 4 })
	if s.criterioIgnored {
		lq.criterio = 3
	}
	lq.limit = min(lq.limit, maxPageSize)
	lq.doc = document.Key(q.Get("numeroDocumento"))
	lq.search = strings.ToLower(strings.TrimSpace(q.Get("pesquisa")))
	now := s.clock()
	dates := func(fromName, toName string, from, to *time.Time) {
		for _, p := range []struct {
			name string
			dst  *time.Time
		}{{fromName, from}, {toName, to}} {
			raw := q.Get(p.name)
			if raw == "" {
				continue
			}
			t, err := time.ParseInLocation(dateTimeLayout, raw, saoPaulo)
			if err != nil {
				bad = append(bad, fieldError{Code: 2, Msg: fmt.Sprintf("A data %s deve estar no formato AAAA-MM-DD HH:MM:SS", p.name), Element: p.name, Namespace: "CONTATOS"})
				continue
			}
			*p.dst = t
		}
		if from.IsZero() {
			return
		}
		end := *to
		if end.IsZero() {
			end = now
		}
		if end.After(from.AddDate(1, 0, 0)) {
			bad = append(bad, fieldError{Code: 3, Msg: "O intervalo entre as datas não pode ser superior a 1 ano", Element: fromName, Namespace: "CONTATOS"})
		}
	}
	dates("dataAlteracaoInicial", "dataAlteracaoFinal", &lq.changedFrom, &lq.changedTo)
	dates("dataInclusaoInicial", "dataInclusaoFinal", &lq.addedFrom, &lq.addedTo)
	return lq, bad
}

func within(t, from, to time.Time) bool {
	t = t.Truncate(time.Second)
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	lq, bad := s.parseList(r.URL.Query())
	if len(bad) > 0 {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Parâmetros inválidos", "Os filtros informados são inválidos", bad)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	candidates := s.order
	if lq.doc != "" {
		candidates = candidates[:0:0]
		for id := range s.byDoc[lq.doc] {
			candidates = append(candidates, id)
		}
		slices.Sort(candidates)
	}
	var latest map[int64]bool
	if lq.criterio == 3 {
		latest = s.latestAddedSet()
	}
	skip := (lq.page - 1) * lq.limit
	page := make([]summaryWire, 0, lq.limit)
	for _, id := range candidates {
		c := s.contacts[id]
		if !s.matches(c, lq, latest) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		page = append(page, summaryOf(c))
		if len(page) == lq.limit {
			break
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": page})
}

func (s *Server) matches(c *Contact, lq listQuery, latest map[int64]bool) bool {
	switch lq.criterio {
	case 1:
		if c.Situacao == "E" {
			return false
		}
	case 2:
		if c.Situacao != "E" {
			return false
		}
	case 3:
		if !latest[c.ID] {
			return false
		}
	case 4:
		if c.Situacao != "S" {
			return false
		}
	}
	if !within(c.DataAlteracao, lq.changedFrom, lq.changedTo) || !within(c.DataInclusao, lq.addedFrom, lq.addedTo) {
		return false
	}
	if lq.search != "" {
		hay := strings.ToLower(strings.Join([]string{c.Nome, c.Fantasia, c.Email, c.Codigo}, "\x00"))
		if !strings.Contains(hay, lq.search) && (document.Key(lq.search) == "" || document.Key(c.NumeroDocumento) != document.Key(lq.search)) {
			return false
		}
	}
	return true
}

// latestAddedSet is criterio 3: the most recently included contacts that are
// not excluded. mu held.
func (s *Server) latestAddedSet() map[int64]bool {
	ids := make([]int64, 0, len(s.order))
	for _, id := range s.order {
		if s.contacts[id].Situacao != "E" {
			ids = append(ids, id)
		}
	}
	slices.SortStableFunc(ids, func(a, b int64) int {
		ca, cb := s.contacts[a], s.contacts[b]
		if c := cb.DataInclusao.Compare(ca.DataInclusao); c != 0 {
			return c
		}
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	out := make(map[int64]bool, s.latestAdded)
	for _, id := range ids[:min(len(ids), s.latestAdded)] {
		out[id] = true
	}
	return out
}

func (s *Server) lookup(w http.ResponseWriter, rawID string) (*Contact, bool) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err == nil {
		if c, ok := s.contacts[id]; ok {
			return c, true
		}
	}
	writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "Contato não encontrado", "O contato informado não existe", nil)
	return nil, false
}

func (s *Server) get(w http.ResponseWriter, rawID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.lookup(w, rawID)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": detailOf(c)})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	c, ok := readContact(w, r)
	if !ok {
		return
	}
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = s.nextID
	s.nextID++
	c.DataInclusao, c.DataAlteracao = now, now
	s.insert(&c)
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]int64{"id": c.ID}})
}

func (s *Server) replace(w http.ResponseWriter, r *http.Request, rawID string) {
	s.mu.Lock()
	_, found := s.lookup(w, rawID)
	s.mu.Unlock()
	if !found {
		return
	}
	c, ok := readContact(w, r)
	if !ok {
		return
	}
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	old, found := s.lookup(w, rawID)
	if !found {
		return
	}
	c.ID, c.DataInclusao, c.DataAlteracao = old.ID, old.DataInclusao, now
	s.unindex(old)
	*old = c
	s.index(old)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) remove(w http.ResponseWriter, rawID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.lookup(w, rawID)
	if !ok {
		return
	}
	s.unindex(c)
	delete(s.contacts, c.ID)
	if i, found := slices.BinarySearch(s.order, c.ID); found {
		s.order = slices.Delete(s.order, i, i+1)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, rawID string) {
	var body struct {
		Situacao *string `json:"situacao"`
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if len(bytes.TrimSpace(data)) == 0 {
		writeError(w, http.StatusBadRequest, "EMPTY_REQUEST_BODY", "Corpo da requisição vazio", "", nil)
		return
	}
	if err := json.Unmarshal(data, &body); err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST_BODY", "Corpo da requisição inválido", "", nil)
		return
	}
	if body.Situacao == nil || !validSituacao(*body.Situacao) {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Situação inválida", "A situação deve ser A, I, E ou S",
			[]fieldError{{Code: 10, Msg: "Situação inválida", Element: "situacao", Namespace: "CONTATOS"}})
		return
	}
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.lookup(w, rawID)
	if !ok {
		return
	}
	c.Situacao, c.DataAlteracao = *body.Situacao, now
	w.WriteHeader(http.StatusNoContent)
}

func validSituacao(s string) bool { return s == "A" || s == "I" || s == "E" || s == "S" }

// readContact decodes and validates a POST/PUT body.
func readContact(w http.ResponseWriter, r *http.Request) (Contact, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		writeError(w, http.StatusBadRequest, "EMPTY_REQUEST_BODY", "Corpo da requisição vazio", "", nil)
		return Contact{}, false
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST_BODY", "Corpo da requisição inválido", "O JSON enviado não é um objeto", nil)
		return Contact{}, false
	}
	c, bad := decodeContact(raw)
	bad = append(bad, validate(c)...)
	if len(bad) > 0 {
		typ := "VALIDATION_ERROR"
		for _, f := range bad {
			if f.Code == codeMissing {
				typ = "MISSING_REQUIRED_FIELD_ERROR"
			}
		}
		writeError(w, http.StatusBadRequest, typ, "Não foi possível salvar o contato", "O contato não pode ser salvo, pois ocorreram problemas em sua validação.", bad)
		return Contact{}, false
	}
	return c, true
}

const (
	codeMissing = 20
	codeInvalid = 21
	codeType    = 22
)

func decodeContact(raw map[string]json.RawMessage) (Contact, []fieldError) {
	var c Contact
	var bad []fieldError
	str := func(key string, dst *string) {
		v, ok := raw[key]
		delete(raw, key)
		if !ok || string(v) == "null" {
			return
		}
		if json.Unmarshal(v, dst) != nil {
			bad = append(bad, fieldError{Code: codeType, Msg: "O campo deve ser um texto", Element: key, Namespace: "CONTATOS"})
		}
	}
	delete(raw, "id")
	str("nome", &c.Nome)
	str("codigo", &c.Codigo)
	str("situacao", &c.Situacao)
	str("numeroDocumento", &c.NumeroDocumento)
	str("telefone", &c.Telefone)
	str("celular", &c.Celular)
	str("fantasia", &c.Fantasia)
	str("tipo", &c.Tipo)
	str("email", &c.Email)
	str("emailNotaFiscal", &c.EmailNotaFiscal)
	str("ie", &c.IE)
	if v, ok := raw["indicadorIe"]; ok {
		delete(raw, "indicadorIe")
		if string(v) != "null" && json.Unmarshal(v, &c.IndicadorIE) != nil {
			bad = append(bad, fieldError{Code: codeType, Msg: "O indicador de IE deve ser um número", Element: "indicadorIe", Namespace: "CONTATOS"})
		}
	}
	if v, ok := raw["endereco"]; ok {
		delete(raw, "endereco")
		var group struct{ Geral, Cobranca *addressWire }
		if string(v) != "null" {
			if json.Unmarshal(v, &group) != nil {
				bad = append(bad, fieldError{Code: codeType, Msg: "Endereço inválido", Element: "endereco", Namespace: "CONTATOS"})
			}
			if group.Geral != nil {
				c.Endereco.Geral = group.Geral.dados()
			}
			if group.Cobranca != nil {
				c.Endereco.Cobranca = group.Cobranca.dados()
			}
		}
	}
	if v, ok := raw["tiposContato"]; ok {
		delete(raw, "tiposContato")
		var tipos []tipoWire
		if string(v) != "null" && json.Unmarshal(v, &tipos) != nil {
			bad = append(bad, fieldError{Code: codeType, Msg: "Tipos de contato inválidos", Element: "tiposContato", Namespace: "CONTATOS"})
		}
		for _, t := range tipos {
			c.TiposContato = append(c.TiposContato, TipoContato(t))
		}
	}
	if len(raw) > 0 {
		c.Extra = raw
	}
	return c, bad
}

func validate(c Contact) []fieldError {
	var bad []fieldError
	missing := func(element, msg string) {
		bad = append(bad, fieldError{Code: codeMissing, Msg: msg, Element: element, Namespace: "CONTATOS"})
	}
	invalid := func(element, msg string) {
		bad = append(bad, fieldError{Code: codeInvalid, Msg: msg, Element: element, Namespace: "CONTATOS"})
	}
	if strings.TrimSpace(c.Nome) == "" {
		missing("nome", "O nome do contato deve ser informado")
	}
	switch {
	case c.Situacao == "":
		missing("situacao", "A situação do contato deve ser informada")
	case !validSituacao(c.Situacao):
		invalid("situacao", "A situação deve ser A, I, E ou S")
	}
	switch c.Tipo {
	case "":
		missing("tipo", "O tipo de pessoa deve ser informado")
	case "F", "J", "E":
	default:
		invalid("tipo", "O tipo de pessoa deve ser F, J ou E")
	}
	if doc := document.Key(c.NumeroDocumento); doc != "" {
		if (c.Tipo == "F" && len(doc) != 11) || (c.Tipo == "J" && len(doc) != 14) {
			invalid("numeroDocumento", fmt.Sprintf("O CPF/CNPJ %s não é válido", c.NumeroDocumento))
		}
	}
	switch c.IndicadorIE {
	case 0, 1, 2, 9:
	default:
		invalid("indicadorIe", "O indicador de IE deve ser 1, 2 ou 9")
	}
	return bad
}
