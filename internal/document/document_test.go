package document_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/document"
)

func TestCheckDigitsMatchPublishedVectors(t *testing.T) {
	// Vectors from address-docs.md §4 and the RFB's alphanumeric CNPJ examples.
	for _, valid := range []string{"52998224725", "00000000191", "11222333000181", "12ABC34501DE35", "93ZB0VRYV6KA67", "AAAAAAAAAAAA45"} {
		body := valid[:len(valid)-2]
		got, ok := document.CheckDigits(body)
		require.True(t, ok, body)
		assert.Equal(t, valid[len(valid)-2:], got, body)
	}
}

func TestCheckDigitsAgreeWithValidate(t *testing.T) {
	for i := range 500 {
		cpf := fmt.Sprintf("%09d", i*2_000_003%1_000_000_000)
		cnpj := fmt.Sprintf("%02X%06d%04d", i%256, i*7919%1_000_000, i%10_000)
		for _, body := range []string{cpf, cnpj} {
			dv, ok := document.CheckDigits(body)
			require.True(t, ok, body)
			n, kind, err := document.Validate(body + dv)
			if err != nil {
				assert.ErrorIs(t, err, document.ErrDocumentRepeated, body) // 000000000-00 and the like
				continue
			}
			assert.Equal(t, body+dv, n)
			assert.NotEqual(t, document.None, kind)
		}
	}
}

func TestCheckDigitsRefuseABodyThatIsNotOne(t *testing.T) {
	for _, body := range []string{"", "5299822", "5299822470", "52998224A", "12abc34501de", "12ABC34501D-", "12ÁBC34501DE"} {
		_, ok := document.CheckDigits(body)
		assert.False(t, ok, body)
	}
}

func TestKeyKeepsOnlyASCIILettersAndDigitsUpperCased(t *testing.T) {
	tests := []struct{ in, want string }{
		{"529.982.247-25", "52998224725"},
		{"12.abc.345/01de-35", "12ABC34501DE35"},
		{" 12 ÁBC ", "12BC"},
		{"", ""},
		{"não informado", "NOINFORMADO"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, document.Key(tt.in), tt.in)
	}
}
