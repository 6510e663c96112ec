package omie

import (
	"errors"
	"strings"
	"testing"

	"github.com/auvosync/auvosync/internal/testkit"
)

// R-BAD-1: whatever text a write carries, the check either refuses it with
// a ValidationError that names the field, or the body it lets through is
// clean UTF-8 within every limit Omie sets.
func FuzzValidateWrite(f *testing.F) {
	for _, seed := range [][3]string{
		{"Padaria Central", "Bloco B", "Centro"},
		{strings.Repeat("n", 61), strings.Repeat("c", 81), strings.Repeat("b", 60)},
		{"bad \xff byte", "tab\there", "line\nbreak"},
		{"nul\x00", "del\x7f", "c1\u0085"},
		{strings.Repeat("é", 60), strings.Repeat("ção", 20), "\u00a0"},
		{"", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, name, text, short string) {
		cl := Cliente{
			CodigoClienteIntegracao: "auvo-1", RazaoSocial: name, NomeFantasia: name, Document: short,
			Telefone1DDD: short, Telefone1Numero: short, Email: text, Endereco: text, EnderecoNumero: short,
			Complemento: text, Bairro: short, Cidade: short, Estado: short, CEP: short, Observacao: text + name,
			Tags: []string{"Cliente", short + "x"},
		}
		err := validateWrite(callUpsert, &cl)
		if err != nil {
			testkit.CheckRefusal(t, err, ErrInvalid, func(v *ValidationError) []string { return []string{v.Field} })
			return
		}
		testkit.CheckLetThrough(t, name, text, short)
		testkit.CheckSent(t, cl, MaxLength)
	})
}

func TestValidateWriteNamesTheFieldAndTheProblem(t *testing.T) {
	base := func() Cliente { return Cliente{CodigoClienteIntegracao: "auvo-1", RazaoSocial: "Padaria"} }
	for _, tc := range []struct {
		name   string
		change func(*Cliente)
		want   string
	}{
		{"over-long complement", func(c *Cliente) { c.Complemento = strings.Repeat("c", 81) }, "omie UpsertCliente: complemento has 81 characters, Omie allows 60"},
		{"line break in a street", func(c *Cliente) { c.Endereco = "Rua A\nfundos" }, "omie UpsertCliente: endereco has a line break at character 6"},
		{"invalid UTF-8 in a name", func(c *Cliente) { c.RazaoSocial = "Caf\xe9" }, "omie UpsertCliente: razao_social is not valid UTF-8 at character 4"},
		{"tab in a note", func(c *Cliente) { c.Observacao = "a\tb" }, "omie UpsertCliente: observacao has a tab at character 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.change(&c)
			err := validateWrite(callUpsert, &c)
			var verr *ValidationError
			if !errors.As(err, &verr) || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}
