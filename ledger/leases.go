package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Holder names who holds a lease: one run (Run, unique per run) inside one
// process (Host, PID and Started, the process's start token as the
// caller's process-identity code reports it). Two runs in one process are
// two holders. Only Run is required.
//
// The ledger compares holders field by field and never judges whether one
// is still alive: it cannot, since the holder may be on another machine. A
// caller that can tell (same host, the process gone) takes the lease over
// with TakeOverLease.
type Holder struct {
	Host    string
	PID     int
	Started string
	Run     string
}

func (h Holder) String() string {
	s := "run " + h.Run
	if h.Host != "" {
		s += " on " + h.Host
	}
	if h.PID != 0 {
		s += " pid " + strconv.Itoa(h.PID)
	}
	return s
}

// Lease is a connection's lease as stored.
type Lease struct {
	Conn    string
	Holder  Holder
	Expires time.Time
}

const holderColumns = `host = ? AND pid = ? AND started = ? AND run = ?`

func holderArgs(h Holder) []any { return []any{h.Host, h.PID, h.Started, h.Run} }

func checkLeaseArgs(op, conn string, h Holder, ttl time.Duration, now time.Time) error {
	if err := required(op, "conn", conn, "holder run", h.Run); err != nil {
		return err
	}
	if err := requireTime(op, "now", now); err != nil {
		return err
	}
	if ttl <= 0 {
		return fmt.Errorf("ledger: %s: ttl %v is not positive", op, ttl)
	}
	return nil
}

// AcquireLease is one atomic upsert: the row is written only when it is
// absent, expired or ours, so of several processes racing for a free lease
// exactly one sees a row affected.
func (s *SQLite) AcquireLease(ctx context.Context, conn string, h Holder, ttl time.Duration, now time.Time) (bool, error) {
	if err := checkLeaseArgs("AcquireLease", conn, h, ttl, now); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO leases (conn, holder, host, pid, started, run, expires_at_ns) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (conn) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
			started = excluded.started, run = excluded.run, expires_at_ns = excluded.expires_at_ns
		WHERE (leases.host = excluded.host AND leases.pid = excluded.pid AND leases.started = excluded.started AND leases.run = excluded.run)
			OR leases.expires_at_ns <= ?`,
		conn, h.String(), h.Host, h.PID, h.Started, h.Run, toNS(now.Add(ttl)), toNS(now))
	return oneRow(res, err, "AcquireLease", conn)
}

func (s *SQLite) RenewLease(ctx context.Context, conn string, h Holder, ttl time.Duration, now time.Time) error {
	if err := checkLeaseArgs("RenewLease", conn, h, ttl, now); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE leases SET expires_at_ns = ? WHERE conn = ? AND `+holderColumns,
		append([]any{toNS(now.Add(ttl)), conn}, holderArgs(h)...)...)
	ok, err := oneRow(res, err, "RenewLease", conn)
	if err == nil && !ok {
		err = notHeld(conn, h)
	}
	return err
}

// TakeOverLease is a compare-and-swap: the row changes only while it still
// names from, so of several processes taking over one dead holder's lease
// exactly one succeeds.
func (s *SQLite) TakeOverLease(ctx context.Context, conn string, from, to Holder, ttl time.Duration, now time.Time) (bool, error) {
	if err := checkLeaseArgs("TakeOverLease", conn, to, ttl, now); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE leases SET holder = ?, host = ?, pid = ?, started = ?, run = ?, expires_at_ns = ?
		WHERE conn = ? AND `+holderColumns,
		append([]any{to.String(), to.Host, to.PID, to.Started, to.Run, toNS(now.Add(ttl)), conn}, holderArgs(from)...)...)
	return oneRow(res, err, "TakeOverLease", conn)
}

func (s *SQLite) Lease(ctx context.Context, conn string) (Lease, bool, error) {
	if err := required("Lease", "conn", conn); err != nil {
		return Lease{}, false, err
	}
	l, err := scanLease(s.db.QueryRowContext(ctx, selectLease+` WHERE conn = ?`, conn), conn)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, fmt.Errorf("ledger: Lease %s: %w", conn, err)
	}
	return l, true, nil
}

func (s *SQLite) ReleaseLease(ctx context.Context, conn string, h Holder) error {
	if err := required("ReleaseLease", "conn", conn, "holder run", h.Run); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM leases WHERE conn = ? AND `+holderColumns, append([]any{conn}, holderArgs(h)...)...)
	ok, err := oneRow(res, err, "ReleaseLease", conn)
	if err == nil && !ok {
		err = notHeld(conn, h)
	}
	return err
}

func notHeld(conn string, h Holder) error {
	return fmt.Errorf("%w: connection %s is not leased by %s (the lease expired and another holder took it, or it was never taken)", ErrLeaseNotHeld, conn, h)
}

func oneRow(res sql.Result, err error, op, conn string) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("ledger: %s %s: %w", op, conn, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("ledger: %s %s: %w", op, conn, err)
	}
	return n == 1, nil
}

// TakeLease gets conn's lease for me when it is free, expired or already
// mine, or, at once, when its holder is on me's host and gone reports that
// holder's process gone (crashed, killed): a restarted runner need not wait
// for a dead one's lease to expire. A holder on another host is never
// judged: its lease is taken only once it expires. gone may be nil.
//
// When me does not get the lease, TakeLease returns the lease as it stands.
// It uses only the LeaseStore methods, so every store behaves alike.
func TakeLease(ctx context.Context, s LeaseStore, conn string, me Holder, ttl time.Duration, now time.Time, gone func(Holder) bool) (Lease, bool, error) {
	// Each pass either gets the lease or sees a holder that another process
	// installed meanwhile; three passes settle any realistic race.
	for range 3 {
		ok, err := s.AcquireLease(ctx, conn, me, ttl, now)
		if err != nil || ok {
			return Lease{}, ok, err
		}
		cur, found, err := s.Lease(ctx, conn)
		if err != nil {
			return Lease{}, false, err
		}
		if !found {
			continue // released in between
		}
		if gone == nil || cur.Holder.Host == "" || cur.Holder.Host != me.Host || !gone(cur.Holder) {
			return cur, false, nil
		}
		ok, err = s.TakeOverLease(ctx, conn, cur.Holder, me, ttl, now)
		if err != nil || ok {
			return Lease{}, ok, err
		}
	}
	cur, _, err := s.Lease(ctx, conn)
	return cur, false, err
}
