package ledger

import (
	"context"
	"database/sql"
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
	// One statement: the WHERE keeps a concurrent or late writer from moving
	// the cursor back.
	_, err := s.db.ExecContext(ctx, `INSERT INTO cursors (conn, flow, position_ns) VALUES (?, ?, ?)
		ON CONFLICT (conn, flow) DO UPDATE SET position_ns = excluded.position_ns
		WHERE excluded.position_ns > cursors.position_ns`, conn, flow, toNS(t))
	if err != nil {
		return fmt.Errorf("ledger: advance cursor: %w", err)
	}
	return nil
}
