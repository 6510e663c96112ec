package flows_test

import (
	"context"
	"errors"
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

func TestRateLimitBurstsAndServerErrorsConvergeWithoutDuplicates(t *testing.T) {
	h := newHarness(t)
	var ids []int64
	for i, doc := range []string{cpfA, cpfB, cpfC, cnpjA} {
		c := auvoCustomer("Cliente "+string(rune('A'+i)), doc)
		ids = append(ids, h.auvo.Seed(c))
	}
	h.auvo.RateLimitBurst(3)
	h.auvo.FailNext(auvofake.EndpointGet, 2, 503, `{}`)
	h.omie.FailNext(omiefake.ListarClientes, 2, 500, "SOAP-ENV:Server", "ERROR: instabilidade")
	for i := 0; i < 3; i++ {
		h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	}
	assert.Equal(t, 4, h.omie.Len(), "one Omie client per Auvo customer")
	assert.Equal(t, 4, h.auvo.Len(), "nothing echoed back as new")
	for _, a := range ids {
		c, _ := h.auvo.Customer(a)
		assert.NotEmpty(t, c.ExternalID)
	}
}

func TestCrashBetweenPartnerCreateAndAuvoWriteBackLeavesNoDuplicate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flow    syncrules.Flow
		partner func(h *harness) int
		intents int // Omie creates are upserts on the Auvo id: no intent needed
	}{
		{"omie", syncrules.AuvoToOmie, func(h *harness) int { return h.omie.Len() }, 0},
		{"contaazul", syncrules.AuvoToContaAzul, func(h *harness) int { return h.ca.Len() }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			a := h.auvo.Seed(auvoCustomer("Padaria Central", cpfA))
			// The partner create succeeds; the external-code write-back to Auvo fails hard.
			h.auvo.FailNext(auvofake.EndpointPatch, 1, 500, `{}`)
			h.run(tc.flow)
			r := h.report(tc.flow, id(a))
			require.Equal(t, syncrules.Failed, r.Outcome, r.Reason)
			require.Equal(t, 1, tc.partner(h))
			intents, err := h.store.OpenIntents(context.Background(), "acme", string(tc.flow))
			require.NoError(t, err)
			require.Len(t, intents, tc.intents, "a non-idempotent create's intent stays open")

			h.run(tc.flow)
			r = h.report(tc.flow, id(a))
			assert.Equal(t, syncrules.Linked, r.Outcome, r.Reason)
			assert.Equal(t, 1, tc.partner(h), "read back, not created again")
			c, _ := h.auvo.Customer(a)
			assert.Equal(t, r.TargetID, c.ExternalID)
			intents, err = h.store.OpenIntents(context.Background(), "acme", string(tc.flow))
			require.NoError(t, err)
			assert.Empty(t, intents)
		})
	}
}

func TestExpiredTokensMidRunAreRenewed(t *testing.T) {
	h := newHarness(t)
	h.ca.Seed(caPerson("Loja", cnpjA, "Cliente"))
	h.run(syncrules.ContaAzulToAuvo)
	h.ca.Seed(caPerson("Outra loja", cpfA, "Cliente"))
	h.ca.RevokeAccessTokens()
	h.auvo.ExpireTokens()
	sums := h.run(syncrules.ContaAzulToAuvo)
	require.NoError(t, sums[0].Err)
	assert.Equal(t, 2, h.auvo.Len())
}

func TestRefusedRefreshTokenStopsTheRunWithAClearError(t *testing.T) {
	h := newHarness(t)
	h.ca.Seed(caPerson("Loja", cnpjA, "Cliente"))
	h.ca.RevokeRefreshTokens()
	sums := h.run(syncrules.ContaAzulToAuvo)
	require.Error(t, sums[0].Err)
	assert.ErrorIs(t, sums[0].Err, contaazulReauthorize)
	assert.Contains(t, sums[0].Err.Error(), "authorise")
	assert.Zero(t, h.auvo.Len())
	_, moved, err := h.store.Cursor(context.Background(), "acme", string(syncrules.ContaAzulToAuvo))
	require.NoError(t, err)
	assert.False(t, moved, "the cursor does not move past records that were not processed")
}

func TestOneFailingRecordDoesNotStopTheOthers(t *testing.T) {
	h := newHarness(t)
	h.omie.Seed(omieCliente("Um", cpfA))
	h.omie.Seed(omieCliente("Dois", cpfB))
	h.auvo.FailNext(auvofake.EndpointUpsert, 1, 400, `{"cpfCnpj":["invalid"]}`)
	sums := h.run(syncrules.OmieToAuvo)
	require.NoError(t, sums[0].Err)
	assert.Equal(t, 1, sums[0].Counts[syncrules.Failed])
	assert.Equal(t, 1, sums[0].Counts[syncrules.Created])
	h.run(syncrules.OmieToAuvo)
	assert.Equal(t, 2, h.auvo.Len(), "the failed record is retried by the next run")
}

func TestDryRunWritesNothingAnywhere(t *testing.T) {
	h := newHarness(t)
	a := h.auvo.Seed(auvoCustomer("Padaria", cpfA))
	o := h.omie.Seed(omieCliente("Oficina", cpfB))
	h.conn.DryRun = true
	sums := h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	for _, s := range sums {
		require.NoError(t, s.Err)
		assert.True(t, s.DryRun)
	}
	assert.Equal(t, syncrules.Created, h.report(syncrules.AuvoToOmie, id(a)).Outcome, "reports what it would do")
	assert.Equal(t, syncrules.Created, h.report(syncrules.OmieToAuvo, id(o)).Outcome)
	assert.Zero(t, h.writeCalls())
	runs, err := h.store.Runs(context.Background(), "acme", 0)
	require.NoError(t, err)
	assert.Empty(t, runs, "nothing written to the ledger")
	_, ok, err := h.store.Cursor(context.Background(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	assert.False(t, ok)
	for side, doc := range map[string]string{"auvo": cpfA, "omie": cpfB} {
		entries, err := h.store.IndexByDocHash(context.Background(), "acme", side, h.store.DocumentHash(doc))
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing written to the %s index", side)
	}

	h.conn.DryRun = false
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Equal(t, 2, h.omie.Len())
}

func TestASecondRunnerWaitsForTheLease(t *testing.T) {
	h := newHarness(t)
	ok, err := h.store.AcquireLease(context.Background(), "acme", ledger.Holder{Host: "another-host", PID: 1, Run: "other"}, flows.LeaseTTL, h.clock.Now())
	require.NoError(t, err)
	require.True(t, ok)
	_, err = h.conn.Run(context.Background(), syncrules.AuvoToOmie)
	require.ErrorIs(t, err, flows.ErrLeaseHeld)
	h.clock.Advance(flows.LeaseTTL + time.Second)
	_, err = h.conn.Run(context.Background(), syncrules.AuvoToOmie)
	require.NoError(t, err, "a crashed holder's lease expires")
}

// R-REPORT-1
func TestRReport1EveryRecordGetsOneMaskedOutcome(t *testing.T) {
	h := newHarness(t)
	for _, c := range []auvofake.Customer{
		auvoCustomer("Ok", cpfA),
		{Name: "Inativo", CpfCnpj: cpfB, Active: false},
		{Name: "Sem doc", Active: true, Emails: []string{"pessoa@example.com"}, PhoneNumbers: []string{"11912345678"}},
		{Name: "Endereço ruim", CpfCnpj: cpfC, Active: true, Address: "perto da praça"},
	} {
		h.auvo.Seed(c)
	}
	h.run(syncrules.AuvoToOmie)
	require.Len(t, h.reports, 4)
	for _, r := range h.reports {
		assert.True(t, r.Outcome.Valid(), r.Outcome)
		assert.True(t, r.Rule.Valid(), r.Rule)
		assert.NotEmpty(t, r.Reason)
		for _, raw := range []string{cpfA, cpfB, cpfC, "529.982.247-25", "pessoa@example.com", "11912345678", "98765-4321"} {
			assert.NotContains(t, r.Reason, raw, "R-REPORT-2")
		}
	}
	var addr flows.Report
	for _, r := range h.reports {
		if r.Rule == syncrules.RAddr1 {
			addr = r
		}
	}
	assert.Contains(t, addr.Reason, "address not in an accepted pattern")
	assert.Contains(t, addr.Reason, "perto da praça", "R-ADDR-1 reports the line")
}

func TestContextCancelledMidRunCheckpointsWithoutMovingTheCursor(t *testing.T) {
	h := newHarness(t)
	for _, doc := range []string{cpfA, cpfB, cpfC} {
		h.omie.Seed(omieCliente("X", doc))
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	h.conn.Sink = flows.SinkFunc(func(flows.Report) {
		if n++; n == 1 {
			cancel()
		}
	})
	sums, err := h.conn.Run(ctx, syncrules.OmieToAuvo)
	require.NoError(t, err)
	require.Len(t, sums, 1)
	assert.True(t, errors.Is(sums[0].Err, context.Canceled), "%v", sums[0].Err)
	_, moved, _ := h.store.Cursor(context.Background(), "acme", string(syncrules.OmieToAuvo))
	assert.False(t, moved)
	lease, err := h.store.AcquireLease(context.Background(), "acme", ledger.Holder{Run: "someone-else"}, time.Minute, h.clock.Now())
	require.NoError(t, err)
	assert.True(t, lease, "the lease is released on the way out")
	_ = contaazulfake.Person{}
}

func TestJSONLinesMatchTheReportContract(t *testing.T) {
	var buf strings.Builder
	sink := flows.NewJSONLines(&buf)
	sink.Record(flows.Report{Time: time.Date(2026, 11, 29, 7, 0, 0, 123456789, time.FixedZone("BRT", -3*3600)),
		Connection: "acme", Flow: syncrules.AuvoToOmie, SourceID: "123", TargetID: "9876",
		Outcome: syncrules.Created, Rule: syncrules.ROut1, Reason: "no Omie customer with this document"})
	require.NoError(t, sink.Err())
	assert.Equal(t, `{"time":"2026-11-29T10:00:00Z","connection":"acme","flow":"auvo-to-omie","source_id":"123","target_id":"9876","outcome":"created","rule":"R-OUT-1","reason":"no Omie customer with this document"}`+"\n", buf.String())
}

func TestProgressReportsEachSourcePageWithTheKnownTotal(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 230; i++ {
		h.auvo.Seed(auvofake.Customer{Name: "X", Active: true}) // no document: skipped cheaply
	}
	var got []flows.Progress
	h.conn.Progress = func(p flows.Progress) { got = append(got, p) }
	h.run(syncrules.AuvoToOmie)
	require.Len(t, got, 3)
	assert.Equal(t, flows.Progress{Connection: "acme", Flow: syncrules.AuvoToOmie, Page: 3, Done: 200, Total: 230}, got[2])
}
