package omiefake

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"
)

// IPBudget is Omie's overall limit as Omie counts it: per IP, across every
// app key (R-BUDGET-1: 960 requests a minute). Several fake accounts (one
// Server per app key, each with its own per-method limits) given the same
// IPBudget with WithIPBudget answer 429 once their requests together pass
// it.
type IPBudget struct {
	clock   func() time.Time
	max     int
	window  time.Duration
	mu      sync.Mutex
	hits    []time.Time
	refused int
}

// NewIPBudget allows n requests in any window of length window (Omie: 960
// a minute; scale it down for fast tests) on clock (nil: time.Now).
func NewIPBudget(n int, window time.Duration, clock func() time.Time) *IPBudget {
	if clock == nil {
		clock = time.Now
	}
	return &IPBudget{clock: clock, max: n, window: window}
}

// WithIPBudget puts this account behind a per-IP limit shared with other
// fake accounts, on top of its own limits.
func WithIPBudget(b *IPBudget) Option { return func(s *Server) { s.ip = b } }

// Refused counts the requests refused for the shared limit.
func (b *IPBudget) Refused() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.refused
}

// admit counts one request, or refuses it with Omie's 429; nil admits all.
func (b *IPBudget) admit() *fault {
	if b == nil || b.max <= 0 || b.window <= 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	b.hits = dropBefore(b.hits, now.Add(-b.window))
	if len(b.hits) >= b.max {
		b.refused++
		wait := b.hits[len(b.hits)-b.max].Add(b.window).Sub(now)
		secs := max(int(math.Ceil(wait.Seconds())), 1)
		return &fault{status: http.StatusTooManyRequests, code: CodeTooManyRequests,
			msg: fmt.Sprintf("ERROR: 429: Too many Requests (limite de %d requisições por %s por IP). Aguarde %d segundos.", b.max, b.window, secs)}
	}
	b.hits = append(b.hits, now)
	return nil
}

// LimitRefusals counts the requests this account refused for a limit (its
// per-minute limits, its per-method cap in flight, the shared IPBudget), not
// REDUNDANT answers nor faults injected by a test.
func (s *Server) LimitRefusals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limitRefusals
}
