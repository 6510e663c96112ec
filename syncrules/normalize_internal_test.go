package syncrules

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormAddressLineFoldsPunctuationAccentsAndCountry(t *testing.T) {
	for in, want := range map[string]string{
		"Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01.310-200, Brasil": "av paulista 1578 bela vista sao paulo sp 01310200",
		"RUA  DAS   FLORES,123":  "rua das flores 123",
		"Rua 1.-2":               "rua 1 2",
		"Rua 1-2-3/4":            "rua 1234",
		"Brasil":                 "",
		"  ":                     "",
		"Rua Brasil, 10, Brazil": "rua brasil 10",
		"Praça da Sé, s/n":       "praca da se s n",
	} {
		assert.Equal(t, want, normAddressLine(in), in)
	}
}

func TestSplitPhoneListSeparators(t *testing.T) {
	assert.Equal(t, []string{"11 3456-7890 ", " 11 98765-4321"}, splitPhoneList("11 3456-7890 e 11 98765-4321"))
	assert.Equal(t, []string{"a", "b", "c", "d", "e", "f", "g"}, splitPhoneList("a,b;c/d|e\nf\rg"))
	assert.Equal(t, []string{"rede"}, splitPhoneList("rede"), "an e inside a word is not a separator")
}
