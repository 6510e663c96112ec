package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

// R-REPORT-2: personal data is masked in logs and reports.
func TestMaskDocument_RReport2(t *testing.T) {
	tests := []struct{ in, want string }{
		{"529.982.247-25", "***.982.247-**"},
		{"52998224725", "***.982.247-**"},
		{"529.982.247-26", "***.982.247-**"}, // invalid check digits: same shape, no more leaked
		{"12.ABC.345/01DE-35", "**.ABC.345/01**-**"},
		{"12abc34501de35", "**.ABC.345/01**-**"},
		{"90.614.997/0001-62", "**.614.997/00**-**"},
		{"5299822472", "**********"},
		{"ISENTO", "******"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.MaskDocument(tt.in), tt.in)
	}
}

func TestMaskEmail_RReport2(t *testing.T) {
	tests := []struct{ in, want string }{
		{"joao@exemplo.com", "j***@e***.com"},
		{"joao.silva@empresa.com.br", "j***@e***.br"},
		{"a@x.com, b@y.com", "a***@x***.com, b***@y***.com"},
		{"Élis@ação.com", "É***@a***.com"},
		{"joao@localhost", "j***@l***"},
		{"not-an-email", "***"},
		{"@x.com", "***"},
		{"joao@", "***"},
		{"joao@x.", "j***@x***"},
		{"", ""},
		{"\xff@\xfe.com", "****@****.com"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.MaskEmail(tt.in), tt.in)
	}
}

func TestMaskPhone_RReport2(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(11) 98765-4321", "(11) *****-**21"},
		{"+55 11 3456-7890", "(11) ****-**90"},
		{"11987654321", "(11) *****-**21"},
		{"98765-4321", "***21"},     // no DDD: only the last two digits
		{"(20) 3456-7890", "***90"}, // bad DDD
		{"1234", "***"},
		{"  ", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.MaskPhone(tt.in), tt.in)
	}
	assert.Equal(t, "(11) ***", syncrules.Phone{DDD: "11", Number: "12"}.Masked())
}
