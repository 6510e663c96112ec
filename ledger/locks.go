package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *SQLite) Lock(ctx context.Context, conn, partner, auvoID string, reason LinkState, evidence string, now time.Time) error {
	if err := required("Lock", "conn", conn, "partner", partner, "auvo id", auvoID, "evidence", evidence); err != nil {
		return err
	}
	if err := requireTime("Lock", "now", now); err != nil {
		return err
	}
	if !reason.Locked() {
		return fmt.Errorf("ledger: Lock: reason %q is not a lock reason (want %q or %q)", reason, LinkAuvoDeleted, LinkExternalCodeErased)
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		l, err := linkInTx(ctx, tx, "Lock", conn, partner, auvoID)
		if err != nil {
			return err
		}
		if l.State == reason {
			return nil
		}
		l.State = reason
		if err := setState(ctx, tx, l, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, LinkEvent{Kind: EventLocked, Reason: string(reason), Evidence: evidence}, l, now)
	})
}

func (s *SQLite) Release(ctx context.Context, conn, partner, auvoID, who, why string, now time.Time) error {
	if err := required("Release", "conn", conn, "partner", partner, "auvo id", auvoID, "who", who, "why", why); err != nil {
		return err
	}
	if err := requireTime("Release", "now", now); err != nil {
		return err
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		l, err := linkInTx(ctx, tx, "Release", conn, partner, auvoID)
		if err != nil {
			return err
		}
		if !l.State.Locked() {
			return fmt.Errorf("%w: auvo %s (%s, connection %s) is %s; only a locked record can be released",
				ErrNotLocked, auvoID, partner, conn, l.State)
		}
		l.State = LinkReleased
		if err := setState(ctx, tx, l, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, LinkEvent{Kind: EventReleased, Who: who, Reason: why}, l, now)
	})
}

func linkInTx(ctx context.Context, tx *sql.Tx, op, conn, partner, auvoID string) (Link, error) {
	l, err := scanLink(tx.QueryRowContext(ctx, selectLink+` WHERE conn = ? AND partner = ? AND auvo_id = ?`, conn, partner, auvoID))
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, fmt.Errorf("%w: %s: auvo %s was never linked to %s (connection %s)", ErrNotFound, op, auvoID, partner, conn)
	}
	if err != nil {
		return Link{}, fmt.Errorf("ledger: %s: %w", op, err)
	}
	return l, nil
}

func setState(ctx context.Context, tx *sql.Tx, l Link, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE links SET state = ?, updated_at_ns = ? WHERE conn = ? AND partner = ? AND auvo_id = ?`,
		string(l.State), toNS(now), l.Conn, l.Partner, l.AuvoID)
	if err != nil {
		return fmt.Errorf("ledger: set link state: %w", err)
	}
	return nil
}

func (s *SQLite) Locks(ctx context.Context, conn string) ([]LockedRecord, error) {
	query := selectLink + ` WHERE state IN (?, ?)`
	args := []any{string(LinkAuvoDeleted), string(LinkExternalCodeErased)}
	if conn != "" {
		query += ` AND conn = ?`
		args = append(args, conn)
	}
	links, err := queryLinks(ctx, s.db, query+` ORDER BY conn, partner, auvo_id`, args...)
	if err != nil {
		return nil, err
	}
	locked := make([]LockedRecord, 0, len(links))
	for _, l := range links {
		history, err := linkHistory(ctx, s.db, l.Conn, l.Partner, l.AuvoID)
		if err != nil {
			return nil, err
		}
		locked = append(locked, LockedRecord{Link: l, History: history})
	}
	return locked, nil
}
