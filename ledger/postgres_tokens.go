package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SaveToken returns after the commit, which PostgreSQL (synchronous_commit
// on, its default) has flushed to its WAL. Error messages never include the
// tokens.
func (s *Postgres) SaveToken(ctx context.Context, conn, vendor string, t Token) error {
	if err := required("SaveToken", "conn", conn, "vendor", vendor); err != nil {
		return err
	}
	if t.RefreshToken == "" {
		return fmt.Errorf("ledger: SaveToken: refresh token for %s/%s is empty", conn, vendor)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO tokens (conn, vendor, refresh_token, access_token, expiry_ns, saved_ns)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (conn, vendor) DO UPDATE SET refresh_token = excluded.refresh_token,
			access_token = excluded.access_token, expiry_ns = excluded.expiry_ns, saved_ns = excluded.saved_ns`,
		conn, vendor, t.RefreshToken, t.AccessToken, toNS(t.Expiry), toNS(t.Saved))
	if err != nil {
		return s.errorf("SaveToken %s/%s: %w", conn, vendor, err)
	}
	return nil
}

func (s *Postgres) LoadToken(ctx context.Context, conn, vendor string) (Token, bool, error) {
	if err := required("LoadToken", "conn", conn, "vendor", vendor); err != nil {
		return Token{}, false, err
	}
	var t Token
	var expiry, saved int64
	err := s.pool.QueryRow(ctx, `SELECT refresh_token, access_token, expiry_ns, saved_ns FROM tokens WHERE conn = $1 AND vendor = $2`,
		conn, vendor).Scan(&t.RefreshToken, &t.AccessToken, &expiry, &saved)
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, false, nil
	}
	if err != nil {
		return Token{}, false, s.errorf("LoadToken %s/%s: %w", conn, vendor, err)
	}
	t.Expiry, t.Saved = fromNS(expiry), fromNS(saved)
	return t, true, nil
}
