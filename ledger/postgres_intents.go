package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *Postgres) BeginIntent(ctx context.Context, in Intent) (int64, error) {
	if err := checkBeginIntent(in); err != nil {
		return 0, err
	}
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO intents (conn, flow, source_id, kind, target_key, created_at_ns, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		in.Conn, in.Flow, in.SourceID, in.Kind, in.TargetKey, toNS(in.CreatedAt), intentOpen).Scan(&id)
	if err != nil {
		return 0, s.errorf("BeginIntent: %w", err)
	}
	return id, nil
}

func (s *Postgres) CompleteIntent(ctx context.Context, id int64, targetID string, now time.Time) error {
	if err := required("CompleteIntent", "target id", targetID); err != nil {
		return err
	}
	return s.closeIntent(ctx, "CompleteIntent", id, intentCompleted, targetID, "", now)
}

func (s *Postgres) AbandonIntent(ctx context.Context, id int64, why string, now time.Time) error {
	if err := required("AbandonIntent", "why", why); err != nil {
		return err
	}
	return s.closeIntent(ctx, "AbandonIntent", id, intentAbandoned, "", why, now)
}

func (s *Postgres) closeIntent(ctx context.Context, op string, id int64, status, targetID, note string, now time.Time) error {
	if err := requireTime(op, "now", now); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var cur, curTarget, curNote string
		err := tx.QueryRow(ctx, `SELECT status, target_id, note FROM intents WHERE id = $1 FOR UPDATE`, id).Scan(&cur, &curTarget, &curNote)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: %s: no intent %d", ErrNotFound, op, id)
		}
		if err != nil {
			return s.errorf("%s: %w", op, err)
		}
		if done, err := intentClosable(op, id, cur, curTarget, curNote, status, targetID, note); done || err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE intents SET status = $1, target_id = $2, note = $3, closed_at_ns = $4 WHERE id = $5`,
			status, targetID, note, toNS(now), id); err != nil {
			return s.errorf("%s: %w", op, err)
		}
		return nil
	})
}

func (s *Postgres) OpenIntents(ctx context.Context, conn, flow string) ([]Intent, error) {
	if err := required("OpenIntents", "conn", conn, "flow", flow); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, selectIntent+` WHERE conn = $1 AND flow = $2 AND status = $3 ORDER BY id`, conn, flow, intentOpen)
	if err != nil {
		return nil, s.errorf("OpenIntents: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanIntent, s.wrapf("OpenIntents"))
}
