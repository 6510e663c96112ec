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

// linkedOmiePair creates an Auvo customer, syncs it to Omie and returns both ids.
func linkedOmiePair(t *testing.T, h *harness) (int64, int64) {
	t.Helper()
	a := h.auvo.Seed(auvoCustomer("Padaria Central", cpfA))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	c, _ := h.auvo.Customer(a)
	require.NotEmpty(t, c.ExternalID)
	o, err := parseInt(c.ExternalID)
	require.NoError(t, err)
	return a, o
}

// R-UPD-1
func TestRUpd1EachSyncedFieldReachesOmie(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*auvofake.Customer)
		check func(t *testing.T, c omiefake.Cliente)
	}{
		{"name", func(c *auvofake.Customer) { c.Name = "Padaria Central Ltda" }, func(t *testing.T, c omiefake.Cliente) {
			assert.Equal(t, "Padaria Central Ltda", c.RazaoSocial)
		}},
		{"phone", func(c *auvofake.Customer) { c.PhoneNumbers = []string{"(19) 3232-1010"} }, func(t *testing.T, c omiefake.Cliente) {
			assert.Equal(t, "19", c.Telefone1DDD)
			assert.Equal(t, "32321010", c.Telefone1Numero)
		}},
		{"e-mail", func(c *auvofake.Customer) { c.Emails = []string{"novo@example.com"} }, func(t *testing.T, c omiefake.Cliente) {
			assert.Equal(t, "novo@example.com", c.Email)
		}},
		{"address", func(c *auvofake.Customer) { c.Address = "Rua Augusta, 500, Consolação, São Paulo, SP, 01305-000" }, func(t *testing.T, c omiefake.Cliente) {
			assert.Equal(t, "Rua Augusta", c.Endereco)
			assert.Equal(t, "500", c.EnderecoNumero)
			assert.Equal(t, "Consolação", c.Bairro)
			assert.Equal(t, "01305-000", c.CEP)
		}},
		{"complement", func(c *auvofake.Customer) { c.AddressComplement = "Loja 2" }, func(t *testing.T, c omiefake.Cliente) {
			assert.Equal(t, "Loja 2", c.Complemento)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			a, o := linkedOmiePair(t, h)
			require.NoError(t, h.auvo.Update(a, tc.edit))
			h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
			r := h.report(syncrules.AuvoToOmie, id(a))
			assert.Equal(t, syncrules.Updated, r.Outcome, r.Reason)
			assert.Equal(t, syncrules.RUpd1, r.Rule)
			c, _ := h.omie.Cliente(o)
			tc.check(t, c)
			// The reverse flow sees our own write and does not send it back (R-UPD-3).
			back := h.report(syncrules.OmieToAuvo, id(o))
			assert.Equal(t, syncrules.Unchanged, back.Outcome, back.Reason)
			auvoNow, _ := h.auvo.Customer(a)
			assert.Equal(t, id(o), auvoNow.ExternalID, "the external code is never changed by an update")
		})
	}
}

// R-UPD-1
func TestRUpd1OmieChangesReachAuvo(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) {
		c.NomeFantasia, c.RazaoSocial = "Padaria do Bairro", "Padaria do Bairro"
		c.Complemento = "Fundos"
	}))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(o))
	require.Equal(t, syncrules.Updated, r.Outcome, r.Reason)
	c, _ := h.auvo.Customer(a)
	assert.Equal(t, "Padaria do Bairro", c.Name)
	assert.Equal(t, "Fundos", c.AddressComplement)
	assert.Equal(t, id(o), c.ExternalID)

	h.resetCalls()
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Zero(t, h.writeCalls(), "R-UPD-3: no ping-pong after convergence")
}

// R-UPD-1
func TestRUpd1ContaAzulNoteIsSyncedBothWays(t *testing.T) {
	h := newHarness(t)
	a := h.auvo.Seed(auvoCustomer("Loja Minas", cnpjA))
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	c, _ := h.auvo.Customer(a)
	require.NotEmpty(t, c.ExternalID)
	p, ok := h.ca.Person(c.ExternalID)
	require.True(t, ok)
	assert.Equal(t, "cliente desde 2020", p.Note)
	assert.Equal(t, "Avenida Paulista", p.Addresses[0].Street)
	assert.Equal(t, "SP", p.Addresses[0].State)

	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.Note = "prefere boleto" }))
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	p, _ = h.ca.Person(c.ExternalID)
	assert.Equal(t, "prefere boleto", p.Note)

	require.NoError(t, h.ca.Update(c.ExternalID, func(p *contaazulfake.Person) { p.Note = "atende só à tarde" }))
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	c, _ = h.auvo.Customer(a)
	assert.Equal(t, "atende só à tarde", c.Note)

	h.resetCalls()
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	assert.Zero(t, h.writeCalls())
}

// R-UPD-2
func TestRUpd2InactivatedSourceStopsSyncingAndLeavesTheOtherSide(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.Active = false; c.Name = "Renamed after inactivation" }))
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Skipped, r.Outcome)
	assert.Equal(t, syncrules.RUpd2, r.Rule)
	c, _ := h.omie.Cliente(o)
	assert.False(t, c.Inativo, "the partner's status is not changed")
	assert.Equal(t, "Padaria Central", c.RazaoSocial, "no more updates")

	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.Inativo = true; c.NomeFantasia = "Outro nome" }))
	h.run(syncrules.OmieToAuvo)
	r = h.report(syncrules.OmieToAuvo, id(o))
	assert.Equal(t, syncrules.RUpd2, r.Rule)
	ac, _ := h.auvo.Customer(a)
	assert.Equal(t, "Renamed after inactivation", ac.Name)
}

// R-UPD-3
func TestRUpd3BothSidesChangedTheMostRecentWins(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.Name = "Nome do Auvo" }))
	h.clock.Advance(time.Minute)
	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.NomeFantasia, c.RazaoSocial = "Nome do Omie", "Nome do Omie" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Equal(t, syncrules.Unchanged, h.report(syncrules.AuvoToOmie, id(a)).Outcome, "Auvo's older change does not overwrite")
	assert.Equal(t, syncrules.Updated, h.report(syncrules.OmieToAuvo, id(o)).Outcome)
	c, _ := h.auvo.Customer(a)
	assert.Equal(t, "Nome do Omie", c.Name)
	oc, _ := h.omie.Cliente(o)
	assert.Equal(t, "Nome do Omie", oc.NomeFantasia)
}

// R-UPD-4
func TestRUpd4DeletingAPartnerRecordDeletesNothingInAuvo(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.True(t, h.omie.Delete(o))
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.Name = "Editado" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Skipped, r.Outcome)
	assert.Equal(t, syncrules.RUpd4, r.Rule)
	_, ok := h.auvo.Customer(a)
	assert.True(t, ok)
	assert.Zero(t, h.omie.Len(), "nothing recreated")
	assert.Zero(t, h.auvo.Calls(auvofake.EndpointDelete)+h.ca.Calls(contaazulfake.EndpointPut))
}

// R-UPD-3
func TestRUpd3AdoptedLinkKeepsTheNewerPartnerEdit(t *testing.T) {
	h := newHarness(t)
	o := h.omie.Seed(omieCliente("Nome antigo", cpfB))
	c := auvoCustomer("Nome antigo", cpfB)
	c.ExternalID = id(o) // linked before this ledger existed
	a := h.auvo.Seed(c)
	h.clock.Advance(time.Minute)
	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.NomeFantasia, c.RazaoSocial = "Nome novo", "Nome novo" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	oc, _ := h.omie.Cliente(o)
	assert.Equal(t, "Nome novo", oc.NomeFantasia, "Auvo's older value does not overwrite")
	ac, _ := h.auvo.Customer(a)
	assert.Equal(t, "Nome novo", ac.Name, "the newer Omie edit reaches Auvo")
}

// R-UPD-1
func TestRUpd1ClearingAFieldInAuvoClearsItInOmieAndStaysCleared(t *testing.T) {
	h := newHarness(t)
	c := auvoCustomer("Padaria", cpfA)
	c.AddressComplement = "Loja 2"
	c.PhoneNumbers = []string{"11987654321", "1134567890"}
	a := h.auvo.Seed(c)
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	ac, _ := h.auvo.Customer(a)
	o, err := parseInt(ac.ExternalID)
	require.NoError(t, err)
	oc, _ := h.omie.Cliente(o)
	require.Equal(t, "Loja 2", oc.Complemento)
	require.Equal(t, "34567890", oc.Telefone2Numero)

	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) {
		c.AddressComplement = ""
		c.PhoneNumbers = []string{"11987654321"}
	}))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	oc, _ = h.omie.Cliente(o)
	assert.Empty(t, oc.Complemento, "the complement is cleared in Omie too")
	assert.Empty(t, oc.Telefone2DDD+oc.Telefone2Numero, "the second phone is cleared in Omie too")

	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.Email = "novo@example.com" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	ac, _ = h.auvo.Customer(a)
	assert.Equal(t, []string{"novo@example.com"}, ac.Emails)
	assert.Empty(t, ac.AddressComplement, "the reverse flow does not bring the old complement back")
	assert.Equal(t, []string{"11987654321"}, ac.PhoneNumbers)
}

// R-UPD-1
func TestRUpd1ClearingTheNoteInAuvoClearsItInContaAzul(t *testing.T) {
	h := newHarness(t)
	a := h.auvo.Seed(auvoCustomer("Loja", cnpjA))
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	c, _ := h.auvo.Customer(a)
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.Note = "" }))
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	p, _ := h.ca.Person(c.ExternalID)
	assert.Empty(t, p.Note)
	require.NoError(t, h.ca.Update(c.ExternalID, func(p *contaazulfake.Person) { p.Email = "outro@example.com" }))
	h.run(syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo)
	c, _ = h.auvo.Customer(a)
	assert.Empty(t, c.Note, "not brought back by the reverse flow")
	assert.Equal(t, []string{"outro@example.com"}, c.Emails)
}

// R-UPD-3
func TestRUpd3ChangesToDifferentFieldsOnBothSidesBothSurvive(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.Name = "Nome mudado no Auvo" }))
	h.clock.Advance(time.Minute)
	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.Email = "mudado-no-omie@example.com" }))

	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	oc, _ := h.omie.Cliente(o)
	ac, _ := h.auvo.Customer(a)
	assert.Equal(t, "Nome mudado no Auvo", oc.NomeFantasia, "Auvo's name reached Omie")
	assert.Equal(t, "mudado-no-omie@example.com", oc.Email, "Omie's e-mail was not overwritten")
	assert.Equal(t, "Nome mudado no Auvo", ac.Name, "Auvo's name was not overwritten")
	assert.Equal(t, []string{"mudado-no-omie@example.com"}, ac.Emails, "Omie's e-mail reached Auvo")

	h.resetCalls()
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Zero(t, h.writeCalls(), "and then it is quiet")
}
