package ledger

import (
	"context"
	"fmt"
	"time"
)

// AcquireLease is one atomic upsert: the row is written only when it is
// absent, expired or ours, so of several processes racing for a free lease
// exactly one sees a row affected.
func (s *SQLite) AcquireLease(ctx context.Context, conn, holder string, ttl time.Duration, now time.Time) (bool, error) {
	if err := required("AcquireLease", "conn", conn, "holder", holder); err != nil {
		return false, err
	}
	if err := requireTime("AcquireLease", "now", now); err != nil {
		return false, err
	}
	if ttl <= 0 {
		return false, fmt.Errorf("ledger: AcquireLease: ttl %v is not positive", ttl)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO leases (conn, holder, expires_at_ns) VALUES (?, ?, ?)
		ON CONFLICT (conn) DO UPDATE SET holder = excluded.holder, expires_at_ns = excluded.expires_at_ns
		WHERE leases.holder = excluded.holder OR leases.expires_at_ns <= ?`,
		conn, holder, toNS(now.Add(ttl)), toNS(now))
	if err != nil {
		return false, fmt.Errorf("ledger: AcquireLease %s: %w", conn, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("ledger: AcquireLease %s: %w", conn, err)
	}
	return n == 1, nil
}

func (s *SQLite) ReleaseLease(ctx context.Context, conn, holder string) error {
	if err := required("ReleaseLease", "conn", conn, "holder", holder); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM leases WHERE conn = ? AND holder = ?`, conn, holder)
	if err != nil {
		return fmt.Errorf("ledger: ReleaseLease %s: %w", conn, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("ledger: ReleaseLease %s: %w", conn, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: connection %s is not leased by %s (the lease expired or was never taken)", ErrLeaseNotHeld, conn, holder)
	}
	return nil
}
