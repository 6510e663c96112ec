package ledger

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// AcquireLease is one atomic upsert, as in SQLite: of several processes
// racing for a free lease exactly one sees a row affected (the others wait
// on the row's lock, then find it held and not expired).
func (s *Postgres) AcquireLease(ctx context.Context, conn string, h Holder, ttl time.Duration, now time.Time) (bool, error) {
	if err := checkLeaseArgs("AcquireLease", conn, h, ttl, now); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO leases (conn, holder, host, pid, started, run, expires_at_ns) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (conn) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
			started = excluded.started, run = excluded.run, expires_at_ns = excluded.expires_at_ns
		WHERE (leases.host = excluded.host AND leases.pid = excluded.pid AND leases.started = excluded.started AND leases.run = excluded.run)
			OR leases.expires_at_ns <= $8`,
		conn, h.String(), h.Host, h.PID, h.Started, h.Run, toNS(now.Add(ttl)), toNS(now))
	return s.affected(tag, err, "AcquireLease", conn)
}

func (s *Postgres) RenewLease(ctx context.Context, conn string, h Holder, ttl time.Duration, now time.Time) error {
	if err := checkLeaseArgs("RenewLease", conn, h, ttl, now); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE leases SET expires_at_ns = $1
		WHERE conn = $2 AND host = $3 AND pid = $4 AND started = $5 AND run = $6`,
		toNS(now.Add(ttl)), conn, h.Host, h.PID, h.Started, h.Run)
	ok, err := s.affected(tag, err, "RenewLease", conn)
	if err == nil && !ok {
		err = notHeld(conn, h)
	}
	return err
}

// TakeOverLease is a compare-and-swap on the holder columns.
func (s *Postgres) TakeOverLease(ctx context.Context, conn string, from, to Holder, ttl time.Duration, now time.Time) (bool, error) {
	if err := checkLeaseArgs("TakeOverLease", conn, to, ttl, now); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE leases SET holder = $1, host = $2, pid = $3, started = $4, run = $5, expires_at_ns = $6
		WHERE conn = $7 AND host = $8 AND pid = $9 AND started = $10 AND run = $11`,
		to.String(), to.Host, to.PID, to.Started, to.Run, toNS(now.Add(ttl)), conn, from.Host, from.PID, from.Started, from.Run)
	return s.affected(tag, err, "TakeOverLease", conn)
}

func (s *Postgres) Lease(ctx context.Context, conn string) (Lease, bool, error) {
	if err := required("Lease", "conn", conn); err != nil {
		return Lease{}, false, err
	}
	l, err := scanLease(s.pool.QueryRow(ctx, selectLease+` WHERE conn = $1`, conn), conn)
	if errors.Is(err, pgx.ErrNoRows) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, s.errorf("Lease %s: %w", conn, err)
	}
	return l, true, nil
}

func (s *Postgres) ReleaseLease(ctx context.Context, conn string, h Holder) error {
	if err := required("ReleaseLease", "conn", conn, "holder run", h.Run); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM leases WHERE conn = $1 AND host = $2 AND pid = $3 AND started = $4 AND run = $5`,
		conn, h.Host, h.PID, h.Started, h.Run)
	ok, err := s.affected(tag, err, "ReleaseLease", conn)
	if err == nil && !ok {
		err = notHeld(conn, h)
	}
	return err
}
