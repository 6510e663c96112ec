package runner

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/syncrules"
)

// Interval is the time between the starts of two cycles. It is fixed
// (R-SCHED-1): not a flag, not a config key.
const Interval = 10 * time.Minute

// leaseRetry is how often a connection whose lease another runner holds
// tries again.
const leaseRetry = 3 * time.Second

// Clock is the time source of the schedule and of the lease wait; tests
// replace it so that no test sleeps through an interval. The flows keep
// their own clock (flows.Connection.Clock).
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real time.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// schedule runs cycle at once, then every Interval counted from the start
// of the previous cycle. A cycle that overruns the interval is never
// overlapped: the next one starts when it ends (R-SCHED-2). It returns
// after one cycle when once is set, or when ctx is done.
func schedule(ctx context.Context, c Clock, once bool, cycle func(context.Context)) {
	for {
		start := c.Now()
		cycle(ctx)
		if once || ctx.Err() != nil {
			return
		}
		wait := max(Interval-c.Now().Sub(start), 0)
		select {
		case <-ctx.Done():
			return
		case <-c.After(wait):
		}
	}
}

// Cycle is one cycle over every connection.
type Cycle struct {
	// Number counts the runner's cycles from 1.
	Number    int
	Started   time.Time
	Ended     time.Time
	Summaries []flows.Summary // in configuration order, then flow order
	// Problems are connections or flows that could not run at all.
	Problems []Problem
	// Records are this cycle's per-record reports, kept only WithRecords.
	Records map[FlowKey][]flows.Report
}

// FlowKey names one flow of one connection.
type FlowKey struct {
	Connection string
	Flow       syncrules.Flow
}

// Problem is a connection, or one of its flows, that could not run.
type Problem struct {
	Connection string
	Flow       syncrules.Flow // "" when the whole connection could not run
	Err        error
}

// OK reports whether every configured flow completed its cycle (the
// runner's exit status 0); per-record skips and failures do not count.
func (r Cycle) OK() bool {
	if len(r.Problems) > 0 {
		return false
	}
	for _, s := range r.Summaries {
		if s.Err != nil {
			return false
		}
	}
	return true
}

// runCycle runs every connection concurrently and waits for all of them;
// within a connection flows.Connection.Run runs its flows in the fixed
// order under the connection's lease.
func runCycle(ctx context.Context, conns []*Connection, clk Clock) Cycle {
	res := Cycle{Started: clk.Now()}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() {
			sums, err := c.Run(ctx)
			mu.Lock()
			defer mu.Unlock()
			res.Summaries = append(res.Summaries, sums...)
			if err != nil {
				res.Problems = append(res.Problems, Problem{Connection: c.Name(), Err: err})
				return
			}
			// A flow the connection never reached (the run was interrupted)
			// did not complete its cycle.
			for _, f := range c.cfg.Flows {
				if !slices.ContainsFunc(sums, func(s flows.Summary) bool { return s.Flow == f }) {
					res.Problems = append(res.Problems, Problem{Connection: c.Name(), Flow: f, Err: errNotReached(ctx)})
				}
			}
		})
	}
	wg.Wait()
	res.Ended = clk.Now()
	order := func(a, b flows.Summary) int {
		if a.Connection != b.Connection {
			return connIndex(conns, a.Connection) - connIndex(conns, b.Connection)
		}
		return slices.Index(syncrules.AllFlows(), a.Flow) - slices.Index(syncrules.AllFlows(), b.Flow)
	}
	slices.SortStableFunc(res.Summaries, order)
	return res
}

func errNotReached(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.New("not run")
}

func connIndex(conns []*Connection, name string) int {
	return slices.IndexFunc(conns, func(c *Connection) bool { return c.cfg.Name == name })
}

// Run runs the connection's flows once, in the fixed order, under the
// connection's lease (R-SCHED-2): while another run holds the lease it
// waits for it rather than running twice. This is the unit to put on one's
// own scheduler or job queue. The wait is short in practice: Run takes over
// at once the lease of a runner that died on this host, and a dead runner
// elsewhere stops renewing its lease, which then lasts flows.LeaseTTL at
// most. The error is the connection's (its lease, its state); each flow's
// own end is in its Summary's Err.
func (c *Connection) Run(ctx context.Context) ([]flows.Summary, error) {
	waiting := false
	for {
		sums, err := c.conn.Run(ctx, c.cfg.Flows...)
		if !errors.Is(err, flows.ErrLeaseHeld) {
			if waiting && err == nil {
				c.log.Info("lease obtained", "connection", c.cfg.Name)
			}
			return sums, err
		}
		if !waiting {
			c.log.Info("another runner holds this connection's lease; waiting for it", "connection", c.cfg.Name, "lease", err)
			waiting = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.clock.After(leaseRetry):
		}
	}
}
