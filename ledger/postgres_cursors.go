package ledger

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *Postgres) Cursor(ctx context.Context, conn, flow string) (time.Time, bool, error) {
	if err := required("Cursor", "conn", conn, "flow", flow); err != nil {
		return time.Time{}, false, err
	}
	var ns int64
	err := s.pool.QueryRow(ctx, `SELECT position_ns FROM cursors WHERE conn = $1 AND flow = $2`, conn, flow).Scan(&ns)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, s.errorf("read cursor: %w", err)
	}
	return fromNS(ns), true, nil
}

func (s *Postgres) AdvanceCursor(ctx context.Context, conn, flow string, t time.Time) error {
	if err := required("AdvanceCursor", "conn", conn, "flow", flow); err != nil {
		return err
	}
	if err := requireTime("AdvanceCursor", "cursor", t); err != nil {
		return err
	}
	// One statement: the WHERE keeps a concurrent or late writer from moving
	// the cursor back.
	_, err := s.pool.Exec(ctx, `INSERT INTO cursors (conn, flow, position_ns) VALUES ($1, $2, $3)
		ON CONFLICT (conn, flow) DO UPDATE SET position_ns = excluded.position_ns
		WHERE excluded.position_ns > cursors.position_ns`, conn, flow, toNS(t))
	if err != nil {
		return s.errorf("advance cursor: %w", err)
	}
	return nil
}
