package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const (
	intentOpen      = "open"
	intentCompleted = "completed"
	intentAbandoned = "abandoned"
)

func (s *SQLite) BeginIntent(ctx context.Context, in Intent) (int64, error) {
	if err := checkBeginIntent(in); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO intents (conn, flow, source_id, kind, target_key, created_at_ns, status)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.Conn, in.Flow, in.SourceID, in.Kind, in.TargetKey, toNS(in.CreatedAt), intentOpen).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("ledger: BeginIntent: %w", err)
	}
	return id, nil
}

func (s *SQLite) CompleteIntent(ctx context.Context, id int64, targetID string, now time.Time) error {
	if err := required("CompleteIntent", "target id", targetID); err != nil {
		return err
	}
	return s.closeIntent(ctx, "CompleteIntent", id, intentCompleted, targetID, "", now)
}

func (s *SQLite) AbandonIntent(ctx context.Context, id int64, why string, now time.Time) error {
	if err := required("AbandonIntent", "why", why); err != nil {
		return err
	}
	return s.closeIntent(ctx, "AbandonIntent", id, intentAbandoned, "", why, now)
}

func (s *SQLite) closeIntent(ctx context.Context, op string, id int64, status, targetID, note string, now time.Time) error {
	if err := requireTime(op, "now", now); err != nil {
		return err
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		var cur, curTarget, curNote string
		err := tx.QueryRowContext(ctx, `SELECT status, target_id, note FROM intents WHERE id = ?`, id).Scan(&cur, &curTarget, &curNote)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %s: no intent %d", ErrNotFound, op, id)
		}
		if err != nil {
			return fmt.Errorf("ledger: %s: %w", op, err)
		}
		if done, err := intentClosable(op, id, cur, curTarget, curNote, status, targetID, note); done || err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE intents SET status = ?, target_id = ?, note = ?, closed_at_ns = ? WHERE id = ?`,
			status, targetID, note, toNS(now), id)
		if err != nil {
			return fmt.Errorf("ledger: %s: %w", op, err)
		}
		return nil
	})
}

func (s *SQLite) OpenIntents(ctx context.Context, conn, flow string) ([]Intent, error) {
	if err := required("OpenIntents", "conn", conn, "flow", flow); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, selectIntent+` WHERE conn = ? AND flow = ? AND status = ? ORDER BY id`, conn, flow, intentOpen)
	if err != nil {
		return nil, fmt.Errorf("ledger: OpenIntents: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanIntent, wrapf("OpenIntents"))
}
