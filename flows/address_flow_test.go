package flows_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/syncrules"
)

// R-ADDR-2
func TestRAddr2OmieCatalogueLinesArriveStructured(t *testing.T) {
	want := address.Address{Street: "Rua Augusta", Number: "123", District: "Consolação", City: "São Paulo", State: "SP"}
	cases := []struct{ pattern, line, zip string }{
		{"omie-1", "Rua Augusta, 123, Consolação - São Paulo - SP", ""},
		{"omie-2", "Rua Augusta, 123, Consolação, São Paulo, SP", ""},
		{"omie-3", "Rua Augusta, 123, Consolação - São Paulo - SP, 01305-000", "01305-000"},
		{"omie-4", "Rua Augusta, 123, Consolação, São Paulo, São Paulo, 01305000", "01305-000"}, // R-ADDR-5: state name, bare CEP
		{"geocoder (R-ADDR-4)", "Rua Augusta, 123 - Consolação, São Paulo - SP, 01305-000, Brasil", "01305-000"},
	}
	for _, tc := range cases {
		t.Run(tc.pattern, func(t *testing.T) {
			h := newHarness(t)
			c := auvoCustomer("Cliente", cpfA)
			c.Address = tc.line
			a := h.auvo.Seed(c)
			h.run(syncrules.AuvoToOmie)
			r := h.report(syncrules.AuvoToOmie, id(a))
			require.Equal(t, syncrules.Created, r.Outcome, r.Reason)
			o, _ := parseInt(r.TargetID)
			oc, _ := h.omie.Cliente(o)
			got := address.Address{Street: oc.Endereco, Number: oc.EnderecoNumero, District: oc.Bairro, City: oc.Cidade, State: oc.Estado}
			assert.Equal(t, want, got)
			assert.Equal(t, tc.zip, oc.CEP)
		})
	}
}

// R-ADDR-3
func TestRAddr3ContaAzulCatalogueLinesArriveStructured(t *testing.T) {
	cases := []struct {
		pattern, line string
		want          address.Address
		complement    string
	}{
		{"contaazul-1", "Rua das Flores, 45, Apto 12, Jardim América, RJ, 22000-000",
			address.Address{Street: "Rua das Flores", Number: "45", District: "Jardim América", State: "RJ", ZIP: "22000-000"}, "Apto 12"},
		{"contaazul-2", "Rua Dr. Flores, 12-B, Centro, Porto Alegre, RS, 90020-000",
			address.Address{Street: "Rua Dr. Flores", Number: "12", District: "Centro", City: "Porto Alegre", State: "RS", ZIP: "90020-000"}, "B"},
		{"contaazul-4", "Rua das Flores, 45 Apto 12, Jardim América, Rio de Janeiro, RJ, 22000-000",
			address.Address{Street: "Rua das Flores", Number: "45", District: "Jardim América", City: "Rio de Janeiro", State: "RJ", ZIP: "22000-000"}, "Apto 12"},
		{"contaazul-7", "Rua Sete de Setembro - 100 - Sala 3 - Centro - SC - 88010-000",
			address.Address{Street: "Rua Sete de Setembro", Number: "100", District: "Centro", State: "SC", ZIP: "88010-000"}, "Sala 3"},
		{"contaazul-9", "Rua Sete de Setembro, Centro, Florianópolis-SC, 88010-000, Brasil",
			address.Address{Street: "Rua Sete de Setembro", District: "Centro", City: "Florianópolis", State: "SC", ZIP: "88010-000"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.pattern, func(t *testing.T) {
			h := newHarness(t)
			c := auvoCustomer("Cliente", cpfA)
			c.Address = tc.line
			a := h.auvo.Seed(c)
			h.run(syncrules.AuvoToContaAzul)
			r := h.report(syncrules.AuvoToContaAzul, id(a))
			require.Equal(t, syncrules.Created, r.Outcome, r.Reason)
			p, ok := h.ca.Person(r.TargetID)
			require.True(t, ok)
			require.Len(t, p.Addresses, 1)
			pa := p.Addresses[0]
			got := address.Address{Street: pa.Street, Number: pa.Number, District: pa.District, City: pa.City, State: pa.State, ZIP: pa.ZIP}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.complement, pa.Complement)
		})
	}
}

// R-ADDR-1
func TestRAddr1LinesOutsideThePartnerCatalogueAreNotIntegrated(t *testing.T) {
	cases := []struct {
		name, line string
		flow       syncrules.Flow
	}{
		{"free text", "perto do mercado", syncrules.AuvoToOmie},
		{"unknown state", "Rua Teste, 10, Centro - Campinas - XX", syncrules.AuvoToOmie},
		{"city not in the state", "Rua A, 10, Centro, Santa Maria, DF", syncrules.AuvoToOmie},
		{"no number for Omie", "Rua sem número, Centro - Campinas - SP", syncrules.AuvoToOmie},
		{"empty", "", syncrules.AuvoToContaAzul},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			c := auvoCustomer("Cliente", cpfA)
			c.Address = tc.line
			a := h.auvo.Seed(c)
			h.run(tc.flow)
			r := h.report(tc.flow, id(a))
			assert.Equal(t, syncrules.Skipped, r.Outcome)
			assert.Equal(t, syncrules.RAddr1, r.Rule)
			assert.Contains(t, r.Reason, "address not in an accepted pattern")
			assert.Zero(t, h.omie.Len()+h.ca.Len())
		})
	}
}

// R-ADDR-6
func TestRAddr6InboundAddressesBecomeOneLineThatParsesBack(t *testing.T) {
	h := newHarness(t)
	b := blingContact("Bling Cliente", cpfC)
	b.Endereco.Geral.Complemento = "Sala 5"
	b.Endereco.Geral.UF = "Paraná" // a state name becomes the UF
	b.Endereco.Geral.CEP = "80020310"
	bid := h.bling.Seed(b)
	h.run(syncrules.BlingToAuvo)
	require.Equal(t, syncrules.Created, h.report(syncrules.BlingToAuvo, id(bid)).Outcome)
	c, ok := h.auvo.CustomerByExternalID(id(bid))
	require.True(t, ok)
	assert.Equal(t, "Rua XV de Novembro, 700 - Centro, Curitiba - PR, 80020-310", c.Address)
	assert.Equal(t, "Sala 5", c.AddressComplement)
	for _, target := range []address.Target{address.Omie, address.ContaAzul} {
		p, err := address.Parse(c.Address, target)
		require.NoError(t, err, target)
		assert.Equal(t, "Curitiba", p.City)
	}
}

func TestBlingChangesReachAuvoAndDetailIsReadOnlyWhenNeeded(t *testing.T) {
	h := newHarness(t)
	bid := h.bling.Seed(blingContact("Bling Cliente", cpfC))
	h.run(syncrules.BlingToAuvo)
	c, ok := h.auvo.CustomerByExternalID(id(bid))
	require.True(t, ok)
	assert.Equal(t, []string{"bling@example.com"}, c.Emails)
	assert.ElementsMatch(t, []string{"4133334444", "41999998888"}, c.PhoneNumbers)

	require.NoError(t, h.bling.Update(bid, func(ct *blingfake.Contact) { ct.Email = "novo@example.com" }))
	h.run(syncrules.BlingToAuvo)
	r := h.report(syncrules.BlingToAuvo, id(bid))
	assert.Equal(t, syncrules.Updated, r.Outcome, r.Reason)
	c, _ = h.auvo.Customer(c.ID)
	assert.Equal(t, []string{"novo@example.com"}, c.Emails)

	// Auvo-side edits are not Bling's business: Bling→Auvo only carries Bling's changes.
	require.NoError(t, h.auvo.Update(c.ID, func(ac *auvofake.Customer) { ac.Note = "nota local" }))
	h.resetCalls()
	h.run(syncrules.BlingToAuvo) // re-reads the last change inside the overlap window
	assert.Zero(t, h.writeCalls())
	h.resetCalls()
	h.run(syncrules.BlingToAuvo)
	assert.Zero(t, h.writeCalls())
	assert.Zero(t, h.bling.Calls("GET /contatos/{id}"), "no detail read when nothing changed in Bling")
}
