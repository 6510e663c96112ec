package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

func TestOmieTagsAllow_RTag(t *testing.T) {
	tests := []struct {
		name string
		tags []string
		want bool
		rule syncrules.Rule
	}{
		{"R-TAG-1 no tags", nil, true, syncrules.RTag1},
		{"R-TAG-1 only blank tags", []string{"", "  "}, true, syncrules.RTag1},
		{"R-TAG-2 only custom tags", []string{"VIP", "Zona Sul"}, true, syncrules.RTag2},
		{"R-TAG-3 Cliente", []string{"Cliente"}, true, syncrules.RTag3},
		{"R-TAG-3 Cliente with other role tags", []string{"Fornecedor", "cliente", "Transportadora"}, true, syncrules.RTag3},
		{"R-TAG-3 Cliente upper case with spaces", []string{" CLIENTE "}, true, syncrules.RTag3},
		{"R-TAG-3 Cliente among custom tags", []string{"VIP", "Cliente"}, true, syncrules.RTag3},
		{"R-TAG-4 only Fornecedor", []string{"Fornecedor"}, false, syncrules.RTag4},
		{"R-TAG-4 Funcionário with accent", []string{"Funcionário"}, false, syncrules.RTag4},
		{"R-TAG-4 FUNCIONARIO without accent", []string{"FUNCIONARIO"}, false, syncrules.RTag4},
		{"R-TAG-4 role and custom tags", []string{"VIP", "Transportadora"}, false, syncrules.RTag4},
		{"R-TAG-2 a custom tag that merely contains Cliente", []string{"Cliente VIP"}, true, syncrules.RTag2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rule := syncrules.OmieTagsAllow(tt.tags)
			assert.Equal(t, tt.want, ok)
			assert.Equal(t, tt.rule, rule)
		})
	}
}

func TestContaAzulProfilesAllow_RProfile(t *testing.T) {
	tests := []struct {
		name     string
		profiles []string
		want     bool
		rule     syncrules.Rule
	}{
		{"R-PROFILE-1 list form", []string{"CLIENTE"}, true, syncrules.RProfile1},
		{"R-PROFILE-1 object form", []string{"Cliente"}, true, syncrules.RProfile1},
		{"R-PROFILE-1 with other profiles", []string{"FORNECEDOR", "CLIENTE", "TRANSPORTADORA"}, true, syncrules.RProfile1},
		{"R-PROFILE-2 only Fornecedor", []string{"Fornecedor"}, false, syncrules.RProfile2},
		{"R-PROFILE-2 Fornecedor and Transportadora", []string{"FORNECEDOR", "TRANSPORTADORA"}, false, syncrules.RProfile2},
		{"R-PROFILE-2 no profile waits for Cliente", nil, false, syncrules.RProfile2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rule := syncrules.ContaAzulProfilesAllow(tt.profiles)
			assert.Equal(t, tt.want, ok)
			assert.Equal(t, tt.rule, rule)
		})
	}
}
