package ledger

import (
	"context"
	"fmt"
)

func (s *Postgres) Run(ctx context.Context, runID int64) (Run, error) {
	runs, err := s.queryRuns(ctx, selectRun+` WHERE id = $1`, runID)
	if err != nil {
		return Run{}, err
	}
	if len(runs) == 0 {
		return Run{}, fmt.Errorf("%w: no run %d", ErrNotFound, runID)
	}
	return runs[0], nil
}

func (s *Postgres) FlowRuns(ctx context.Context, conn, flow string, before int64, limit int) ([]Run, error) {
	if err := required("FlowRuns", "conn", conn, "flow", flow); err != nil {
		return nil, err
	}
	if err := checkLimit("FlowRuns", limit); err != nil {
		return nil, err
	}
	if before <= 0 {
		return s.queryRuns(ctx, selectRun+` WHERE conn = $1 AND flow = $2 ORDER BY id DESC LIMIT $3`, conn, flow, limit)
	}
	return s.queryRuns(ctx, selectRun+` WHERE conn = $1 AND flow = $2 AND id < $3 ORDER BY id DESC LIMIT $4`,
		conn, flow, before, limit)
}

func (s *Postgres) RunOutcomes(ctx context.Context, q OutcomeQuery) (OutcomePage, error) {
	if err := checkLimit("RunOutcomes", q.Limit); err != nil {
		return OutcomePage{}, err
	}
	if q.Kind != "" && !validOutcomeKind(q.Kind) {
		return OutcomePage{}, fmt.Errorf("ledger: RunOutcomes: unknown outcome kind %q", q.Kind)
	}
	// Empty kind or rule match everything; one more than the page tells
	// whether a next page exists.
	rows, err := s.pool.Query(ctx, `SELECT id, run_id, conn, flow, source_id, target_id, kind, rule, reason, at_ns
		FROM outcomes WHERE run_id = $1 AND id > $2 AND ($3 = '' OR kind = $3) AND ($4 = '' OR rule = $4)
		ORDER BY id LIMIT $5`, q.RunID, q.After, q.Kind, q.Rule, q.Limit+1)
	if err != nil {
		return OutcomePage{}, s.errorf("RunOutcomes: %w", err)
	}
	defer rows.Close()
	var page OutcomePage
	for rows.Next() {
		var o RecordedOutcome
		var at int64
		if err := rows.Scan(&o.ID, &o.RunID, &o.Conn, &o.Flow, &o.SourceID, &o.TargetID, &o.Kind, &o.Rule, &o.Reason, &at); err != nil {
			return OutcomePage{}, s.errorf("RunOutcomes: %w", err)
		}
		o.At = fromNS(at)
		page.Outcomes = append(page.Outcomes, o)
	}
	if err := rows.Err(); err != nil {
		return OutcomePage{}, s.errorf("RunOutcomes: %w", err)
	}
	if len(page.Outcomes) > q.Limit {
		page.Outcomes = page.Outcomes[:q.Limit]
		page.Next = page.Outcomes[q.Limit-1].ID
	}
	return page, nil
}

func (s *Postgres) RunBreakdown(ctx context.Context, runID int64) ([]OutcomeCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT kind, rule, COUNT(*) FROM outcomes WHERE run_id = $1
		GROUP BY kind, rule ORDER BY COUNT(*) DESC, kind, rule`, runID)
	if err != nil {
		return nil, s.errorf("RunBreakdown: %w", err)
	}
	defer rows.Close()
	var counts []OutcomeCount
	for rows.Next() {
		var c OutcomeCount
		if err := rows.Scan(&c.Kind, &c.Rule, &c.Count); err != nil {
			return nil, s.errorf("RunBreakdown: %w", err)
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("RunBreakdown: %w", err)
	}
	return counts, nil
}

func (s *Postgres) OutcomeCounts(ctx context.Context, runIDs []int64) (map[int64]map[string]int, error) {
	counts := make(map[int64]map[string]int, len(runIDs))
	if len(runIDs) == 0 {
		return counts, nil
	}
	if len(runIDs) > MaxPage {
		return nil, fmt.Errorf("ledger: OutcomeCounts: %d runs, at most %d at once", len(runIDs), MaxPage)
	}
	for _, id := range runIDs {
		counts[id] = map[string]int{}
	}
	rows, err := s.pool.Query(ctx, `SELECT run_id, kind, COUNT(*) FROM outcomes WHERE run_id = ANY($1)
		GROUP BY run_id, kind`, runIDs)
	if err != nil {
		return nil, s.errorf("OutcomeCounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var n int
		if err := rows.Scan(&id, &kind, &n); err != nil {
			return nil, s.errorf("OutcomeCounts: %w", err)
		}
		counts[id][kind] = n
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("OutcomeCounts: %w", err)
	}
	return counts, nil
}

func (s *Postgres) LockCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT conn, COUNT(*) FROM links WHERE state IN ($1, $2) GROUP BY conn`,
		string(LinkAuvoDeleted), string(LinkExternalCodeErased))
	if err != nil {
		return nil, s.errorf("LockCounts: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var conn string
		var n int
		if err := rows.Scan(&conn, &n); err != nil {
			return nil, s.errorf("LockCounts: %w", err)
		}
		counts[conn] = n
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("LockCounts: %w", err)
	}
	return counts, nil
}
