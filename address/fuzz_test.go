package address_test

import (
	"strings"
	"testing"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/internal/plaintext"
)

// FuzzParse checks that no input panics, that every result has the
// documented shapes (UF, 00000-000), and that parsing the formatted result
// of a successful parse is stable (R-ADDR-6).
func FuzzParse(f *testing.F) {
	seeds := []string{omieCorpus, contaAzulCorpus, geocoderCorpus, hardCorpus}
	for _, text := range realWorldCorpora {
		seeds = append(seeds, text)
	}
	for _, text := range seeds {
		for _, l := range strings.Split(text, "\n") {
			if in, _, ok := strings.Cut(l, " => "); ok && !strings.HasPrefix(l, "#") {
				f.Add(in)
			}
		}
	}
	for _, s := range []string{"", "-", " - ", ",", "S/N", "SP", "(SP)", "a, 1 - b, c - SP", "Rua A, 1, B, Campinas-",
		"Rua A, 1º, B, Campinas, SP", "\xff\xfe, 1, Centro, Campinas, SP", "Rua A, 1 -, Campinas/ SP",
		"A 0\r 0,AlmAs TO", "Rua das Flores, 123,\r\nCentro\t, Campinas, SP\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, target := range []address.Target{address.Any, address.Omie, address.ContaAzul} {
			got, err := address.Parse(line, target)
			if err != nil {
				if got != (address.Parsed{}) {
					t.Fatalf("%q: error %v with a non-empty result %+v", line, err, got)
				}
				continue
			}
			if _, ok := address.NormalizeState(got.State); !ok || len(got.State) != 2 {
				t.Fatalf("%q: state %q is not a UF", line, got.State)
			}
			if got.ZIP != "" {
				if z, ok := address.NormalizeCEP(got.ZIP); !ok || z != got.ZIP {
					t.Fatalf("%q: zip %q is not 00000-000", line, got.ZIP)
				}
			}
			if got.Street == "" || got.Pattern == "" {
				t.Fatalf("%q: accepted without street or pattern: %+v", line, got)
			}
			if got.City == "" {
				continue // Format cannot write a line without a city back in any layout
			}
			for _, field := range []string{got.Street, got.Number, got.Complement, got.District, got.City} {
				if !plaintext.IsClean(field) {
					t.Fatalf("%q: field %q keeps a control character or invalid UTF-8", line, field)
				}
			}
			want := got.Address
			want.Complement, want.Country = "", ""
			formatted := address.Format(got.Address)
			again, err := address.Parse(formatted, target)
			if err != nil {
				t.Fatalf("%q → %q: %v", line, formatted, err)
			}
			if again.Address != want {
				t.Fatalf("%q → %q: got %+v, want %+v", line, formatted, again.Address, want)
			}
		}
	})
}
