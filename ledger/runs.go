package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

func (s *SQLite) StartRun(ctx context.Context, conn, flow string, dryRun bool, startedAt time.Time) (int64, error) {
	if err := required("StartRun", "conn", conn, "flow", flow); err != nil {
		return 0, err
	}
	if err := requireTime("StartRun", "started at", startedAt); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO runs (conn, flow, dry_run, started_at_ns) VALUES (?, ?, ?, ?) RETURNING id`,
		conn, flow, boolInt(dryRun), toNS(startedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("ledger: StartRun: %w", err)
	}
	return id, nil
}

func (s *SQLite) RecordOutcomes(ctx context.Context, runID int64, outcomes []Outcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	if err := checkOutcomes(runID, outcomes); err != nil {
		return err
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		var conn, flow string
		var ended int64
		err := tx.QueryRowContext(ctx, `SELECT conn, flow, ended_at_ns FROM runs WHERE id = ?`, runID).Scan(&conn, &flow, &ended)
		if errors.Is(err, sql.ErrNoRows) {
			return noRun("RecordOutcomes", runID)
		}
		if err != nil {
			return fmt.Errorf("ledger: RecordOutcomes: %w", err)
		}
		if err := runWritable("RecordOutcomes", runID, ended); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO outcomes (run_id, conn, flow, source_id, target_id, kind, rule, reason, at_ns)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("ledger: RecordOutcomes: %w", err)
		}
		defer stmt.Close()
		for i, o := range outcomes {
			if err := outcomeInRun(i, o, runID, conn, flow); err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, runID, conn, flow,
				o.SourceID, o.TargetID, o.Kind, o.Rule, o.Reason, toNS(o.At)); err != nil {
				return fmt.Errorf("ledger: RecordOutcomes: source %s: %w", o.SourceID, err)
			}
		}
		return nil
	})
}

func (s *SQLite) FinishRun(ctx context.Context, runID int64, endedAt time.Time, counts map[string]int, errText string) error {
	if err := requireTime("FinishRun", "ended at", endedAt); err != nil {
		return err
	}
	encoded, err := encodeCounts(counts)
	if err != nil {
		return err
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		var ended int64
		err := tx.QueryRowContext(ctx, `SELECT ended_at_ns FROM runs WHERE id = ?`, runID).Scan(&ended)
		if errors.Is(err, sql.ErrNoRows) {
			return noRun("FinishRun", runID)
		}
		if err != nil {
			return fmt.Errorf("ledger: FinishRun: %w", err)
		}
		if err := runWritable("FinishRun", runID, ended); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET ended_at_ns = ?, counts = ?, error = ? WHERE id = ?`,
			toNS(endedAt), encoded, errText, runID); err != nil {
			return fmt.Errorf("ledger: FinishRun: %w", err)
		}
		return nil
	})
}

func (s *SQLite) StopRun(ctx context.Context, runID int64, stopped string, remaining int) error {
	if err := required("StopRun", "stopped", stopped); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE runs SET stopped = ?, remaining = ? WHERE id = ? AND ended_at_ns = 0`,
		stopped, max(remaining, -1), runID)
	if err != nil {
		return fmt.Errorf("ledger: StopRun: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: StopRun: no unfinished run %d", ErrNotFound, runID)
	}
	return nil
}

func (s *SQLite) LastSuccessfulRun(ctx context.Context, conn, flow string) (Run, bool, error) {
	if err := required("LastSuccessfulRun", "conn", conn, "flow", flow); err != nil {
		return Run{}, false, err
	}
	runs, err := s.queryRuns(ctx, selectRun+` WHERE conn = ? AND flow = ? AND ended_at_ns <> 0 AND error = '' AND dry_run = 0
		ORDER BY started_at_ns DESC, id DESC LIMIT 1`, conn, flow)
	if err != nil || len(runs) == 0 {
		return Run{}, false, err
	}
	return runs[0], true, nil
}

func (s *SQLite) Runs(ctx context.Context, conn string, limit int) ([]Run, error) {
	query, args := selectRun, []any{}
	if conn != "" {
		query += ` WHERE conn = ?`
		args = append(args, conn)
	}
	query += ` ORDER BY started_at_ns DESC, id DESC` + limitClause(limit)
	return s.queryRuns(ctx, query, args...)
}

func limitClause(limit int) string {
	if limit <= 0 {
		return ""
	}
	return ` LIMIT ` + strconv.Itoa(limit)
}

func (s *SQLite) queryRuns(ctx context.Context, query string, args ...any) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: read runs: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanRun, wrapf("read runs"))
}

func (s *SQLite) Explain(ctx context.Context, conn, sourceID string, limit int) ([]Outcome, error) {
	if err := required("Explain", "source id", sourceID); err != nil {
		return nil, err
	}
	query := selectOutcome + ` WHERE source_id = ?`
	args := []any{sourceID}
	if conn != "" {
		query += ` AND conn = ?`
		args = append(args, conn)
	}
	rows, err := s.db.QueryContext(ctx, query+` ORDER BY at_ns DESC, id DESC`+limitClause(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: Explain: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanOutcome, wrapf("Explain"))
}
