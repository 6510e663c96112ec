package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

// R-REPORT-2: free text (vendor errors, address lines) is scrubbed of
// personal data before it reaches a report.
func TestRedact_RReport2(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cliente já cadastrado para o CPF 529.982.247-25", "Cliente já cadastrado para o CPF ***.982.247-**"},
		{"cpf 52998224725 duplicado", "cpf ***.982.247-** duplicado"},
		{"CPF inválido 529.982.247-26", "CPF inválido ***.982.247-**"},
		{"CNPJ 12.ABC.345/01DE-35 já existe", "CNPJ **.ABC.345/01**-** já existe"},
		{"CNPJ 90614997000162", "CNPJ **.614.997/00**-**"},
		{"documento 12ABC34501DE35", "documento **.ABC.345/01**-**"},
		{"e-mail joao.silva@empresa.com.br inválido", "e-mail j***@e***.br inválido"},
		{"emails: a@x.com;b@y.com", "emails: a***@x***.com;b***@y***.com"},
		{"telefone (11) 98765-4321 inválido", "telefone (11) *****-**21 inválido"},
		{"fone +55 11 3456-7890.", "fone (11) ****-**90."},
		{"fone 11987654321", "fone (11) *****-**21"},
		{"fone 11 98765 4321", "fone (11) *****-**21"},
		{"fone (20) 98765-4321", "fone ***21"},
		// Addresses keep their CEP and number: they are needed to fix R-ADDR-1 failures.
		{`R-ADDR-1 address not in an accepted pattern: "Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil"`,
			`R-ADDR-1 address not in an accepted pattern: "Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil"`},
		{"Rua X, 100 01310-200", "Rua X, 100 01310-200"},
		// A bare word of capitals and digits is not a CNPJ unless its check digits say so.
		{"code ABCDEFGHIJKL12 here", "code ABCDEFGHIJKL12 here"},
		{"Apartamentos-12 ok", "Apartamentos-12 ok"},
		{"cnpj 12abc34501de-35", "cnpj **.ABC.345/01**-**"},
		{"nothing personal", "nothing personal"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.Redact(tt.in), tt.in)
	}
}
