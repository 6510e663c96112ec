package demo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

func TestDemoDocumentsHaveValidCheckDigits(t *testing.T) {
	for _, doc := range []string{demoCPF(101_001_001), demoCPF(1), demoCPF(999_999_998), demoCNPJ("110010010001"), demoCNPJ("AB12CD340001"), demoCNPJ("XY9Z8W760001")} {
		n, _, err := syncrules.ValidateDocument(doc)
		require.NoError(t, err, doc)
		assert.Equal(t, syncrules.NormalizeDocument(doc), n)
		_, _, err = syncrules.ValidateDocument(breakCheckDigits(doc))
		assert.Error(t, err, "R-ELIG-3: broken check digits of %s", doc)
	}
	assert.Equal(t, "529.982.247-25", demoCPF(529_982_247), "a well-known valid CPF")
	assert.Equal(t, "11.222.333/0001-81", demoCNPJ("112223330001"), "a well-known valid CNPJ")
}
