package contaazul

import (
	"errors"
	"strings"
	"testing"

	"github.com/auvosync/auvosync/internal/testkit"
)

func checkRefusal(t *testing.T, err error) {
	t.Helper()
	testkit.CheckRefusal(t, err, ErrInvalid, problemFields)
}

func problemFields(v *ValidationError) (fields []string) {
	for _, p := range v.Problems {
		fields = append(fields, p.Field)
	}
	return fields
}

// R-BAD-1: whatever text a create or patch carries, the check either
// refuses it with a ValidationError naming the fields, or the body it lets
// through is clean UTF-8 within every documented limit.
func FuzzWriteValidation(f *testing.F) {
	for _, seed := range [][3]string{
		{"Loja", "a@b.com", "atende às terças"},
		{strings.Repeat("n", 201), strings.Repeat("e", 101), strings.Repeat("o", 2001)},
		{"bad \xff byte", "a@b.com\n", "tab\there"},
		{"nul\x00", "del\x7f", "c1\u0085"},
		{strings.Repeat("é", 200), "", strings.Repeat("ção", 666)},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, name, email, text string) {
		active := true
		n := NewPerson{
			Name: name, Document: "52998224725", Code: "auvo-1", Email: email, PhoneCommercial: email,
			Note: text, Active: &active, Profiles: []string{ProfileCustomer},
			Addresses: []Address{{Logradouro: text, Numero: name, Complemento: text, Bairro: email, Cidade: name, Estado: "SP", CEP: email}},
		}
		create, err := n.wire()
		if err != nil {
			checkRefusal(t, err)
		} else {
			testkit.CheckLetThrough(t, name, email, text)
			testkit.CheckSent(t, create, MaxLength)
		}
		patch, err := PersonPatch{Name: &name, Email: &email, Note: &text, PhoneMobile: &email}.wire()
		if err != nil {
			checkRefusal(t, err)
			return
		}
		testkit.CheckSent(t, patch, MaxLength)
	})
}

func TestWriteValidationNamesTheFields(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     NewPerson
		field string
		text  string
	}{
		{"over-long note", NewPerson{Name: "Loja", Document: "52998224725", Note: strings.Repeat("o", 2001)}, "observacao", "note has 2001 characters, more than 2000"},
		{"line break in a note", NewPerson{Name: "Loja", Document: "52998224725", Note: "a\nb"}, "observacao", "note has a line break at character 2"},
		{"invalid UTF-8 in a complement", NewPerson{Name: "Loja", Document: "52998224725", Addresses: []Address{{Complemento: "\xff"}}},
			"enderecos[0].complemento", "address 1: complemento is not valid UTF-8 at character 1"},
		{"over-long e-mail", NewPerson{Name: "Loja", Document: "52998224725", Email: strings.Repeat("e", 101)}, "email", "email has 101 characters, more than 100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.n.wire()
			var verr *ValidationError
			if !errors.As(err, &verr) || len(verr.Problems) != 1 {
				t.Fatalf("got %v", err)
			}
			if p := verr.Problems[0]; p.Field != tc.field || p.Problem != tc.text {
				t.Fatalf("got %+v, want %s: %s", p, tc.field, tc.text)
			}
		})
	}
}
