package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// This file holds what both stores do around their SQL: turning rows into
// values, checking input, and building results. The SQL stays in each
// store (the dialects differ); the Go around it lives here once.

// rowScanner is one row of either store: *sql.Row, *sql.Rows, pgx.Row or
// pgx.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// rowIter is a result set of either store (*sql.Rows, pgx.Rows). Closing
// it is the caller's: the two Close methods differ.
type rowIter interface {
	rowScanner
	Next() bool
	Err() error
}

// collect scans every row of rows with scan. wrap turns a read failure into
// the store's error; a storedDataError passes through as it is.
func collect[T any](rows rowIter, scan func(rowScanner) (T, error), wrap func(error) error) ([]T, error) {
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, wrapRead(err, wrap)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err)
	}
	return out, nil
}

// wrapRead is wrap(err), except for a storedDataError: its message is
// complete already.
func wrapRead(err error, wrap func(error) error) error {
	if sde := (*storedDataError)(nil); errors.As(err, &sde) {
		return err
	}
	return wrap(err)
}

// storedDataError is a row that was read but holds something this binary
// cannot decode.
type storedDataError struct{ err error }

func (e *storedDataError) Error() string { return e.err.Error() }
func (e *storedDataError) Unwrap() error { return e.err }

// wrapf is the SQLite store's error for a failed read: "ledger: <what>: <cause>".
func wrapf(what string) func(error) error {
	return func(err error) error { return fmt.Errorf("ledger: %s: %w", what, err) }
}

// wrapf is the PostgreSQL store's error for a failed read, password removed.
func (s *Postgres) wrapf(what string) func(error) error {
	return func(err error) error { return s.errorf("%s: %w", what, err) }
}

const selectLink = `SELECT conn, partner, auvo_id, partner_id, doc_hash, flow, state,
	linked_at_ns, updated_at_ns, auvo_hash, partner_hash FROM links`

func scanLink(r rowScanner) (Link, error) {
	var l Link
	var state string
	var linked, updated int64
	err := r.Scan(&l.Conn, &l.Partner, &l.AuvoID, &l.PartnerID, &l.DocHash, &l.Flow, &state,
		&linked, &updated, &l.AuvoHash, &l.PartnerHash)
	l.State = LinkState(state)
	l.LinkedAt, l.UpdatedAt = fromNS(linked), fromNS(updated)
	return l, err
}

// selectLinkEvents is followed by the store's WHERE conn, partner, auvo_id.
const selectLinkEvents = `SELECT id, conn, partner, auvo_id, partner_id, doc_hash, flow, kind, state,
	who, reason, evidence, at_ns FROM link_events`

func scanLinkEvent(r rowScanner) (LinkEvent, error) {
	var e LinkEvent
	var kind, state string
	var at int64
	err := r.Scan(&e.ID, &e.Conn, &e.Partner, &e.AuvoID, &e.PartnerID, &e.DocHash, &e.Flow,
		&kind, &state, &e.Who, &e.Reason, &e.Evidence, &at)
	e.Kind, e.State, e.At = EventKind(kind), LinkState(state), fromNS(at)
	return e, err
}

const selectRun = `SELECT id, conn, flow, dry_run, started_at_ns, ended_at_ns, counts, error, stopped, remaining FROM runs`

// scanRun reads a row of selectRun. dry_run is an INTEGER 0/1 in SQLite and
// a BOOLEAN in PostgreSQL; both drivers scan either into a bool.
func scanRun(r rowScanner) (Run, error) {
	var run Run
	var started, ended int64
	var counts string
	if err := r.Scan(&run.ID, &run.Conn, &run.Flow, &run.DryRun, &started, &ended, &counts,
		&run.Error, &run.Stopped, &run.Remaining); err != nil {
		return Run{}, err
	}
	run.StartedAt, run.EndedAt = fromNS(started), fromNS(ended)
	if err := json.Unmarshal([]byte(counts), &run.Counts); err != nil {
		return Run{}, &storedDataError{fmt.Errorf("ledger: run %d has corrupt counts: %w", run.ID, err)}
	}
	return run, nil
}

// encodeCounts is how FinishRun stores a run's counts (never null).
func encodeCounts(counts map[string]int) (string, error) {
	if counts == nil {
		counts = map[string]int{}
	}
	encoded, err := json.Marshal(counts)
	if err != nil {
		return "", fmt.Errorf("ledger: FinishRun: encode counts: %w", err)
	}
	return string(encoded), nil
}

// boolInt is a bool as SQLite's INTEGER columns store it.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const selectOutcome = `SELECT run_id, conn, flow, source_id, target_id, kind, rule, reason, at_ns FROM outcomes`

func scanOutcome(r rowScanner) (Outcome, error) {
	var o Outcome
	var at int64
	err := r.Scan(&o.RunID, &o.Conn, &o.Flow, &o.SourceID, &o.TargetID, &o.Kind, &o.Rule, &o.Reason, &at)
	o.At = fromNS(at)
	return o, err
}

const selectRecordedOutcome = `SELECT id, run_id, conn, flow, source_id, target_id, kind, rule, reason, at_ns FROM outcomes`

func scanRecordedOutcome(r rowScanner) (RecordedOutcome, error) {
	var o RecordedOutcome
	var at int64
	err := r.Scan(&o.ID, &o.RunID, &o.Conn, &o.Flow, &o.SourceID, &o.TargetID, &o.Kind, &o.Rule, &o.Reason, &at)
	o.At = fromNS(at)
	return o, err
}

func scanOutcomeCount(r rowScanner) (OutcomeCount, error) {
	var c OutcomeCount
	err := r.Scan(&c.Kind, &c.Rule, &c.Count)
	return c, err
}

// runCount is one row of a count per run and kind.
type runCount struct {
	run  int64
	kind string
	n    int
}

func scanRunCount(r rowScanner) (runCount, error) {
	var c runCount
	err := r.Scan(&c.run, &c.kind, &c.n)
	return c, err
}

// connCount is one row of a count per connection.
type connCount struct {
	conn string
	n    int
}

func scanConnCount(r rowScanner) (connCount, error) {
	var c connCount
	err := r.Scan(&c.conn, &c.n)
	return c, err
}

func lockCounts(rows []connCount) map[string]int {
	counts := map[string]int{}
	for _, c := range rows {
		counts[c.conn] = c.n
	}
	return counts
}

// outcomeCountsFor checks OutcomeCounts' run IDs and returns the result to
// fill: every given run present, with no kinds yet.
func outcomeCountsFor(runIDs []int64) (map[int64]map[string]int, error) {
	if len(runIDs) > MaxPage {
		return nil, fmt.Errorf("ledger: OutcomeCounts: %d runs, at most %d at once", len(runIDs), MaxPage)
	}
	counts := make(map[int64]map[string]int, len(runIDs))
	for _, id := range runIDs {
		counts[id] = map[string]int{}
	}
	return counts, nil
}

func addRunCounts(counts map[int64]map[string]int, rows []runCount) {
	for _, c := range rows {
		counts[c.run][c.kind] = c.n
	}
}

// firstRun is Run's answer from the rows read for one ID.
func firstRun(runs []Run, runID int64) (Run, error) {
	if len(runs) == 0 {
		return Run{}, fmt.Errorf("%w: no run %d", ErrNotFound, runID)
	}
	return runs[0], nil
}

// checkOutcomeQuery refuses a RunOutcomes page size out of range or an
// unknown kind.
func checkOutcomeQuery(q OutcomeQuery) error {
	if err := checkLimit("RunOutcomes", q.Limit); err != nil {
		return err
	}
	if q.Kind != "" && !validOutcomeKind(q.Kind) {
		return fmt.Errorf("ledger: RunOutcomes: unknown outcome kind %q", q.Kind)
	}
	return nil
}

// outcomePage is RunOutcomes' page from up to limit+1 rows: the extra row
// only says a next page exists.
func outcomePage(outcomes []RecordedOutcome, limit int) OutcomePage {
	page := OutcomePage{Outcomes: outcomes}
	if len(page.Outcomes) > limit {
		page.Outcomes = page.Outcomes[:limit]
		page.Next = page.Outcomes[limit-1].ID
	}
	return page
}

const selectIntent = `SELECT id, conn, flow, source_id, kind, target_key, created_at_ns FROM intents`

func scanIntent(r rowScanner) (Intent, error) {
	var in Intent
	var created int64
	err := r.Scan(&in.ID, &in.Conn, &in.Flow, &in.SourceID, &in.Kind, &in.TargetKey, &created)
	in.CreatedAt = fromNS(created)
	return in, err
}

// selectCheckpoint is followed by the store's WHERE conn, flow.
const selectCheckpoint = `SELECT since_ns, started_ns, page, done, total, last_page, at_ns FROM checkpoints`

func scanCheckpoint(r rowScanner, conn, flow string) (Checkpoint, error) {
	cp := Checkpoint{Conn: conn, Flow: flow}
	var since, started, at int64
	var lastPage string
	if err := r.Scan(&since, &started, &cp.Page, &cp.Done, &cp.Total, &lastPage, &at); err != nil {
		return Checkpoint{}, err
	}
	if err := json.Unmarshal([]byte(lastPage), &cp.LastPage); err != nil {
		return Checkpoint{}, &storedDataError{fmt.Errorf("ledger: checkpoint of %s/%s is corrupt: %w", conn, flow, err)}
	}
	cp.Since, cp.Started, cp.At = fromNS(since), fromNS(started), fromNS(at)
	return cp, nil
}

// selectLease is followed by the store's WHERE conn.
const selectLease = `SELECT host, pid, started, run, expires_at_ns FROM leases`

func scanLease(r rowScanner, conn string) (Lease, error) {
	l := Lease{Conn: conn}
	var expires int64
	if err := r.Scan(&l.Holder.Host, &l.Holder.PID, &l.Holder.Started, &l.Holder.Run, &expires); err != nil {
		return Lease{}, err
	}
	l.Expires = fromNS(expires)
	return l, nil
}

func scanIndexEntry(r rowScanner) (IndexEntry, error) {
	var e IndexEntry
	var created, modified int64
	err := r.Scan(&e.ID, &e.DocHash, &e.ExternalCode, &e.Key, &created, &modified, &e.Active)
	e.Created, e.Modified = fromNS(created), fromNS(modified)
	return e, err
}

// Times are stored as UTC unix nanoseconds (0 = zero time): portable, and
// they compare as numbers.
func toNS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNS(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}
