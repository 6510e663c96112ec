package flows_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/internal/procid"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// seedAuvo adds n eligible Auvo customers with distinct valid CPFs.
func seedAuvo(h *harness, n int) {
	for i := range n {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %d", i), validCPF(i)))
	}
}

// The double-fired job of issue 13: two Runs of one Connection at once.
// The first to get the lease holds it (its first record waits) until the
// second has returned, so the two surely overlap.
func TestTwoRunsAtOnceOnOneConnectionOnlyOneRuns(t *testing.T) {
	h := newHarness(t)
	const n = 40
	seedAuvo(h, n)
	loserReturned := make(chan struct{})
	var once sync.Once
	h.conn.Sink = flows.SinkFunc(func(flows.Report) {
		once.Do(func() {
			select {
			case <-loserReturned:
			case <-time.After(20 * time.Second):
				t.Error("the second Run did not return while the first held the lease")
			}
		})
	})
	type result struct {
		sums []flows.Summary
		err  error
	}
	results := make(chan result, 2)
	start := make(chan struct{})
	for range 2 {
		go func() {
			<-start
			sums, err := h.conn.Run(t.Context(), syncrules.AuvoToContaAzul)
			results <- result{sums, err}
		}()
	}
	close(start)
	loser := <-results
	close(loserReturned)
	winner := <-results

	require.ErrorIs(t, loser.err, flows.ErrLeaseHeld)
	assert.Empty(t, loser.sums)
	assert.Contains(t, loser.err.Error(), "acme")
	require.NoError(t, winner.err)
	require.Len(t, winner.sums, 1)
	require.NoError(t, winner.sums[0].Err)
	assert.Equal(t, n, winner.sums[0].Counts[syncrules.Created])
	assert.Equal(t, n, h.ca.Len(), "no duplicate Conta Azul people")
	for _, p := range h.ca.People() {
		assert.Len(t, h.ca.PeopleWithDocument(p.Document), 1)
	}
	runs, err := h.store.Runs(t.Context(), "acme", 0)
	require.NoError(t, err)
	assert.Len(t, runs, 1, "the refused Run wrote nothing to the ledger")
	_, held, err := h.store.Lease(t.Context(), "acme")
	require.NoError(t, err)
	assert.False(t, held, "released when the run ended")
}

// thisProcess is how flows names this process in a lease.
func thisProcess(t *testing.T, run string) ledger.Holder {
	t.Helper()
	host, err := os.Hostname()
	require.NoError(t, err)
	id := procid.Self()
	return ledger.Holder{Host: host, PID: id.PID, Started: id.Started, Run: run}
}

func exitedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	require.NoError(t, cmd.Run())
	return cmd.Process.Pid
}

// A runner killed with SIGKILL leaves its lease behind; a runner restarted
// on the same host runs at once, without waiting for it to expire. A live
// holder is never taken over.
func TestRunTakesOverTheLeaseOfADeadRunnerOnThisHostAtOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("process liveness is known on Linux only")
	}
	me := thisProcess(t, "")
	i := strings.LastIndexByte(me.Started, '/')
	cases := []struct {
		name   string
		holder ledger.Holder
		runs   bool
	}{
		{"killed runner", ledger.Holder{Host: me.Host, PID: exitedPID(t), Started: me.Started, Run: "killed"}, true},
		{"pid reused by a later process", ledger.Holder{Host: me.Host, PID: me.PID, Started: me.Started[:i+1] + "1", Run: "killed"}, true},
		{"another run of this live process", thisProcess(t, "live"), false},
		{"a runner on another host", ledger.Holder{Host: "other-" + me.Host, PID: exitedPID(t), Started: me.Started, Run: "remote"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.auvo.Seed(auvoCustomer("Padaria", cpfA))
			ok, err := h.store.AcquireLease(t.Context(), "acme", tc.holder, flows.LeaseTTL, h.clock.Now())
			require.NoError(t, err)
			require.True(t, ok)

			sums, err := h.conn.Run(t.Context(), syncrules.AuvoToOmie) // the clock has not moved
			if !tc.runs {
				require.ErrorIs(t, err, flows.ErrLeaseHeld)
				assert.Contains(t, err.Error(), tc.holder.String(), "the error names the holder")
				assert.Zero(t, h.writeCalls())
				l, _, err := h.store.Lease(t.Context(), "acme")
				require.NoError(t, err)
				assert.Equal(t, tc.holder, l.Holder)
				return
			}
			require.NoError(t, err)
			require.Len(t, sums, 1)
			require.NoError(t, sums[0].Err)
			assert.Equal(t, 1, h.omie.Len())
		})
	}
}

// Another run took the lease (this one's renewals stopped for longer than
// the lease lasts): the run stops at the next record, and says why.
func TestALostLeaseStopsTheRunAtTheNextRecord(t *testing.T) {
	h := newHarness(t)
	seedAuvo(h, 5)
	other := ledger.Holder{Host: "other-host", PID: 1, Run: "other"}
	seen := 0
	h.conn.Sink = flows.SinkFunc(func(flows.Report) {
		if seen++; seen == 2 {
			h.clock.Advance(flows.LeaseTTL + time.Second)
			ok, err := h.store.AcquireLease(context.Background(), "acme", other, flows.LeaseTTL, h.clock.Now())
			require.NoError(t, err)
			require.True(t, ok, "the lease expired")
		}
	})
	sums, err := h.conn.Run(t.Context(), syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	require.ErrorIs(t, err, flows.ErrLeaseLost)
	require.Len(t, sums, 1, "the next flow does not start")
	assert.ErrorIs(t, sums[0].Err, flows.ErrLeaseLost)
	assert.Equal(t, 2, sums[0].Seen)
	assert.Equal(t, 2, h.omie.Len(), "nothing written after the loss")
	l, _, err := h.store.Lease(t.Context(), "acme")
	require.NoError(t, err)
	assert.Equal(t, other, l.Holder, "the new holder keeps it")
}

// The heartbeat renews the lease while a record takes long (a slow vendor
// page), not only between records.
func TestTheHeartbeatKeepsTheLeaseDuringASlowRecord(t *testing.T) {
	h := newHarness(t)
	h.conn.LeaseTTL = 40 * time.Millisecond // heartbeat every 10ms
	seedAuvo(h, 2)
	var once sync.Once
	h.conn.Sink = flows.SinkFunc(func(flows.Report) {
		once.Do(func() {
			h.clock.Advance(time.Hour) // the lease taken at the start has expired by now
			require.EventuallyWithT(t, func(c *assert.CollectT) {
				l, ok, err := h.store.Lease(context.Background(), "acme")
				require.NoError(c, err)
				require.True(c, ok)
				assert.Equal(c, h.clock.Now().Add(h.conn.LeaseTTL), l.Expires)
			}, 10*time.Second, 5*time.Millisecond, "renewed while the record is in hand")
			ok, err := h.store.AcquireLease(context.Background(), "acme", ledger.Holder{Host: "other-host", Run: "other"}, time.Minute, h.clock.Now())
			require.NoError(t, err)
			assert.False(t, ok, "no other runner gets in")
		})
	})
	sums, err := h.conn.Run(t.Context(), syncrules.AuvoToOmie)
	require.NoError(t, err)
	require.NoError(t, sums[0].Err)
	assert.Equal(t, 2, h.omie.Len())
	_, held, err := h.store.Lease(t.Context(), "acme")
	require.NoError(t, err)
	assert.False(t, held, "released, and the stopped heartbeat does not bring it back")
}

// Issue 13 §3: Auvo's one external code cannot name records of two ERPs.
func TestAConnectionWithFlowsOfTwoERPsIsRefused(t *testing.T) {
	h := newHarness(t)
	h.auvo.Seed(auvoCustomer("Padaria", cpfA))
	for _, fl := range [][]syncrules.Flow{
		{syncrules.AuvoToOmie, syncrules.BlingToAuvo},
		{syncrules.AuvoToContaAzul, syncrules.AuvoToOmie},
		{syncrules.OmieToAuvo, syncrules.ContaAzulToAuvo, syncrules.AuvoToOmie},
	} {
		err := h.conn.Validate(fl)
		require.Error(t, err, "%v", fl)
		assert.Contains(t, err.Error(), `connection "acme"`)
		assert.Contains(t, err.Error(), string(fl[0].Partner()))
		assert.Contains(t, err.Error(), string(fl[1].Partner()))
		_, runErr := h.conn.Run(t.Context(), fl...)
		assert.Equal(t, err, runErr, "Run refuses it before taking the lease")
	}
	assert.Zero(t, h.writeCalls())
	_, held, err := h.store.Lease(t.Context(), "acme")
	require.NoError(t, err)
	assert.False(t, held)
	require.NoError(t, h.conn.Validate([]syncrules.Flow{syncrules.AuvoToOmie, syncrules.OmieToAuvo}), "both directions of one ERP are fine")
}
