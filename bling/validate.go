package bling

import (
	"fmt"
	"strings"

	"github.com/auvosync/auvosync/internal/plaintext"
)

// FieldProblem is one reason a write was refused before it was sent.
type FieldProblem struct {
	Field   string // Bling's name for it ("nome", "endereco.geral.complemento")
	Problem string // never the value when it may be personal data
}

// ValidationError is a contact refused before it was sent. It matches
// ErrInvalid with errors.Is. Bling's schema documents no length limits, so
// the checks are the required fields, the enumerations and clean text.
type ValidationError struct {
	Problems []FieldProblem
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Problem
	}
	return "bling: contact is not valid: " + strings.Join(msgs, "; ")
}

// Is lets errors.Is(err, ErrInvalid) catch local refusals too.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// checkWritable refuses a contact Bling would refuse, or whose text holds
// control characters or bytes that are not UTF-8.
func (c Contact) checkWritable() error {
	var bad []FieldProblem
	add := func(field, format string, args ...any) {
		bad = append(bad, FieldProblem{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(c.Name) == "" {
		add("nome", "nome (Name) is required")
	}
	if !validStatus(c.Status) {
		add("situacao", "situacao (Status) %q must be A, I, E or S", plaintext.Clean(c.Status))
	}
	if !validType(c.Type) {
		add("tipo", "tipo (Type) %q must be F, J or E", plaintext.Clean(c.Type))
	}
	switch c.StateRegistrationIndicator {
	case 0, 1, 2, 9:
	default:
		add("indicadorIe", "indicadorIe %d must be 1, 2 or 9", c.StateRegistrationIndicator)
	}
	for _, f := range []struct{ field, value string }{
		{"nome", c.Name}, {"codigo", c.Code}, {"numeroDocumento", c.Document},
		{"telefone", c.Phone}, {"celular", c.Mobile}, {"fantasia", c.TradeName},
		{"email", c.Email}, {"emailNotaFiscal", c.InvoiceEmail}, {"ie", c.StateRegistration},
		{"endereco.geral.endereco", c.Address.Endereco}, {"endereco.geral.numero", c.Address.Numero},
		{"endereco.geral.complemento", c.Address.Complemento}, {"endereco.geral.bairro", c.Address.Bairro},
		{"endereco.geral.municipio", c.Address.Municipio}, {"endereco.geral.uf", c.Address.UF},
		{"endereco.geral.cep", c.Address.CEP},
	} {
		if p := plaintext.Problem(f.value); p != "" {
			add(f.field, "%s %s", f.field, p)
		}
	}
	for i, t := range c.ContactTypes {
		if p := plaintext.Problem(t.Descricao); p != "" {
			add(fmt.Sprintf("tiposContato[%d].descricao", i), "tiposContato[%d].descricao %s", i, p)
		}
	}
	if len(bad) > 0 {
		return &ValidationError{Problems: bad}
	}
	return nil
}
