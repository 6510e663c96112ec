package syncrules_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/syncrules"
)

func baseCustomer() syncrules.Customer {
	return syncrules.Customer{
		ID:       "42",
		Name:     "João da Silva",
		Document: "529.982.247-25",
		Phones:   []syncrules.Phone{{DDD: "11", Number: "987654321"}, {DDD: "11", Number: "34567890"}},
		Emails:   []string{"joao@exemplo.com", "financeiro@exemplo.com"},
		Address: address.Address{Street: "Avenida Paulista", Number: "1578", District: "Bela Vista",
			City: "São Paulo", State: "SP", ZIP: "01310-200"},
		AddressLine:  "Avenida Paulista, 1578, Bela Vista - São Paulo - SP, 01310-200",
		Complement:   "Sala 12",
		Note:         "Portaria fecha às 18h",
		Active:       true,
		ExternalCode: "906",
	}
}

var allFields = syncrules.NewFieldSet(syncrules.AllFields()...)

// R-UPD-1: which synced fields differ, after normalisation.
func TestDiff_RUpd1(t *testing.T) {
	tests := []struct {
		name   string
		change func(*syncrules.Customer)
		want   []syncrules.Field
	}{
		{"identical", func(*syncrules.Customer) {}, nil},
		{"name case and spaces are no change", func(c *syncrules.Customer) { c.Name = "  JOÃO  DA SILVA " }, nil},
		{"name accent is a change", func(c *syncrules.Customer) { c.Name = "Joao da Silva" }, []syncrules.Field{syncrules.FieldName}},
		{"name edit", func(c *syncrules.Customer) { c.Name = "João Silva" }, []syncrules.Field{syncrules.FieldName}},
		{"phone order and repeats are no change", func(c *syncrules.Customer) {
			c.Phones = []syncrules.Phone{{DDD: "11", Number: "34567890"}, {DDD: "11", Number: "987654321"}, {DDD: "11", Number: "34567890"}}
		}, nil},
		{"phone added", func(c *syncrules.Customer) {
			c.Phones = append(c.Phones, syncrules.Phone{DDD: "21", Number: "34567890"})
		}, []syncrules.Field{syncrules.FieldPhone}},
		{"e-mail case and order are no change", func(c *syncrules.Customer) {
			c.Emails = []string{"FINANCEIRO@exemplo.com", " Joao@Exemplo.com"}
		}, nil},
		{"e-mails as one comma-separated string are no change", func(c *syncrules.Customer) {
			c.Emails = []string{"joao@exemplo.com, financeiro@exemplo.com"}
		}, nil},
		{"e-mail removed", func(c *syncrules.Customer) { c.Emails = c.Emails[:1] }, []syncrules.Field{syncrules.FieldEmail}},
		{"address accents, case and CEP punctuation are no change", func(c *syncrules.Customer) {
			c.Address.City = "SAO PAULO"
			c.Address.ZIP = "01.310200"
			c.Address.Street = "avenida  paulista"
		}, nil},
		{"address country is no change", func(c *syncrules.Customer) { c.Address.Country = "Brasil" }, nil},
		{"address complement inside Address is not the complement field", func(c *syncrules.Customer) { c.Address.Complement = "Sala 12" }, nil},
		{"address number changed", func(c *syncrules.Customer) { c.Address.Number = "1580" }, []syncrules.Field{syncrules.FieldAddress}},
		{"address line ignored when structured address present", func(c *syncrules.Customer) { c.AddressLine = "other" }, nil},
		{"complement trimmed", func(c *syncrules.Customer) { c.Complement = " sala 12 " }, nil},
		{"complement changed", func(c *syncrules.Customer) { c.Complement = "Sala 13" }, []syncrules.Field{syncrules.FieldComplement}},
		{"note changed", func(c *syncrules.Customer) { c.Note = "" }, []syncrules.Field{syncrules.FieldNote}},
		{"external code is never compared", func(c *syncrules.Customer) { c.ExternalCode = "999" }, nil},
		{"non-synced fields are never compared", func(c *syncrules.Customer) {
			c.ID, c.Document, c.Active, c.Tags = "77", "", false, []string{"VIP"}
		}, nil},
		{"several fields in stable order", func(c *syncrules.Customer) {
			c.Note, c.Name, c.Phones = "x", "y", nil
		}, []syncrules.Field{syncrules.FieldName, syncrules.FieldPhone, syncrules.FieldNote}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, dst := baseCustomer(), baseCustomer()
			tt.change(&dst)
			assert.Equal(t, tt.want, syncrules.Diff(allFields, src, dst))
			assert.Equal(t, tt.want == nil, syncrules.Hash(allFields, src) == syncrules.Hash(allFields, dst))
		})
	}
}

func TestDiffOnlyLooksAtTheFlowsFields_RUpd1(t *testing.T) {
	src, dst := baseCustomer(), baseCustomer()
	dst.Note = "changed"
	dst.Complement = "changed"
	assert.Equal(t, []syncrules.Field{syncrules.FieldComplement}, syncrules.Diff(syncrules.AuvoToOmie.Fields(), src, dst))
	assert.Equal(t, []syncrules.Field{syncrules.FieldNote}, syncrules.Diff(syncrules.AuvoToContaAzul.Fields(), src, dst))
	assert.Nil(t, syncrules.Diff(syncrules.BlingToAuvo.Fields(), src, dst))
}

func TestDiffAddressLineWhenNoStructuredAddress_RUpd1(t *testing.T) {
	structured := baseCustomer()
	lineOnly := func(line string) syncrules.Customer {
		c := baseCustomer()
		c.Address = address.Address{}
		c.AddressLine = line
		return c
	}
	f := syncrules.NewFieldSet(syncrules.FieldAddress)
	tests := []struct {
		name string
		a, b syncrules.Customer
		same bool
	}{
		{"line vs line, punctuation and case differ",
			lineOnly("Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil"),
			lineOnly("AV PAULISTA 1578 BELA VISTA SAO PAULO SP 01310200"), true},
		{"line vs line, number differs",
			lineOnly("Av. Paulista, 1578 - Bela Vista, São Paulo - SP"),
			lineOnly("Av. Paulista, 1580 - Bela Vista, São Paulo - SP"), false},
		{"line listing the structured parts in order matches the structured side",
			structured, lineOnly("Avenida Paulista, 1578, Bela Vista - São Paulo - SP, 01.310-200"), true},
		{"S/N written two ways", lineOnly("Rua A, S/N, Centro"), lineOnly("rua a s/n centro"), true},
		{"empty vs something", lineOnly(""), lineOnly("Rua A, 1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diff := syncrules.Diff(f, tt.a, tt.b)
			assert.Equal(t, tt.same, diff == nil, diff)
			assert.Equal(t, tt.same, syncrules.Hash(f, tt.a) == syncrules.Hash(f, tt.b))
		})
	}
}

func TestHashIsAStablePerFieldFingerprint_RUpd3(t *testing.T) {
	c := baseCustomer()
	h := syncrules.Hash(allFields, c)
	assert.Regexp(t, "^name=[0-9a-f]{16};phone=[0-9a-f]{16};address=[0-9a-f]{16};complement=[0-9a-f]{16};email=[0-9a-f]{16};note=[0-9a-f]{16}$", h)
	assert.Equal(t, h, syncrules.Hash(allFields, baseCustomer()), "same input, same hash")
	assert.NotEqual(t, h, syncrules.Hash(syncrules.AuvoToOmie.Fields(), c), "the field set is part of the hash")

	// Values cannot bleed into each other's field.
	a, b := syncrules.Customer{Name: "ab", Note: "c"}, syncrules.Customer{Name: "a", Note: "bc"}
	f := syncrules.NewFieldSet(syncrules.FieldName, syncrules.FieldNote)
	assert.NotEqual(t, syncrules.Hash(f, a), syncrules.Hash(f, b))
	a, b = syncrules.Customer{Emails: []string{"a@x.com"}}, syncrules.Customer{Emails: []string{"a@x.co", "m"}}
	assert.NotEqual(t, syncrules.Hash(allFields, a), syncrules.Hash(allFields, b))
}

// R-UPD-3 relies on Diff(f, a, b) being empty exactly when Hash(f, a) ==
// Hash(f, b): the ledger only keeps hashes.
func TestDiffEmptyIffHashEqual_RUpd3(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(opts ...string) string { return opts[rng.IntN(len(opts))] }
	gen := func() syncrules.Customer {
		c := syncrules.Customer{
			Name:       pick("João", "JOÃO", " joão ", "Joao", "Maria"),
			Complement: pick("", "Sala 1", "sala  1", "Sala 2"),
			Note:       pick("", "x", "X ", "y"),
			Emails:     [][]string{nil, {"a@x.com"}, {"A@X.com"}, {"a@x.com", "b@x.com"}, {"b@x.com, a@x.com"}}[rng.IntN(5)],
			Phones: [][]syncrules.Phone{nil, {{DDD: "11", Number: "34567890"}},
				{{DDD: "11", Number: "34567890"}, {DDD: "11", Number: "34567890"}}, {{DDD: "21", Number: "34567890"}}}[rng.IntN(4)],
		}
		if rng.IntN(2) == 0 {
			c.Address = address.Address{Street: pick("Rua A", "RUA A", "Rua B"), Number: pick("1", "2"), City: pick("São Paulo", "Sao Paulo")}
		} else {
			c.AddressLine = pick("Rua A, 1, São Paulo", "rua a 1 sao paulo", "Rua B, 2")
		}
		return c
	}
	sets := []syncrules.FieldSet{allFields, syncrules.AuvoToOmie.Fields(), syncrules.BlingToAuvo.Fields(), syncrules.NewFieldSet()}
	equal, different := 0, 0
	for range 3000 {
		a, b := gen(), gen()
		f := sets[rng.IntN(len(sets))]
		diffEmpty := len(syncrules.Diff(f, a, b)) == 0
		hashEqual := syncrules.Hash(f, a) == syncrules.Hash(f, b)
		if diffEmpty != hashEqual {
			t.Fatalf("Diff empty=%v but Hash equal=%v for fields %v:\n%+v\n%+v", diffEmpty, hashEqual, f, a, b)
		}
		if diffEmpty {
			equal++
		} else {
			different++
		}
	}
	assert.Positive(t, equal, "the generator must produce equal pairs too")
	assert.Positive(t, different)
}

func TestDiffAddressFoldsPortugueseAccents_RUpd1(t *testing.T) {
	f := syncrules.NewFieldSet(syncrules.FieldAddress)
	a := syncrules.Customer{AddressLine: "Ação Êxito Índio Ônibus Útil Ñandu Àvila Ìtalo Òrfão Ùltimo Ärger Ëxtra Ïgor Öder Ügo Çapa nº 1ª, BRAZIL"}
	b := syncrules.Customer{AddressLine: "acao exito indio onibus util nandu avila italo orfao ultimo arger extra igor oder ugo capa no 1a"}
	assert.Nil(t, syncrules.Diff(f, a, b))
	assert.Equal(t, syncrules.Hash(f, a), syncrules.Hash(f, b))
}

func TestDiffEmailListsDoNotCollide_RUpd1(t *testing.T) {
	f := syncrules.NewFieldSet(syncrules.FieldEmail)
	a := syncrules.Customer{Emails: []string{"a\x1fb@x.com"}}
	b := syncrules.Customer{Emails: []string{"a", "b@x.com"}}
	assert.Equal(t, []syncrules.Field{syncrules.FieldEmail}, syncrules.Diff(f, a, b))
}
