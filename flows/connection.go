package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

const (
	// Overlap is how far before the previous successful run's start the next
	// run starts reading, so records changed while it ran (or stamped by a
	// vendor clock a little behind ours) are read again; re-reading is cheap
	// because echoes and unchanged records are recognised by hash.
	Overlap = 5 * time.Minute
	// LeaseTTL bounds how long a runner that stopped renewing its lease (it
	// crashed on another host, or lost the ledger) keeps a connection
	// locked. A run renews it every LeaseTTL/4; a crashed run on the same
	// host does not keep it at all (see Connection.Run).
	LeaseTTL = 2 * time.Minute
	// failureStreak stops a run after this many records failed in a row:
	// the vendor is down, and hammering it only gets the IP blocked.
	failureStreak = 20
	// outcomeBatch is how many outcomes go to the ledger per transaction.
	outcomeBatch = 200
)

var (
	// ErrLeaseHeld is returned when another run, in this process or another,
	// holds the connection's lease.
	ErrLeaseHeld = errors.New("flows: another runner holds this connection's lease")
	// ErrLeaseLost stops a run whose lease was taken by another run (its
	// renewals failed for longer than the lease lasts).
	ErrLeaseLost = errors.New("flows: the run lost the connection's lease")
)

// Connection is one Auvo account and its ERP, with everything a run needs.
// Partner systems that the connection does not use stay nil.
type Connection struct {
	Name      string
	Auvo      AuvoSystem
	Omie      System
	ContaAzul System
	Bling     System
	Ledger    ledger.Store
	// Clock defaults to time.Now.
	Clock func() time.Time
	// Sink receives every record's outcome; nil discards them.
	Sink Sink
	// Logger defaults to discarding.
	Logger *slog.Logger
	// DryRun decides everything and writes nothing, to any API or the ledger.
	DryRun bool
	// LeaseTTL defaults to the LeaseTTL constant; the lease is renewed every
	// quarter of it while a run goes on.
	LeaseTTL time.Duration
	// Progress, when set, hears of every page of a source listing, so long
	// backfills can report how far they are.
	Progress func(Progress)
	// TimeBox is the time Run spends on its flows, shared between them
	// (R-SCHED-3, see DefaultTimeBox, the default); a flow whose share is
	// used up stops at a page boundary with a checkpoint.
	TimeBox time.Duration
}

// Progress is how far a run has got through its source listing.
type Progress struct {
	Connection string
	Flow       syncrules.Flow
	Page       int
	// Done is the number of records processed before this page.
	Done int
	// Total is the listing's size as the vendor reports it, or -1.
	Total int
}

func (c *Connection) now() time.Time {
	if c.Clock != nil {
		return c.Clock()
	}
	return time.Now()
}

func (c *Connection) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (c *Connection) partner(flow syncrules.Flow) System {
	switch flow.Partner() {
	case syncrules.Omie:
		return c.Omie
	case syncrules.ContaAzul:
		return c.ContaAzul
	case syncrules.Bling:
		return c.Bling
	}
	return nil
}

// Validate reports the first thing missing for running flows, or wrong
// with them: flows of two ERPs on one connection are refused, since Auvo's
// one external code per customer can name a record of one ERP only.
func (c *Connection) Validate(flows []syncrules.Flow) error {
	if c.Name == "" {
		return errors.New("flows: connection has no name")
	}
	if c.Auvo == nil {
		return fmt.Errorf("flows: connection %q has no Auvo client", c.Name)
	}
	if c.Ledger == nil {
		return fmt.Errorf("flows: connection %q has no ledger", c.Name)
	}
	for _, f := range flows {
		if !f.Valid() {
			return fmt.Errorf("flows: connection %q: unknown flow %q", c.Name, f)
		}
		if c.partner(f) == nil {
			return fmt.Errorf("flows: connection %q: flow %s needs a %s client", c.Name, f, f.Partner())
		}
	}
	for _, f := range flows {
		if first := flows[0].Partner(); f.Partner() != first {
			return fmt.Errorf("flows: connection %q lists flows of two ERPs, %s (%s) and %s (%s): Auvo's external code holds the id of one ERP's record only; use one connection per ERP",
				c.Name, first, flows[0], f.Partner(), f)
		}
	}
	return nil
}

// Run takes the connection's lease and runs the given flows one after the
// other, outbound before inbound (syncrules.AllFlows order), whatever order
// they are given in. A flow that stops early does not stop the next one,
// unless the context is done or the lease was lost (then Run returns the
// summaries so far and an error matching ErrLeaseLost).
//
// Each call is a run with its own lease holder (this host, process and a
// nonce), so two calls at once, on one Connection or two, in one process
// or two, never both run: the second returns at once, without writing
// anything, an error matching ErrLeaseHeld that names the holder. Waiting
// is the caller's choice (the runner retries). A lease left by a run whose
// process is gone from this host (killed, crashed) is taken over at once; a
// holder on another host keeps it until it stops renewing it and LeaseTTL
// passes.
func (c *Connection) Run(ctx context.Context, flows ...syncrules.Flow) ([]Summary, error) {
	if err := c.Validate(flows); err != nil {
		return nil, err
	}
	ordered := make([]syncrules.Flow, 0, len(flows))
	for _, f := range syncrules.AllFlows() {
		if slices.Contains(flows, f) {
			ordered = append(ordered, f)
		}
	}
	var lease *runLease
	if !c.DryRun {
		var err error
		if lease, err = c.takeLease(ctx); err != nil {
			return nil, err
		}
		defer lease.release(ctx)
	}
	// R-SCHED-3: each flow gets what is left of the time box divided by the
	// flows still to run, so time one does not use passes on to the next.
	deadline := c.now().Add(c.timeBox())
	if d, ok := ctx.Deadline(); ok {
		// A caller's deadline (a replica's slot ends) caps the box, with a
		// tenth of what is left for the page in hand, so the run stops at a
		// page boundary with a checkpoint instead of being cut off.
		left := time.Until(d)
		if capped := c.now().Add(left - left/10); capped.Before(deadline) {
			deadline = capped
		}
	}
	var out []Summary
	for i, f := range ordered {
		if ctx.Err() != nil {
			break
		}
		if err := lease.check(ctx); err != nil {
			return out, err
		}
		share := deadline.Sub(c.now()) / time.Duration(len(ordered)-i)
		out = append(out, c.runFlow(ctx, f, lease, share))
	}
	return out, lease.lostErr()
}
