package omie

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/auvosync/auvosync/internal/plaintext"
)

// ValidationError is a request refused before it was sent. It matches
// ErrInvalid with errors.Is.
type ValidationError struct {
	Call    string
	Field   string
	Problem string
}

func (e *ValidationError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("omie %s: %s", e.Call, e.Problem)
	}
	return fmt.Sprintf("omie %s: %s %s", e.Call, e.Field, e.Problem)
}

// Is lets errors.Is(err, ErrInvalid) catch local refusals too.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// maxLengths are clientes_cadastro's limits from the WSDL: a longer value is
// refused here rather than discovered as a fault mid-run.
var maxLengths = []struct {
	field string
	max   int
	get   func(*Cliente) string
}{
	{"codigo_cliente_integracao", 60, func(c *Cliente) string { return c.CodigoClienteIntegracao }},
	{"razao_social", 60, func(c *Cliente) string { return c.RazaoSocial }},
	{"nome_fantasia", 100, func(c *Cliente) string { return c.NomeFantasia }},
	{"cnpj_cpf", 20, func(c *Cliente) string { return c.Document }},
	{"telefone1_ddd", 5, func(c *Cliente) string { return c.Telefone1DDD }},
	{"telefone1_numero", 15, func(c *Cliente) string { return c.Telefone1Numero }},
	{"telefone2_ddd", 5, func(c *Cliente) string { return c.Telefone2DDD }},
	{"telefone2_numero", 15, func(c *Cliente) string { return c.Telefone2Numero }},
	{"email", 500, func(c *Cliente) string { return c.Email }},
	{"endereco", 60, func(c *Cliente) string { return c.Endereco }},
	{"endereco_numero", 60, func(c *Cliente) string { return c.EnderecoNumero }},
	{"complemento", 60, func(c *Cliente) string { return c.Complemento }},
	{"bairro", 60, func(c *Cliente) string { return c.Bairro }},
	{"cidade", 40, func(c *Cliente) string { return c.Cidade }},
	{"estado", 2, func(c *Cliente) string { return c.Estado }},
	{"cep", 10, func(c *Cliente) string { return c.CEP }},
}

// MaxLength is the most characters Omie takes in a clientes_cadastro field
// (by its wire name, "complemento"), or 0 when this package knows no limit.
// Callers that clip a value to fit read the limit here, so the limit that
// clips and the one that refuses are the same number.
func MaxLength(field string) int {
	for _, l := range maxLengths {
		if l.field == field {
			return l.max
		}
	}
	return 0
}

// validateWrite checks a record before a write call. Messages name the field
// but never echo its value (it may be a CPF or an e-mail).
func validateWrite(call string, c *Cliente) error {
	bad := func(field, problem string) error { return &ValidationError{Call: call, Field: field, Problem: problem} }
	for _, l := range maxLengths {
		v := l.get(c)
		if p := plaintext.Problem(v); p != "" {
			return bad(l.field, p)
		}
		if n := utf8.RuneCountInString(v); n > l.max {
			return bad(l.field, fmt.Sprintf("has %d characters, Omie allows %d", n, l.max))
		}
	}
	if p := plaintext.Problem(c.Observacao); p != "" {
		return bad("observacao", p)
	}
	for i, t := range c.Tags {
		if strings.TrimSpace(t) == "" {
			return bad(fmt.Sprintf("tags[%d]", i), "is empty")
		}
		if p := plaintext.Problem(t); p != "" {
			return bad(fmt.Sprintf("tags[%d]", i), p)
		}
	}
	switch call {
	case callIncluir:
		if c.CodigoClienteOmie != 0 {
			return bad("codigo_cliente_omie", "is assigned by Omie on IncluirCliente; use AlterarCliente for an existing record")
		}
	case callAlterar:
		if c.CodigoClienteOmie == 0 && strings.TrimSpace(c.CodigoClienteIntegracao) == "" {
			return bad("", "needs codigo_cliente_omie or codigo_cliente_integracao to address the record")
		}
	case callUpsert:
		if strings.TrimSpace(c.CodigoClienteIntegracao) == "" {
			return bad("codigo_cliente_integracao", "is required: UpsertCliente matches on it")
		}
	case callUpsertCpfCnpj:
		if strings.TrimSpace(c.Document) == "" {
			return bad("cnpj_cpf", "is required: UpsertClienteCpfCnpj matches on it")
		}
	}
	if call != callAlterar && strings.TrimSpace(c.RazaoSocial) == "" {
		return bad("razao_social", "is required (Omie refuses a record without it)")
	}
	return nil
}
