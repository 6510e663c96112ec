package flows

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// The matching index (RULES.md R-BUDGET-1): per connection, the ledger
// keeps what document matching needs of both sides (ids, keyed document
// hashes, external codes, integration keys, created time, active), so an
// unlinked record is matched against it instead of costing one or two
// lookups per record. The index is filled by the listings the flows make
// anyway (a source listing feeds its side) and refreshed by modification
// time, lazily: only a match decision refreshes it, so a cycle in which
// nothing is new makes no index call at all.
//
// Freshness: the index a match decision reads was brought up to date after
// the current source page arrived and less than indexMaxAge ago, so a record
// someone creates on the other side during a long run is still found. What
// the index cannot know is a deletion (no vendor lists them): a candidate
// is read (Get) or written before anything is decided on it, and one the
// vendor no longer has is dropped and the record matched again.

const (
	// indexMaxAge bounds how old the index a match decision reads may be.
	indexMaxAge = 60 * time.Second
	// indexSkew is how much before a refresh's start the next one lists
	// from, for vendor clocks a little behind ours. It is short: every
	// second of it is re-read on every refresh of a backlog.
	indexSkew = 2 * time.Second
	// indexBatch bounds the entries kept before they are written.
	indexBatch = 500
	// auvoSide is the index side of Auvo; partners go by their name.
	auvoSide = "auvo"
)

// sideIndex is one side's index as a run sees it: the ledger's entries,
// under what the run learnt (listed, wrote, read) and has not written yet.
// Those are written in batches (indexBatch, each refresh, the run's end),
// so the run holds no more than a few pages of entries.
type sideIndex struct {
	name string
	sys  System
	// entries (with byDoc and byCode over them) and dropped are not
	// written yet.
	entries map[string]ledger.IndexEntry
	byDoc   map[string][]string
	byCode  map[string][]string
	dropped map[string]bool

	stateRead bool
	state     ledger.IndexState
	known     bool // listed in full at some point
	// refreshedPage and refreshedAt: the source page and time at which the
	// side was last brought up to date in this run (page 0: not yet).
	refreshedPage int
	refreshedAt   time.Time
}

func newSideIndex(name string, sys System) *sideIndex {
	s := &sideIndex{name: name, sys: sys}
	s.reset()
	return s
}

func (s *sideIndex) reset() {
	s.entries, s.byDoc, s.byCode, s.dropped = map[string]ledger.IndexEntry{}, map[string][]string{}, map[string][]string{}, map[string]bool{}
}

func (s *sideIndex) put(e ledger.IndexEntry) {
	s.unlist(e.ID)
	s.entries[e.ID] = e
	if e.DocHash != "" {
		s.byDoc[e.DocHash] = append(s.byDoc[e.DocHash], e.ID)
	}
	if e.ExternalCode != "" {
		s.byCode[e.ExternalCode] = append(s.byCode[e.ExternalCode], e.ID)
	}
	delete(s.dropped, e.ID)
}

// drop forgets a record the vendor no longer has.
func (s *sideIndex) drop(id string) {
	s.unlist(id)
	delete(s.entries, id)
	s.dropped[id] = true
}

func (s *sideIndex) unlist(id string) {
	old, ok := s.entries[id]
	if !ok {
		return
	}
	s.byDoc[old.DocHash] = slices.DeleteFunc(s.byDoc[old.DocHash], func(x string) bool { return x == id })
	s.byCode[old.ExternalCode] = slices.DeleteFunc(s.byCode[old.ExternalCode], func(x string) bool { return x == id })
}

// overlay puts what the run has not written yet over the ledger's entries.
func (s *sideIndex) overlay(stored []ledger.IndexEntry, unwritten []string) []ledger.IndexEntry {
	out := make([]ledger.IndexEntry, 0, len(stored)+len(unwritten))
	for _, e := range stored {
		if _, newer := s.entries[e.ID]; !newer && !s.dropped[e.ID] {
			out = append(out, e)
		}
	}
	for _, id := range unwritten {
		out = append(out, s.entries[id])
	}
	// Oldest first, then by id: the order the vendors' own lookups gave.
	slices.SortFunc(out, func(a, b ledger.IndexEntry) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// withDoc returns the side's entries whose document hashes to dh.
func (r *run) withDoc(ctx context.Context, s *sideIndex, dh string) ([]ledger.IndexEntry, error) {
	stored, err := r.store.IndexByDocHash(ctx, r.c.Name, s.name, dh)
	if err != nil {
		return nil, inLedger(fmt.Errorf("reading the %s index: %w", s.name, err))
	}
	return s.overlay(stored, s.byDoc[dh]), nil
}

// withCode returns the side's entries whose external code is code.
func (r *run) withCode(ctx context.Context, s *sideIndex, code string) ([]ledger.IndexEntry, error) {
	stored, err := r.store.IndexByExternalCode(ctx, r.c.Name, s.name, code)
	if err != nil {
		return nil, inLedger(fmt.Errorf("reading the %s index: %w", s.name, err))
	}
	return s.overlay(stored, s.byCode[code]), nil
}

// indexLister is implemented by Systems with a listing cheaper for the index
// than Changed (bigger pages, fewer fields).
type indexLister interface {
	indexListing(ctx context.Context, since time.Time, onPage func(Page)) iter.Seq2[Record, error]
}

func (s *sideIndex) listing(ctx context.Context, since time.Time, onPage func(Page)) iter.Seq2[Record, error] {
	if l, ok := s.sys.(indexLister); ok {
		return l.indexListing(ctx, since, onPage)
	}
	return s.sys.Changed(ctx, since, 1, onPage) // an index refresh reads its window whole
}

// openIndex sets up the run's two sides; nothing is read until needed. A
// partner is indexed when some flow matches against it (the outbound
// flows'); Auvo always is.
func (r *run) openIndex() {
	r.auvoIndex = newSideIndex(auvoSide, r.auvo)
	for _, f := range syncrules.AllFlows() {
		if f.Outbound() && f.Partner() == r.flow.Partner() {
			r.partnerIndex = newSideIndex(string(f.Partner()), r.partner)
		}
	}
}

// sourceIndex is the side the run's source listing feeds, or nil.
func (r *run) sourceIndex() *sideIndex {
	if r.source.auvo {
		return r.auvoIndex
	}
	return r.partnerIndex
}

func (r *run) entryOf(rec Record) ledger.IndexEntry {
	return ledger.IndexEntry{
		ID: rec.ID, DocHash: r.docHash(syncrules.NormalizeDocument(rec.Document)),
		ExternalCode: strings.TrimSpace(rec.ExternalCode), Key: rec.Key,
		Created: rec.Created, Modified: rec.Modified, Active: rec.Active,
	}
}

// indexCreated records a record this run created: its document is the
// source's, and its times are ours until a refresh reads the vendor's.
func (r *run) indexCreated(s *sideIndex, rec Record, dh, externalCode, key string) {
	e := r.written(rec, dh)
	e.Active = true
	if externalCode != "" {
		e.ExternalCode = externalCode
	}
	if key != "" {
		e.Key = key
	}
	now := r.c.now()
	if e.Created.IsZero() {
		e.Created = now
	}
	if e.Modified.IsZero() {
		e.Modified = now
	}
	s.put(e)
}

// written is the entry of a record as one of our writes returned it; its
// document is dh (a dry run's pretended writes return little else).
func (r *run) written(rec Record, dh string) ledger.IndexEntry {
	e := r.entryOf(rec)
	if e.DocHash == "" {
		e.DocHash = dh
	}
	return e
}

// indexPage hears that a new source page arrived: from now on a match
// decision needs an index refreshed after it.
func (r *run) indexPage() { r.page++ }

// indexFeed keeps the source side's index in step with the source listing.
func (r *run) indexFeed(ctx context.Context, rec Record) error {
	s := r.sourceIndex()
	if s == nil {
		return nil
	}
	s.put(r.entryOf(rec))
	if len(s.entries) >= indexBatch {
		return r.flushIndex(ctx, s, nil)
	}
	return nil
}

// indexListed is called once the pass has processed the whole source
// listing: it covered every record modified since the cursor, so when the
// side's index was complete up to the cursor (or the listing was a full
// one) it is now complete up to the start of the pass's first run (a pass
// may span several time-boxed runs, R-SCHED-3).
func (r *run) indexListed(ctx context.Context) error {
	s := r.sourceIndex()
	if s == nil {
		return nil
	}
	if err := r.loadState(ctx, s); err != nil {
		return err
	}
	if !r.since.IsZero() && (!s.known || r.since.After(s.state.Through)) {
		return r.flushIndex(ctx, s, nil)
	}
	started := r.pass.cp.Started
	next := s.state
	if r.since.IsZero() {
		next.FullAt = started
	}
	next.Through = maxTime(next.Through, started.Add(-indexSkew))
	return r.flushIndex(ctx, s, &next)
}

// closeIndex writes what the run learnt and has not written yet.
func (r *run) closeIndex(ctx context.Context) error {
	for _, s := range []*sideIndex{r.auvoIndex, r.partnerIndex} {
		if s != nil {
			if err := r.flushIndex(ctx, s, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *run) flushIndex(ctx context.Context, s *sideIndex, state *ledger.IndexState) error {
	if len(s.entries) == 0 && len(s.dropped) == 0 && state == nil {
		return nil
	}
	put := make([]ledger.IndexEntry, 0, len(s.entries))
	for _, e := range s.entries {
		put = append(put, e)
	}
	err := r.store.UpdateIndex(ctx, ledger.IndexUpdate{Conn: r.c.Name, Side: s.name, Put: put, Drop: slices.Collect(maps.Keys(s.dropped)), State: state})
	if err != nil {
		return inLedger(fmt.Errorf("writing the %s index: %w", s.name, err))
	}
	if !r.c.DryRun { // a dry run's ledger drops the write: the run keeps it
		s.reset()
	}
	if state != nil {
		s.state, s.known = *state, true
	}
	return nil
}

func (r *run) loadState(ctx context.Context, s *sideIndex) error {
	if s.stateRead {
		return nil
	}
	st, known, err := r.store.IndexState(ctx, r.c.Name, s.name)
	if err != nil {
		return inLedger(fmt.Errorf("reading the %s index: %w", s.name, err))
	}
	s.state, s.known, s.stateRead = st, known, true
	return nil
}

// freshIndex makes s fit for a match decision: listed in full once, and
// brought up to date after the current source page and within indexMaxAge.
func (r *run) freshIndex(ctx context.Context, s *sideIndex) error {
	if err := r.loadState(ctx, s); err != nil {
		return err
	}
	if s.known && s.refreshedPage == r.page && r.page > 0 && r.c.now().Sub(s.refreshedAt) < indexMaxAge {
		return nil
	}
	return r.refreshIndex(ctx, s)
}

// refreshIndex lists what changed on s since its state (everything, the
// first time) and stores it with the new state in one write.
func (r *run) refreshIndex(ctx context.Context, s *sideIndex) error {
	start := r.c.now()
	since := time.Time{}
	if s.known {
		since = s.state.Through
	}
	var end listingEnd
	for rec, err := range s.listing(ctx, since, end.onPage) {
		if err != nil {
			return fmt.Errorf("refreshing the %s index: %w", s.name, err)
		}
		s.put(r.entryOf(rec))
		if end.reached() {
			break
		}
		if len(s.entries) >= indexBatch {
			if err := r.flushIndex(ctx, s, nil); err != nil {
				return err
			}
		}
	}
	next := s.state
	if !s.known {
		next.FullAt = start
	}
	next.Through = maxTime(next.Through, start.Add(-indexSkew))
	if err := r.flushIndex(ctx, s, &next); err != nil {
		return err
	}
	s.refreshedPage, s.refreshedAt = r.page, start
	return nil
}

// listingEnd notices the last record of a listing whose pages say the
// total, so the listing stops there instead of asking for one more page
// (Auvo answers a 404 past the end; that call is saved). A listing whose
// page numbers start over (several date windows) is read to its end.
type listingEnd struct {
	page, total, left int
	windows           bool
}

func (e *listingEnd) onPage(p Page) {
	if p.Number != e.page+1 {
		e.windows = true
	}
	if p.Number == 1 {
		e.left = p.Total
	}
	e.page, e.total = p.Number, p.Total
}

// reached counts one record and reports whether it was the last.
func (e *listingEnd) reached() bool {
	e.left--
	return !e.windows && e.total > 0 && e.left <= 0
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
