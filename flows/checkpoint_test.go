package flows_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// timeBoxed makes every reading of the connection's clock take a second,
// so a run's share of its time box runs out after about a page.
func timeBoxed(h *harness, box time.Duration) {
	h.conn.TimeBox = box
	h.conn.Clock = func() time.Time { h.clock.Advance(time.Second); return h.clock.Now() }
}

// reportsBySource counts this cycle's reports of a flow per source id.
func (h *harness) reportsBySource(flow syncrules.Flow, into map[string]int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.reports {
		if r.Flow == flow {
			into[r.SourceID]++
		}
	}
}

// R-SCHED-3: a backlog larger than a slot drains over several slots, with
// records inserted, modified and deleted while it does; every record is
// processed, none twice by the pass, none duplicated in Omie, and the
// connection's other flow runs in every slot.
func TestRSCHED3_MultiSlotBacklogProcessesEveryRecordOnceWhileRecordsChange(t *testing.T) {
	h := newHarness(t)
	var ids []int64
	for i := range 250 {
		ids = append(ids, h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i))))
	}
	timeBoxed(h, 4*time.Minute)

	processed := map[string]int{}
	var stops, slots int
	for slots = 1; slots <= 20; slots++ {
		sums := h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
		require.Len(t, sums, 2, "both flows run in slot %d", slots)
		require.NoError(t, sums[0].Err)
		require.NoError(t, sums[1].Err, "the other flow runs every slot")
		h.reportsBySource(syncrules.AuvoToOmie, processed)
		if sums[0].Completed() {
			break
		}
		assert.Equal(t, ledger.StoppedTimeBox, sums[0].Stopped)
		stops++
		switch stops {
		case 1: // pages shift back: two records of page 1 are deleted
			require.True(t, h.auvo.Delete(ids[0]))
			require.True(t, h.auvo.Delete(ids[1]))
			// a record already read is modified, a new one is inserted
			require.NoError(t, h.auvo.Update(ids[10], func(c *auvofake.Customer) { c.Name = "Cliente renomeado no backlog" }))
			ids = append(ids, h.auvo.Seed(auvoCustomer("Cliente novo", validCPF(900))))
		case 2:
			require.True(t, h.auvo.Delete(ids[120]))
		}
	}
	require.GreaterOrEqual(t, stops, 2, "the backlog spans several slots")
	for src, times := range processed {
		assert.Equal(t, 1, times, "the pass processed %s once", src)
	}
	// The next pass, from the backlog's start minus the overlap, catches
	// the record modified on a page read before.
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	h.reportsBySource(syncrules.AuvoToOmie, processed)

	for _, c := range h.auvo.Customers() {
		key := id(c.ID)
		assert.GreaterOrEqual(t, processed[key], 1, "customer %d processed", c.ID)
		found := h.omie.FindByDocumento(c.CpfCnpj)
		if assert.Len(t, found, 1, "customer %d reached Omie once", c.ID) && c.ID == ids[10] {
			assert.Equal(t, "Cliente renomeado no backlog", found[0].NomeFantasia, "the change made on a page read before reached Omie")
		}
	}
}

// R-SCHED-3: a run cut off mid-way resumes from the last checkpoint: the
// next run lists from the page before it (to catch shifted records), not
// from page 1.
func TestRSCHED3_ACancelledRunResumesFromTheLastCheckpoint(t *testing.T) {
	h := newHarness(t)
	for i := range 450 {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
	}
	ctx, cancel := context.WithCancel(t.Context())
	pages := 0
	h.conn.Progress = func(p flows.Progress) {
		if pages++; pages == 4 { // pages 1..3 done: cut the run off
			cancel()
		}
	}
	sums, err := h.conn.Run(ctx, syncrules.AuvoToOmie)
	require.NoError(t, err)
	require.Error(t, sums[0].Err)
	cp, ok, err := h.store.Checkpoint(t.Context(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, 4, cp.Page)
	assert.Equal(t, 300, cp.Done)
	assert.Len(t, cp.LastPage, 100)

	h.conn.Progress = nil
	h.auvo.ResetCalls()
	h.clock.Advance(10 * time.Minute)
	h.run(syncrules.AuvoToOmie)
	var listed []string
	for _, r := range h.auvo.Requests() {
		if r.Endpoint == auvofake.EndpointList && !strings.Contains(r.URL, "cpfCnpj") && !strings.Contains(r.URL, "externalId") {
			listed = append(listed, pageOf(r.URL))
		}
	}
	assert.Equal(t, []string{"3", "4", "5"}, listed, "resumed at the checkpoint, one page early")
	_, ok, err = h.store.Checkpoint(t.Context(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	assert.False(t, ok, "the completed pass cleared its checkpoint")
	assert.Equal(t, 450, h.omie.Len())
}

func pageOf(rawURL string) string {
	for _, kv := range strings.Split(rawURL[strings.Index(rawURL, "?")+1:], "&") {
		if v, ok := strings.CutPrefix(kv, "page="); ok {
			return v
		}
	}
	return ""
}

// R-SCHED-3: a Bling backlog is not read again in detail after a stop: the
// detail reads of all the runs together are one per contact.
func TestRSCHED3_BlingBacklogIsNotReadAgainInDetailAfterAStop(t *testing.T) {
	h := newHarness(t)
	const n = 230
	for i := range n {
		h.bling.Seed(blingContact(fmt.Sprintf("Contato %03d", i), validCPF(i)))
	}
	timeBoxed(h, 2*time.Minute)
	processed := map[string]int{}
	var sums []flows.Summary
	for range 10 {
		sums = h.run(syncrules.BlingToAuvo)
		require.NoError(t, sums[0].Err)
		h.reportsBySource(syncrules.BlingToAuvo, processed)
		if sums[0].Completed() {
			break
		}
		assert.Equal(t, -1, sums[0].Remaining, "Bling does not say how many are left")
	}
	require.True(t, sums[0].Completed())
	assert.Len(t, processed, n)
	for src, times := range processed {
		assert.Equal(t, 1, times, "contact %s processed once", src)
	}
	assert.Equal(t, n, h.bling.Calls("GET /contatos/{id}"), "one detail read per contact")
	assert.Equal(t, n, h.auvo.Len())
}

// R-SCHED-3: the runs table and the summary say that a run stopped at its
// time box and how much the vendor said was left.
func TestRSCHED3_RunsRecordTheTimeBoxStopAndWhatIsLeft(t *testing.T) {
	h := newHarness(t)
	for i := range 250 {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
	}
	timeBoxed(h, time.Minute)
	sums := h.run(syncrules.AuvoToOmie)
	require.NoError(t, sums[0].Err)
	assert.Equal(t, ledger.StoppedTimeBox, sums[0].Stopped)
	assert.Equal(t, 150, sums[0].Remaining)
	assert.False(t, sums[0].Completed())

	runs, err := h.store.Runs(t.Context(), "acme", 1)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, ledger.StoppedTimeBox, runs[0].Stopped)
	assert.Equal(t, 150, runs[0].Remaining)
	assert.Empty(t, runs[0].Error)
	_, moved, err := h.store.Cursor(t.Context(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	assert.False(t, moved, "the cursor waits for the end of the pass")
}

// auvoByDocument counts Auvo customers per document.
func (h *harness) auvoByDocument() map[string][]auvofake.Customer {
	out := map[string][]auvofake.Customer{}
	for _, c := range h.auvo.Customers() {
		out[c.CpfCnpj] = append(out[c.CpfCnpj], c)
	}
	return out
}

// R-SCHED-3: Conta Azul lists by name, so renames and new records move its
// pages while a backlog drains. Records moved back a page are caught by
// the re-read page, records renamed are caught by the next pass, and none
// reaches Auvo twice.
func TestRSCHED3_ContaAzulBacklogSurvivesRenamesAndInsertsBetweenSlots(t *testing.T) {
	h := newHarness(t)
	docs := map[string]string{} // Conta Azul id -> document
	var ids []string
	for i := range 250 {
		id := h.ca.Seed(caPerson(fmt.Sprintf("Pessoa %03d", i), validCPF(i), "Cliente"))
		ids, docs[id] = append(ids, id), validCPF(i)
	}
	timeBoxed(h, 2*time.Minute)
	var stops int
	for slot := 1; slot <= 20; slot++ {
		sums := h.run(syncrules.ContaAzulToAuvo)
		require.NoError(t, sums[0].Err)
		if sums[0].Completed() {
			break
		}
		stops++
		if stops == 1 {
			// Two names of page 1 move to the end (page 2's first two records
			// move back onto page 1), one of page 3 moves to the front, and a
			// new person sorts into page 1.
			for _, i := range []int{3, 7} {
				require.NoError(t, h.ca.Update(ids[i], func(p *contaazulfake.Person) { p.Name = fmt.Sprintf("Zz renomeada %d", i) }))
			}
			require.NoError(t, h.ca.Update(ids[220], func(p *contaazulfake.Person) { p.Name = "Aa renomeada 220" }))
			id := h.ca.Seed(caPerson("Pessoa 050b", validCPF(950), "Cliente"))
			ids, docs[id] = append(ids, id), validCPF(950)
		}
	}
	require.GreaterOrEqual(t, stops, 2)
	h.run(syncrules.ContaAzulToAuvo)

	byDoc := h.auvoByDocument()
	for id, doc := range docs {
		if assert.Len(t, byDoc[doc], 1, "Conta Azul %s reached Auvo once", id) {
			p, _ := h.ca.Person(id)
			assert.Equal(t, p.Name, byDoc[doc][0].Name)
		}
	}
}

// R-SCHED-3: when more than a page of records before the checkpoint was
// deleted, the page before it no longer shows any record the checkpoint
// names; the run cannot prove nothing moved past it, and lists from page 1.
func TestRSCHED3_AListingThatMovedMoreThanAPageIsReadAgainFromTheStart(t *testing.T) {
	h := newHarness(t)
	var ids []int64
	for i := range 350 {
		ids = append(ids, h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i))))
	}
	timeBoxed(h, time.Minute)
	sums := h.run(syncrules.AuvoToOmie)
	require.Equal(t, ledger.StoppedTimeBox, sums[0].Stopped)
	for _, id := range ids[:150] { // page 1 and half of page 2
		require.True(t, h.auvo.Delete(id))
	}
	h.conn.TimeBox = time.Hour
	h.auvo.ResetCalls()
	sums = h.run(syncrules.AuvoToOmie)
	require.True(t, sums[0].Completed())
	var listed []string
	for _, r := range h.auvo.Requests() {
		if r.Endpoint == auvofake.EndpointList && !strings.Contains(r.URL, "cpfCnpj") && !strings.Contains(r.URL, "externalId") {
			listed = append(listed, pageOf(r.URL))
		}
	}
	// Resumed at page 1 (the checkpoint's page minus one); page 1 named
	// nothing known, so at its end the listing starts again (404 past page 2).
	assert.Equal(t, []string{"1", "2", "1", "2", "3"}, listed)
	for _, c := range h.auvo.Customers() {
		assert.Len(t, h.omie.FindByDocumento(c.CpfCnpj), 1, "customer %d reached Omie once", c.ID)
	}
}

// R-SCHED-3: a connection's time box is shared between its flows, and the
// time a flow does not use goes to the next: the inbound backlog gets
// further in a slot when the outbound flow has nothing to do.
func TestRSCHED3_TimeAFlowDoesNotUsePassesOnToTheNext(t *testing.T) {
	inboundSeen := func(outboundBacklog bool) (flows.Summary, flows.Summary) {
		h := newHarness(t)
		for i := range 500 {
			h.omie.Seed(omieCliente(fmt.Sprintf("Cliente Omie %03d", i), validCPF(i)))
			if outboundBacklog {
				h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente Auvo %03d", i), validCPF(1000+i)))
			}
		}
		timeBoxed(h, 20*time.Minute) // a page of 100 takes 5 to 8 minutes here
		sums := h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
		require.Len(t, sums, 2)
		require.NoError(t, sums[0].Err)
		require.NoError(t, sums[1].Err)
		return sums[0], sums[1]
	}
	idleOut, aloneIn := inboundSeen(false)
	busyOut, sharedIn := inboundSeen(true)
	assert.True(t, idleOut.Completed())
	assert.Equal(t, ledger.StoppedTimeBox, busyOut.Stopped, "the outbound backlog stops at its share")
	assert.Equal(t, ledger.StoppedTimeBox, sharedIn.Stopped)
	assert.Positive(t, sharedIn.Seen, "the inbound flow still runs in the slot")
	assert.Greater(t, aloneIn.Seen, sharedIn.Seen, "with the outbound flow idle, the inbound one has the whole box")
	// Half the box is 10 minutes; the page in hand when it ran out takes
	// up to 8 more here (this clock ticks a second per reading, and the
	// matching index reads it for every decision).
	assert.Less(t, busyOut.Ended.Sub(busyOut.Started), 18*time.Minute, "the outbound flow kept to its half of the box")
	assert.Less(t, busyOut.Ended.Sub(busyOut.Started)+sharedIn.Ended.Sub(sharedIn.Started), 28*time.Minute)
}

// R-SCHED-3: a run stopped in the middle of a page (a stop signal, an
// error) keeps what it did of that page: after it, no Bling contact is read
// in detail a second time.
func TestRSCHED3_AStopMidPageKeepsThePageInHand(t *testing.T) {
	for _, tc := range []struct {
		name            string
		cutAt, wantPage int
	}{
		{"in the first page", 50, 1},
		{"in a later page", 150, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			const n = 250
			for i := range n {
				h.bling.Seed(blingContact(fmt.Sprintf("Contato %03d", i), validCPF(i)))
			}
			ctx, cancel := context.WithCancel(t.Context())
			decided := 0
			sink := h.conn.Sink
			h.conn.Sink = flows.SinkFunc(func(r flows.Report) {
				sink.Record(r)
				if decided++; decided == tc.cutAt {
					cancel()
				}
			})
			sums, err := h.conn.Run(ctx, syncrules.BlingToAuvo)
			require.NoError(t, err)
			require.ErrorIs(t, sums[0].Err, context.Canceled)
			require.Equal(t, tc.cutAt, sums[0].Seen)
			cp, ok, err := h.store.Checkpoint(t.Context(), "acme", string(syncrules.BlingToAuvo))
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, tc.wantPage, cp.Page, "the page in hand is not done")
			assert.Len(t, cp.LastPage, tc.cutAt, "the pages before and what was done of this one")

			h.conn.Sink = sink
			h.clock.Advance(10 * time.Minute)
			sums = h.run(syncrules.BlingToAuvo)
			require.True(t, sums[0].Completed())
			assert.Equal(t, n-tc.cutAt, sums[0].Seen)
			assert.Equal(t, n, h.bling.Calls("GET /contatos/{id}"), "one detail read per contact")
			assert.Equal(t, n, h.auvo.Len())
		})
	}
}

// downSystem fails every create while down is set: a vendor outage.
type downSystem struct {
	flows.System
	down *atomic.Bool
}

func (d downSystem) Create(ctx context.Context, c syncrules.Customer, key string) (flows.Record, error) {
	if d.down.Load() {
		return flows.Record{}, errors.New("omie: 500 instabilidade")
	}
	return d.System.Create(ctx, c, key)
}

// R-SCHED-3 with the failure streak: an outage that begins at the end of a
// page and stops the run keeps no checkpoint past its failures, so the next
// run retries them, and nothing is skipped or duplicated.
func TestRSCHED3_AnOutageAcrossAPageBoundaryIsRetriedNotCheckpointed(t *testing.T) {
	h := newHarness(t)
	for i := range 250 {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
	}
	down := &atomic.Bool{}
	h.conn.Omie = downSystem{h.conn.Omie, down}
	decided := 0
	sink := h.conn.Sink
	h.conn.Sink = flows.SinkFunc(func(r flows.Report) {
		sink.Record(r)
		if decided++; decided == 90 { // the last 10 of page 1 fail, and on into page 2
			down.Store(true)
		}
	})
	sums := h.run(syncrules.AuvoToOmie)
	require.ErrorContains(t, sums[0].Err, "20 records failed in a row")
	assert.Equal(t, 20, sums[0].Counts[syncrules.Failed])
	_, ok, err := h.store.Checkpoint(t.Context(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	assert.False(t, ok, "no checkpoint past the failures")

	down.Store(false)
	h.conn.Sink = sink
	sums = h.run(syncrules.AuvoToOmie)
	require.True(t, sums[0].Completed())
	for _, c := range h.auvo.Customers() {
		assert.Len(t, h.omie.FindByDocumento(c.CpfCnpj), 1, "customer %d reached Omie once", c.ID)
	}
}

// R-SCHED-3: a caller's deadline (a replica's slot ending) caps the time
// box, so the run stops at a page boundary with a checkpoint, not cut off
// by the deadline with an error.
func TestRSCHED3_ACallersDeadlineEndsTheTimeBoxAtAPageBoundary(t *testing.T) {
	h := newHarness(t)
	for i := range 250 {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
	}
	timeBoxed(h, 24*time.Hour) // the box alone would let the whole backlog through
	// The deadline is real time; this clock moves a second per reading, so
	// the run reaches nine tenths of a minute after a few dozen records.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	sums, err := h.conn.Run(ctx, syncrules.AuvoToOmie)
	require.NoError(t, err)
	require.NoError(t, sums[0].Err, "stopped by the box, not cut by the deadline")
	assert.Equal(t, ledger.StoppedTimeBox, sums[0].Stopped)
	assert.Positive(t, sums[0].Remaining)
	assert.NoError(t, ctx.Err(), "the deadline itself did not pass")
}
