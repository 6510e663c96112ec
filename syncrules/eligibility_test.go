package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

func TestCheckEligibility_RElig(t *testing.T) {
	tests := []struct {
		name       string
		c          syncrules.Customer
		wantDoc    string
		wantKind   syncrules.DocKind
		wantRule   syncrules.Rule
		wantReason string
	}{
		{"eligible CPF", syncrules.Customer{Active: true, Document: "529.982.247-25"},
			"52998224725", syncrules.DocCPF, "", ""},
		{"eligible alphanumeric CNPJ", syncrules.Customer{Active: true, Document: "12.abc.345/01de-35"},
			"12ABC34501DE35", syncrules.DocCNPJ, "", ""},
		{"R-ELIG-1 inactive", syncrules.Customer{Active: false, Document: "529.982.247-25"},
			"", syncrules.DocNone, syncrules.RElig1, "inactive"},
		{"R-ELIG-1 inactive wins over missing document", syncrules.Customer{},
			"", syncrules.DocNone, syncrules.RElig1, "inactive"},
		{"R-ELIG-2 no document", syncrules.Customer{Active: true},
			"", syncrules.DocNone, syncrules.RElig2, "no document"},
		{"R-ELIG-2 only punctuation", syncrules.Customer{Active: true, Document: " .-/ "},
			"", syncrules.DocNone, syncrules.RElig2, "no document"},
		{"R-ELIG-3 bad check digits", syncrules.Customer{Active: true, Document: "529.982.247-26"},
			"", syncrules.DocNone, syncrules.RElig3,
			"invalid document ***.982.247-**: CPF: bad check digits; treated as no document"},
		{"R-ELIG-3 alphanumeric CNPJ with bad check digits", syncrules.Customer{Active: true, Document: "93.ZB0.VRY/V6KA-66"},
			"", syncrules.DocNone, syncrules.RElig3,
			"invalid document **.ZB0.VRY/V6**-**: CNPJ: bad check digits; treated as no document"},
		{"R-ELIG-3 wrong length", syncrules.Customer{Active: true, Document: "529.982.247"},
			"", syncrules.DocNone, syncrules.RElig3,
			"invalid document *********: wrong length: 9 characters; want 11 (CPF) or 14 (CNPJ); treated as no document"},
		{"R-ELIG-3 all equal", syncrules.Customer{Active: true, Document: "111.111.111-11"},
			"", syncrules.DocNone, syncrules.RElig3,
			"invalid document ***.111.111-**: CPF: all characters equal; treated as no document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, kind, skip := syncrules.CheckEligibility(tt.c)
			assert.Equal(t, tt.wantDoc, doc)
			assert.Equal(t, tt.wantKind, kind)
			if tt.wantRule == "" {
				assert.Nil(t, skip)
				return
			}
			require.NotNil(t, skip)
			assert.Equal(t, syncrules.Skipped, skip.Kind)
			assert.Equal(t, tt.wantRule, skip.Rule)
			assert.Equal(t, tt.wantReason, skip.Reason)
		})
	}
}
