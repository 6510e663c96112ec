package transport

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// BudgetConfig describes one vendor's allowance behind one egress IP
// (R-BUDGET-1). A budget Limit is the vendor's own count: at most Requests
// in any window of Per, at most Burst of them back to back (default 1), at
// most Concurrency in flight. The budget paces so that no window of Per ever
// holds more than Requests, so a vendor counting per minute never refuses.
type BudgetConfig struct {
	Vendor string
	// Egress names the IP address this budget counts for. One process going
	// out through one address needs one budget per vendor and can leave it
	// empty; a process with several egress addresses builds one budget per
	// vendor and address, and hands each client the budget of its address.
	Egress string
	// PerIP limits hold for every request through the egress IP, whatever
	// the account (Auvo 400/min, Omie 960/min).
	PerIP []Limit
	// PerAccount limits hold for each connection separately (Conta Azul
	// 10/s and 600/min, Bling 3/s): a connection uses one account of each
	// vendor.
	PerAccount []Limit
	// PerMethod limits hold for each connection and request key (Omie:
	// 240/min and 4 in flight per IP + app_key + method).
	PerMethod []Limit
	// Share is this process's part of the PerIP limits, for replicas that
	// go out through one IP (CONTRACTS.md §4 budget_share): 0 < Share <= 1,
	// 0 means 1. Per-account and per-method limits are not shared: an
	// account is served by one replica.
	Share float64
	// Now and AfterFunc are the clock (default time.Now and time.AfterFunc);
	// tests pass a fake one.
	Now       func() time.Time
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
}

// Budget is a process-wide allowance of one vendor behind one egress IP,
// shared by every client of every connection that goes out through it
// (R-BUDGET-1). Build one per vendor and egress IP with NewBudget and hand
// each connection's clients For(connection).
//
// Fairness: requests wait in one queue per connection, first come first
// served within a connection, and the connections with a waiting request are
// served round-robin. A connection with a request waiting is therefore
// served before any other connection is served twice, however many requests
// the others have queued: a backlog of 1,000 waiters on one connection delays
// another connection's request by at most one request of each other waiting
// connection. A connection held back by its own per-account or per-method
// limit does not hold back the others.
type Budget struct {
	core *budgetCore
	conn string
}

type budgetCore struct {
	vendor, egress      string
	now                 func() time.Time
	afterFunc           func(time.Duration, func()) func() bool
	perAccount, perMeth []Limit
	refused             atomic.Int64

	mu       sync.Mutex
	ip       []*pace
	accounts map[string][]*pace
	methods  map[[2]string][]*pace
	queues   map[string][]*waiter
	ring     []string // connections with a waiting request, in serving order
	timerAt  time.Time
	stop     func() bool
}

// pace is one limit: the times of the last Requests grants (no window of
// Per may hold more), a cell rate that spreads them over the window with
// bursts of at most Burst, and an in-flight cap.
type pace struct {
	per                 time.Duration
	log                 []time.Time // ring of the last len(log) grants
	head                int         // the oldest grant in log
	interval, tolerance time.Duration
	tat                 time.Time // theoretical arrival time of the next grant
	slots, inFlight     int
}

type waiter struct {
	conn  string
	gates []*pace
	ready chan struct{}
	done  bool // granted, or gone
}

// NewBudget builds a budget from cfg.
func NewBudget(cfg BudgetConfig) (*Budget, error) {
	if cfg.Vendor == "" {
		return nil, errors.New("budget: no vendor name")
	}
	share := cfg.Share
	if share == 0 {
		share = 1
	}
	if math.IsNaN(share) || share <= 0 || share > 1 {
		return nil, fmt.Errorf("budget %s: share %v is not in (0, 1]", cfg.Vendor, cfg.Share)
	}
	for _, group := range [][]Limit{cfg.PerIP, cfg.PerAccount, cfg.PerMethod} {
		if _, err := CheckLimits(group); err != nil {
			return nil, fmt.Errorf("budget %s: %w", cfg.Vendor, err)
		}
	}
	c := &budgetCore{
		vendor:     cfg.Vendor,
		egress:     cfg.Egress,
		now:        cfg.Now,
		afterFunc:  cfg.AfterFunc,
		perAccount: cfg.PerAccount,
		perMeth:    cfg.PerMethod,
		accounts:   map[string][]*pace{},
		methods:    map[[2]string][]*pace{},
		queues:     map[string][]*waiter{},
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.afterFunc == nil {
		c.afterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	for _, l := range cfg.PerIP {
		if l != (Limit{}) {
			c.ip = append(c.ip, newPace(l, share))
		}
	}
	return &Budget{core: c}, nil
}

// newPace turns a vendor count into a pace; share scales it for a replica.
func newPace(l Limit, share float64) *pace {
	p := &pace{slots: l.Concurrency}
	if share < 1 && p.slots > 0 {
		p.slots = max(1, int(float64(p.slots)*share))
	}
	if l.Requests <= 0 || l.Per <= 0 {
		return p
	}
	requests := max(1, int(float64(l.Requests)*share))
	burst := min(max(l.Burst, 1), requests)
	p.per = l.Per
	p.log = make([]time.Time, requests)
	p.interval = l.Per / time.Duration(requests)
	p.tolerance = time.Duration(burst-1) * p.interval
	return p
}

func newPaces(limits []Limit) []*pace {
	var out []*pace
	for _, l := range limits {
		if l != (Limit{}) {
			out = append(out, newPace(l, 1))
		}
	}
	return out
}

// readyAt is when the pace allows its next grant (the zero time: now).
func (p *pace) readyAt() time.Time {
	if p.log == nil {
		return time.Time{}
	}
	at := p.tat.Add(-p.tolerance)
	if oldest := p.log[p.head]; !oldest.IsZero() {
		at = later(at, oldest.Add(p.per))
	}
	return at
}

func (p *pace) full() bool { return p.slots > 0 && p.inFlight >= p.slots }

func (p *pace) take(now time.Time) {
	if p.log != nil {
		p.tat = later(p.tat, now).Add(p.interval)
		p.log[p.head] = now
		p.head = (p.head + 1) % len(p.log)
	}
	if p.slots > 0 {
		p.inFlight++
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// For is the budget as used by one connection: the same allowance, with the
// connection's requests queued under its name for fair sharing and counted
// against its per-account and per-method limits.
func (b *Budget) For(connection string) *Budget {
	if b == nil {
		return nil
	}
	return &Budget{core: b.core, conn: connection}
}

// Vendor is the vendor this budget counts for.
func (b *Budget) Vendor() string { return b.core.vendor }

// Egress is the egress IP this budget counts for ("" : the process's one).
func (b *Budget) Egress() string { return b.core.egress }

// Refusals counts the vendor's refusals for a limit of requests sent under
// this budget. Each one means the budget's model of the vendor is wrong
// (R-BUDGET-1): the metrics expose it.
func (b *Budget) Refusals() int64 { return b.core.refused.Load() }

func (b *Budget) refusedOne() { b.core.refused.Add(1) }

// Acquire waits until a request under key (Omie: the method) may be sent by
// this budget's connection. The returned release must be called once the
// response has been read.
func (b *Budget) Acquire(ctx context.Context, key string) (func(), error) {
	if b == nil {
		return func() {}, nil
	}
	c := b.core
	w := &waiter{conn: b.conn, ready: make(chan struct{})}
	c.mu.Lock()
	w.gates = c.gatesFor(b.conn, key)
	if len(c.queues[b.conn]) == 0 {
		c.ring = append(c.ring, b.conn)
	}
	c.queues[b.conn] = append(c.queues[b.conn], w)
	c.dispatch()
	c.mu.Unlock()

	select {
	case <-w.ready:
	case <-ctx.Done():
		c.mu.Lock()
		granted := w.done
		if !granted {
			w.done = true
			c.remove(w)
			c.dispatch()
		}
		c.mu.Unlock()
		if granted {
			c.release(w)
		}
		return nil, fmt.Errorf("waiting for the %s budget: %w", c.vendor, ctx.Err())
	}
	var once sync.Once
	return func() { once.Do(func() { c.release(w) }) }, nil
}

func (c *budgetCore) gatesFor(conn, key string) []*pace {
	gates := append([]*pace(nil), c.ip...)
	if len(c.perAccount) > 0 {
		acc, ok := c.accounts[conn]
		if !ok {
			acc = newPaces(c.perAccount)
			c.accounts[conn] = acc
		}
		gates = append(gates, acc...)
	}
	if len(c.perMeth) > 0 {
		k := [2]string{conn, key}
		m, ok := c.methods[k]
		if !ok {
			m = newPaces(c.perMeth)
			c.methods[k] = m
		}
		gates = append(gates, m...)
	}
	return gates
}

func (c *budgetCore) release(w *waiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, g := range w.gates {
		if g.slots > 0 {
			g.inFlight--
		}
	}
	c.dispatch()
}

// remove takes a waiter that gave up out of its connection's queue.
func (c *budgetCore) remove(w *waiter) {
	q := c.queues[w.conn]
	for i, other := range q {
		if other == w {
			q = append(q[:i], q[i+1:]...)
			break
		}
	}
	c.queues[w.conn] = q
	if len(q) == 0 {
		delete(c.queues, w.conn)
		c.dropFromRing(w.conn)
	}
}

func (c *budgetCore) dropFromRing(conn string) {
	for i, other := range c.ring {
		if other == conn {
			c.ring = append(c.ring[:i], c.ring[i+1:]...)
			return
		}
	}
}

// dispatch grants every request that may go now, serving the connections
// round-robin: the first connection in the ring whose oldest request may go
// is served and moves to the back. Then it arms a timer for the earliest
// moment another request may go (a request held by an in-flight cap waits
// for a release instead). Called with c.mu held.
func (c *budgetCore) dispatch() {
	now := c.now()
	for {
		served := -1
		for i, conn := range c.ring {
			w := c.queues[conn][0]
			if ready(w, now) {
				for _, g := range w.gates {
					g.take(now)
				}
				w.done = true
				close(w.ready)
				served = i
				break
			}
		}
		if served < 0 {
			break
		}
		conn := c.ring[served]
		c.ring = append(c.ring[:served], c.ring[served+1:]...)
		q := c.queues[conn][1:]
		if len(q) == 0 {
			delete(c.queues, conn)
		} else {
			c.queues[conn] = q
			c.ring = append(c.ring, conn)
		}
	}
	var next time.Time
	for _, conn := range c.ring {
		at, ok := wakeAt(c.queues[conn][0])
		if ok && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	if next.IsZero() || (c.stop != nil && !c.timerAt.After(next)) {
		return
	}
	if c.stop != nil {
		c.stop()
	}
	c.timerAt = next
	c.stop = c.afterFunc(max(next.Sub(now), time.Millisecond/10), func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.stop = nil
		c.dispatch()
	})
}

func ready(w *waiter, now time.Time) bool {
	for _, g := range w.gates {
		if g.full() || g.readyAt().After(now) {
			return false
		}
	}
	return true
}

// wakeAt is when every pace of w allows a grant; false while an in-flight
// cap holds it (a release dispatches again).
func wakeAt(w *waiter) (time.Time, bool) {
	var at time.Time
	for _, g := range w.gates {
		if g.full() {
			return time.Time{}, false
		}
		at = later(at, g.readyAt())
	}
	return at, true
}
