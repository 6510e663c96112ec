package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *Postgres) Lock(ctx context.Context, conn, partner, auvoID string, reason LinkState, evidence string, now time.Time) error {
	if err := required("Lock", "conn", conn, "partner", partner, "auvo id", auvoID, "evidence", evidence); err != nil {
		return err
	}
	if err := requireTime("Lock", "now", now); err != nil {
		return err
	}
	if !reason.Locked() {
		return fmt.Errorf("ledger: Lock: reason %q is not a lock reason (want %q or %q)", reason, LinkAuvoDeleted, LinkExternalCodeErased)
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
	if err := required("Release", "conn", conn, "partner", partner, "auvo id", auvoID, "who", who, "why", why); err != nil {
		return err
	}
	if err := requireTime("Release", "now", now); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		l, err := s.linkInTx(ctx, tx, "Release", conn, partner, auvoID)
		if err != nil {
			return err
		}
		if !l.State.Locked() {
			return fmt.Errorf("%w: auvo %s (%s, connection %s) is %s; only a locked record can be released",
				ErrNotLocked, auvoID, partner, conn, l.State)
		}
		l.State = LinkReleased
		if err := s.setState(ctx, tx, l, now); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, LinkEvent{Kind: EventReleased, Who: who, Reason: why}, l, now)
	})
}

func (s *Postgres) linkInTx(ctx context.Context, tx pgx.Tx, op, conn, partner, auvoID string) (Link, error) {
	l, err := s.linkForUpdate(ctx, tx, conn, partner, auvoID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Link{}, fmt.Errorf("%w: %s: auvo %s was never linked to %s (connection %s)", ErrNotFound, op, auvoID, partner, conn)
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
	locked := make([]LockedRecord, 0, len(links))
	for _, l := range links {
		history, err := s.linkHistory(ctx, s.pool, l.Conn, l.Partner, l.AuvoID)
		if err != nil {
			return nil, err
		}
		locked = append(locked, LockedRecord{Link: l, History: history})
	}
	return locked, nil
}
