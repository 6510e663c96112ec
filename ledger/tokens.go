package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SaveToken commits before returning, and the file runs with
// synchronous=FULL, so the new token survives a crash or power loss.
// Error messages never include the tokens.
func (s *SQLite) SaveToken(ctx context.Context, conn, vendor string, t Token) error {
	if err := required("SaveToken", "conn", conn, "vendor", vendor); err != nil {
		return err
	}
	// Saving without a refresh token would lose the only way to get a new
	// access token after a restart.
	if t.RefreshToken == "" {
		return fmt.Errorf("ledger: SaveToken: refresh token for %s/%s is empty", conn, vendor)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO tokens (conn, vendor, refresh_token, access_token, expiry_ns, saved_ns)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (conn, vendor) DO UPDATE SET refresh_token = excluded.refresh_token,
			access_token = excluded.access_token, expiry_ns = excluded.expiry_ns, saved_ns = excluded.saved_ns`,
		conn, vendor, t.RefreshToken, t.AccessToken, toNS(t.Expiry), toNS(t.Saved))
	if err != nil {
		return fmt.Errorf("ledger: SaveToken %s/%s: %w", conn, vendor, err)
	}
	return nil
}

func (s *SQLite) LoadToken(ctx context.Context, conn, vendor string) (Token, bool, error) {
	if err := required("LoadToken", "conn", conn, "vendor", vendor); err != nil {
		return Token{}, false, err
	}
	var t Token
	var expiry, saved int64
	err := s.db.QueryRowContext(ctx, `SELECT refresh_token, access_token, expiry_ns, saved_ns FROM tokens WHERE conn = ? AND vendor = ?`,
		conn, vendor).Scan(&t.RefreshToken, &t.AccessToken, &expiry, &saved)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, false, nil
	}
	if err != nil {
		return Token{}, false, fmt.Errorf("ledger: LoadToken %s/%s: %w", conn, vendor, err)
	}
	t.Expiry, t.Saved = fromNS(expiry), fromNS(saved)
	return t, true, nil
}
