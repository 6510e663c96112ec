package ledger

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

func (s *Postgres) IndexState(ctx context.Context, conn, side string) (IndexState, bool, error) {
	if err := required("IndexState", "conn", conn, "side", side); err != nil {
		return IndexState{}, false, err
	}
	var through, full int64
	err := s.pool.QueryRow(ctx, `SELECT through_ns, full_at_ns FROM index_sides WHERE conn = $1 AND side = $2`,
		conn, side).Scan(&through, &full)
	if errors.Is(err, pgx.ErrNoRows) {
		return IndexState{}, false, nil
	}
	if err != nil {
		return IndexState{}, false, s.errorf("read index state: %w", err)
	}
	return IndexState{Through: fromNS(through), FullAt: fromNS(full)}, true, nil
}

func (s *Postgres) IndexByDocHash(ctx context.Context, conn, side, docHash string) ([]IndexEntry, error) {
	if err := required("IndexByDocHash", "conn", conn, "side", side, "document hash", docHash); err != nil {
		return nil, err
	}
	return s.queryIndex(ctx, `AND doc_hash = $3`, conn, side, docHash)
}

func (s *Postgres) IndexByExternalCode(ctx context.Context, conn, side, code string) ([]IndexEntry, error) {
	if err := required("IndexByExternalCode", "conn", conn, "side", side, "external code", code); err != nil {
		return nil, err
	}
	return s.queryIndex(ctx, `AND external_code = $3`, conn, side, code)
}

func (s *Postgres) queryIndex(ctx context.Context, where string, args ...any) ([]IndexEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, doc_hash, external_code, integration_key, created_at_ns,
		modified_at_ns, active FROM index_entries WHERE conn = $1 AND side = $2 `+where, args...)
	if err != nil {
		return nil, s.errorf("read index: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanIndexEntry, s.wrapf("read index"))
}

func (s *Postgres) UpdateIndex(ctx context.Context, u IndexUpdate) error {
	if err := checkIndexUpdate(u); err != nil {
		return err
	}
	if len(u.Put) == 0 && len(u.Drop) == 0 && u.State == nil {
		return nil
	}
	// One batch in one transaction: the first failing statement rolls back
	// the whole update.
	return s.inTx(ctx, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		for _, e := range u.Put {
			batch.Queue(`INSERT INTO index_entries (conn, side, id, doc_hash, external_code,
				integration_key, created_at_ns, modified_at_ns, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				ON CONFLICT (conn, side, id) DO UPDATE SET doc_hash = excluded.doc_hash,
				external_code = excluded.external_code, integration_key = excluded.integration_key,
				created_at_ns = excluded.created_at_ns, modified_at_ns = excluded.modified_at_ns, active = excluded.active`,
				u.Conn, u.Side, e.ID, e.DocHash, e.ExternalCode, e.Key, toNS(e.Created), toNS(e.Modified), e.Active)
		}
		if len(u.Drop) > 0 {
			batch.Queue(`DELETE FROM index_entries WHERE conn = $1 AND side = $2 AND id = ANY($3)`, u.Conn, u.Side, u.Drop)
		}
		if u.State != nil {
			batch.Queue(`INSERT INTO index_sides (conn, side, through_ns, full_at_ns) VALUES ($1, $2, $3, $4)
				ON CONFLICT (conn, side) DO UPDATE SET through_ns = excluded.through_ns, full_at_ns = excluded.full_at_ns`,
				u.Conn, u.Side, toNS(u.State.Through), toNS(u.State.FullAt))
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return s.errorf("UpdateIndex: %w", err)
		}
		return nil
	})
}
