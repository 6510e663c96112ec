package omie_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/omie"
)

func TestClienteMarshalsOnlyKnownNonEmptyFields(t *testing.T) {
	cases := []struct {
		name string
		in   omie.Cliente
		want string
	}{
		{"minimal: inativo is always sent", omie.Cliente{RazaoSocial: "A"}, `{"razao_social":"A","inativo":"N"}`},
		{"flags, tags, read-only fields dropped", omie.Cliente{
			CodigoClienteOmie: 7, RazaoSocial: "A", Inativo: true, Tags: []string{"Cliente", "VIP"}, CidadeIBGE: "3550308",
			Info: omie.Info{Incluido: time.Now()},
		}, `{"codigo_cliente_omie":7,"razao_social":"A","inativo":"S","tags":[{"tag":"Cliente"},{"tag":"VIP"}]}`},
		{"empty non-nil tags clear them", omie.Cliente{RazaoSocial: "A", Tags: []string{}}, `{"razao_social":"A","inativo":"N","tags":[]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.in)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(got))
		})
	}
}

func TestClienteUnmarshalsOmiesAnswer(t *testing.T) {
	data := `{"codigo_cliente_omie":"2485994016","codigo_cliente_integracao":"AUVO-1","razao_social":"A",
	  "cnpj_cpf":"123.456.789-09","telefone1_ddd":"11","telefone1_numero":33334444,"cep":"01310200",
	  "cidade_ibge":"3550308","inativo":"S","tags":[{"tag":"Cliente"}],"bloquear_faturamento":"N",
	  "info":{"dInc":"01/02/2026","hInc":"09:30:00","dAlt":"05/02/2026","hAlt":"23:59:59","cImpAPI":"S","uInc":"X"}}`
	var c omie.Cliente
	require.NoError(t, json.Unmarshal([]byte(data), &c))
	assert.Equal(t, int64(2485994016), c.CodigoClienteOmie)
	assert.Equal(t, "33334444", c.Telefone1Numero)
	assert.True(t, c.Inativo)
	assert.Equal(t, []string{"Cliente"}, c.Tags)
	assert.Equal(t, "3550308", c.CidadeIBGE)
	assert.Equal(t, time.Date(2026, 2, 1, 12, 30, 0, 0, time.UTC), c.Info.Incluido.UTC(), "São Paulo is UTC-3")
	assert.Equal(t, time.Date(2026, 2, 6, 2, 59, 59, 0, time.UTC), c.Info.Alterado.UTC())
	assert.True(t, c.Info.ImportadoAPI)
}

func TestClienteUnmarshalRejectsMalformedValuesByName(t *testing.T) {
	cases := map[string]string{
		`{"inativo":"talvez"}`:                             "inativo",
		`{"info":{"dInc":"2026-02-01"}}`:                   "info.dInc",
		`{"codigo_cliente_omie":"abc"}`:                    "not an integer",
		`{"razao_social":{"x":1}}`:                         "expected a string",
		`{"info":{"dAlt":"01/02/2026","hAlt":"25:00:00"}}`: "info.dAlt",
	}
	for data, want := range cases {
		var c omie.Cliente
		err := json.Unmarshal([]byte(data), &c)
		require.Error(t, err, data)
		assert.Contains(t, err.Error(), want)
	}
}

func FuzzClienteUnmarshal(f *testing.F) {
	f.Add(`{"codigo_cliente_omie":1,"razao_social":"A","inativo":"N","tags":[{"tag":"x"}],"info":{"dInc":"01/02/2026","hInc":"09:30:00"}}`)
	f.Add(`{"codigo_cliente_omie":"12","cep":12345678,"info":{"dAlt":"31/12/2025"}}`)
	f.Add(`{"inativo":"s","tags":null,"info":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, data string) {
		var c omie.Cliente
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return
		}
		// Whatever decodes must encode to a request Omie accepts.
		out, err := json.Marshal(c)
		require.NoError(t, err)
		var back map[string]any
		require.NoError(t, json.Unmarshal(out, &back))
		assert.NotContains(t, back, "info")
		assert.NotContains(t, back, "cidade_ibge")
	})
}

func TestClearSendsChosenFieldsAsEmptyStrings(t *testing.T) {
	c := omie.Cliente{CodigoClienteOmie: 7, RazaoSocial: "A", Complemento: "", Email: "a@example.com",
		Clear: []omie.Field{omie.FieldComplemento, omie.FieldEmail, omie.FieldComplemento, omie.FieldTelefone2Numero}}
	data, err := json.Marshal(c)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	assert.Equal(t, "", m["complemento"], "cleared: sent empty")
	assert.Equal(t, "", m["telefone2_numero"])
	assert.Equal(t, "a@example.com", m["email"], "a field with a value keeps it")
	_, sent := m["bairro"]
	assert.False(t, sent, "fields not listed stay out of the request")

	_, err = json.Marshal(omie.Cliente{RazaoSocial: "A", Clear: []omie.Field{"razao_social"}})
	assert.ErrorContains(t, err, "cannot be cleared")
}
