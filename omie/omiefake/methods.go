package omiefake

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dispatch runs one call on the store; callers hold mu.
func (s *Server) dispatch(call string, param json.RawMessage) (any, *fault) {
	now := s.now()
	switch call {
	case ListarClientes, ListarClientesResumido:
		return s.listar(call, param)
	case ConsultarCliente:
		return s.consultar(param, now)
	}
	if !writeCalls[call] {
		if call == "" {
			return nil, faultf(codeMissingTag, "ERROR: A tag [call] não foi informada!")
		}
		return nil, faultf(codeUnknownCall, "ERROR: O método [%s] não existe neste serviço!", call)
	}
	key := writeKey(call, param)
	if s.redundantCheck {
		if at, ok := s.lastWrite[key]; ok && now.Sub(at) < redundantWindow {
			s.refuse(call, now)
			retry := at.Add(redundantWindow).In(s.loc).Format(timeLayout)
			return nil, faultf(CodeAlreadyProcessed, "ERROR: Esta requisição já foi processada ou está sendo processada e você pode tentar novamente às [%s]. (1)", retry)
		}
	}
	var (
		result any
		f      *fault
	)
	switch call {
	case IncluirCliente:
		result, f = s.incluir(param, now)
	case AlterarCliente:
		result, f = s.alterar(param, now)
	case UpsertCliente:
		result, f = s.upsert(param, now)
	case UpsertClienteCpfCnpj:
		result, f = s.upsertCpfCnpj(param, now)
	case AssociarCodIntCliente:
		result, f = s.associar(param, now)
	case ExcluirCliente:
		result, f = s.excluir(param)
	}
	if f == nil {
		s.lastWrite[key] = now
		if len(s.lastWrite) > pruneRedundantThreshold {
			for k, at := range s.lastWrite {
				if now.Sub(at) >= redundantWindow {
					delete(s.lastWrite, k)
				}
			}
		}
	}
	return result, f
}

type listQuery struct {
	page, size          int
	descending          bool
	withObs             bool
	from, to            time.Time
	onlyAlt, onlyInc    bool
	match               func(*Cliente) bool
	candidates          []int64 // nil: every record
	filteredByCandidate bool
}

func (s *Server) listar(call string, param json.RawMessage) (any, *fault) {
	q, f := s.parseList(param)
	if f != nil {
		return nil, f
	}
	codes := q.candidates
	if !q.filteredByCandidate {
		codes = s.store.order
	}
	var matches []*Cliente
	for i := range codes {
		code := codes[i]
		if q.descending {
			code = codes[len(codes)-1-i]
		}
		c := s.store.get(code)
		if c != nil && s.inWindow(c, q) && q.match(c) {
			matches = append(matches, c)
		}
	}
	total := len(matches)
	pages := (total + q.size - 1) / q.size
	if total == 0 || q.page > pages {
		return nil, faultf(codeEndOfList, "ERROR: Não existem registros para a página [%d]!", q.page)
	}
	start := (q.page - 1) * q.size
	end := min(start+q.size, total)
	resp := map[string]any{
		"pagina":             q.page,
		"total_de_paginas":   pages,
		"registros":          end - start,
		"total_de_registros": total,
	}
	items := make([]map[string]any, 0, end-start)
	for _, c := range matches[start:end] {
		if call == ListarClientesResumido {
			items = append(items, map[string]any{
				"codigo_cliente_omie": c.CodigoClienteOmie, "codigo_cliente_integracao": c.CodigoClienteIntegracao,
				"razao_social": c.RazaoSocial, "nome_fantasia": c.NomeFantasia, "cnpj_cpf": c.CnpjCpf,
			})
			continue
		}
		items = append(items, encodeCliente(c, q.withObs, s.loc))
	}
	if call == ListarClientesResumido {
		resp["clientes_cadastro_resumido"] = items
	} else {
		resp["clientes_cadastro"] = items
	}
	return resp, nil
}

func (s *Server) inWindow(c *Cliente, q listQuery) bool {
	if q.from.IsZero() && q.to.IsZero() {
		return true
	}
	in := func(t time.Time) bool {
		t = t.Truncate(time.Second)
		return (q.from.IsZero() || !t.Before(q.from)) && (q.to.IsZero() || !t.After(q.to))
	}
	switch {
	case q.onlyAlt:
		return in(c.Alterado)
	case q.onlyInc:
		return in(c.Incluido)
	case s.windowInclusionsOnly:
		return in(c.Incluido)
	default:
		return in(c.Incluido) || in(c.Alterado)
	}
}

func (s *Server) parseList(param json.RawMessage) (listQuery, *fault) {
	q := listQuery{match: func(*Cliente) bool { return true }}
	o, f := decodeObject(param, "clientes_list_request")
	if f != nil {
		return q, f
	}
	if f := o.checkKnown(listFields, "clientes_list_request"); f != nil {
		return q, f
	}
	page, f := o.integer("pagina")
	if f != nil {
		return q, f
	}
	size, f := o.integer("registros_por_pagina")
	if f != nil {
		return q, f
	}
	q.page, q.size = int(max(page, 1)), int(size)
	if q.size <= 0 {
		q.size = defaultFakePageSize
	}
	q.size = min(q.size, maxFakePageSize)
	for _, key := range []string{"ordem_decrescente", "ordem_descrescente"} {
		if v, _, f := o.flag(key); f != nil {
			return q, f
		} else if v {
			q.descending = true
		}
	}
	if q.withObs, _, f = o.flag("exibir_obs"); f != nil {
		return q, f
	}
	if q.onlyAlt, _, f = o.flag("filtrar_apenas_alteracao"); f != nil {
		return q, f
	}
	if q.onlyInc, _, f = o.flag("filtrar_apenas_inclusao"); f != nil {
		return q, f
	}
	importedOnly, _, f := o.flag("apenas_importado_api")
	if f != nil {
		return q, f
	}
	var dates [4]string
	for i, key := range []string{"filtrar_por_data_de", "filtrar_por_hora_de", "filtrar_por_data_ate", "filtrar_por_hora_ate"} {
		if dates[i], f = o.str(key); f != nil {
			return q, f
		}
	}
	if dates[0] != "" {
		if q.from, f = parseWindowBound(dates[0], dates[1], "00:00:00", s.loc); f != nil {
			return q, f
		}
	}
	if dates[2] != "" {
		if q.to, f = parseWindowBound(dates[2], dates[3], "23:59:59", s.loc); f != nil {
			return q, f
		}
	}
	var preds []func(*Cliente) bool
	if importedOnly {
		preds = append(preds, func(c *Cliente) bool { return c.ImportadoAPI })
	}
	if raw, ok := o["clientesFiltro"]; ok {
		fo, f := decodeObject(raw, "clientesFiltro")
		if f != nil {
			return q, f
		}
		if f := fo.checkKnown(filterFields, "clientesFiltro"); f != nil {
			return q, f
		}
		more, f := s.parseFilter(fo, &q)
		if f != nil {
			return q, f
		}
		preds = append(preds, more...)
	}
	if raw, ok := o["clientesPorCodigo"]; ok {
		var keys []json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil {
			return q, faultf(codeInvalidValue, "ERROR: A tag [clientesPorCodigo] deve ser uma lista!")
		}
		var codes []int64
		for _, k := range keys {
			c, f := s.lookupChave(k)
			if f == nil {
				codes = append(codes, c.CodigoClienteOmie)
			}
		}
		q.restrict(codes)
	}
	q.match = func(c *Cliente) bool {
		for _, p := range preds {
			if !p(c) {
				return false
			}
		}
		return true
	}
	return q, nil
}

// restrict narrows the candidate codes (indexed filters) to codes.
func (q *listQuery) restrict(codes []int64) {
	slices.Sort(codes)
	if !q.filteredByCandidate {
		q.candidates, q.filteredByCandidate = codes, true
		return
	}
	keep := map[int64]bool{}
	for _, c := range codes {
		keep[c] = true
	}
	var out []int64
	for _, c := range q.candidates {
		if keep[c] {
			out = append(out, c)
		}
	}
	q.candidates = out
}

func (s *Server) parseFilter(fo object, q *listQuery) ([]func(*Cliente) bool, *fault) {
	var preds []func(*Cliente) bool
	for key := range fo {
		switch key {
		case "cnpj_cpf":
			doc, f := fo.str(key)
			if f != nil {
				return nil, f
			}
			var codes []int64
			for _, c := range s.store.byDocumento(doc) {
				codes = append(codes, c.CodigoClienteOmie)
			}
			q.restrict(codes)
		case "codigo_cliente_integracao":
			code, f := fo.str(key)
			if f != nil {
				return nil, f
			}
			var codes []int64
			if c := s.store.byIntegracao(code); c != nil {
				codes = append(codes, c.CodigoClienteOmie)
			}
			q.restrict(codes)
		case "codigo_cliente_omie":
			n, f := fo.integer(key)
			if f != nil {
				return nil, f
			}
			q.restrict([]int64{n})
		case "inativo":
			v, present, f := fo.flag(key)
			if f != nil {
				return nil, f
			}
			if present {
				preds = append(preds, func(c *Cliente) bool { return c.Inativo == v })
			}
		case "razao_social", "nome_fantasia", "email", "cidade", "estado", "bairro", "cep", "endereco":
			want, f := fo.str(key)
			if f != nil {
				return nil, f
			}
			want = strings.ToLower(want)
			get := fieldGetter(key)
			preds = append(preds, func(c *Cliente) bool { return strings.Contains(strings.ToLower(get(c)), want) })
		case "tags":
			want, _, f := fo.tags(key)
			if f != nil {
				return nil, f
			}
			preds = append(preds, func(c *Cliente) bool {
				for _, w := range want {
					found := false
					for _, t := range c.Tags {
						found = found || strings.EqualFold(t, w)
					}
					if !found {
						return false
					}
				}
				return true
			})
		default:
			return nil, faultf(codeInvalidValue, "ERROR: omiefake: o filtro [%s] é válido no Omie mas não é implementado por este fake!", key)
		}
	}
	return preds, nil
}

func fieldGetter(name string) func(*Cliente) string {
	for _, sf := range stringFields {
		if sf.name == name {
			ptr := sf.ptr
			return func(c *Cliente) string { return *ptr(c) }
		}
	}
	return func(*Cliente) string { return "" }
}

// lookupChave finds the record of a clientes_cadastro_chave.
func (s *Server) lookupChave(raw json.RawMessage) (*Cliente, *fault) {
	o, f := decodeObject(raw, "clientes_cadastro_chave")
	if f != nil {
		return nil, f
	}
	if f := o.checkKnown(chaveFields, "clientes_cadastro_chave"); f != nil {
		return nil, f
	}
	return s.findByKeys(o)
}

// findByKeys resolves codigo_cliente_omie (preferred) or codigo_cliente_integracao.
func (s *Server) findByKeys(o object) (*Cliente, *fault) {
	code, f := o.integer("codigo_cliente_omie")
	if f != nil {
		return nil, f
	}
	intCode, f := o.str("codigo_cliente_integracao")
	if f != nil {
		return nil, f
	}
	switch {
	case code != 0:
		if c := s.store.get(code); c != nil {
			return c, nil
		}
		return nil, faultf(codeNotFound, "ERROR: Cliente não cadastrado para o Código [%d] !", code)
	case intCode != "":
		if c := s.store.byIntegracao(intCode); c != nil {
			return c, nil
		}
		return nil, faultf(codeNotFound, "ERROR: Cliente não cadastrado para o Código de Integração [%s] !", intCode)
	}
	return nil, faultf(codeMissingTag, "ERROR: Informe o codigo_cliente_omie ou o codigo_cliente_integracao!")
}

func (s *Server) consultar(param json.RawMessage, now time.Time) (any, *fault) {
	o, f := decodeObject(param, "clientes_cadastro_chave")
	if f != nil {
		return nil, f
	}
	if f := o.checkKnown(chaveFields, "clientes_cadastro_chave"); f != nil {
		return nil, f
	}
	code, _ := o.integer("codigo_cliente_omie")
	intCode, _ := o.str("codigo_cliente_integracao")
	keys := []string{}
	if code != 0 {
		keys = append(keys, "o:"+strconv.FormatInt(code, 10))
	} else if intCode != "" {
		keys = append(keys, "i:"+intCode)
	}
	c, lookupFault := s.findByKeys(o)
	if c != nil {
		keys = append(keys, "o:"+strconv.FormatInt(c.CodigoClienteOmie, 10))
		if c.CodigoClienteIntegracao != "" {
			keys = append(keys, "i:"+c.CodigoClienteIntegracao)
		}
	}
	if s.redundantCheck {
		var last time.Time
		for _, k := range keys {
			if at, ok := s.lastConsult[k]; ok && at.After(last) {
				last = at
			}
		}
		if !last.IsZero() && now.Sub(last) < redundantWindow {
			s.refuse(ConsultarCliente, now)
			secs := max(int(math.Ceil((redundantWindow - now.Sub(last)).Seconds())), 1)
			return nil, faultf(CodeRedundant, "ERROR: Consumo redundante detectado (REDUNDANT). Aguarde %d segundos para consultar novamente o mesmo registro.", secs)
		}
	}
	if lookupFault != nil && lookupFault.code == codeMissingTag {
		return nil, lookupFault
	}
	for _, k := range keys {
		s.lastConsult[k] = now
	}
	if lookupFault != nil {
		return nil, lookupFault
	}
	return encodeCliente(c, true, s.loc), nil
}

// cadastro decodes a clientes_cadastro request.
func decodeCadastro(param json.RawMessage) (object, *fault) {
	o, f := decodeObject(param, "clientes_cadastro")
	if f != nil {
		return nil, f
	}
	if f := o.checkKnown(cadastroFields, "clientes_cadastro"); f != nil {
		return nil, f
	}
	return o, nil
}

// create stores a new record from a request, as IncluirCliente does.
func (s *Server) create(o object, now time.Time) (any, *fault) {
	var c Cliente
	if f := applyCadastro(&c, o); f != nil {
		return nil, f
	}
	if strings.TrimSpace(c.RazaoSocial) == "" {
		return nil, faultf(codeMissingTag, "ERROR: O preenchimento da tag [razao_social] é obrigatório!")
	}
	if f := s.duplicate(&c, 0); f != nil {
		return nil, f
	}
	c.Incluido, c.Alterado = now.Truncate(time.Second), now.Truncate(time.Second)
	c.ImportadoAPI = true
	code := s.store.insert(c)
	return statusBody(s.store.get(code), "Cliente cadastrado com sucesso!"), nil
}

// duplicate reports Omie's "já cadastrado" faults for c (self: its own code).
func (s *Server) duplicate(c *Cliente, self int64) *fault {
	if other := s.store.byIntegracao(c.CodigoClienteIntegracao); other != nil && other.CodigoClienteOmie != self {
		return faultf(codeDuplicate, "ERROR: Cliente já cadastrado para o Código de Integração [%s] com o nCod [%d] !",
			c.CodigoClienteIntegracao, other.CodigoClienteOmie)
	}
	if !s.uniqueDocuments {
		return nil
	}
	for _, other := range s.store.byDocumento(c.CnpjCpf) {
		if other.CodigoClienteOmie != self {
			return faultf(codeDuplicate, "ERROR: Cliente já cadastrado para o CPF/CNPJ [%s] com o Id [%d] e código de integração [%s] ! (add)",
				other.CnpjCpf, other.CodigoClienteOmie, other.CodigoClienteIntegracao)
		}
	}
	return nil
}

// change merges a request into an existing record, as AlterarCliente does.
func (s *Server) change(existing *Cliente, o object, now time.Time) (any, *fault) {
	updated := existing.clone()
	if f := applyCadastro(&updated, o); f != nil {
		return nil, f
	}
	if strings.TrimSpace(updated.RazaoSocial) == "" {
		return nil, faultf(codeMissingTag, "ERROR: O preenchimento da tag [razao_social] é obrigatório!")
	}
	if f := s.duplicate(&updated, existing.CodigoClienteOmie); f != nil {
		return nil, f
	}
	updated.Alterado = now.Truncate(time.Second)
	s.store.replace(existing.CodigoClienteOmie, updated)
	return statusBody(s.store.get(existing.CodigoClienteOmie), "Cliente alterado com sucesso!"), nil
}

func (s *Server) incluir(param json.RawMessage, now time.Time) (any, *fault) {
	o, f := decodeCadastro(param)
	if f != nil {
		return nil, f
	}
	delete(o, "codigo_cliente_omie") // Omie assigns it
	return s.create(o, now)
}

func (s *Server) alterar(param json.RawMessage, now time.Time) (any, *fault) {
	o, f := decodeCadastro(param)
	if f != nil {
		return nil, f
	}
	code, f := o.integer("codigo_cliente_omie")
	if f != nil {
		return nil, f
	}
	var existing *Cliente
	if code != 0 {
		existing, f = s.findByKeys(object{"codigo_cliente_omie": o["codigo_cliente_omie"]})
	} else {
		existing, f = s.findByKeys(o)
	}
	if f != nil {
		return nil, f
	}
	return s.change(existing, o, now)
}

func (s *Server) upsert(param json.RawMessage, now time.Time) (any, *fault) {
	o, f := decodeCadastro(param)
	if f != nil {
		return nil, f
	}
	intCode, f := o.str("codigo_cliente_integracao")
	if f != nil {
		return nil, f
	}
	if intCode == "" {
		return nil, faultf(codeMissingTag, "ERROR: O preenchimento da tag [codigo_cliente_integracao] é obrigatório para o UpsertCliente!")
	}
	delete(o, "codigo_cliente_omie")
	if existing := s.store.byIntegracao(intCode); existing != nil {
		return s.change(existing, o, now)
	}
	return s.create(o, now)
}

func (s *Server) upsertCpfCnpj(param json.RawMessage, now time.Time) (any, *fault) {
	o, f := decodeCadastro(param)
	if f != nil {
		return nil, f
	}
	doc, f := o.str("cnpj_cpf")
	if f != nil {
		return nil, f
	}
	if digits(doc) == "" {
		return nil, faultf(codeMissingTag, "ERROR: O preenchimento da tag [cnpj_cpf] é obrigatório para o UpsertClienteCpfCnpj!")
	}
	delete(o, "codigo_cliente_omie")
	if found := s.store.byDocumento(doc); len(found) > 0 {
		existing := found[0]
		if existing.CodigoClienteIntegracao != "" {
			delete(o, "codigo_cliente_integracao") // an integration code already set is kept
		}
		return s.change(existing, o, now)
	}
	return s.create(o, now)
}

func (s *Server) associar(param json.RawMessage, now time.Time) (any, *fault) {
	o, f := decodeObject(param, "clientes_cadastro_chave")
	if f != nil {
		return nil, f
	}
	if f := o.checkKnown(chaveFields, "clientes_cadastro_chave"); f != nil {
		return nil, f
	}
	code, f := o.integer("codigo_cliente_omie")
	if f != nil {
		return nil, f
	}
	intCode, f := o.str("codigo_cliente_integracao")
	if f != nil {
		return nil, f
	}
	if code == 0 || intCode == "" {
		return nil, faultf(codeMissingTag, "ERROR: Informe o codigo_cliente_omie e o codigo_cliente_integracao!")
	}
	existing := s.store.get(code)
	if existing == nil {
		return nil, faultf(codeNotFound, "ERROR: Cliente não cadastrado para o Código [%d] !", code)
	}
	if existing.CodigoClienteIntegracao == intCode {
		return statusBody(existing, "Código de integração associado com sucesso!"), nil
	}
	if existing.CodigoClienteIntegracao != "" {
		return nil, faultf(codeDuplicate, "ERROR: O cliente [%d] já possui o Código de Integração [%s]!", code, existing.CodigoClienteIntegracao)
	}
	if other := s.store.byIntegracao(intCode); other != nil {
		return nil, faultf(codeDuplicate, "ERROR: Cliente já cadastrado para o Código de Integração [%s] com o nCod [%d] !", intCode, other.CodigoClienteOmie)
	}
	updated := existing.clone()
	updated.CodigoClienteIntegracao = intCode
	updated.Alterado = now.Truncate(time.Second)
	s.store.replace(code, updated)
	return statusBody(s.store.get(code), "Código de integração associado com sucesso!"), nil
}

func (s *Server) excluir(param json.RawMessage) (any, *fault) {
	c, f := s.lookupChave(param)
	if f != nil {
		return nil, f
	}
	st := statusBody(c, "Cliente excluído com sucesso!")
	s.store.remove(c.CodigoClienteOmie)
	return st, nil
}
