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
	// The WHERE keeps a concurrent or late writer from moving the cursor
	// back. The pass the cursor now covers is complete: its checkpoint goes
	// in the same transaction, so a crash leaves one or the other.
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO cursors (conn, flow, position_ns) VALUES ($1, $2, $3)
			ON CONFLICT (conn, flow) DO UPDATE SET position_ns = excluded.position_ns
			WHERE excluded.position_ns > cursors.position_ns`, conn, flow, toNS(t)); err != nil {
			return s.errorf("advance cursor: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM checkpoints WHERE conn = $1 AND flow = $2`, conn, flow); err != nil {
			return s.errorf("advance cursor: clear checkpoint: %w", err)
		}
		return nil
	})
}

func (s *Postgres) Checkpoint(ctx context.Context, conn, flow string) (Checkpoint, bool, error) {
	if err := required("Checkpoint", "conn", conn, "flow", flow); err != nil {
		return Checkpoint{}, false, err
	}
	cp, err := scanCheckpoint(s.pool.QueryRow(ctx, selectCheckpoint+` WHERE conn = $1 AND flow = $2`, conn, flow), conn, flow)
	if errors.Is(err, pgx.ErrNoRows) {
		return Checkpoint{}, false, nil
	}
	if err != nil {
		return Checkpoint{}, false, wrapRead(err, s.wrapf("read checkpoint"))
	}
	return cp, true, nil
}

func (s *Postgres) SaveCheckpoint(ctx context.Context, cp Checkpoint) error {
	lastPage, err := checkCheckpoint(cp)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO checkpoints (conn, flow, since_ns, started_ns, page, done, total, last_page, at_ns)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (conn, flow) DO UPDATE SET since_ns = excluded.since_ns, started_ns = excluded.started_ns,
			page = excluded.page, done = excluded.done, total = excluded.total, last_page = excluded.last_page, at_ns = excluded.at_ns`,
		cp.Conn, cp.Flow, toNS(cp.Since), toNS(cp.Started), cp.Page, cp.Done, cp.Total, lastPage, toNS(cp.At))
	if err != nil {
		return s.errorf("SaveCheckpoint: %w", err)
	}
	return nil
}
