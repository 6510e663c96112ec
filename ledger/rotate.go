package ledger

import (
	"context"
	"fmt"
	"sync"
)

// TokenRotator serialises OAuth refreshes of one connection and vendor
// across every process sharing the state: with refresh tokens that the
// vendor accepts once, two replicas refreshing at once would otherwise both
// spend the same refresh token, and one of them (or, with reuse detection,
// both) would lose the grant.
type TokenRotator interface {
	// RotateToken calls refresh with the stored token (found false when
	// none is) while no other RotateToken of conn and vendor runs, in this
	// process or another on the same state, and saves what refresh returns
	// before returning it: the caller uses a rotated token only once it is
	// durable. refresh returns the stored token itself when it is still
	// good (then nothing is written), or an error (then nothing is saved).
	RotateToken(ctx context.Context, conn, vendor string, refresh func(ctx context.Context, stored Token, found bool) (Token, error)) (Token, error)
}

var (
	_ TokenRotator = (*SQLite)(nil)
	_ TokenRotator = (*Postgres)(nil)
)

// rotateLocks serialise SQLite's rotations within the process: a SQLite
// state has one machine, and the connection's lease keeps two processes off
// one connection. Holding SQLite's write lock across an HTTP call instead
// would make every other writer wait for the vendor.
var rotateLocks sync.Map // "path\x00conn\x00vendor" -> *sync.Mutex

func (s *SQLite) RotateToken(ctx context.Context, conn, vendor string, refresh func(context.Context, Token, bool) (Token, error)) (Token, error) {
	if err := required("RotateToken", "conn", conn, "vendor", vendor); err != nil {
		return Token{}, err
	}
	mu, _ := rotateLocks.LoadOrStore(s.path+"\x00"+conn+"\x00"+vendor, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	stored, found, err := s.LoadToken(ctx, conn, vendor)
	if err != nil {
		return Token{}, err
	}
	fresh, err := refresh(ctx, stored, found)
	if err != nil {
		return Token{}, err
	}
	if found && fresh == stored {
		return fresh, nil
	}
	if err := s.SaveToken(ctx, conn, vendor, fresh); err != nil {
		return Token{}, err
	}
	return fresh, nil
}

// RotateToken holds a transaction-scoped advisory lock named after conn and
// vendor across refresh, so replicas take turns; the new token is committed
// (durable) before it is returned.
func (s *Postgres) RotateToken(ctx context.Context, conn, vendor string, refresh func(context.Context, Token, bool) (Token, error)) (Token, error) {
	if err := required("RotateToken", "conn", conn, "vendor", vendor); err != nil {
		return Token{}, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Token{}, s.errorf("RotateToken %s/%s: begin: %w", conn, vendor, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('auvosync token ' || $1 || chr(31) || $2, 0))`, conn, vendor); err != nil {
		return Token{}, s.errorf("RotateToken %s/%s: lock: %w", conn, vendor, err)
	}
	var stored Token
	var expiry, saved int64
	err = tx.QueryRow(ctx, `SELECT refresh_token, access_token, expiry_ns, saved_ns FROM tokens WHERE conn = $1 AND vendor = $2`,
		conn, vendor).Scan(&stored.RefreshToken, &stored.AccessToken, &expiry, &saved)
	found := err == nil
	if err != nil && !isNoRows(err) {
		return Token{}, s.errorf("RotateToken %s/%s: %w", conn, vendor, err)
	}
	stored.Expiry, stored.Saved = fromNS(expiry), fromNS(saved)
	fresh, err := refresh(ctx, stored, found)
	if err != nil {
		return Token{}, err
	}
	if found && fresh == stored {
		return fresh, nil
	}
	if fresh.RefreshToken == "" {
		return Token{}, fmt.Errorf("ledger: RotateToken: refresh token for %s/%s is empty", conn, vendor)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO tokens (conn, vendor, refresh_token, access_token, expiry_ns, saved_ns)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (conn, vendor) DO UPDATE SET refresh_token = excluded.refresh_token,
			access_token = excluded.access_token, expiry_ns = excluded.expiry_ns, saved_ns = excluded.saved_ns`,
		conn, vendor, fresh.RefreshToken, fresh.AccessToken, toNS(fresh.Expiry), toNS(fresh.Saved)); err != nil {
		return Token{}, s.errorf("RotateToken %s/%s: save: %w", conn, vendor, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Token{}, s.errorf("RotateToken %s/%s: commit: %w", conn, vendor, err)
	}
	return fresh, nil
}
