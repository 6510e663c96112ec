package address_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/auvosync/auvosync/address"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatWritesTheGeocoderLayout(t *testing.T) {
	for _, c := range []struct {
		in   address.Address
		want string
	}{
		{address.Address{Street: "Av. Paulista", Number: "1578", Complement: "Sala 5", District: "Bela Vista",
			City: "São Paulo", State: "SP", ZIP: "01310200", Country: "Brasil"},
			"Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200"},
		{address.Address{Street: "R. Umari", District: "Mucuripe", City: "Fortaleza", State: "Ceará"},
			"R. Umari - Mucuripe, Fortaleza - CE"},
		{address.Address{Street: "Rua das Flores", Number: "S/N", City: "Campinas", State: "SP", ZIP: "13010-000"},
			"Rua das Flores, S/N, Campinas - SP, 13010-000"},
		{address.Address{Street: " Rua Alfa ", Number: " 10 ", District: " Centro ", State: "RJ"},
			"Rua Alfa, 10 - Centro, RJ"},
		{address.Address{}, ""},
	} {
		assert.Equal(t, c.want, address.Format(c.in))
	}
}

var (
	genStreets = []string{"Rua das Flores", "Av. Paulista", "Avenida Brasil", "R. Dr. Armando D'Otaviano",
		"Rua 25 de Março", "Av. 9 de Julho", "Alameda Santos", "Travessa São José", "Tv. Padre Eutíquio",
		"Rodovia SP-330", "Rod. BR-101", "Estrada do Coco", "Est. Velha", "Praça da Sé", "Pç. XV de Novembro",
		"RUA GENERAL OSÓRIO", "rua marechal deodoro", "Largo do Machado", "Beco do Batman", "Viela 3"}
	genNumbers   = []string{"1", "42", "123", "1578", "1.234", "4-24", "S/N", "Km 12", ""}
	genDistricts = []string{"Centro", "Bela Vista", "Jardim América", "Casa Verde", "Vila Mariana", "Setor Bueno",
		"Boa Viagem", "Zona Rural", "Conjunto Habitacional Padre Manoel", "Centro Histórico", "Asa Sul", "Sé",
		"São Cristóvão", "Parque 10 de Novembro", ""}
	genComplements = []string{"", "Apto 4", "Sala 12", "Bloco B", "Fundos"}
)

// R-ADDR-6: the canonical line parses back to the same fields, for every
// target, in every UF.
func TestParseOfFormatRoundTripsInEveryState(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, uf := range address.StateCodes() {
		cities := address.Cities(uf)
		for i := 0; i < 40; i++ {
			a := address.Address{
				Street:     genStreets[rng.IntN(len(genStreets))],
				Number:     genNumbers[rng.IntN(len(genNumbers))],
				Complement: genComplements[rng.IntN(len(genComplements))],
				District:   genDistricts[rng.IntN(len(genDistricts))],
				City:       cities[rng.IntN(len(cities))],
				State:      uf,
				Country:    []string{"", "Brasil"}[rng.IntN(2)],
			}
			if rng.IntN(4) > 0 {
				a.ZIP = fmt.Sprintf("%05d-%03d", rng.IntN(100000), rng.IntN(1000))
			}
			want := a
			want.Complement, want.Country = "", ""
			line := address.Format(a)
			for _, target := range []address.Target{address.Any, address.Omie, address.ContaAzul} {
				got, err := address.Parse(line, target)
				require.NoError(t, err, "%q (%s)", line, target)
				require.Equal(t, want, got.Address, "%q (%s)", line, target)
				require.Equal(t, "geocoder", got.Pattern, line)
			}
		}
	}
}
