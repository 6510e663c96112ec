package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// IndexStore keeps, per connection and side, what document matching needs
// of every record of that side (RULES.md R-OUT-1..3, R-IN-1..4), so the
// flows match against it instead of asking the vendor once per record. A
// side is "auvo" or a partner's name. The flows fill it from the listings
// they make and refresh it by modification time; the store only keeps it.
type IndexStore interface {
	// IndexState returns how far a side's index is known to be complete;
	// false when the side was never listed in full.
	IndexState(ctx context.Context, conn, side string) (IndexState, bool, error)
	// IndexByDocHash returns the entries of a side whose document hash is
	// docHash; IndexByExternalCode those whose external code is code.
	IndexByDocHash(ctx context.Context, conn, side, docHash string) ([]IndexEntry, error)
	IndexByExternalCode(ctx context.Context, conn, side, code string) ([]IndexEntry, error)
	// UpdateIndex writes an update in one transaction: entries are inserted
	// or replaced by ID, dropped IDs removed, and the state, when set,
	// stored. Storing the state with the entries of the listing that
	// justifies it means a crash can never leave a state that claims
	// entries the index does not hold.
	UpdateIndex(ctx context.Context, u IndexUpdate) error
}

// IndexEntry is one record of one side as matching sees it. The document
// is kept only as DocumentHash of its normalised form: both spellings of a
// document (digits, punctuated) hash alike.
type IndexEntry struct {
	ID      string
	DocHash string
	// ExternalCode is Auvo's externalId (the partner id it is linked to).
	ExternalCode string
	// Key is the partner's integration key (Omie codigo_cliente_integracao,
	// Conta Azul codigo), when its listing shows it.
	Key      string
	Created  time.Time
	Modified time.Time
	Active   bool
}

// IndexState says up to when a side's index is complete: every record
// modified before Through is in it as of that modification, so the next
// refresh lists what was modified at or after Through.
type IndexState struct {
	Through time.Time
	// FullAt is when the last listing of the whole side started.
	FullAt time.Time
}

// IndexUpdate is one write to a side's index.
type IndexUpdate struct {
	Conn, Side string
	Put        []IndexEntry
	// Drop lists IDs the vendor no longer has (it answered not found).
	Drop []string
	// State, when not nil, replaces the side's state.
	State *IndexState
}

func (s *SQLite) IndexState(ctx context.Context, conn, side string) (IndexState, bool, error) {
	if err := required("IndexState", "conn", conn, "side", side); err != nil {
		return IndexState{}, false, err
	}
	var through, full int64
	err := s.db.QueryRowContext(ctx, `SELECT through_ns, full_at_ns FROM index_sides WHERE conn = ? AND side = ?`,
		conn, side).Scan(&through, &full)
	if errors.Is(err, sql.ErrNoRows) {
		return IndexState{}, false, nil
	}
	if err != nil {
		return IndexState{}, false, fmt.Errorf("ledger: read index state: %w", err)
	}
	return IndexState{Through: fromNS(through), FullAt: fromNS(full)}, true, nil
}

func (s *SQLite) IndexByDocHash(ctx context.Context, conn, side, docHash string) ([]IndexEntry, error) {
	if err := required("IndexByDocHash", "conn", conn, "side", side, "document hash", docHash); err != nil {
		return nil, err
	}
	return scanIndex(s.indexByDoc.QueryContext(ctx, conn, side, docHash))
}

func (s *SQLite) IndexByExternalCode(ctx context.Context, conn, side, code string) ([]IndexEntry, error) {
	if err := required("IndexByExternalCode", "conn", conn, "side", side, "external code", code); err != nil {
		return nil, err
	}
	return scanIndex(s.indexByCode.QueryContext(ctx, conn, side, code))
}

const selectIndex = `SELECT id, doc_hash, external_code, integration_key, created_at_ns,
	modified_at_ns, active FROM index_entries WHERE conn = ? AND side = ?`

func scanIndex(rows *sql.Rows, err error) ([]IndexEntry, error) {
	if err != nil {
		return nil, fmt.Errorf("ledger: read index: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanIndexEntry, wrapf("read index"))
}

// checkIndexUpdate refuses, for every store, an update that names no
// connection or side, puts an entry without an ID or sets a state without
// its through time, before anything is written.
func checkIndexUpdate(u IndexUpdate) error {
	if err := required("UpdateIndex", "conn", u.Conn, "side", u.Side); err != nil {
		return err
	}
	for _, e := range u.Put {
		if e.ID == "" {
			return errors.New("ledger: UpdateIndex: an entry has an empty id")
		}
	}
	if u.State != nil {
		if err := requireTime("UpdateIndex", "state's through", u.State.Through); err != nil {
			return err
		}
	}
	return nil
}

func (s *SQLite) UpdateIndex(ctx context.Context, u IndexUpdate) error {
	if err := checkIndexUpdate(u); err != nil {
		return err
	}
	if len(u.Put) == 0 && len(u.Drop) == 0 && u.State == nil {
		return nil
	}
	return inTx(ctx, s.db, func(tx *sql.Tx) error {
		if len(u.Put) > 0 {
			put, err := tx.PrepareContext(ctx, `INSERT INTO index_entries (conn, side, id, doc_hash, external_code,
				integration_key, created_at_ns, modified_at_ns, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (conn, side, id) DO UPDATE SET doc_hash = excluded.doc_hash,
				external_code = excluded.external_code, integration_key = excluded.integration_key,
				created_at_ns = excluded.created_at_ns, modified_at_ns = excluded.modified_at_ns, active = excluded.active`)
			if err != nil {
				return fmt.Errorf("ledger: UpdateIndex: %w", err)
			}
			defer put.Close()
			for _, e := range u.Put {
				if _, err := put.ExecContext(ctx, u.Conn, u.Side, e.ID, e.DocHash, e.ExternalCode, e.Key,
					toNS(e.Created), toNS(e.Modified), e.Active); err != nil {
					return fmt.Errorf("ledger: UpdateIndex: %w", err)
				}
			}
		}
		for _, id := range u.Drop {
			if _, err := tx.ExecContext(ctx, `DELETE FROM index_entries WHERE conn = ? AND side = ? AND id = ?`,
				u.Conn, u.Side, id); err != nil {
				return fmt.Errorf("ledger: UpdateIndex: %w", err)
			}
		}
		if u.State != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO index_sides (conn, side, through_ns, full_at_ns) VALUES (?, ?, ?, ?)
				ON CONFLICT (conn, side) DO UPDATE SET through_ns = excluded.through_ns, full_at_ns = excluded.full_at_ns`,
				u.Conn, u.Side, toNS(u.State.Through), toNS(u.State.FullAt)); err != nil {
				return fmt.Errorf("ledger: UpdateIndex: %w", err)
			}
		}
		return nil
	})
}
