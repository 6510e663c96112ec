package flows

import (
	"cmp"
	"context"
	"fmt"
	"iter"
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

// sideIndex is one side's index as a run holds it: the entries it touched
// (listed, wrote, read) and, once a decision needed them, all the others.
type sideIndex struct {
	name    string
	sys     System
	entries map[string]ledger.IndexEntry
	byDoc   map[string][]string
	byCode  map[string][]string
	pending map[string]bool // ids to write
	dropped []string

	loaded bool // the store's entries and state are in
	state  ledger.IndexState
	known  bool // listed in full at some point
	// refreshedPage and refreshedAt: the source page and time at which the
	// side was last brought up to date in this run (page 0: not yet).
	refreshedPage int
	refreshedAt   time.Time
}

func newSideIndex(name string, sys System) *sideIndex {
	return &sideIndex{name: name, sys: sys, entries: map[string]ledger.IndexEntry{},
		byDoc: map[string][]string{}, byCode: map[string][]string{}, pending: map[string]bool{}}
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
	s.pending[e.ID] = true
}

// drop forgets a record the vendor no longer has.
func (s *sideIndex) drop(id string) {
	s.unlist(id)
	delete(s.entries, id)
	delete(s.pending, id)
	s.dropped = append(s.dropped, id)
}

// setCode records an external code our own write gave a record.
func (s *sideIndex) setCode(id, code string) {
	if e, ok := s.entries[id]; ok {
		e.ExternalCode = code
		s.put(e)
	}
}

func (s *sideIndex) unlist(id string) {
	old, ok := s.entries[id]
	if !ok {
		return
	}
	s.byDoc[old.DocHash] = slices.DeleteFunc(s.byDoc[old.DocHash], func(x string) bool { return x == id })
	s.byCode[old.ExternalCode] = slices.DeleteFunc(s.byCode[old.ExternalCode], func(x string) bool { return x == id })
}

func (s *sideIndex) lookup(ids []string) []ledger.IndexEntry {
	out := make([]ledger.IndexEntry, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.entries[id])
	}
	// Oldest first, then by id: the order the vendors' own lookups gave.
	slices.SortFunc(out, func(a, b ledger.IndexEntry) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// withDoc returns the entries whose document hashes to dh.
func (s *sideIndex) withDoc(dh string) []ledger.IndexEntry { return s.lookup(s.byDoc[dh]) }

// withCode returns the entries whose external code is code.
func (s *sideIndex) withCode(code string) []ledger.IndexEntry { return s.lookup(s.byCode[code]) }

// indexLister is implemented by Systems with a listing cheaper for the index
// than Changed (bigger pages, fewer fields).
type indexLister interface {
	indexListing(ctx context.Context, since time.Time, onPage func(Page)) iter.Seq2[Record, error]
}

func (s *sideIndex) listing(ctx context.Context, since time.Time, onPage func(Page)) iter.Seq2[Record, error] {
	if l, ok := s.sys.(indexLister); ok {
		return l.indexListing(ctx, since, onPage)
	}
	return s.sys.Changed(ctx, since, onPage)
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
	e := r.entryOf(rec)
	e.DocHash, e.Active = dh, true
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
	if len(s.pending) >= indexBatch {
		return r.flushIndex(ctx, s, nil)
	}
	return nil
}

// indexListed is called once the whole source listing was processed: it
// covered every record modified since the cursor, so when the side's index
// was complete up to the cursor (or the listing was a full one) it is now
// complete up to this run's start.
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
	next := s.state
	if r.since.IsZero() {
		next.FullAt = r.start
	}
	next.Through = maxTime(next.Through, r.start.Add(-indexSkew))
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
	if len(s.pending) == 0 && len(s.dropped) == 0 && state == nil {
		return nil
	}
	put := make([]ledger.IndexEntry, 0, len(s.pending))
	for id := range s.pending {
		put = append(put, s.entries[id])
	}
	err := r.store.UpdateIndex(ctx, ledger.IndexUpdate{Conn: r.c.Name, Side: s.name, Put: put, Drop: s.dropped, State: state})
	if err != nil {
		return inLedger(fmt.Errorf("writing the %s index: %w", s.name, err))
	}
	clear(s.pending)
	s.dropped = nil
	if state != nil {
		s.state, s.known = *state, true
	}
	return nil
}

func (r *run) loadState(ctx context.Context, s *sideIndex) error {
	if s.loaded {
		return nil
	}
	st, known, err := r.store.IndexState(ctx, r.c.Name, s.name)
	if err != nil {
		return inLedger(fmt.Errorf("reading the %s index: %w", s.name, err))
	}
	s.state, s.known = st, known
	return nil
}

// loadIndex brings the store's entries in, under the ones this run touched
// (they are newer).
func (r *run) loadIndex(ctx context.Context, s *sideIndex) error {
	if s.loaded {
		return nil
	}
	if err := r.loadState(ctx, s); err != nil {
		return err
	}
	if err := r.flushIndex(ctx, s, nil); err != nil {
		return err
	}
	stored, err := r.store.IndexEntries(ctx, r.c.Name, s.name)
	if err != nil {
		return inLedger(fmt.Errorf("reading the %s index: %w", s.name, err))
	}
	for _, e := range stored {
		if _, touched := s.entries[e.ID]; !touched {
			s.put(e)
			delete(s.pending, e.ID)
		}
	}
	s.loaded = true
	return nil
}

// freshIndex makes s fit for a match decision: loaded, listed in full once,
// and brought up to date after the current source page and within
// indexMaxAge.
func (r *run) freshIndex(ctx context.Context, s *sideIndex) error {
	if err := r.loadIndex(ctx, s); err != nil {
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
