package ledger

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *Postgres) Lock(ctx context.Context, conn, partner, auvoID string, reason LinkState, evidence string, now time.Time) error {
	if err := checkLock(conn, partner, auvoID, reason, evidence, now); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		l, err := s.linkInTx(ctx, tx, "Lock", conn, partner, auvoID)
		if err != nil {
			return err
		}
		if l.State == reason {
			return nil
		}
		l.State = reason
		if err := s.setState(ctx, tx, l, now); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, LinkEvent{Kind: EventLocked, Reason: string(reason), Evidence: evidence}, l, now)
	})
}

func (s *Postgres) Release(ctx context.Context, conn, partner, auvoID, who, why string, now time.Time) error {
	if err := checkRelease(conn, partner, auvoID, who, why, now); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		l, err := s.linkInTx(ctx, tx, "Release", conn, partner, auvoID)
		if err != nil {
			return err
		}
		if l, err = release(l); err != nil {
			return err
		}
		if err := s.setState(ctx, tx, l, now); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, LinkEvent{Kind: EventReleased, Who: who, Reason: why}, l, now)
	})
}

func (s *Postgres) linkInTx(ctx context.Context, tx pgx.Tx, op, conn, partner, auvoID string) (Link, error) {
	l, err := s.linkForUpdate(ctx, tx, conn, partner, auvoID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Link{}, neverLinked(op, conn, partner, auvoID)
	}
	if err != nil {
		return Link{}, s.errorf("%s: %w", op, err)
	}
	return l, nil
}

func (s *Postgres) setState(ctx context.Context, tx pgx.Tx, l Link, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE links SET state = $1, updated_at_ns = $2 WHERE conn = $3 AND partner = $4 AND auvo_id = $5`,
		string(l.State), toNS(now), l.Conn, l.Partner, l.AuvoID)
	if err != nil {
		return s.errorf("set link state: %w", err)
	}
	return nil
}

func (s *Postgres) Locks(ctx context.Context, conn string) ([]LockedRecord, error) {
	query := selectLink + ` WHERE state IN ($1, $2)`
	args := []any{string(LinkAuvoDeleted), string(LinkExternalCodeErased)}
	if conn != "" {
		query += ` AND conn = $3`
		args = append(args, conn)
	}
	links, err := s.queryLinks(ctx, s.pool, query+` ORDER BY conn, partner, auvo_id`, args...)
	if err != nil {
		return nil, err
	}
	return lockedRecords(links, func(l Link) ([]LinkEvent, error) {
		return s.linkHistory(ctx, s.pool, l.Conn, l.Partner, l.AuvoID)
	})
}
