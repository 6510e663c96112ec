package flows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

func TestEligibilityREligOutbound(t *testing.T) {
	cases := []struct {
		name string
		edit func(*auvofake.Customer)
		rule syncrules.Rule
	}{
		{"R-ELIG-1 inactive customer is not integrated", func(c *auvofake.Customer) { c.Active = false }, syncrules.RElig1},
		{"R-ELIG-2 customer without document is not integrated", func(c *auvofake.Customer) { c.CpfCnpj = "" }, syncrules.RElig2},
		{"R-ELIG-3 document with bad check digits is not integrated", func(c *auvofake.Customer) { c.CpfCnpj = "529.982.247-24" }, syncrules.RElig3},
		{"R-ELIG-3 document of the wrong length is not integrated", func(c *auvofake.Customer) { c.CpfCnpj = "1234567" }, syncrules.RElig3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			c := auvoCustomer("Cliente", cpfA)
			tc.edit(&c)
			a := h.auvo.Seed(c)
			h.run(syncrules.AuvoToOmie)
			r := h.report(syncrules.AuvoToOmie, id(a))
			assert.Equal(t, syncrules.Skipped, r.Outcome)
			assert.Equal(t, tc.rule, r.Rule)
			assert.NotContains(t, r.Reason, "529.982.247", "R-REPORT-2: the document is masked")
			assert.Zero(t, h.omie.Len(), "nothing reaches Omie")
		})
	}
}

func TestEligibilityREligInbound(t *testing.T) {
	h := newHarness(t)
	inactive := omieCliente("Inativa", cpfA)
	inactive.Inativo = true
	o1 := h.omie.Seed(inactive)
	nodoc := omieCliente("Sem documento", "")
	o2 := h.omie.Seed(nodoc)
	bad := omieCliente("Documento ruim", "11.222.333/0001-80")
	o3 := h.omie.Seed(bad)
	h.run(syncrules.OmieToAuvo)
	assert.Equal(t, syncrules.RElig1, h.report(syncrules.OmieToAuvo, id(o1)).Rule)
	assert.Equal(t, syncrules.RElig2, h.report(syncrules.OmieToAuvo, id(o2)).Rule)
	assert.Equal(t, syncrules.RElig3, h.report(syncrules.OmieToAuvo, id(o3)).Rule)
	assert.Zero(t, h.auvo.Len())
}

func TestAlphanumericCNPJIsIntegrated(t *testing.T) {
	h := newHarness(t)
	a := h.auvo.Seed(auvoCustomer("Empresa Nova", "12.ABC.345/01DE-35"))
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	require.Equal(t, syncrules.Created, r.Outcome, r.Reason)
	assert.Equal(t, syncrules.ROut1, r.Rule)
}

// R-OUT-2
func TestROut2LinksTheExistingUnlinkedPartnerRecord(t *testing.T) {
	h := newHarness(t)
	o := h.omie.Seed(omieCliente("Já no Omie", cpfA))
	a := h.auvo.Seed(auvoCustomer("Já no Omie", cpfA))
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Linked, r.Outcome)
	assert.Equal(t, syncrules.ROut2, r.Rule)
	assert.Equal(t, id(o), r.TargetID)
	assert.Equal(t, 1, h.omie.Len(), "no new Omie client")
	c, _ := h.auvo.Customer(a)
	assert.Equal(t, id(o), c.ExternalID, "the Omie id is written to the external code")
}

// R-OUT-3
func TestROut3CreatesANewPartnerRecordWhenEveryMatchIsLinked(t *testing.T) {
	h := newHarness(t)
	o := h.omie.Seed(omieCliente("Matriz", cpfA))
	first := auvoCustomer("Matriz", cpfA)
	first.ExternalID = id(o)
	h.auvo.Seed(first)
	a := h.auvo.Seed(auvoCustomer("Filial com mesmo CPF", cpfA))
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Created, r.Outcome)
	assert.Equal(t, syncrules.ROut3, r.Rule)
	assert.NotEqual(t, id(o), r.TargetID)
	assert.Equal(t, 2, h.omie.Len(), "duplicate document allowed")
}

// R-IN-1
func TestRIn1AlreadyIntegratedRecordCreatesNothing(t *testing.T) {
	h := newHarness(t)
	o := h.omie.Seed(omieCliente("Oficina", cpfB))
	c := auvoCustomer("Oficina", cpfB)
	c.ExternalID = id(o)
	a := h.auvo.Seed(c)
	h.run(syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(o))
	assert.Contains(t, []syncrules.OutcomeKind{syncrules.Unchanged, syncrules.Updated}, r.Outcome)
	assert.Equal(t, id(a), r.TargetID)
	assert.Equal(t, 1, h.auvo.Len(), "R-IN-1: nothing created")
}

// R-IN-2
func TestRIn2CreatesAnAuvoCustomerWhenEveryMatchHasAnotherExternalCode(t *testing.T) {
	h := newHarness(t)
	o := h.omie.Seed(omieCliente("Oficina", cpfB))
	c := auvoCustomer("Oficina antiga", cpfB)
	c.ExternalID = "999999"
	h.auvo.Seed(c)
	h.run(syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(o))
	assert.Equal(t, syncrules.Created, r.Outcome)
	assert.Equal(t, syncrules.RIn2, r.Rule)
	assert.Equal(t, 2, h.auvo.Len())
	created, ok := h.auvo.CustomerByExternalID(id(o))
	require.True(t, ok)
	assert.Equal(t, "Oficina", created.Name)
}

// R-IN-3
func TestRIn3LinksTheOldestAuvoCustomerWithoutExternalCode(t *testing.T) {
	h := newHarness(t)
	older := h.auvo.Seed(auvoCustomer("Mais antigo", cpfB))
	h.clock.Advance(time.Hour)
	h.auvo.Seed(auvoCustomer("Mais novo", cpfB))
	o := h.omie.Seed(omieCliente("Oficina", cpfB))
	h.run(syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(o))
	assert.Equal(t, syncrules.Linked, r.Outcome)
	assert.Equal(t, syncrules.RIn3, r.Rule)
	assert.Equal(t, id(older), r.TargetID)
	c, _ := h.auvo.Customer(older)
	assert.Equal(t, id(o), c.ExternalID)
	assert.Equal(t, 2, h.auvo.Len(), "no new Auvo customer")
}

// R-IN-4
func TestRIn4CreatesAnAuvoCustomerWithTheStructuredAddressAsOneLine(t *testing.T) {
	h := newHarness(t)
	o := h.omie.Seed(omieCliente("Oficina Rio", cpfB))
	h.run(syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(o))
	require.Equal(t, syncrules.Created, r.Outcome)
	assert.Equal(t, syncrules.RIn4, r.Rule)
	c, ok := h.auvo.CustomerByExternalID(id(o))
	require.True(t, ok)
	assert.Equal(t, "Oficina Rio", c.Name)
	assert.Equal(t, cpfB, c.CpfCnpj)
	assert.True(t, c.Active)
	// R-ADDR-6: one canonical line that the outbound parser reads back.
	assert.Equal(t, "Rua das Laranjeiras, 100 - Laranjeiras, Rio de Janeiro - RJ, 22240-003", c.Address)
	assert.Equal(t, []string{"2134567890"}, c.PhoneNumbers)
	assert.Equal(t, []string{"financeiro@example.com"}, c.Emails)
}

func TestRTagOmieTagsDecideWhoIsACustomer(t *testing.T) {
	cases := []struct {
		name string
		tags []string
		want syncrules.OutcomeKind
		rule syncrules.Rule
	}{
		{"R-TAG-1 no tags integrates", nil, syncrules.Created, syncrules.RIn4},
		{"R-TAG-2 only custom tags integrates", []string{"VIP", "Zona Sul"}, syncrules.Created, syncrules.RIn4},
		{"R-TAG-3 Cliente with others integrates", []string{"Fornecedor", "CLIENTE"}, syncrules.Created, syncrules.RIn4},
		{"R-TAG-4 only built-in non-customer tags do not integrate", []string{"Fornecedor", "funcionario"}, syncrules.Skipped, syncrules.RTag4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			c := omieCliente("Com tags", cpfB)
			c.Tags = tc.tags
			o := h.omie.Seed(c)
			h.run(syncrules.OmieToAuvo)
			r := h.report(syncrules.OmieToAuvo, id(o))
			assert.Equal(t, tc.want, r.Outcome)
			assert.Equal(t, tc.rule, r.Rule)
		})
	}
}

func TestRProfileContaAzulProfilesDecideWhoIsACustomer(t *testing.T) {
	h := newHarness(t)
	client := h.ca.Seed(caPerson("Cliente e fornecedor", cpfA, "Fornecedor", "Cliente"))
	supplier := h.ca.Seed(caPerson("Só fornecedor", cpfB, "Fornecedor", "Transportadora"))
	h.run(syncrules.ContaAzulToAuvo)
	assert.Equal(t, syncrules.Created, h.report(syncrules.ContaAzulToAuvo, client).Outcome, "R-PROFILE-1")
	r := h.report(syncrules.ContaAzulToAuvo, supplier)
	assert.Equal(t, syncrules.Skipped, r.Outcome)
	assert.Equal(t, syncrules.RProfile2, r.Rule)

	// R-PROFILE-2: once it becomes a customer, a later run picks it up.
	require.NoError(t, h.ca.Update(supplier, func(p *contaazulfake.Person) { p.Profiles = append(p.Profiles, "Cliente") }))
	h.run(syncrules.ContaAzulToAuvo)
	assert.Equal(t, syncrules.Created, h.report(syncrules.ContaAzulToAuvo, supplier).Outcome)
}

func TestInactiveAndFilteredPartnerRecordsNeverReachAuvo(t *testing.T) {
	h := newHarness(t)
	c := omieCliente("Fornecedor", cpfB)
	c.Tags = []string{"Fornecedor"}
	h.omie.Seed(c)
	h.run(syncrules.OmieToAuvo)
	assert.Zero(t, h.auvo.WriteCalls())
	_ = omiefake.Cliente{}
}
