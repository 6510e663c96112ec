package ledger

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgQuerier is the pool or a transaction.
type pgQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (s *Postgres) queryLinks(ctx context.Context, q pgQuerier, query string, args ...any) ([]Link, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, s.errorf("read links: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanLink, s.wrapf("read links"))
}

// linkForUpdate reads one link and locks its row until tx ends, so two
// writers of one link take turns (SQLite's BEGIN IMMEDIATE does the same
// for the whole file).
func (s *Postgres) linkForUpdate(ctx context.Context, tx pgx.Tx, conn, partner, auvoID string) (Link, error) {
	return scanLink(tx.QueryRow(ctx, selectLink+` WHERE conn = $1 AND partner = $2 AND auvo_id = $3 FOR UPDATE`,
		conn, partner, auvoID))
}

func (s *Postgres) PutLink(ctx context.Context, link Link, now time.Time) error {
	if err := checkPutLink(link, now); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// Insert first: of two writers of a new link one inserts, the other
		// finds the row and updates it.
		tag, err := tx.Exec(ctx, `INSERT INTO links (conn, partner, auvo_id, partner_id, doc_hash, flow, state,
			linked_at_ns, updated_at_ns, auvo_hash, partner_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)
			ON CONFLICT (conn, partner, auvo_id) DO NOTHING`,
			link.Conn, link.Partner, link.AuvoID, link.PartnerID, link.DocHash, link.Flow, string(LinkLive),
			toNS(now), link.AuvoHash, link.PartnerHash)
		if err != nil {
			return s.errorf("PutLink: %w", err)
		}
		if tag.RowsAffected() == 1 {
			link.State = LinkLive
			return s.addEvent(ctx, tx, LinkEvent{Kind: EventLinked}, link, now)
		}
		old, err := s.linkForUpdate(ctx, tx, link.Conn, link.Partner, link.AuvoID)
		if err != nil {
			return s.errorf("PutLink: %w", err)
		}
		if err := lockedErr(link, old); err != nil {
			return err
		}
		return s.updateLink(ctx, tx, old, link, now)
	})
}

func (s *Postgres) updateLink(ctx context.Context, tx pgx.Tx, old, l Link, now time.Time) error {
	next, kind, changed := relink(old, l, now)
	if !changed {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE links SET partner_id = $1, doc_hash = $2, flow = $3, state = $4,
		linked_at_ns = $5, updated_at_ns = $6, auvo_hash = $7, partner_hash = $8
		WHERE conn = $9 AND partner = $10 AND auvo_id = $11`,
		next.PartnerID, next.DocHash, next.Flow, string(next.State), toNS(next.LinkedAt), toNS(next.UpdatedAt),
		next.AuvoHash, next.PartnerHash, next.Conn, next.Partner, next.AuvoID)
	if err != nil {
		return s.errorf("PutLink: %w", err)
	}
	if kind == "" {
		return nil
	}
	return s.addEvent(ctx, tx, LinkEvent{Kind: kind}, next, now)
}

func (s *Postgres) addEvent(ctx context.Context, tx pgx.Tx, ev LinkEvent, l Link, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO link_events (conn, partner, auvo_id, partner_id, doc_hash, flow,
		kind, state, who, reason, evidence, at_ns) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		l.Conn, l.Partner, l.AuvoID, l.PartnerID, l.DocHash, l.Flow,
		string(ev.Kind), string(l.State), ev.Who, ev.Reason, ev.Evidence, toNS(now))
	if err != nil {
		return s.errorf("record link event: %w", err)
	}
	return nil
}

func (s *Postgres) Links(ctx context.Context, conn, partner string) ([]Link, error) {
	if err := required("Links", "conn", conn, "partner", partner); err != nil {
		return nil, err
	}
	return s.queryLinks(ctx, s.pool, selectLink+` WHERE conn = $1 AND partner = $2 ORDER BY auvo_id`, conn, partner)
}

func (s *Postgres) LinkByAuvo(ctx context.Context, conn, partner, auvoID string) (Link, error) {
	if err := required("LinkByAuvo", "conn", conn, "partner", partner, "auvo id", auvoID); err != nil {
		return Link{}, err
	}
	return s.oneLink(s.pool.QueryRow(ctx, selectLink+` WHERE conn = $1 AND partner = $2 AND auvo_id = $3`,
		conn, partner, auvoID), "auvo", auvoID, partner, conn)
}

func (s *Postgres) LinkByPartner(ctx context.Context, conn, partner, partnerID string) (Link, error) {
	if err := required("LinkByPartner", "conn", conn, "partner", partner, "partner id", partnerID); err != nil {
		return Link{}, err
	}
	return s.oneLink(s.pool.QueryRow(ctx, selectLink+` WHERE conn = $1 AND partner = $2 AND partner_id = $3
		ORDER BY CASE WHEN state = 'released' THEN 1 ELSE 0 END, updated_at_ns DESC LIMIT 1`,
		conn, partner, partnerID), partner, partnerID, partner, conn)
}

func (s *Postgres) oneLink(row pgx.Row, side, id, partner, conn string) (Link, error) {
	l, err := scanLink(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return Link{}, noLink(side, id, partner, conn)
	}
	if err != nil {
		return Link{}, s.errorf("read link: %w", err)
	}
	return l, nil
}

func (s *Postgres) LinksByDocHash(ctx context.Context, conn, partner, docHash string) ([]Link, error) {
	if err := required("LinksByDocHash", "conn", conn, "partner", partner, "document hash", docHash); err != nil {
		return nil, err
	}
	return s.queryLinks(ctx, s.pool, selectLink+` WHERE conn = $1 AND partner = $2 AND doc_hash = $3 ORDER BY auvo_id`,
		conn, partner, docHash)
}

func (s *Postgres) SetEchoHashes(ctx context.Context, conn, partner, auvoID, partnerID, auvoHash, partnerHash string, now time.Time) error {
	if err := checkSetEchoHashes(conn, partner, auvoID, partnerID, now); err != nil {
		return err
	}
	if auvoHash == "" && partnerHash == "" {
		return nil
	}
	tag, err := s.pool.Exec(ctx, `UPDATE links SET
		auvo_hash = CASE WHEN $1 = '' THEN auvo_hash ELSE $1 END,
		partner_hash = CASE WHEN $2 = '' THEN partner_hash ELSE $2 END,
		updated_at_ns = $3
		WHERE conn = $4 AND partner = $5 AND auvo_id = $6 AND partner_id = $7`,
		auvoHash, partnerHash, toNS(now), conn, partner, auvoID, partnerID)
	if err != nil {
		return s.errorf("SetEchoHashes: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return noEchoLink(conn, partner, auvoID, partnerID)
	}
	return nil
}

func (s *Postgres) LinkHistory(ctx context.Context, conn, partner, auvoID string) ([]LinkEvent, error) {
	if err := required("LinkHistory", "conn", conn, "partner", partner, "auvo id", auvoID); err != nil {
		return nil, err
	}
	return s.linkHistory(ctx, s.pool, conn, partner, auvoID)
}

func (s *Postgres) linkHistory(ctx context.Context, q pgQuerier, conn, partner, auvoID string) ([]LinkEvent, error) {
	rows, err := q.Query(ctx, selectLinkEvents+` WHERE conn = $1 AND partner = $2 AND auvo_id = $3 ORDER BY id`,
		conn, partner, auvoID)
	if err != nil {
		return nil, s.errorf("read link history: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanLinkEvent, s.wrapf("read link history"))
}
