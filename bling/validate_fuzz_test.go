package bling

import (
	"errors"
	"strings"
	"testing"

	"github.com/auvosync/auvosync/internal/testkit"
)

// R-BAD-1: whatever text a contact carries, the check either refuses it
// with a ValidationError naming the fields, or the create and update bodies
// it lets through are clean UTF-8 (Bling documents no length limits).
func FuzzCheckWritable(f *testing.F) {
	for _, seed := range [][3]string{
		{"Contato", "Sede 101", "95702-000"},
		{"bad \xff byte", "tab\there", "line\nbreak"},
		{"nul\x00", "del\x7f", "c1\u0085"},
		{"", strings.Repeat("ç", 300), "E"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, name, text, short string) {
		c := Contact{
			ID: 1, Name: name, Code: short, Status: StatusActive, Type: TypePerson, Document: short,
			Phone: short, Mobile: short, Email: text, TradeName: name,
			Address:      Address{Endereco: text, Numero: short, Complemento: text, Bairro: name, Municipio: name, UF: short, CEP: short},
			ContactTypes: []ContactType{{ID: 1, Descricao: text}},
		}
		if err := c.checkWritable(); err != nil {
			testkit.CheckRefusal(t, err, ErrInvalid, problemFields)
			return
		}
		testkit.CheckLetThrough(t, name, text, short)
		create, err := c.createBody()
		if err != nil {
			t.Fatal(err)
		}
		update, err := c.updateBody(nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range [][]byte{create, update} {
			testkit.CheckSent(t, body, nil) // Bling documents no length limits
		}
	})
}

func problemFields(v *ValidationError) (fields []string) {
	for _, p := range v.Problems {
		fields = append(fields, p.Field)
	}
	return fields
}

func TestCheckWritableNamesTheFields(t *testing.T) {
	c := Contact{Name: "Contato", Status: StatusActive, Type: TypePerson, Address: Address{Complemento: "Sede\t101"}, Email: "a\xff@x.com"}
	err := c.checkWritable()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("got %v", err)
	}
	want := []FieldProblem{
		{Field: "email", Problem: "email is not valid UTF-8 at character 2"},
		{Field: "endereco.geral.complemento", Problem: "endereco.geral.complemento has a tab at character 5"},
	}
	if len(verr.Problems) != len(want) || verr.Problems[0] != want[0] || verr.Problems[1] != want[1] {
		t.Fatalf("got %+v", verr.Problems)
	}
}
