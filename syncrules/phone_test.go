package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

func TestParsePhoneAcceptsCommonWritings(t *testing.T) {
	tests := []struct {
		in         string
		ddd, num   string
		formatted  string
		wantMobile bool
	}{
		{"(11) 98765-4321", "11", "987654321", "(11) 98765-4321", true},
		{"+55 11 3456-7890", "11", "34567890", "(11) 3456-7890", false},
		{"11987654321", "11", "987654321", "(11) 98765-4321", true},
		{"+55 (21) 9 8765-4321", "21", "987654321", "(21) 98765-4321", true},
		{"5511987654321", "11", "987654321", "(11) 98765-4321", true},
		{"0055 11 98765 4321", "11", "987654321", "(11) 98765-4321", true},
		{"0055 11 3456 7890", "11", "34567890", "(11) 3456-7890", false},
		{"011 3456-7890", "11", "34567890", "(11) 3456-7890", false},
		{"011 98765-4321", "11", "987654321", "(11) 98765-4321", true},
		{"0 21 11 98765-4321", "11", "987654321", "(11) 98765-4321", true}, // trunk + carrier code
		{"0 21 11 3456-7890", "11", "34567890", "(11) 3456-7890", false},
		{"5566123123", "55", "66123123", "(55) 6612-3123", false}, // DDD 55 is Rio Grande do Sul, not the country code
		{"55 99876-5432", "55", "998765432", "(55) 99876-5432", true},
		{"  (85)3456.7890 ", "85", "34567890", "(85) 3456-7890", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := syncrules.ParsePhone(tt.in)
			require.NoError(t, err)
			assert.Equal(t, syncrules.Phone{DDD: tt.ddd, Number: tt.num}, p)
			assert.Equal(t, tt.formatted, p.String())
			assert.Equal(t, tt.ddd+tt.num, p.Digits())
			assert.Equal(t, tt.wantMobile, p.Mobile())
			assert.True(t, p.Valid())
			back, err := syncrules.ParsePhone(p.String())
			require.NoError(t, err)
			assert.Equal(t, p, back, "formatting round-trips")
		})
	}
}

func TestParsePhoneRejectsWithANamedProblem(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "empty"},
		{"   ", "empty"},
		{"98765-4321", "no DDD"},
		{"3456-7890", "no DDD"},
		{"(20) 98765-4321", "DDD 20 does not exist"},
		{"(23) 3456-7890", "DDD 23 does not exist"},
		{"(01) 3456-7890", "DDD 01 does not exist"},
		{"(11) 88765-4321", "a 9-digit number must start with 9"},
		{"(11) 1456-7890", "an 8-digit number must start with 2-9"},
		{"(11) 0456-7890", "an 8-digit number must start with 2-9"},
		{"123", "3 digits"},
		{"119876543210000", "15 digits"},
		{"(11) 98765-4321 ramal 2", "unexpected character 'r'"},
		{"tel 11987654321", "unexpected character 't'"},
		{"61/3456-7890", "unexpected character '/'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := syncrules.ParsePhone(tt.in)
			require.ErrorIs(t, err, syncrules.ErrInvalidPhone)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestPhoneValidAndStringOnOddValues(t *testing.T) {
	assert.False(t, syncrules.Phone{}.Valid())
	assert.Equal(t, "", syncrules.Phone{}.String())
	assert.False(t, syncrules.Phone{DDD: "11", Number: "9876-54321"}.Valid(), "digits only")
	assert.False(t, syncrules.Phone{DDD: "11", Number: "9876543"}.Valid())
	assert.Equal(t, "(11) 123", syncrules.Phone{DDD: "11", Number: "123"}.String())
}

func TestDDDState(t *testing.T) {
	uf, ok := syncrules.DDDState("11")
	assert.True(t, ok)
	assert.Equal(t, "SP", uf)
	uf, ok = syncrules.DDDState("55")
	assert.True(t, ok)
	assert.Equal(t, "RS", uf)
	uf, ok = syncrules.DDDState("99")
	assert.True(t, ok)
	assert.Equal(t, "MA", uf)
	_, ok = syncrules.DDDState("20")
	assert.False(t, ok)

	// ANATEL's plan has 67 DDDs; every one maps to a state.
	count := 0
	for d := 10; d <= 99; d++ {
		if _, ok := syncrules.DDDState(string(rune('0'+d/10)) + string(rune('0'+d%10))); ok {
			count++
		}
	}
	assert.Equal(t, 67, count)
}

func TestParsePhonesReadsSeveralPhonesInOneField(t *testing.T) {
	p := func(ddd, n string) syncrules.Phone { return syncrules.Phone{DDD: ddd, Number: n} }
	tests := []struct {
		name string
		in   string
		want []syncrules.Phone
	}{
		{"empty", "", nil},
		{"one", "(11) 98765-4321", []syncrules.Phone{p("11", "987654321")}},
		{"comma", "(11) 98765-4321, (21) 3456-7890", []syncrules.Phone{p("11", "987654321"), p("21", "34567890")}},
		{"semicolon", "11987654321;2134567890", []syncrules.Phone{p("11", "987654321"), p("21", "34567890")}},
		{"slash keeps the DDD", "(11) 3456-7890 / 98765-4321", []syncrules.Phone{p("11", "34567890"), p("11", "987654321")}},
		{"word e", "11 3456-7890 e 11 98765-4321", []syncrules.Phone{p("11", "34567890"), p("11", "987654321")}},
		{"labels ignored", "Cel: (11) 98765-4321 | Fixo: (11) 3456-7890.", []syncrules.Phone{p("11", "987654321"), p("11", "34567890")}},
		{"repeats once", "11987654321, (11) 98765-4321", []syncrules.Phone{p("11", "987654321")}},
		{"junk dropped", "não tem, 123, (11) 98765-4321", []syncrules.Phone{p("11", "987654321")}},
		{"local number without earlier DDD dropped", "98765-4321, (11) 3456-7890", []syncrules.Phone{p("11", "34567890")}},
		{"a second number in parentheses is not a local number", "(11) 3456-7890 / (98765-4321)", []syncrules.Phone{p("11", "34567890")}},
		{"new lines", "(11) 98765-4321\n(11) 3456-7890", []syncrules.Phone{p("11", "987654321"), p("11", "34567890")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, syncrules.ParsePhones(tt.in))
		})
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{
		"(11) 98765-4321", "+55 11 3456-7890", "11987654321", "0055 11 98765 4321", "0 21 11 3456-7890",
		"5566123123", "98765-4321", "(20) 98765-4321", "", "+", "((", "11 3456-7890 e 98765-4321", "\xff", "11/98765-4321", "11,98765-4321",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range syncrules.ParsePhones(s) {
			if !p.Valid() {
				t.Fatalf("ParsePhones(%q) gave invalid %+v", s, p)
			}
		}
		p, err := syncrules.ParsePhone(s)
		if err != nil {
			return
		}
		if !p.Valid() {
			t.Fatalf("ParsePhone(%q) gave invalid %+v", s, p)
		}
		if n := len(p.Digits()); n != 10 && n != 11 {
			t.Fatalf("%q: %d digits", s, n)
		}
		back, err := syncrules.ParsePhone(p.String())
		if err != nil || back != p {
			t.Fatalf("round trip of %q: %+v → %q → %+v, %v", s, p, p.String(), back, err)
		}
		if got := syncrules.ParsePhones(s); len(got) != 1 || got[0] != p {
			t.Fatalf("ParsePhones(%q) = %v, ParsePhone gave %v", s, got, p)
		}
	})
}
