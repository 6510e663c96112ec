package omiefake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

const (
	dateLayout = "02/01/2006"
	timeLayout = "15:04:05"
)

// Known request fields per complex type (from the WSDL-derived classes).
// Anything else is refused with Client-5001, as Omie does.
var (
	cadastroFields = fieldSet(
		"codigo_cliente_omie", "codigo_cliente_integracao", "razao_social", "nome_fantasia", "cnpj_cpf",
		"pessoa_fisica", "exterior", "nif", "documento_exterior",
		"telefone1_ddd", "telefone1_numero", "telefone2_ddd", "telefone2_numero", "fax_ddd", "fax_numero",
		"contato", "email", "homepage",
		"endereco", "endereco_numero", "complemento", "bairro", "cidade", "cidade_ibge", "estado", "cep",
		"codigo_pais", "pesquisar_cep", "separar_endereco", "enderecoEntrega",
		"inscricao_estadual", "inscricao_municipal", "inscricao_suframa", "optante_simples_nacional",
		"contribuinte", "produtor_rural", "tipo_atividade", "cnae",
		"inativo", "bloquear_faturamento", "bloquear_exclusao", "enviar_anexos", "valor_limite_credito",
		"observacao", "obs_detalhadas", "recomendacao_atraso", "recomendacoes", "dadosBancarios",
		"caracteristicas", "importado_api", "logradouro", "bloqueado", "tags", "info",
	)
	// Read-only or derived: accepted by the schema, ignored on input.
	ignoredOnInput = fieldSet("info", "importado_api", "cidade_ibge", "pessoa_fisica", "exterior")
	listFields     = fieldSet(
		"pagina", "registros_por_pagina", "apenas_importado_api", "ordenar_por", "ordem_decrescente",
		"ordem_descrescente", "filtrar_por_data_de", "filtrar_por_data_ate", "filtrar_por_hora_de",
		"filtrar_por_hora_ate", "filtrar_apenas_inclusao", "filtrar_apenas_alteracao", "clientesFiltro",
		"clientesPorCodigo", "exibir_caracteristicas", "exibir_obs",
	)
	filterFields = fieldSet(
		"codigo_cliente_omie", "codigo_cliente_integracao", "cnpj_cpf", "razao_social", "nome_fantasia",
		"endereco", "bairro", "cidade", "estado", "cep", "contato", "email", "homepage",
		"inscricao_municipal", "inscricao_estadual", "inscricao_suframa", "pessoa_fisica",
		"optante_simples_nacional", "inativo", "tags",
	)
	chaveFields = fieldSet("codigo_cliente_omie", "codigo_cliente_integracao")
	tagFields   = fieldSet("tag")
)

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// stringFields maps clientes_cadastro's plain strings onto Cliente.
var stringFields = []struct {
	name string
	ptr  func(*Cliente) *string
}{
	{"codigo_cliente_integracao", func(c *Cliente) *string { return &c.CodigoClienteIntegracao }},
	{"razao_social", func(c *Cliente) *string { return &c.RazaoSocial }},
	{"nome_fantasia", func(c *Cliente) *string { return &c.NomeFantasia }},
	{"cnpj_cpf", func(c *Cliente) *string { return &c.CnpjCpf }},
	{"telefone1_ddd", func(c *Cliente) *string { return &c.Telefone1DDD }},
	{"telefone1_numero", func(c *Cliente) *string { return &c.Telefone1Numero }},
	{"telefone2_ddd", func(c *Cliente) *string { return &c.Telefone2DDD }},
	{"telefone2_numero", func(c *Cliente) *string { return &c.Telefone2Numero }},
	{"email", func(c *Cliente) *string { return &c.Email }},
	{"endereco", func(c *Cliente) *string { return &c.Endereco }},
	{"endereco_numero", func(c *Cliente) *string { return &c.EnderecoNumero }},
	{"complemento", func(c *Cliente) *string { return &c.Complemento }},
	{"bairro", func(c *Cliente) *string { return &c.Bairro }},
	{"cidade", func(c *Cliente) *string { return &c.Cidade }},
	{"estado", func(c *Cliente) *string { return &c.Estado }},
	{"cep", func(c *Cliente) *string { return &c.CEP }},
	{"observacao", func(c *Cliente) *string { return &c.Observacao }},
}

// object is one decoded JSON object of a request.
type object map[string]json.RawMessage

func decodeObject(raw json.RawMessage, typeName string) (object, *fault) {
	var o object
	if err := json.Unmarshal(raw, &o); err != nil || o == nil {
		return nil, faultf(codeInvalidValue, "ERROR: A estrutura [%s] deve ser um objeto JSON!", typeName)
	}
	return o, nil
}

// checkKnown refuses unknown tags like Omie's Client-5001.
func (o object) checkKnown(known map[string]bool, typeName string) *fault {
	for k := range o {
		if !known[k] {
			return faultf(codeUnknownTag, "ERROR: Tag [%s] não faz parte da estrutura do tipo complexo [%s]!", strings.ToUpper(k), typeName)
		}
	}
	return nil
}

func (o object) has(key string) bool {
	_, ok := o[key]
	return ok
}

// str reads a string tag; numbers are accepted as Omie's SOAP layer does.
func (o object) str(key string) (string, *fault) {
	raw, ok := o[key]
	if !ok {
		return "", nil
	}
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", faultf(codeInvalidValue, "ERROR: Valor inválido para a tag [%s]!", key)
}

// integer reads an integer tag given as a number or a numeric string.
func (o object) integer(key string) (int64, *fault) {
	s, f := o.str(key)
	if f != nil || s == "" {
		return 0, f
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, faultf(codeInvalidValue, "ERROR: Valor [%s] inválido para a tag [%s]: esperado um número inteiro!", s, key)
	}
	return n, nil
}

// flag reads an S/N tag; present reports whether it was sent.
func (o object) flag(key string) (value, present bool, f *fault) {
	s, f := o.str(key)
	if f != nil || s == "" {
		return false, false, f
	}
	switch s {
	case "S":
		return true, true, nil
	case "N":
		return false, true, nil
	}
	return false, false, faultf(codeInvalidValue, "ERROR: O valor [%s] não é válido para a tag [%s]. Valores válidos: S, N", s, key)
}

// tags reads [{"tag": "..."}].
func (o object) tags(key string) ([]string, bool, *fault) {
	raw, ok := o[key]
	if !ok {
		return nil, false, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, false, faultf(codeInvalidValue, "ERROR: A tag [%s] deve ser uma lista!", key)
	}
	out := []string{}
	for _, item := range items {
		obj, f := decodeObject(item, "tags")
		if f != nil {
			return nil, false, f
		}
		if f := obj.checkKnown(tagFields, "tags"); f != nil {
			return nil, false, f
		}
		t, f := obj.str("tag")
		if f != nil {
			return nil, false, f
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return out, true, nil
}

// applyCadastro copies the tags present in a clientes_cadastro onto c (a
// merge: absent tags keep their values).
func applyCadastro(c *Cliente, o object) *fault {
	for _, sf := range stringFields {
		if !o.has(sf.name) {
			continue
		}
		v, f := o.str(sf.name)
		if f != nil {
			return f
		}
		*sf.ptr(c) = v
	}
	if v, present, f := o.flag("inativo"); f != nil {
		return f
	} else if present {
		c.Inativo = v
	}
	if tags, present, f := o.tags("tags"); f != nil {
		return f
	} else if present {
		c.Tags = tags
	}
	for k, v := range o {
		if ignoredOnInput[k] || k == "inativo" || k == "tags" || k == "codigo_cliente_omie" || isStringField(k) {
			continue
		}
		if c.Extra == nil {
			c.Extra = map[string]json.RawMessage{}
		}
		c.Extra[k] = append(json.RawMessage(nil), v...)
	}
	return nil
}

func isStringField(name string) bool {
	for _, sf := range stringFields {
		if sf.name == name {
			return true
		}
	}
	return false
}

func flagOf(b bool) string {
	if b {
		return "S"
	}
	return "N"
}

// encodeCliente renders a record as Omie answers it.
func encodeCliente(c *Cliente, withObs bool, loc *time.Location) map[string]any {
	out := map[string]any{
		"codigo_cliente_omie": c.CodigoClienteOmie,
		"inativo":             flagOf(c.Inativo),
		"pessoa_fisica":       flagOf(len(digits(c.CnpjCpf)) == 11),
	}
	for _, sf := range stringFields {
		v := *sf.ptr(c)
		if sf.name == "observacao" && !withObs {
			continue
		}
		out[sf.name] = v
	}
	if c.CidadeIBGE != "" {
		out["cidade_ibge"] = c.CidadeIBGE
	}
	if len(c.Tags) > 0 {
		tags := make([]map[string]string, 0, len(c.Tags))
		for _, t := range c.Tags {
			tags = append(tags, map[string]string{"tag": t})
		}
		out["tags"] = tags
	}
	for k, v := range c.Extra {
		out[k] = v
	}
	inc, alt := c.Incluido.In(loc), c.Alterado.In(loc)
	out["info"] = map[string]string{
		"dInc": inc.Format(dateLayout), "hInc": inc.Format(timeLayout), "uInc": "WEBSERVICE",
		"dAlt": alt.Format(dateLayout), "hAlt": alt.Format(timeLayout), "uAlt": "WEBSERVICE",
		"cImpAPI": flagOf(c.ImportadoAPI),
	}
	return out
}

// parseWindowBound reads filtrar_por_data_*/hora_* into a time.
func parseWindowBound(date, clock, defaultClock string, loc *time.Location) (time.Time, *fault) {
	if clock == "" {
		clock = defaultClock
	}
	t, err := time.ParseInLocation(dateLayout+" "+timeLayout, date+" "+clock, loc)
	if err != nil {
		return time.Time{}, faultf(codeInvalidValue, "ERROR: Data/hora inválida [%s %s]: use dd/mm/aaaa e hh:mm:ss!", date, clock)
	}
	return t, nil
}

func statusBody(c *Cliente, desc string) map[string]any {
	return map[string]any{
		"codigo_cliente_omie":       c.CodigoClienteOmie,
		"codigo_cliente_integracao": c.CodigoClienteIntegracao,
		"codigo_status":             "0",
		"descricao_status":          desc,
	}
}

// fault is an Omie error answer.
type fault struct {
	status int
	code   string
	msg    string
	header map[string]string
}

func faultf(code, format string, args ...any) *fault {
	return &fault{status: 500, code: code, msg: fmt.Sprintf(format, args...)}
}
