package flows_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// documentLookups counts Auvo listings filtered by document: matching
// reads the index, so there should be none.
func documentLookups(h *harness) int {
	n := 0
	for _, r := range h.auvo.Requests() {
		if r.Endpoint == auvofake.EndpointList && strings.Contains(strings.ToLower(unescape(r.URL)), "cpfcnpj") {
			n++
		}
	}
	return n
}

func unescape(s string) string {
	u, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// R-OUT-2: with several unlinked candidates the oldest is linked, from the
// index: one listing of Omie, one read of the chosen record, no lookup.
func TestROut2LinksTheOldestCandidateFromTheIndex(t *testing.T) {
	h := newHarness(t)
	older := h.omie.Seed(omieCliente("Mais antigo", "529.982.247-25"))
	h.clock.Advance(time.Hour)
	h.omie.Seed(omieCliente("Mais novo", cpfA))
	a := h.auvo.Seed(auvoCustomer("Cliente", cpfA)) // the other spelling: matched by its keyed hash
	h.resetCalls()
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Linked, r.Outcome, r.Reason)
	assert.Equal(t, syncrules.ROut2, r.Rule)
	assert.Equal(t, id(older), r.TargetID)
	assert.Equal(t, 1, h.omie.Calls(omiefake.ListarClientes), "the index's first full listing, no lookup by document")
	assert.Equal(t, 2, h.omie.Len(), "nothing created")
}

// R-IN-3 from the index: the oldest Auvo customer without external code is
// linked, and Auvo is listed once, never asked by document.
func TestRIn3LinksTheOldestFromTheIndexWithoutADocumentLookup(t *testing.T) {
	h := newHarness(t)
	older := h.auvo.Seed(auvoCustomer("Mais antigo", "111.444.777-35"))
	h.clock.Advance(time.Hour)
	h.auvo.Seed(auvoCustomer("Mais novo", cpfB))
	o := h.omie.Seed(omieCliente("Oficina", cpfB))
	h.resetCalls()
	h.run(syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(o))
	assert.Equal(t, syncrules.Linked, r.Outcome, r.Reason)
	assert.Equal(t, syncrules.RIn3, r.Rule)
	assert.Equal(t, id(older), r.TargetID)
	assert.Equal(t, 1, h.auvo.Calls(auvofake.EndpointList))
	assert.Zero(t, documentLookups(h))
	assert.Equal(t, 2, h.auvo.Len())
}

// A record someone creates on the target while a long run goes on is found
// by the next match decision: the index is refreshed after each source page.
func TestARecordCreatedOnTheOtherSideDuringARunIsFoundOnTheNextPage(t *testing.T) {
	h := newHarness(t)
	var late int64
	for i := 0; i < 150; i++ {
		a := h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
		if i == 120 { // on the second page of 100
			late = a
		}
	}
	var seeded int64
	h.conn.Progress = func(p flows.Progress) {
		if p.Page == 2 && seeded == 0 {
			h.clock.Advance(time.Second)
			seeded = h.omie.Seed(omieCliente("Criado no Omie durante a execução", validCPF(120)))
		}
	}
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(late))
	assert.Equal(t, syncrules.Linked, r.Outcome, r.Reason)
	assert.Equal(t, id(seeded), r.TargetID)
	assert.Equal(t, 150, h.omie.Len(), "149 created, one linked")
}

// And within one long page: a decision never reads an index older than
// 60 s, so a customer created in Auvo a minute into the page is found.
func TestARecordCreatedOnTheOtherSideDuringALongPageIsFoundAfterAMinute(t *testing.T) {
	h := newHarness(t)
	var late int64
	for i := 0; i < 100; i++ { // one Omie page
		o := h.omie.Seed(omieCliente(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
		if i == 90 {
			late = o
		}
	}
	h.pace(time.Second)
	var seeded int64
	h.meter.after = func() {
		if seeded == 0 && h.auvo.Calls(auvofake.EndpointUpsert) == 20 {
			seeded = -1
			seeded = h.auvo.Seed(auvoCustomer("Criado no Auvo durante a execução", validCPF(90)))
		}
	}
	h.run(syncrules.OmieToAuvo)
	r := h.report(syncrules.OmieToAuvo, id(late))
	assert.Equal(t, syncrules.Linked, r.Outcome, r.Reason)
	assert.Equal(t, syncrules.RIn3, r.Rule)
	assert.Equal(t, id(seeded), r.TargetID)
	assert.Equal(t, 100, h.auvo.Len(), "99 created, one linked")
}

// What the index costs: a first run lists the target in full (pages of
// 100 in Auvo); a refresh that finds nothing new costs one call; a cycle in
// which nothing changed makes no index call at all (one call per flow).
func TestIndexRefreshCost(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 250; i++ {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
	}
	h.omie.Seed(omieCliente("Oficina", cpfA))
	h.clock.Advance(time.Minute) // the customers were there before the first run
	h.resetCalls()
	h.run(syncrules.OmieToAuvo)
	assert.Equal(t, 3, h.auvo.Calls(auvofake.EndpointList), "first run: 250 customers in 3 pages")
	assert.Equal(t, 1, h.auvo.WriteCalls(), "the create")

	h.run(syncrules.OmieToAuvo) // overlap re-read of the created record's echo
	h.omie.Seed(omieCliente("Outra oficina", cpfB))
	h.meter.reset()
	h.resetCalls()
	h.run(syncrules.OmieToAuvo)
	assert.Equal(t, 1, h.auvo.Calls(auvofake.EndpointList), "a refresh that finds nothing costs one call")
	assert.Equal(t, int64(3), h.meter.calls.Load(), "the Omie listing, the refresh, the create")

	h.run(syncrules.OmieToAuvo)
	h.meter.reset()
	h.run(syncrules.OmieToAuvo)
	assert.Equal(t, int64(1), h.meter.calls.Load(), "no-change cycle: one call")
}

// Both directions on one connection: the outbound flow's Auvo listing keeps
// the Auvo index complete, so the inbound flow's first run does not list
// Auvo again, and the no-change cycle stays at one call per flow.
func TestTheSourceListingKeepsItsSideOfTheIndex(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 150; i++ { // a full listing of Auvo costs 2 calls, a refresh 1
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %d", i), validCPF(i)))
	}
	h.clock.Advance(time.Minute)
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	h.omie.Seed(omieCliente("Novo no Omie", cpfA))
	h.resetCalls()
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Equal(t, 2, h.auvo.Calls(auvofake.EndpointList), "the outbound listing and one refresh")
	assert.Equal(t, 151, h.auvo.Len())

	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	h.meter.reset()
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Equal(t, int64(2), h.meter.calls.Load(), "no-change cycle: one call per flow")
}

// lostIndex is a ledger that drops every index write: the process died
// between a create and the index's update.
type lostIndex struct{ ledger.Store }

func (lostIndex) UpdateIndex(context.Context, ledger.IndexUpdate) error { return nil }

// A crash between a create and the index's update leaves no duplicate: the
// next run's index listing finds the record (Omie by its integration key,
// Conta Azul by its create intent's read-back, Auvo by its external code).
func TestCrashBetweenCreateAndIndexUpdateLeavesNoDuplicate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flow   syncrules.Flow
		seed   func(h *harness) string
		target func(h *harness) int
	}{
		{"omie", syncrules.AuvoToOmie, func(h *harness) string { return id(h.auvo.Seed(auvoCustomer("Padaria", cpfA))) },
			func(h *harness) int { return h.omie.Len() }},
		{"contaazul", syncrules.AuvoToContaAzul, func(h *harness) string { return id(h.auvo.Seed(auvoCustomer("Padaria", cpfA))) },
			func(h *harness) int { return h.ca.Len() }},
		{"auvo", syncrules.OmieToAuvo, func(h *harness) string { return id(h.omie.Seed(omieCliente("Oficina", cpfA))) },
			func(h *harness) int { return h.auvo.Len() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			src := tc.seed(h)
			// The create succeeds; what follows it (the write-back, the link)
			// fails, and no index write reaches the ledger.
			h.auvo.FailNext(auvofake.EndpointPatch, 1, 500, `{}`)
			h.conn.Ledger = lostIndex{failingLinks{h.store}}
			h.run(tc.flow)
			require.Equal(t, 1, tc.target(h))

			h.conn.Ledger = h.store
			h.run(tc.flow)
			r := h.report(tc.flow, src)
			assert.Contains(t, []syncrules.OutcomeKind{syncrules.Linked, syncrules.Unchanged, syncrules.Updated}, r.Outcome, r.Reason)
			assert.Equal(t, 1, tc.target(h), "found, not created again")
			h.run(tc.flow)
			assert.Equal(t, 1, tc.target(h))
		})
	}
	_ = contaazulfake.EndpointList
}

// The index cannot see deletions: a candidate deleted since it was indexed
// is dropped when acting on it fails, and the record is matched again
// (R-IN-3 becomes R-IN-4, R-OUT-2 becomes R-OUT-1), never linked to a
// record that is gone.
func TestACandidateDeletedSinceItWasIndexedIsDroppedAndMatchedAgain(t *testing.T) {
	t.Run("inbound", func(t *testing.T) {
		h := newHarness(t)
		gone := h.auvo.Seed(auvoCustomer("Apagado depois", cpfB))
		h.omie.Seed(omieCliente("Outro", cpfA))
		h.run(syncrules.OmieToAuvo) // lists Auvo in full: the customer is indexed
		require.True(t, h.auvo.Delete(gone))
		o := h.omie.Seed(omieCliente("Oficina", cpfB))
		h.run(syncrules.OmieToAuvo)
		r := h.report(syncrules.OmieToAuvo, id(o))
		assert.Equal(t, syncrules.Created, r.Outcome, r.Reason)
		assert.Equal(t, syncrules.RIn4, r.Rule)
		entries, err := h.store.IndexByDocHash(context.Background(), "acme", "auvo", h.store.DocumentHash(cpfB))
		require.NoError(t, err)
		require.Len(t, entries, 1, "the deleted customer was dropped from the index")
		assert.Equal(t, r.TargetID, entries[0].ID)
	})
	t.Run("outbound", func(t *testing.T) {
		h := newHarness(t)
		gone := h.omie.Seed(omieCliente("Apagado depois", cpfB))
		h.auvo.Seed(auvoCustomer("Outro", cpfA))
		h.run(syncrules.AuvoToOmie) // lists Omie in full: the client is indexed
		require.True(t, h.omie.Delete(gone))
		a := h.auvo.Seed(auvoCustomer("Padaria", cpfB))
		h.run(syncrules.AuvoToOmie)
		r := h.report(syncrules.AuvoToOmie, id(a))
		assert.Equal(t, syncrules.Created, r.Outcome, r.Reason)
		assert.Equal(t, syncrules.ROut1, r.Rule)
		assert.NotEqual(t, id(gone), r.TargetID)
	})
}
