package address_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/auvosync/auvosync/address"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// R-ADDR-1: lines that fit no accepted pattern are rejected with the reason.
func TestParseRejectsLinesOutsideThePatterns(t *testing.T) {
	cases := []struct {
		line   string
		target address.Target
		want   error
		reason string // substring of the reason
	}{
		{"", address.Any, address.ErrEmpty, "empty"},
		{"   \t ", address.Any, address.ErrEmpty, "empty"},
		{", , -", address.Any, address.ErrEmpty, ""},
		{"???", address.Any, address.ErrNoState, `"???"`},
		{"Rua das Flores", address.Any, address.ErrNoState, ""},
		{"Rua das Flores, 123", address.Any, address.ErrNoState, ""},
		{"Rua das Flores, 123, Campinas", address.Any, address.ErrNoState, `"Campinas"`},
		{"Rua das Flores, 123, Centro, Campinas, São Paulo do Norte", address.Any, address.ErrNoState, ""},
		{"Rua das Flores, 123, Centro, Campinas, Estado, 13010-000", address.Any, address.ErrNoState, ""},
		{"Rua das Flores, 123, Centro - Campinas - XX", address.Any, address.ErrUnknownState, `unknown state "XX"`},
		{"Rua das Flores, 123, Centro, Campinas, ZZ, 13010-000", address.Any, address.ErrUnknownState, `"ZZ"`},
		{"Rua X, 123, Apto 4, Centro, Campinas - xy, 13010-000, Brasil", address.Any, address.ErrUnknownState, `"XY"`},
		{"Rua das Flores, 123, Centro - Campinas - RJ", address.Any, address.ErrCityNotInState, "(it is in SP)"},
		{"Av. Paulista, 1578 - Bela Vista, Campinas - RJ, 01310-200, Brasil", address.Any, address.ErrCityNotInState, "not in RJ"},
		{"Rua X, 10, Centro, Gotham City, SP", address.Any, address.ErrCityNotInState, "not a municipality of SP"},
		{"Rua das Flores, 123, Centro - Salvador - SP", address.Any, address.ErrCityNotInState, "(it is in BA)"},
		{"Rua das Flores, 123, Centro - Sao Paulo - RJ, 20000-000", address.Any, address.ErrCityNotInState, ""},
		{"Rua A, 1, Centro, Brasília, GO", address.Any, address.ErrCityNotInState, "(it is in DF)"},
		{"Rua A, 1, Centro, Água Branca, SP", address.Any, address.ErrCityNotInState, "(it is in PI, PB, AL)"},
		{"Rua X, 123, Centro, Pequenópolis, MG", address.Any, address.ErrCityNotInState, ""},
		{"Rua das Flores, Centro - Campinas - SP", address.Any, address.ErrNoNumber, ""},
		{"Rua das Flores, Centro, Campinas, SP", address.Any, address.ErrNoNumber, ""},
		{"Rua das Flores, Centro, Campinas, SP, 13010-000", address.Any, address.ErrNoNumber, ""},
		{"Rua das Flores, abc, Centro, Campinas, SP, 13010-000", address.Any, address.ErrNoNumber, `"abc"`},
		{"Alphaville, Barueri - SP, 06472-010, Brasil", address.Any, address.ErrNoNumber, "no street"},
		{"Campinas - SP", address.Any, address.ErrNoNumber, ""},
		{"Rua das Flores, 123, Centro, Campinas, SP, 1301-000", address.Any, address.ErrInvalidCEP, `"1301-000"`},
		{"Rua das Flores, 123, Centro, Campinas, SP, 130100000", address.Any, address.ErrInvalidCEP, ""},
		{"SP", address.Any, address.ErrLayout, "only a state"},
		{"Rua das Flores 123 Centro Campinas SP", address.Any, address.ErrLayout, "not separated"},
		{"Rua das Flores, 123, Centro, Bela Vista, Apto 4, Campinas, SP", address.Any, address.ErrLayout, ""},
		{"Rua das Flores - 123 - Apto 4 - Centro - SP - 13010-000", address.Omie, address.ErrOtherTarget, "contaazul-7"},
		{"Rua das Flores, 123, Centro, SP, 13010-000", address.Omie, address.ErrOtherTarget, "contaazul-6"},
		{"Rua das Flores, 123, Centro - Campinas - SP", address.ContaAzul, address.ErrOtherTarget, "omie-1"},
		{"Rua das Flores, 123, Centro, Campinas, SP", address.ContaAzul, address.ErrOtherTarget, "omie-2"},
		{strings.Repeat("Rua das Flores, ", 20) + "SP", address.Any, address.ErrLayout, "parts"},
		{strings.Repeat("a", 2000) + ", 1, Centro, Campinas, SP", address.Any, address.ErrTooLong, ""},
	}
	for _, c := range cases {
		t.Run(c.target.String()+"/"+c.line, func(t *testing.T) {
			got, err := address.Parse(c.line, c.target)
			require.Error(t, err, "accepted as %+v", got)
			assert.ErrorIs(t, err, c.want)
			var pe *address.ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, c.line, pe.Line)
			assert.True(t, strings.HasPrefix(err.Error(), "address not in an accepted pattern: "), err.Error())
			assert.Contains(t, pe.Reason, c.reason)
			assert.Equal(t, address.Parsed{}, got)
		})
	}
}

// R-ADDR-1: each target accepts its own catalogue and the geocoder layouts.
func TestParseTargetRestrictsTheCatalogue(t *testing.T) {
	text := omieCorpus + contaAzulCorpus + geocoderCorpus
	for _, corpus := range realWorldCorpora {
		text += corpus
	}
	all := readCorpus(t, text)
	for _, c := range all {
		for _, target := range []address.Target{address.Omie, address.ContaAzul} {
			got, err := address.Parse(c.line, target)
			own := c.pattern == "geocoder" ||
				strings.HasPrefix(c.pattern, target.String()+"-")
			if own {
				if assert.NoError(t, err, "%s with %s", c.line, target) {
					assert.Equal(t, c.pattern, got.Pattern, c.line)
				}
				continue
			}
			// Another partner's pattern: rejected, or read through a variation
			// of this partner's patterns (or a geocoder layout) with the same fields.
			if err == nil {
				a := got.Address
				assert.True(t, got.Pattern == "geocoder" || strings.HasPrefix(got.Pattern, target.String()+"-"),
					"%s with %s gave %s", c.line, target, got.Pattern)
				assert.Equal(t, c.want, [8]string{a.Street, a.Number, a.Complement, a.District, a.City, a.State, a.ZIP, a.Country}, c.line)
				continue
			}
			assert.ErrorIs(t, err, address.ErrOtherTarget, c.line)
		}
	}
}
