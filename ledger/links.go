package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryLinks(ctx context.Context, q querier, query string, args ...any) ([]Link, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: read links: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanLink, wrapf("read links"))
}

func (s *SQLite) PutLink(ctx context.Context, link Link, now time.Time) error {
	if err := checkPutLink(link, now); err != nil {
		return err
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		old, err := scanLink(tx.QueryRowContext(ctx, selectLink+` WHERE conn = ? AND partner = ? AND auvo_id = ?`,
			link.Conn, link.Partner, link.AuvoID))
		if errors.Is(err, sql.ErrNoRows) {
			return insertLink(ctx, tx, link, now)
		}
		if err != nil {
			return fmt.Errorf("ledger: PutLink: %w", err)
		}
		if err := lockedErr(link, old); err != nil {
			return err
		}
		return updateLink(ctx, tx, old, link, now)
	})
}

func insertLink(ctx context.Context, tx *sql.Tx, l Link, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO links (conn, partner, auvo_id, partner_id, doc_hash, flow, state,
		linked_at_ns, updated_at_ns, auvo_hash, partner_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.Conn, l.Partner, l.AuvoID, l.PartnerID, l.DocHash, l.Flow, string(LinkLive),
		toNS(now), toNS(now), l.AuvoHash, l.PartnerHash)
	if err != nil {
		return fmt.Errorf("ledger: PutLink: %w", err)
	}
	l.State = LinkLive
	return addEvent(ctx, tx, LinkEvent{Kind: EventLinked}, l, now)
}

func updateLink(ctx context.Context, tx *sql.Tx, old, l Link, now time.Time) error {
	next, kind, changed := relink(old, l, now)
	if !changed {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE links SET partner_id = ?, doc_hash = ?, flow = ?, state = ?,
		linked_at_ns = ?, updated_at_ns = ?, auvo_hash = ?, partner_hash = ?
		WHERE conn = ? AND partner = ? AND auvo_id = ?`,
		next.PartnerID, next.DocHash, next.Flow, string(next.State), toNS(next.LinkedAt), toNS(next.UpdatedAt),
		next.AuvoHash, next.PartnerHash, next.Conn, next.Partner, next.AuvoID)
	if err != nil {
		return fmt.Errorf("ledger: PutLink: %w", err)
	}
	if kind == "" {
		return nil
	}
	return addEvent(ctx, tx, LinkEvent{Kind: kind}, next, now)
}

// addEvent appends ev to the history of l, copying the link's fields.
func addEvent(ctx context.Context, tx *sql.Tx, ev LinkEvent, l Link, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO link_events (conn, partner, auvo_id, partner_id, doc_hash, flow,
		kind, state, who, reason, evidence, at_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.Conn, l.Partner, l.AuvoID, l.PartnerID, l.DocHash, l.Flow,
		string(ev.Kind), string(l.State), ev.Who, ev.Reason, ev.Evidence, toNS(now))
	if err != nil {
		return fmt.Errorf("ledger: record link event: %w", err)
	}
	return nil
}

func (s *SQLite) Links(ctx context.Context, conn, partner string) ([]Link, error) {
	if err := required("Links", "conn", conn, "partner", partner); err != nil {
		return nil, err
	}
	return queryLinks(ctx, s.db, selectLink+` WHERE conn = ? AND partner = ? ORDER BY auvo_id`, conn, partner)
}

func (s *SQLite) LinkByAuvo(ctx context.Context, conn, partner, auvoID string) (Link, error) {
	if err := required("LinkByAuvo", "conn", conn, "partner", partner, "auvo id", auvoID); err != nil {
		return Link{}, err
	}
	return oneLink(s.linkByAuvo.QueryRowContext(ctx, conn, partner, auvoID), "auvo", auvoID, partner, conn)
}

func (s *SQLite) LinkByPartner(ctx context.Context, conn, partner, partnerID string) (Link, error) {
	if err := required("LinkByPartner", "conn", conn, "partner", partner, "partner id", partnerID); err != nil {
		return Link{}, err
	}
	return oneLink(s.linkByPartner.QueryRowContext(ctx, conn, partner, partnerID), partner, partnerID, partner, conn)
}

func oneLink(row *sql.Row, side, id, partner, conn string) (Link, error) {
	l, err := scanLink(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, noLink(side, id, partner, conn)
	}
	if err != nil {
		return Link{}, fmt.Errorf("ledger: read link: %w", err)
	}
	return l, nil
}

func (s *SQLite) LinksByDocHash(ctx context.Context, conn, partner, docHash string) ([]Link, error) {
	if err := required("LinksByDocHash", "conn", conn, "partner", partner, "document hash", docHash); err != nil {
		return nil, err
	}
	return queryLinks(ctx, s.db, selectLink+` WHERE conn = ? AND partner = ? AND doc_hash = ? ORDER BY auvo_id`,
		conn, partner, docHash)
}

func (s *SQLite) SetEchoHashes(ctx context.Context, conn, partner, auvoID, partnerID, auvoHash, partnerHash string, now time.Time) error {
	if err := checkSetEchoHashes(conn, partner, auvoID, partnerID, now); err != nil {
		return err
	}
	if auvoHash == "" && partnerHash == "" {
		return nil
	}
	res, err := s.db.ExecContext(ctx, `UPDATE links SET
		auvo_hash = CASE WHEN ? = '' THEN auvo_hash ELSE ? END,
		partner_hash = CASE WHEN ? = '' THEN partner_hash ELSE ? END,
		updated_at_ns = ?
		WHERE conn = ? AND partner = ? AND auvo_id = ? AND partner_id = ?`,
		auvoHash, auvoHash, partnerHash, partnerHash, toNS(now), conn, partner, auvoID, partnerID)
	if err != nil {
		return fmt.Errorf("ledger: SetEchoHashes: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("ledger: SetEchoHashes: %w", err)
	} else if n == 0 {
		return noEchoLink(conn, partner, auvoID, partnerID)
	}
	return nil
}

func (s *SQLite) LinkHistory(ctx context.Context, conn, partner, auvoID string) ([]LinkEvent, error) {
	if err := required("LinkHistory", "conn", conn, "partner", partner, "auvo id", auvoID); err != nil {
		return nil, err
	}
	return linkHistory(ctx, s.db, conn, partner, auvoID)
}

func linkHistory(ctx context.Context, q querier, conn, partner, auvoID string) ([]LinkEvent, error) {
	rows, err := q.QueryContext(ctx, selectLinkEvents+` WHERE conn = ? AND partner = ? AND auvo_id = ? ORDER BY id`,
		conn, partner, auvoID)
	if err != nil {
		return nil, fmt.Errorf("ledger: read link history: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanLinkEvent, wrapf("read link history"))
}
