package flows

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
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
	// LeaseTTL bounds how long a crashed runner keeps a connection locked.
	LeaseTTL = 10 * time.Minute
	// failureStreak stops a run after this many records failed in a row:
	// the vendor is down, and hammering it only gets the IP blocked.
	failureStreak = 20
	// outcomeBatch is how many outcomes go to the ledger per transaction.
	outcomeBatch = 200
)

// ErrLeaseHeld is returned when another runner holds the connection's lease.
var ErrLeaseHeld = errors.New("flows: another runner holds this connection's lease")

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
	// Holder names this process in the lease; default host:pid:random.
	Holder string
	// Progress, when set, hears of every page of a source listing, so long
	// backfills can report how far they are.
	Progress func(Progress)
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

func (c *Connection) holder() string {
	if c.Holder == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		c.Holder = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	return c.Holder
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

// Validate reports the first thing missing for running flows.
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
	return nil
}

// Run takes the connection's lease and runs the given flows one after the
// other, outbound before inbound (syncrules.AllFlows order), whatever order
// they are given in. A flow that stops early does not stop the next one,
// unless the context is done. It returns ErrLeaseHeld, without running
// anything, when another runner holds the lease.
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
	if !c.DryRun {
		ok, err := c.Ledger.AcquireLease(ctx, c.Name, c.holder(), LeaseTTL, c.now())
		if err != nil {
			return nil, fmt.Errorf("flows: connection %q: taking the lease: %w", c.Name, err)
		}
		if !ok {
			return nil, fmt.Errorf("connection %q: %w", c.Name, ErrLeaseHeld)
		}
		defer func() {
			// The lease must go even when ctx was cancelled by a signal.
			if err := c.Ledger.ReleaseLease(context.WithoutCancel(ctx), c.Name, c.holder()); err != nil {
				c.logger().Warn("releasing the lease", "connection", c.Name, "error", err)
			}
		}()
	}
	var out []Summary
	for _, f := range ordered {
		if ctx.Err() != nil {
			break
		}
		out = append(out, c.runFlow(ctx, f))
	}
	return out, nil
}

// renewLease extends the lease during long runs; losing it stops the run.
func (c *Connection) renewLease(ctx context.Context) error {
	if c.DryRun {
		return nil
	}
	ok, err := c.Ledger.AcquireLease(ctx, c.Name, c.holder(), LeaseTTL, c.now())
	if err != nil {
		return fmt.Errorf("renewing the lease: %w", err)
	}
	if !ok {
		return ErrLeaseHeld
	}
	return nil
}
