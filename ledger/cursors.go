package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

func (s *SQLite) Cursor(ctx context.Context, conn, flow string) (time.Time, bool, error) {
	if err := required("Cursor", "conn", conn, "flow", flow); err != nil {
		return time.Time{}, false, err
	}
	var ns int64
	err := s.db.QueryRowContext(ctx, `SELECT position_ns FROM cursors WHERE conn = ? AND flow = ?`, conn, flow).Scan(&ns)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("ledger: read cursor: %w", err)
	}
	return fromNS(ns), true, nil
}

func (s *SQLite) AdvanceCursor(ctx context.Context, conn, flow string, t time.Time) error {
	if err := required("AdvanceCursor", "conn", conn, "flow", flow); err != nil {
		return err
	}
	if err := requireTime("AdvanceCursor", "cursor", t); err != nil {
		return err
	}
	// The WHERE keeps a concurrent or late writer from moving the cursor
	// back. The pass the cursor now covers is complete: its checkpoint goes
	// in the same transaction, so a crash leaves one or the other.
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (conn, flow, position_ns) VALUES (?, ?, ?)
		ON CONFLICT (conn, flow) DO UPDATE SET position_ns = excluded.position_ns
		WHERE excluded.position_ns > cursors.position_ns`, conn, flow, toNS(t)); err != nil {
			return fmt.Errorf("ledger: advance cursor: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM checkpoints WHERE conn = ? AND flow = ?`, conn, flow); err != nil {
			return fmt.Errorf("ledger: advance cursor: clear checkpoint: %w", err)
		}
		return nil
	})
}

func (s *SQLite) Checkpoint(ctx context.Context, conn, flow string) (Checkpoint, bool, error) {
	if err := required("Checkpoint", "conn", conn, "flow", flow); err != nil {
		return Checkpoint{}, false, err
	}
	cp, err := scanCheckpoint(s.db.QueryRowContext(ctx, selectCheckpoint+` WHERE conn = ? AND flow = ?`, conn, flow), conn, flow)
	if errors.Is(err, sql.ErrNoRows) {
		return Checkpoint{}, false, nil
	}
	if err != nil {
		return Checkpoint{}, false, wrapRead(err, wrapf("read checkpoint"))
	}
	return cp, true, nil
}

func (s *SQLite) SaveCheckpoint(ctx context.Context, cp Checkpoint) error {
	lastPage, err := checkCheckpoint(cp)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO checkpoints (conn, flow, since_ns, started_ns, page, done, total, last_page, at_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (conn, flow) DO UPDATE SET since_ns = excluded.since_ns, started_ns = excluded.started_ns,
			page = excluded.page, done = excluded.done, total = excluded.total, last_page = excluded.last_page, at_ns = excluded.at_ns`,
		cp.Conn, cp.Flow, toNS(cp.Since), toNS(cp.Started), cp.Page, cp.Done, cp.Total, lastPage, toNS(cp.At))
	if err != nil {
		return fmt.Errorf("ledger: SaveCheckpoint: %w", err)
	}
	return nil
}

// checkCheckpoint refuses, for every store, a checkpoint that cannot be a
// resume point, and returns its last page as stored (a JSON array).
func checkCheckpoint(cp Checkpoint) (lastPage string, err error) {
	if err := required("SaveCheckpoint", "conn", cp.Conn, "flow", cp.Flow); err != nil {
		return "", err
	}
	if err := requireTime("SaveCheckpoint", "started", cp.Started); err != nil {
		return "", err
	}
	if err := requireTime("SaveCheckpoint", "at", cp.At); err != nil {
		return "", err
	}
	if cp.Page < 1 {
		return "", fmt.Errorf("ledger: SaveCheckpoint: page %d: pages are numbered from 1", cp.Page)
	}
	if cp.LastPage == nil {
		return "[]", nil
	}
	encoded, err := json.Marshal(cp.LastPage)
	if err != nil {
		return "", fmt.Errorf("ledger: SaveCheckpoint: %w", err)
	}
	return string(encoded), nil
}
