package ledger

import (
	"context"
	"encoding/json"
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
		return "", "", fmt.Errorf("%w: %s: no run %d", ErrNotFound, op, runID)
	}
	if err != nil {
		return "", "", s.errorf("%s: %w", op, err)
	}
	if ended != 0 {
		return "", "", fmt.Errorf("%w: %s: run %d", ErrRunFinished, op, runID)
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
			if (o.Conn != "" && o.Conn != conn) || (o.Flow != "" && o.Flow != flow) {
				return fmt.Errorf("ledger: RecordOutcomes: outcome %d is for %s/%s but run %d is %s/%s",
					i, o.Conn, o.Flow, runID, conn, flow)
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
	if counts == nil {
		counts = map[string]int{}
	}
	encoded, err := json.Marshal(counts)
	if err != nil {
		return fmt.Errorf("ledger: FinishRun: encode counts: %w", err)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, _, err := s.runForWrite(ctx, tx, "FinishRun", runID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE runs SET ended_at_ns = $1, counts = $2, error = $3 WHERE id = $4`,
			toNS(endedAt), string(encoded), errText, runID); err != nil {
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
	var runs []Run
	for rows.Next() {
		var r Run
		var started, ended int64
		var counts string
		if err := rows.Scan(&r.ID, &r.Conn, &r.Flow, &r.DryRun, &started, &ended, &counts, &r.Error, &r.Stopped, &r.Remaining); err != nil {
			return nil, s.errorf("read runs: %w", err)
		}
		r.StartedAt, r.EndedAt = fromNS(started), fromNS(ended)
		if err := json.Unmarshal([]byte(counts), &r.Counts); err != nil {
			return nil, fmt.Errorf("ledger: run %d has corrupt counts: %w", r.ID, err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("read runs: %w", err)
	}
	return runs, nil
}

func (s *Postgres) Explain(ctx context.Context, conn, sourceID string, limit int) ([]Outcome, error) {
	if err := required("Explain", "source id", sourceID); err != nil {
		return nil, err
	}
	query := `SELECT run_id, conn, flow, source_id, target_id, kind, rule, reason, at_ns FROM outcomes WHERE source_id = $1`
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
	var outcomes []Outcome
	for rows.Next() {
		var o Outcome
		var at int64
		if err := rows.Scan(&o.RunID, &o.Conn, &o.Flow, &o.SourceID, &o.TargetID, &o.Kind, &o.Rule, &o.Reason, &at); err != nil {
			return nil, s.errorf("Explain: %w", err)
		}
		o.At = fromNS(at)
		outcomes = append(outcomes, o)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("Explain: %w", err)
	}
	return outcomes, nil
}

// checkOutcomes refuses, as SQLite's RecordOutcomes does, a batch with an outcome that names another run or
// lacks a source ID, a known kind or a time, before anything is written.
func checkOutcomes(runID int64, outcomes []Outcome) error {
	for i, o := range outcomes {
		if o.RunID != 0 && o.RunID != runID {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d belongs to run %d, not %d", i, o.RunID, runID)
		}
		if o.SourceID == "" {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d has no source id", i)
		}
		if !validOutcomeKind(o.Kind) {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d (source %s) has unknown kind %q", i, o.SourceID, o.Kind)
		}
		if o.At.IsZero() {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d (source %s) has no time", i, o.SourceID)
		}
	}
	return nil
}
