package main

import (
	"context"
	"errors"
	"log/slog"
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

// clock is the time source of the schedule; tests replace it so that no
// test sleeps through an interval.
type clock struct {
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

func realClock() clock { return clock{now: time.Now, after: time.After} }

// schedule runs cycle at once, then every Interval counted from the start
// of the previous cycle. A cycle that overruns the interval is never
// overlapped: the next one starts when it ends (R-SCHED-2). It returns
// after one cycle when once is set, or when ctx is done.
func (c clock) schedule(ctx context.Context, once bool, cycle func(context.Context)) {
	for {
		start := c.now()
		cycle(ctx)
		if once || ctx.Err() != nil {
			return
		}
		wait := max(Interval-c.now().Sub(start), 0)
		select {
		case <-ctx.Done():
			return
		case <-c.after(wait):
		}
	}
}

// cycleResult is one cycle over every connection.
type cycleResult struct {
	Number    int
	Started   time.Time
	Ended     time.Time
	Summaries []flows.Summary
	// Problems are connections or flows that could not run at all.
	Problems []connProblem
}

type connProblem struct {
	Connection string
	Flow       syncrules.Flow // "" when the whole connection could not run
	Err        error
}

// ok reports whether every configured flow completed (exit status 0).
func (r cycleResult) ok() bool {
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
func runCycle(ctx context.Context, conns []*connRuntime, clk clock, log *slog.Logger) cycleResult {
	res := cycleResult{Started: clk.now()}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, rt := range conns {
		wg.Go(func() {
			sums, err := runConnection(ctx, rt, clk, log)
			mu.Lock()
			defer mu.Unlock()
			res.Summaries = append(res.Summaries, sums...)
			if err != nil {
				res.Problems = append(res.Problems, connProblem{Connection: rt.cfg.Name, Err: err})
				return
			}
			// A flow the connection never reached (the run was interrupted)
			// did not complete its cycle.
			for _, f := range rt.cfg.Flows {
				if !slices.ContainsFunc(sums, func(s flows.Summary) bool { return s.Flow == f }) {
					res.Problems = append(res.Problems, connProblem{Connection: rt.cfg.Name, Flow: f, Err: errNotReached(ctx)})
				}
			}
		})
	}
	wg.Wait()
	res.Ended = clk.now()
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

func connIndex(conns []*connRuntime, name string) int {
	return slices.IndexFunc(conns, func(rt *connRuntime) bool { return rt.cfg.Name == name })
}

// runConnection runs one connection's flows, waiting while another run
// holds the connection's lease rather than running it twice. The wait is
// short in practice: Run takes over at once the lease of a runner that died
// on this host, and a dead runner elsewhere stops renewing its lease, which
// then lasts flows.LeaseTTL at most.
func runConnection(ctx context.Context, rt *connRuntime, clk clock, log *slog.Logger) ([]flows.Summary, error) {
	waiting := false
	for {
		sums, err := rt.conn.Run(ctx, rt.cfg.Flows...)
		if !errors.Is(err, flows.ErrLeaseHeld) {
			if waiting && err == nil {
				log.Info("lease obtained", "connection", rt.cfg.Name)
			}
			return sums, err
		}
		if !waiting {
			log.Info("another runner holds this connection's lease; waiting for it", "connection", rt.cfg.Name, "lease", err)
			waiting = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-clk.after(leaseRetry):
		}
	}
}
