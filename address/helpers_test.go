package address_test

import (
	"testing"

	"github.com/auvosync/auvosync/address"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// R-ADDR-5: a state may be written as UF or name; the result is the UF.
func TestNormalizeStateAcceptsCodesAndNamesInAnyCase(t *testing.T) {
	for in, want := range map[string]string{
		"SP": "SP", "sp": "SP", " Sp ": "SP", "São Paulo": "SP", "SAO PAULO": "SP", "sao paulo": "SP",
		"Estado de São Paulo": "SP", "Rio Grande do Sul": "RS", "rio grande do norte": "RN",
		"Espirito Santo": "ES", "PIAUÍ": "PI", "Amapá": "AP", "Goias": "GO", "Distrito Federal": "DF",
		"Mato Grosso do Sul": "MS", "Mato Grosso": "MT", "Pará": "PA", "Paraíba": "PB", "Paraná": "PR",
		"S.P.": "SP",
	} {
		got, ok := address.NormalizeState(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "XX", "S", "São", "Paulista", "Brasil", "Estado", "Centro"} {
		_, ok := address.NormalizeState(in)
		assert.False(t, ok, in)
	}
}

func TestStateCodesListsTheTwentySevenUnits(t *testing.T) {
	ufs := address.StateCodes()
	require.Len(t, ufs, 27)
	for _, uf := range ufs {
		got, ok := address.NormalizeState(uf)
		assert.True(t, ok)
		assert.Equal(t, uf, got)
		assert.NotEmpty(t, address.Cities(uf), uf)
	}
}

// R-ADDR-5: CEP in any common writing becomes 00000-000.
func TestNormalizeCEP(t *testing.T) {
	for in, want := range map[string]string{
		"01310-200": "01310-200", "01310200": "01310-200", "01.310-200": "01310-200",
		"01310 200": "01310-200", "CEP 01310-200": "01310-200", "Cep: 01310200": "01310-200",
		" 01310-200 ": "01310-200", "cep.01.310-200": "01310-200",
	} {
		got, ok := address.NormalizeCEP(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "0131-0200", "1310-200", "013102000", "01310-20", "01310--200",
		"01.310.200.", "abcde-fgh", "01310-200-", "-01310200", "01310_200", "01,310-200"} {
		_, ok := address.NormalizeCEP(in)
		assert.False(t, ok, in)
	}
}

func TestLookupCityReturnsOfficialSpellingAndResolvesHomonymsByState(t *testing.T) {
	for _, c := range []struct{ name, state, want string }{
		{"sao paulo", "SP", "São Paulo"},
		{"SÃO PAULO", "São Paulo", "São Paulo"},
		{"Agua Branca", "AL", "Água Branca"},
		{"Agua Branca", "PB", "Água Branca"},
		{"Agua Branca", "PI", "Água Branca"},
		{"alta floresta doeste", "RO", "Alta Floresta D'Oeste"},
		{"Embu Guacu", "SP", "Embu-Guaçu"},
		{"Sto. André", "SP", "Santo André"},
		{"Campo Grande", "RN", "Augusto Severo (Campo Grande)"},
		{"Campo Grande", "MS", "Campo Grande"},
		{"Boa Esperança do Norte", "MT", "Boa Esperança do Norte"},
	} {
		got, ok := address.LookupCity(c.name, c.state)
		assert.True(t, ok, "%s/%s", c.name, c.state)
		assert.Equal(t, c.want, got)
	}
	for _, c := range []struct{ name, state string }{
		{"Campinas", "RJ"}, {"Água Branca", "SP"}, {"Gotham", "SP"}, {"São Paulo", "XX"}, {"", "SP"},
	} {
		_, ok := address.LookupCity(c.name, c.state)
		assert.False(t, ok, "%s/%s", c.name, c.state)
	}
}

func TestMunicipalityListIsComplete(t *testing.T) {
	total := 0
	for _, uf := range address.StateCodes() {
		for _, city := range address.Cities(uf) {
			got, ok := address.LookupCity(city, uf)
			require.True(t, ok, "%s/%s", city, uf)
			require.Equal(t, city, got)
			total++
		}
	}
	// 5,571 in the pinned copy, which includes Boa Esperança do Norte (MT, 2025).
	assert.Equal(t, 5571, total)
	assert.Len(t, address.Cities("DF"), 1)
	assert.Len(t, address.Cities("MG"), 853)
	assert.Nil(t, address.Cities("XX"))
}

func TestParseTarget(t *testing.T) {
	for _, target := range []address.Target{address.Any, address.Omie, address.ContaAzul} {
		got, err := address.ParseTarget(target.String())
		require.NoError(t, err)
		assert.Equal(t, target, got)
	}
	_, err := address.ParseTarget("bling")
	assert.ErrorContains(t, err, `"bling"`)
	assert.Equal(t, "Target(7)", address.Target(7).String())
}

func TestParseNumberForms(t *testing.T) {
	for _, c := range []struct{ number, wantNumber, wantCompl string }{
		{"123", "123", ""}, {"Nº 123", "123", ""}, {"nº123", "123", ""}, {"n. 45", "45", ""},
		{"N° 7", "7", ""}, {"No 12", "12", ""}, {"num. 8", "8", ""}, {"1.234", "1.234", ""},
		{"S/N", "S/N", ""}, {"s/n", "S/N", ""}, {"s/nº", "S/N", ""}, {"SN", "S/N", ""}, {"s.n.", "S/N", ""},
		{"sem número", "S/N", ""}, {"4-24", "4-24", ""}, {"Km 12", "Km 12", ""},
	} {
		got, err := address.Parse("Rua Alfa, "+c.number+", Centro, Campinas, SP", address.Any)
		require.NoError(t, err, c.number)
		assert.Equal(t, c.wantNumber, got.Number, c.number)
		assert.Equal(t, c.wantCompl, got.Complement, c.number)
	}
}
