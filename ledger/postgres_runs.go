package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *Postgres) StartRun(ctx context.Context, conn, flow string, dryRun bool, startedAt time.Time) (int64, error) {
	if err := required("StartRun", "conn", conn, "flow", flow); err != nil {
		return 0, err
	}
	if err := requireTime("StartRun", "started at", startedAt); err != nil {
		return 0, err
	}
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO runs (conn, flow, dry_run, started_at_ns) VALUES ($1, $2, $3, $4) RETURNING id`,
		conn, flow, dryRun, toNS(startedAt)).Scan(&id)
	if err != nil {
		return 0, s.errorf("StartRun: %w", err)
	}
	return id, nil
}

// runForWrite reads a run's connection and flow and locks its row, refusing
// a finished run: RecordOutcomes and FinishRun take turns on one run.
func (s *Postgres) runForWrite(ctx context.Context, tx pgx.Tx, op string, runID int64) (conn, flow string, err error) {
	var ended int64
	err = tx.QueryRow(ctx, `SELECT conn, flow, ended_at_ns FROM runs WHERE id = $1 FOR UPDATE`, runID).Scan(&conn, &flow, &ended)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", noRun(op, runID)
	}
	if err != nil {
		return "", "", s.errorf("%s: %w", op, err)
	}
	if err := runWritable(op, runID, ended); err != nil {
		return "", "", err
	}
	return conn, flow, nil
}

func (s *Postgres) RecordOutcomes(ctx context.Context, runID int64, outcomes []Outcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	if err := checkOutcomes(runID, outcomes); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		conn, flow, err := s.runForWrite(ctx, tx, "RecordOutcomes", runID)
		if err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for i, o := range outcomes {
			if err := outcomeInRun(i, o, runID, conn, flow); err != nil {
				return err
			}
			batch.Queue(`INSERT INTO outcomes (run_id, conn, flow, source_id, target_id, kind, rule, reason, at_ns)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				runID, conn, flow, o.SourceID, o.TargetID, o.Kind, o.Rule, o.Reason, toNS(o.At))
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return s.errorf("RecordOutcomes: %w", err)
		}
		return nil
	})
}

func (s *Postgres) FinishRun(ctx context.Context, runID int64, endedAt time.Time, counts map[string]int, errText string) error {
	if err := requireTime("FinishRun", "ended at", endedAt); err != nil {
		return err
	}
	encoded, err := encodeCounts(counts)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, _, err := s.runForWrite(ctx, tx, "FinishRun", runID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE runs SET ended_at_ns = $1, counts = $2, error = $3 WHERE id = $4`,
			toNS(endedAt), encoded, errText, runID); err != nil {
			return s.errorf("FinishRun: %w", err)
		}
		return nil
	})
}

func (s *Postgres) StopRun(ctx context.Context, runID int64, stopped string, remaining int) error {
	if err := required("StopRun", "stopped", stopped); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE runs SET stopped = $1, remaining = $2 WHERE id = $3 AND ended_at_ns = 0`,
		stopped, max(remaining, -1), runID)
	if err != nil {
		return s.errorf("StopRun: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: StopRun: no unfinished run %d", ErrNotFound, runID)
	}
	return nil
}

func (s *Postgres) LastSuccessfulRun(ctx context.Context, conn, flow string) (Run, bool, error) {
	if err := required("LastSuccessfulRun", "conn", conn, "flow", flow); err != nil {
		return Run{}, false, err
	}
	runs, err := s.queryRuns(ctx, selectRun+` WHERE conn = $1 AND flow = $2 AND ended_at_ns <> 0 AND error = '' AND NOT dry_run
		ORDER BY started_at_ns DESC, id DESC LIMIT 1`, conn, flow)
	if err != nil || len(runs) == 0 {
		return Run{}, false, err
	}
	return runs[0], true, nil
}

func (s *Postgres) Runs(ctx context.Context, conn string, limit int) ([]Run, error) {
	query, args := selectRun, []any{}
	if conn != "" {
		query += ` WHERE conn = $1`
		args = append(args, conn)
	}
	return s.queryRuns(ctx, query+` ORDER BY started_at_ns DESC, id DESC`+limitClause(limit), args...)
}

func (s *Postgres) queryRuns(ctx context.Context, query string, args ...any) ([]Run, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, s.errorf("read runs: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanRun, s.wrapf("read runs"))
}

func (s *Postgres) Explain(ctx context.Context, conn, sourceID string, limit int) ([]Outcome, error) {
	if err := required("Explain", "source id", sourceID); err != nil {
		return nil, err
	}
	query := selectOutcome + ` WHERE source_id = $1`
	args := []any{sourceID}
	if conn != "" {
		query += ` AND conn = $2`
		args = append(args, conn)
	}
	rows, err := s.pool.Query(ctx, query+` ORDER BY at_ns DESC, id DESC`+limitClause(limit), args...)
	if err != nil {
		return nil, s.errorf("Explain: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanOutcome, s.wrapf("Explain"))
}
