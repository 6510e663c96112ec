package auvofake

import (
	"net/http"
	"sync"
	"time"
)

// rateLimitBody is the body Auvo documents for its 403 rate-limit answer.
const rateLimitBody = `{"error":"Rate limit temporarily exceeded"}`

type fault struct {
	endpoint string
	left     int
	status   int
	body     string
}

// windowLimit is a fixed window on the fake's clock, like a per-minute quota.
type windowLimit struct {
	max   int
	per   time.Duration
	start time.Time
	used  int
}

// allow counts one request and reports whether it fits in the window.
func (l *windowLimit) allow(now time.Time) bool {
	if l.max <= 0 || l.per <= 0 {
		return true
	}
	if l.start.IsZero() || !now.Before(l.start.Add(l.per)) {
		l.start, l.used = now, 0
	}
	l.used++
	return l.used <= l.max
}

// IPBudget is Auvo's limit as Auvo counts it: per IP, across all accounts
// (R-BUDGET-1). Several fake accounts (one Server each) given the same
// IPBudget with WithIPBudget answer 403 once their requests together pass
// it, as a real Auvo does to every account behind one IP.
type IPBudget struct {
	clock   func() time.Time
	mu      sync.Mutex
	limit   windowLimit
	refused int
}

// NewIPBudget allows n requests per window of length per (the documented
// limit is DocumentedRateLimit per DocumentedRateLimitPeriod; scale it down
// for fast tests) on clock (nil: time.Now).
func NewIPBudget(n int, per time.Duration, clock func() time.Time) *IPBudget {
	if clock == nil {
		clock = time.Now
	}
	return &IPBudget{clock: clock, limit: windowLimit{max: n, per: per}}
}

// Refused counts the requests refused for the shared limit.
func (b *IPBudget) Refused() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.refused
}

func (b *IPBudget) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.limit.allow(b.clock()) {
		return true
	}
	b.refused++
	return false
}

// WithIPBudget puts this account behind a per-IP limit shared with other
// fake accounts, on top of its own (WithRateLimit, WithLimits).
func WithIPBudget(b *IPBudget) Option {
	return func(s *Server) { s.ip = b }
}

// LimitRefusals counts the requests this account refused for a limit (its
// own or the shared IPBudget's), not counting faults injected by a test.
func (s *Server) LimitRefusals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limitRefusals
}

// FailNext makes the next n requests to endpoint (an Endpoint constant, or
// AnyEndpoint) answer status with body, before authentication and without
// touching state. Faults queue in the order they were added.
func (s *Server) FailNext(endpoint string, n int, status int, body string) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fault{endpoint: endpoint, left: n, status: status, body: body})
}

// RateLimitBurst makes the next n requests, whatever the endpoint, answer
// Auvo's 403 rate-limit error.
func (s *Server) RateLimitBurst(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.burst += max(n, 0)
}

// SetDelay makes every request wait d (real time) before it is handled, to
// simulate a slow API. Zero turns it off.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = max(d, 0)
}

// SetRateLimit switches Auvo's documented limit on or off at run time.
func (s *Server) SetRateLimit(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = switchedLimit(on)
}

// SetLimits is WithLimits at run time.
func (s *Server) SetLimits(n int, per time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = windowLimit{max: n, per: per}
}

// injectFault answers the request with a queued fault or a rate-limit 403
// and reports whether it did.
func (s *Server) injectFault(w http.ResponseWriter, endpoint string) bool {
	s.mu.Lock()
	if s.burst > 0 {
		s.burst--
		s.mu.Unlock()
		writeRaw(w, http.StatusForbidden, rateLimitBody)
		return true
	}
	for i := range s.faults {
		f := &s.faults[i]
		if f.endpoint != endpoint && f.endpoint != AnyEndpoint {
			continue
		}
		status, body := f.status, f.body
		f.left--
		if f.left == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		s.mu.Unlock()
		writeRaw(w, status, body)
		return true
	}
	allowed := s.limit.allow(s.clock())
	if allowed && s.ip != nil {
		allowed = s.ip.allow()
	}
	if !allowed {
		s.limitRefusals++
	}
	s.mu.Unlock()
	if !allowed {
		writeRaw(w, http.StatusForbidden, rateLimitBody)
		return true
	}
	return false
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	if body != "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
