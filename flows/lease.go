package flows

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/auvosync/auvosync/internal/procid"
	"github.com/auvosync/auvosync/ledger"
)

// runLease is one Run's hold on its connection's lease: taken under the
// run's own identity, renewed by a heartbeat while the run goes on (a slow
// vendor page must not let it expire), and given back when the run ends.
type runLease struct {
	store ledger.LeaseStore
	conn  string
	me    ledger.Holder
	ttl   time.Duration
	now   func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	renewed time.Time // by now(), when the lease was last taken or renewed
	lost    error

	stop context.CancelFunc
	done chan struct{}
}

// self names this process; it never changes while the process runs.
var self = sync.OnceValue(func() ledger.Holder {
	host, _ := os.Hostname() // "" if unknown: then no holder is judged dead
	id := procid.Self()
	return ledger.Holder{Host: host, PID: id.PID, Started: id.Started}
})

// newHolder names one run: this process, and a nonce, so that two runs in
// one process are two holders.
func newHolder() ledger.Holder {
	h := self()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	h.Run = hex.EncodeToString(b)
	return h
}

// processGone is the one place where a lease holder is judged dead: its
// process is known, on this host, to have exited (or its PID to belong to
// a later process). Anything procid cannot tell counts as alive.
func processGone(h ledger.Holder) bool {
	return procid.Check(procid.ID{PID: h.PID, Started: h.Started}) == procid.Dead
}

func (c *Connection) leaseTTL() time.Duration {
	if c.LeaseTTL > 0 {
		return c.LeaseTTL
	}
	return LeaseTTL
}

// takeLease takes the connection's lease for a new run and starts its
// heartbeat. ErrLeaseHeld, naming the holder, when another run has it.
func (c *Connection) takeLease(ctx context.Context) (*runLease, error) {
	l := &runLease{store: c.Ledger, conn: c.Name, me: newHolder(), ttl: c.leaseTTL(), now: c.now,
		log: c.logger().With("connection", c.Name), done: make(chan struct{})}
	now := c.now()
	cur, ok, err := ledger.TakeLease(ctx, c.Ledger, c.Name, l.me, l.ttl, now, processGone)
	if err != nil {
		return nil, fmt.Errorf("flows: connection %q: taking the lease: %w", c.Name, err)
	}
	if !ok {
		return nil, fmt.Errorf("connection %q: %w (%s, until %s unless renewed)",
			c.Name, ErrLeaseHeld, cur.Holder, cur.Expires.UTC().Format(time.RFC3339))
	}
	l.renewed = now
	// The heartbeat outlives a cancelled ctx: the record in hand still
	// finishes under the lease. release stops it.
	hb, stop := context.WithCancel(context.WithoutCancel(ctx))
	l.stop = stop
	go l.heartbeat(hb, max(l.ttl/4, time.Millisecond))
	return l, nil
}

func (l *runLease) heartbeat(ctx context.Context, every time.Duration) {
	defer close(l.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := l.renew(ctx); errors.Is(err, ErrLeaseLost) {
			return
		}
	}
}

// renew extends the lease. Losing it to another holder is final; any other
// error is left for check to weigh against the expiry.
func (l *runLease) renew(ctx context.Context) error {
	now := l.now()
	err := l.store.RenewLease(ctx, l.conn, l.me, l.ttl, now)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.lost != nil:
	case err == nil:
		l.renewed = now
	case errors.Is(err, ledger.ErrLeaseNotHeld):
		l.lost = fmt.Errorf("connection %q: %w: another run took it over (%v)", l.conn, ErrLeaseLost, err)
		l.log.Error("lease lost; stopping the run", "error", err)
	default:
		l.log.Warn("renewing the lease", "error", err)
		return err
	}
	return l.lost
}

// check runs before each record: it stops the run once the lease is lost,
// and renews at once when the heartbeat has fallen behind (a stalled
// ledger, a jump of the clock), so a run never goes on past an expiry it
// cannot rule out.
func (l *runLease) check(ctx context.Context) error {
	if l == nil { // dry run: no lease
		return nil
	}
	l.mu.Lock()
	lost, renewed := l.lost, l.renewed
	l.mu.Unlock()
	if lost != nil {
		return lost
	}
	if l.now().Sub(renewed) < l.ttl/2 {
		return nil
	}
	err := l.renew(ctx)
	if err == nil || errors.Is(err, ErrLeaseLost) {
		return err
	}
	if since := l.now().Sub(renewed); since >= l.ttl {
		return fmt.Errorf("connection %q: %w: not renewed for %v: %v", l.conn, ErrLeaseLost, since, err)
	}
	return nil
}

func (l *runLease) lostErr() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// release stops the heartbeat and gives the lease back, even when ctx was
// cancelled by a signal.
func (l *runLease) release(ctx context.Context) {
	l.stop()
	<-l.done
	err := l.store.ReleaseLease(context.WithoutCancel(ctx), l.conn, l.me)
	if err != nil && l.lostErr() == nil {
		l.log.Warn("releasing the lease", "error", err)
	}
}
