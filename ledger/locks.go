package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *SQLite) Lock(ctx context.Context, conn, partner, auvoID string, reason LinkState, evidence string, now time.Time) error {
	if err := checkLock(conn, partner, auvoID, reason, evidence, now); err != nil {
		return err
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
	if err := checkRelease(conn, partner, auvoID, who, why, now); err != nil {
		return err
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		l, err := linkInTx(ctx, tx, "Release", conn, partner, auvoID)
		if err != nil {
			return err
		}
		if l, err = release(l); err != nil {
			return err
		}
		if err := setState(ctx, tx, l, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, LinkEvent{Kind: EventReleased, Who: who, Reason: why}, l, now)
	})
}

func linkInTx(ctx context.Context, tx *sql.Tx, op, conn, partner, auvoID string) (Link, error) {
	l, err := scanLink(tx.QueryRowContext(ctx, selectLink+` WHERE conn = ? AND partner = ? AND auvo_id = ?`, conn, partner, auvoID))
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, neverLinked(op, conn, partner, auvoID)
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
	return lockedRecords(links, func(l Link) ([]LinkEvent, error) {
		return linkHistory(ctx, s.db, l.Conn, l.Partner, l.AuvoID)
	})
}
