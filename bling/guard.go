package bling

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/auvosync/auvosync/internal/brtime"
)

// saoPaulo is the zone of Bling's dates and of its daily budget's midnight.
var saoPaulo = brtime.SaoPaulo

// guard holds the per-account request accounting: the daily budget and the
// circuit breaker. It sees every attempt, retries included, because Bling
// counts those too.
type guard struct {
	clock  func() time.Time
	logger *slog.Logger

	mu    sync.Mutex
	day   string
	used  int
	limit int

	threshold        int
	window, coolDown time.Duration
	streak           int
	streakStart      time.Time
	openUntil        time.Time
}

func dayOf(t time.Time) string { return t.In(saoPaulo).Format("2006-01-02") }

func nextMidnight(t time.Time) time.Time {
	local := t.In(saoPaulo)
	return time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, saoPaulo)
}

// rollover resets the counter when the São Paulo day changed. mu held.
func (g *guard) rollover(now time.Time) {
	if d := dayOf(now); d != g.day {
		g.day, g.used = d, 0
	}
}

// admit refuses a call that the budget or the breaker forbids.
func (g *guard) admit() error {
	now := g.clock()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rollover(now)
	if g.limit > 0 && g.used >= g.limit {
		return &BudgetError{Used: g.used, Limit: g.limit, ResetAt: nextMidnight(now)}
	}
	if now.Before(g.openUntil) {
		return &CircuitOpenError{Failures: g.threshold, Until: g.openUntil}
	}
	return nil
}

func (g *guard) sent() {
	now := g.clock()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rollover(now)
	g.used++
}

// result feeds the breaker with one response status.
func (g *guard) result(status int) {
	if g.threshold <= 0 {
		return
	}
	now := g.clock()
	g.mu.Lock()
	defer g.mu.Unlock()
	if status < 400 {
		g.streak = 0
		return
	}
	if g.streak == 0 || now.Sub(g.streakStart) > g.window {
		g.streak, g.streakStart = 0, now
	}
	g.streak++
	if g.streak < g.threshold {
		return
	}
	g.openUntil = now.Add(g.coolDown)
	// Half-open afterwards: one more error inside the window re-opens at once.
	g.streak, g.streakStart = g.threshold-1, g.openUntil
	g.logger.Warn("bling: circuit opened after consecutive error responses",
		slog.Int("errors", g.threshold), slog.Duration("cool_down", g.coolDown))
}

func (g *guard) budget() (used, limit int) {
	now := g.clock()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rollover(now)
	return g.used, g.limit
}

// countingTransport sits below the throttle, so it sees each attempt that
// actually leaves the process.
type countingTransport struct {
	next  http.RoundTripper
	guard *guard
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.guard.sent()
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		t.guard.result(resp.StatusCode)
	}
	return resp, err
}
