package ledger

import (
	"context"
	"fmt"
	"strings"
)

// ReportStore is what the analyst console reads beyond RunStore and
// LockStore: pages of runs and outcomes that stay fast however many outcomes
// the state holds (keyset pagination over indexed columns, never OFFSET),
// and the counts its charts draw. The SQL is portable, so a PostgreSQL store
// can implement it the same way.
type ReportStore interface {
	// Run returns one run, or ErrNotFound.
	Run(ctx context.Context, runID int64) (Run, error)
	// FlowRuns returns up to limit runs of one connection and flow, newest
	// first, whose IDs are below before (before <= 0: from the newest).
	FlowRuns(ctx context.Context, conn, flow string, before int64, limit int) ([]Run, error)
	// RunOutcomes returns one page of a run's outcomes in recorded order.
	RunOutcomes(ctx context.Context, q OutcomeQuery) (OutcomePage, error)
	// RunBreakdown counts a run's outcomes by kind and rule, most frequent
	// first.
	RunBreakdown(ctx context.Context, runID int64) ([]OutcomeCount, error)
	// OutcomeCounts counts the outcomes of each given run by kind: what a
	// run recorded even when it never finished (Run.Counts is written only
	// by FinishRun).
	OutcomeCounts(ctx context.Context, runIDs []int64) (map[int64]map[string]int, error)
	// LockCounts returns the number of locked records per connection.
	LockCounts(ctx context.Context) (map[string]int, error)
}

var _ ReportStore = (*SQLite)(nil)

// MaxPage is the largest page RunOutcomes and FlowRuns return.
const MaxPage = 1000

// OutcomeQuery selects a page of one run's outcomes. Empty Kind or Rule
// matches every value.
type OutcomeQuery struct {
	RunID int64
	Kind  string
	Rule  string
	// After is the ID of the last outcome of the previous page (0: the
	// first page).
	After int64
	// Limit is the page size, 1..MaxPage.
	Limit int
}

// RecordedOutcome is an outcome with its ID in the ledger, the key of
// RunOutcomes' pages.
type RecordedOutcome struct {
	ID int64
	Outcome
}

// OutcomePage is one page of RunOutcomes.
type OutcomePage struct {
	Outcomes []RecordedOutcome
	// Next is the After of the next page, or 0 when this is the last one.
	Next int64
}

// OutcomeCount is how many outcomes of one kind one rule produced in a run.
type OutcomeCount struct {
	Kind  string
	Rule  string
	Count int
}

func (s *SQLite) Run(ctx context.Context, runID int64) (Run, error) {
	runs, err := s.queryRuns(ctx, selectRun+` WHERE id = ?`, runID)
	if err != nil {
		return Run{}, err
	}
	return firstRun(runs, runID)
}

func checkLimit(op string, limit int) error {
	if limit < 1 || limit > MaxPage {
		return fmt.Errorf("ledger: %s: limit %d is not in 1..%d", op, limit, MaxPage)
	}
	return nil
}

func (s *SQLite) FlowRuns(ctx context.Context, conn, flow string, before int64, limit int) ([]Run, error) {
	if err := required("FlowRuns", "conn", conn, "flow", flow); err != nil {
		return nil, err
	}
	if err := checkLimit("FlowRuns", limit); err != nil {
		return nil, err
	}
	query, args := selectRun+` WHERE conn = ? AND flow = ?`, []any{conn, flow}
	if before > 0 {
		query += ` AND id < ?`
		args = append(args, before)
	}
	args = append(args, limit)
	return s.queryRuns(ctx, query+` ORDER BY id DESC LIMIT ?`, args...)
}

func (s *SQLite) RunOutcomes(ctx context.Context, q OutcomeQuery) (OutcomePage, error) {
	if err := checkOutcomeQuery(q); err != nil {
		return OutcomePage{}, err
	}
	query := selectRecordedOutcome + ` WHERE run_id = ? AND id > ?`
	args := []any{q.RunID, q.After}
	if q.Kind != "" {
		query += ` AND kind = ?`
		args = append(args, q.Kind)
	}
	if q.Rule != "" {
		query += ` AND rule = ?`
		args = append(args, q.Rule)
	}
	// One more than the page tells whether a next page exists.
	args = append(args, q.Limit+1)
	rows, err := s.db.QueryContext(ctx, query+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return OutcomePage{}, fmt.Errorf("ledger: RunOutcomes: %w", err)
	}
	defer rows.Close()
	outcomes, err := collect(rows, scanRecordedOutcome, wrapf("RunOutcomes"))
	if err != nil {
		return OutcomePage{}, err
	}
	return outcomePage(outcomes, q.Limit), nil
}

func (s *SQLite) RunBreakdown(ctx context.Context, runID int64) ([]OutcomeCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, rule, COUNT(*) FROM outcomes WHERE run_id = ?
		GROUP BY kind, rule ORDER BY COUNT(*) DESC, kind, rule`, runID)
	if err != nil {
		return nil, fmt.Errorf("ledger: RunBreakdown: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanOutcomeCount, wrapf("RunBreakdown"))
}

func (s *SQLite) OutcomeCounts(ctx context.Context, runIDs []int64) (map[int64]map[string]int, error) {
	counts, err := outcomeCountsFor(runIDs)
	if err != nil || len(runIDs) == 0 {
		return counts, err
	}
	args := make([]any, len(runIDs))
	for i, id := range runIDs {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(runIDs)), ", ")
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, kind, COUNT(*) FROM outcomes WHERE run_id IN (`+marks+`)
		GROUP BY run_id, kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: OutcomeCounts: %w", err)
	}
	defer rows.Close()
	runCounts, err := collect(rows, scanRunCount, wrapf("OutcomeCounts"))
	if err != nil {
		return nil, err
	}
	addRunCounts(counts, runCounts)
	return counts, nil
}

func (s *SQLite) LockCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT conn, COUNT(*) FROM links WHERE state IN (?, ?) GROUP BY conn`,
		string(LinkAuvoDeleted), string(LinkExternalCodeErased))
	if err != nil {
		return nil, fmt.Errorf("ledger: LockCounts: %w", err)
	}
	defer rows.Close()
	counts, err := collect(rows, scanConnCount, wrapf("LockCounts"))
	if err != nil {
		return nil, err
	}
	return lockCounts(counts), nil
}
