package flows_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// R-LOCK-1
func TestRLock1DeletedInAuvoIsNotRecreatedByTheInboundFlow(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.True(t, h.auvo.Delete(a))
	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.Email = "mudou@example.com" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(o))
	assert.Equal(t, syncrules.Skipped, r.Outcome)
	assert.Equal(t, syncrules.RLock1, r.Rule)
	assert.Zero(t, h.auvo.Len(), "the deletion is not undone")

	locks, err := h.store.Locks(context.Background(), "acme")
	require.NoError(t, err)
	require.Len(t, locks, 1)
	assert.Equal(t, ledger.LinkAuvoDeleted, locks[0].Link.State)

	// R-LOCK-2: it stays locked on later runs.
	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.Email = "de-novo@example.com" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	r = h.report(syncrules.OmieToAuvo, id(o))
	assert.Equal(t, syncrules.RLock2, r.Rule)
	assert.Zero(t, h.auvo.Len())
}

// R-LOCK-1
func TestRLock1ErasedExternalCodeLocksTheRecordInEveryFlow(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.ExternalID = "" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Skipped, r.Outcome)
	assert.Equal(t, syncrules.RLock1, r.Rule)
	assert.Equal(t, 1, h.omie.Len(), "no second Omie client")
	c, _ := h.auvo.Customer(a)
	assert.Empty(t, c.ExternalID, "the unlinking made on purpose is kept")

	// The Omie side changes: the inbound flow must not relink it (R-IN-3 would).
	require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.Email = "x@example.com" }))
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	r = h.report(syncrules.OmieToAuvo, id(o))
	assert.Equal(t, syncrules.Skipped, r.Outcome)
	assert.Contains(t, []syncrules.Rule{syncrules.RLock1, syncrules.RLock2}, r.Rule)
	c, _ = h.auvo.Customer(a)
	assert.Empty(t, c.ExternalID)
}

// R-LOCK-1
func TestRLock1NewRecordWithTheDocumentOfALockedRecordIsSkipped(t *testing.T) {
	h := newHarness(t)
	a, _ := linkedOmiePair(t, h)
	require.True(t, h.auvo.Delete(a))
	again := h.auvo.Seed(auvoCustomer("Recadastrado", cpfA))
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(again))
	assert.Equal(t, syncrules.Skipped, r.Outcome)
	assert.Contains(t, []syncrules.Rule{syncrules.RLock1, syncrules.RLock2}, r.Rule)
	assert.Equal(t, 1, h.omie.Len())
	c, _ := h.auvo.Customer(again)
	assert.Empty(t, c.ExternalID)
}

// R-LOCK-3
func TestRLock3ReleasedRecordIsIntegratedAgain(t *testing.T) {
	h := newHarness(t)
	a, o := linkedOmiePair(t, h)
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.ExternalID = "" }))
	h.run(syncrules.AuvoToOmie)
	require.Equal(t, syncrules.RLock1, h.report(syncrules.AuvoToOmie, id(a)).Rule)

	require.NoError(t, h.store.Release(context.Background(), "acme", "omie", id(a), "ana", "customer asked to reconnect", h.clock.Now()))
	require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.Name = "Padaria Central" }))
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Linked, r.Outcome, r.Reason)
	assert.Equal(t, id(o), r.TargetID, "relinked to the same Omie client (R-OUT-2), no duplicate")
	assert.Equal(t, 1, h.omie.Len())

	hist, err := h.store.LinkHistory(context.Background(), "acme", "omie", id(a))
	require.NoError(t, err)
	var kinds []ledger.EventKind
	for _, e := range hist {
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []ledger.EventKind{ledger.EventLinked, ledger.EventLocked, ledger.EventReleased, ledger.EventRelinked}, kinds)
}

// R-LOCK-3: the outcome of linking a released record again says that it
// follows the release, by whom and when, not that a run once crashed.
func TestRLock3RelinkAfterReleaseSaysWhoReleasedIt(t *testing.T) {
	for _, flow := range []syncrules.Flow{syncrules.AuvoToOmie, syncrules.OmieToAuvo} {
		t.Run(string(flow), func(t *testing.T) {
			h := newHarness(t)
			a, o := linkedOmiePair(t, h)
			require.NoError(t, h.auvo.Update(a, func(c *auvofake.Customer) { c.ExternalID = "" }))
			h.run(syncrules.AuvoToOmie)
			require.Equal(t, syncrules.RLock1, h.report(syncrules.AuvoToOmie, id(a)).Rule)
			released := h.clock.Now()
			require.NoError(t, h.store.Release(context.Background(), "acme", "omie", id(a), "ana", "customer asked to reconnect", released))

			require.NoError(t, h.omie.Update(o, func(c *omiefake.Cliente) { c.Email = "novo@example.com" }))
			h.run(flow)
			source := id(a)
			if !flow.Outbound() {
				source = id(o)
			}
			r := h.report(flow, source)
			assert.Equal(t, syncrules.Linked, r.Outcome, r.Reason)
			assert.Contains(t, r.Reason, "re-linked after the release by ana on "+released.UTC().Format("2006-01-02"))
			assert.NotContains(t, r.Reason, "stopped before linking")
			assert.Equal(t, 1, h.omie.Len())
			assert.Equal(t, 1, h.auvo.Len())

			h.run(flow)
			assert.NotContains(t, h.report(flow, source).Reason, "re-linked", "only the run that re-links says so")
		})
	}
}
