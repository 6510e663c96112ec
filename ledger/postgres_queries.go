package ledger

import (
	"context"
)

func (s *Postgres) Run(ctx context.Context, runID int64) (Run, error) {
	runs, err := s.queryRuns(ctx, selectRun+` WHERE id = $1`, runID)
	if err != nil {
		return Run{}, err
	}
	return firstRun(runs, runID)
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
	if err := checkOutcomeQuery(q); err != nil {
		return OutcomePage{}, err
	}
	// Empty kind or rule match everything; one more than the page tells
	// whether a next page exists.
	rows, err := s.pool.Query(ctx, selectRecordedOutcome+` WHERE run_id = $1 AND id > $2 AND ($3 = '' OR kind = $3) AND ($4 = '' OR rule = $4)
		ORDER BY id LIMIT $5`, q.RunID, q.After, q.Kind, q.Rule, q.Limit+1)
	if err != nil {
		return OutcomePage{}, s.errorf("RunOutcomes: %w", err)
	}
	defer rows.Close()
	outcomes, err := collect(rows, scanRecordedOutcome, s.wrapf("RunOutcomes"))
	if err != nil {
		return OutcomePage{}, err
	}
	return outcomePage(outcomes, q.Limit), nil
}

func (s *Postgres) RunBreakdown(ctx context.Context, runID int64) ([]OutcomeCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT kind, rule, COUNT(*) FROM outcomes WHERE run_id = $1
		GROUP BY kind, rule ORDER BY COUNT(*) DESC, kind, rule`, runID)
	if err != nil {
		return nil, s.errorf("RunBreakdown: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanOutcomeCount, s.wrapf("RunBreakdown"))
}

func (s *Postgres) OutcomeCounts(ctx context.Context, runIDs []int64) (map[int64]map[string]int, error) {
	counts, err := outcomeCountsFor(runIDs)
	if err != nil || len(runIDs) == 0 {
		return counts, err
	}
	rows, err := s.pool.Query(ctx, `SELECT run_id, kind, COUNT(*) FROM outcomes WHERE run_id = ANY($1)
		GROUP BY run_id, kind`, runIDs)
	if err != nil {
		return nil, s.errorf("OutcomeCounts: %w", err)
	}
	defer rows.Close()
	runCounts, err := collect(rows, scanRunCount, s.wrapf("OutcomeCounts"))
	if err != nil {
		return nil, err
	}
	addRunCounts(counts, runCounts)
	return counts, nil
}

func (s *Postgres) LockCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT conn, COUNT(*) FROM links WHERE state IN ($1, $2) GROUP BY conn`,
		string(LinkAuvoDeleted), string(LinkExternalCodeErased))
	if err != nil {
		return nil, s.errorf("LockCounts: %w", err)
	}
	defer rows.Close()
	counts, err := collect(rows, scanConnCount, s.wrapf("LockCounts"))
	if err != nil {
		return nil, err
	}
	return lockCounts(counts), nil
}
