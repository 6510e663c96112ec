package flows

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/auvosync/auvosync/ledger"
)

// Time boxes and checkpoints (RULES.md R-SCHED-3).
//
// A connection's Run has its TimeBox (the 10-minute slot minus a margin),
// shared between its flows: each flow gets what is left divided by the
// flows still to run, so time a flow does not use goes to the next. A flow
// whose share is used up stops at the next page boundary and saves a
// checkpoint; the next slot resumes there. However big the backlog, every
// flow of every connection thus runs every slot.
//
// A pass is one walk over the source listing from one window start (the
// cursor when the pass began). It may span several runs; each run of it
// lists from the same window start, and the cursor moves, to the pass's
// first start minus Overlap, only when the listing was read to its end.
// Records changed while the pass went on, on pages already read, are read
// again by the next pass's window. Each run lists the window up to when it
// starts or later (see System.Changed), so a record changed between two
// runs of the pass is still in the next run's listing.
//
// Never skipping a record on resume: the checkpoint names the next page
// and the ids of the page before it, all processed. The resumed run reads
// that page again, passing over those ids (no second Bling detail read),
// so records that moved back a page, because records before them were
// deleted, are processed. The proof: a listing's order is fixed for records
// nobody changes (System.Changed), so a record not yet processed that
// nobody changed still comes after the checkpoint's records; if one of
// those is on the re-read page, it is on that page or later. A record that
// was changed is read by the next pass anyway. If none of the checkpoint's
// ids is on the page any more, the listing moved by more than a page and
// nothing proves that the records before it were seen: the run lists
// again from page 1, passing over what this pass processed in this run.
//
// A crash loses at most the page in hand: the checkpoint is saved at every
// page boundary, after the page's outcomes are flushed. A run that stops
// on an error or a stop signal saves the records of the page in hand too,
// so the next run reads that page again without processing them again.

// DefaultTimeBox is the time a connection's Run spends on its flows when
// Connection.TimeBox is not set: the 10-minute slot minus a margin for the
// lease, the ledger and a record in hand when the box runs out.
const DefaultTimeBox = 9 * time.Minute

func (c *Connection) timeBox() time.Duration {
	if c.TimeBox > 0 {
		return c.TimeBox
	}
	return DefaultTimeBox
}

// pass is a run's place in its flow's pass over the source.
type pass struct {
	cp      ledger.Checkpoint
	resumed bool
	// share is the run's part of the connection's time box.
	share time.Duration
	// arrived is the last page announced by the listing, with its size and
	// the vendor's total; current is the page whose records are in hand.
	arrived, current Page
	// pageIDs are the ids processed since the last checkpoint (the current
	// page's, and a page's before it whose checkpoint was held back), and
	// items the records of the pages done since then.
	pageIDs []string
	items   int
	// anchored: a resumed run found one of the checkpoint's ids again.
	anchored bool
	// unpaged: the listing restarted its page numbers (a new date window
	// of a span over a year): pages can no longer name a resume point, so
	// this run neither checkpoints nor stops at its time box.
	unpaged bool
	stopped bool
}

// startPass reads the flow's checkpoint, or starts a pass from the cursor.
func (r *run) startPass(ctx context.Context) error {
	cp, ok, err := r.store.Checkpoint(ctx, r.c.Name, string(r.flow))
	if err != nil {
		return fmt.Errorf("reading the checkpoint: %w", err)
	}
	if ok {
		r.pass.cp, r.pass.resumed = cp, true
		return nil
	}
	// Zero until the flow has completed a run: the first run reads everything.
	since, _, err := r.store.Cursor(ctx, r.c.Name, string(r.flow))
	if err != nil {
		return fmt.Errorf("reading the cursor: %w", err)
	}
	r.pass.cp = ledger.Checkpoint{Conn: r.c.Name, Flow: string(r.flow), Since: since, Started: r.start, Total: -1}
	return nil
}

// startPage is where this run's listing begins: a page before the
// checkpoint's, to catch records that moved back onto it.
func (p *pass) startPage() int {
	if !p.resumed {
		return 1
	}
	return max(p.cp.Page-1, 1)
}

// onPage hears of a page before its records.
func (p *pass) onPage(pg Page) {
	if p.arrived.Number != 0 && pg.Number <= p.arrived.Number {
		p.unpaged = true
	}
	p.arrived = pg
	if pg.Total >= 0 {
		p.cp.Total = pg.Total
	}
}

// atBoundary handles a page boundary, if the next record begins a new page:
// it checkpoints the page just processed and reports whether the run must
// stop here (its share is used up), or list again from page 1 (restart).
func (r *run) atBoundary(ctx context.Context) (stop, restart bool, err error) {
	p := &r.pass
	if p.arrived.Number == p.current.Number && !p.unpaged {
		return false, false, nil
	}
	done := p.current
	p.current = p.arrived
	if done.Number == 0 || p.unpaged {
		return false, false, nil
	}
	if p.resumed && done.Number == p.startPage() && !p.anchored {
		r.log.Warn("the listing moved by more than a page since the checkpoint; listing again from page 1",
			"checkpoint_page", p.cp.Page)
		return false, true, nil
	}
	progressed, err := r.checkpoint(ctx, done)
	if err != nil {
		return false, false, err
	}
	// The page re-read on resume is not progress: stop only after a new one,
	// so a run always moves its pass on.
	if progressed && r.c.now().Sub(r.start) >= p.share {
		p.stopped = true
		return true, false, nil
	}
	return false, false, nil
}

// atEnd reports whether a resumed listing that ended must be read again
// from page 1: it never showed the checkpoint's page again.
func (r *run) atEnd() (restart bool) {
	p := &r.pass
	if !p.resumed || p.anchored || p.unpaged || p.current.Number > p.startPage() {
		return false
	}
	r.log.Warn("the listing shrank by more than a page since the checkpoint; listing again from page 1",
		"checkpoint_page", p.cp.Page)
	return true
}

// restart begins the pass's listing again at page 1, in the same window.
func (p *pass) restart() {
	p.resumed, p.anchored = false, false
	p.cp.Page, p.cp.Done = 1, 0
	p.arrived, p.current, p.pageIDs, p.items = Page{}, Page{}, p.pageIDs[:0], 0
}

// checkpoint records that every record of page done was processed, and
// reports whether it saved a checkpoint beyond the pages done before.
//
// Records failing in a row at the page's end (r.streak) may be the start
// of an outage that stops the run (failureStreak); their checkpoint is held
// back until a record succeeds, so a run that stops on the outage leaves
// them to the next run, as a run stopped by an error always has.
func (r *run) checkpoint(ctx context.Context, done Page) (bool, error) {
	p := &r.pass
	if done.Number < p.cp.Page {
		// The page re-read on resume: already counted.
		if r.streak == 0 {
			p.pageIDs = p.pageIDs[:0]
		}
		return false, nil
	}
	p.items += done.Items
	if r.streak > 0 {
		return false, nil
	}
	// A run that lost its lease must not move the pass of the one that
	// took over.
	if err := r.lease.check(ctx); err != nil {
		return false, err
	}
	// The page is done even if the run was just told to stop: record it.
	ctx = context.WithoutCancel(ctx)
	if err := r.flush(ctx); err != nil {
		return false, err
	}
	p.cp.Page, p.cp.Done = done.Number+1, p.cp.Done+p.items
	p.cp.LastPage, p.cp.At = slices.Clone(p.pageIDs), r.c.now()
	p.pageIDs, p.items = p.pageIDs[:0], 0
	if err := r.store.SaveCheckpoint(ctx, p.cp); err != nil {
		return false, fmt.Errorf("saving the checkpoint: %w", err)
	}
	return true, nil
}

// checkpointInHand saves, for a run stopping on an error, the records of
// the page in hand that were processed: the checkpoint stays at that page,
// and its processed ids are those of the page before it and these. It is
// called only while the run holds the lease: a run that lost it must not
// move the pass of the run that took over.
func (r *run) checkpointInHand(ctx context.Context) {
	p := &r.pass
	reached := max(p.cp.Page, 1) // the first page the pass has not done
	if p.unpaged || p.current.Number != reached || len(p.pageIDs) == 0 || r.streak > 0 {
		return // nothing processed beyond the pages checkpointed, or an outage (see checkpoint)
	}
	cp := p.cp
	cp.Page = reached
	cp.LastPage, cp.At = append(slices.Clone(cp.LastPage), p.pageIDs...), r.c.now()
	if err := r.store.SaveCheckpoint(ctx, cp); err != nil {
		r.log.Warn("saving the checkpoint of the page in hand", "error", err)
	}
}

// listed notes a record of the current page as processed (or passed over
// as processed before), and whether it anchors a resumed listing.
func (p *pass) listed(id string) {
	p.pageIDs = append(p.pageIDs, id)
	if p.resumed && !p.anchored && slices.Contains(p.cp.LastPage, id) {
		p.anchored = true
	}
}

// remaining is how many records the listing held beyond the pages done.
func (p *pass) remaining() int {
	if p.cp.Total < 0 {
		return -1
	}
	return max(p.cp.Total-p.cp.Done, 0)
}
