package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock drives a budget's timers by hand: no test waits for a real
// limit (R-BUDGET-1 tests run in microseconds of the budget's time).
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// next moves the clock to the earliest pending timer and fires it; false
// when no timer is pending.
func (c *fakeClock) next() bool {
	c.mu.Lock()
	sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
	for len(c.timers) > 0 && c.timers[0].stopped {
		c.timers = c.timers[1:]
	}
	if len(c.timers) == 0 {
		c.mu.Unlock()
		return false
	}
	t := c.timers[0]
	c.timers = c.timers[1:]
	t.stopped = true
	if t.at.After(c.now) {
		c.now = t.at
	}
	c.mu.Unlock()
	t.f()
	return true
}

func (c *fakeClock) budget(t *testing.T, cfg BudgetConfig) *Budget {
	t.Helper()
	cfg.Vendor, cfg.Now, cfg.AfterFunc = "auvo", c.Now, c.AfterFunc
	b, err := NewBudget(cfg)
	require.NoError(t, err)
	return b
}

type grant struct {
	conn    string
	at      time.Time
	release func()
}

// queue starts n requests of conn and waits until all are queued, so the
// order of queueing is the order of the calls.
func queue(t *testing.T, b *Budget, conn, key string, n int, grants chan<- grant, clock *fakeClock) {
	t.Helper()
	for range n {
		before := queued(b, conn)
		returned := make(chan struct{})
		go func() {
			release, err := b.For(conn).Acquire(t.Context(), key)
			close(returned)
			if err == nil {
				grants <- grant{conn: conn, at: clock.Now(), release: release}
			}
		}()
		require.Eventually(t, func() bool {
			select {
			case <-returned:
				return true
			default:
				return queued(b, conn) > before
			}
		}, time.Second, 100*time.Microsecond)
	}
}

func queued(b *Budget, conn string) int {
	b.core.mu.Lock()
	defer b.core.mu.Unlock()
	return len(b.core.queues[conn])
}

// drain advances the clock until want of the started requests were
// granted, in the order of their grants. The clock moves only when every
// granted request has reported, so each grant's time is exact.
func drain(t *testing.T, clock *fakeClock, b *Budget, grants <-chan grant, started, want int) []grant {
	t.Helper()
	var got []grant
	deadline := time.After(5 * time.Second)
	for len(got) < want {
		if started-len(got)-queuedAll(b) > 0 {
			select {
			case g := <-grants:
				got = append(got, g)
				g.release()
			case <-deadline:
				require.FailNow(t, "budget stalled", "%d of %d grants", len(got), want)
			}
			continue
		}
		require.True(t, clock.next(), "no timer armed with %d requests waiting", queuedAll(b))
	}
	sort.SliceStable(got, func(i, j int) bool { return got[i].at.Before(got[j].at) })
	return got
}

func queuedAll(b *Budget) int {
	b.core.mu.Lock()
	defer b.core.mu.Unlock()
	n := 0
	for _, q := range b.core.queues {
		n += len(q)
	}
	return n
}

func TestBudgetNeverLetsAWindowHoldMoreThanTheVendorCounts(t *testing.T) {
	// R-BUDGET-1: Auvo counts 400 a minute per IP; with bursts allowed or not,
	// no window of a minute may hold more.
	for name, limit := range map[string]Limit{
		"no burst":       {Requests: 40, Per: time.Minute},
		"burst of 10":    {Requests: 40, Per: time.Minute, Burst: 10},
		"burst is total": {Requests: 40, Per: time.Minute, Burst: 40},
	} {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			b := clock.budget(t, BudgetConfig{PerIP: []Limit{limit}})
			grants := make(chan grant, 200)
			queue(t, b, "a", "", 120, grants, clock)
			got := drain(t, clock, b, grants, 120, 120)
			for i := range got {
				inWindow := 0
				for j := i; j < len(got) && got[j].at.Sub(got[i].at) < limit.Per; j++ {
					inWindow++
				}
				require.LessOrEqual(t, inWindow, limit.Requests, "window starting at grant %d", i)
			}
			span := got[len(got)-1].at.Sub(got[0].at)
			assert.Less(t, span, 3*time.Minute+limit.Per/time.Duration(limit.Requests)*2, "paced at the vendor's rate, not slower")
		})
	}
}

func TestBudgetServesAnIdleConnectionBeforeABacklogOfAThousand(t *testing.T) {
	// R-BUDGET-1 fairness: one connection queues 1,000 requests; another
	// connection's single request goes within one round.
	clock := newFakeClock()
	b := clock.budget(t, BudgetConfig{PerIP: []Limit{{Requests: 400, Per: time.Minute}}})
	grants := make(chan grant, 2000)
	queue(t, b, "backlog", "", 1000, grants, clock)
	queue(t, b, "idle", "", 1, grants, clock)
	got := drain(t, clock, b, grants, 1001, 5)
	var order []string
	for _, g := range got {
		order = append(order, g.conn)
	}
	assert.Contains(t, order[:3], "idle", "served within one round: %v", order)
}

func TestBudgetServesWaitingConnectionsRoundRobin(t *testing.T) {
	clock := newFakeClock()
	b := clock.budget(t, BudgetConfig{PerIP: []Limit{{Requests: 60, Per: time.Minute}}})
	grants := make(chan grant, 100)
	queue(t, b, "a", "", 1, grants, clock) // goes at once, the rest wait
	queue(t, b, "a", "", 5, grants, clock)
	queue(t, b, "b", "", 3, grants, clock)
	queue(t, b, "c", "", 1, grants, clock)
	got := drain(t, clock, b, grants, 10, 10)
	var order []string
	for _, g := range got {
		order = append(order, g.conn)
	}
	assert.Equal(t, []string{"a", "a", "b", "c", "a", "b", "a", "b", "a", "a"}, order)
}

func TestBudgetConnectionHeldByItsOwnAccountLimitDoesNotHoldOthers(t *testing.T) {
	// Bling: 3/s per account inside a looser per-IP budget.
	clock := newFakeClock()
	b := clock.budget(t, BudgetConfig{
		PerIP:      []Limit{{Requests: 100, Per: time.Second}},
		PerAccount: []Limit{{Requests: 3, Per: time.Second}},
	})
	grants := make(chan grant, 100)
	queue(t, b, "slow", "", 6, grants, clock)
	queue(t, b, "other", "", 6, grants, clock)
	got := drain(t, clock, b, grants, 12, 12)
	var firstSecond = map[string]int{}
	start := got[0].at
	for _, g := range got {
		if g.at.Sub(start) < time.Second {
			firstSecond[g.conn]++
		}
	}
	assert.LessOrEqual(t, firstSecond["slow"], 3)
	assert.LessOrEqual(t, firstSecond["other"], 3)
	assert.Equal(t, 6, firstSecond["slow"]+firstSecond["other"], "both accounts use their own allowance in the same second")
}

func TestBudgetCapsRequestsInFlightPerMethod(t *testing.T) {
	// Omie: 4 in flight per IP + app_key + method.
	clock := newFakeClock()
	b := clock.budget(t, BudgetConfig{PerMethod: []Limit{{Concurrency: 2}}})
	ctx := t.Context()
	r1, err := b.For("a").Acquire(ctx, "ListarClientes")
	require.NoError(t, err)
	_, err = b.For("a").Acquire(ctx, "ListarClientes")
	require.NoError(t, err)
	other, err := b.For("a").Acquire(ctx, "IncluirCliente")
	require.NoError(t, err, "another method has its own cap")
	other()

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = b.For("a").Acquire(short, "ListarClientes")
	require.ErrorIs(t, err, context.DeadlineExceeded, "a third in flight waits")
	assert.Contains(t, err.Error(), "auvo budget")
	assert.Zero(t, queued(b, "a"), "a request that gave up leaves the queue")

	r1()
	r3, err := b.For("a").Acquire(ctx, "ListarClientes")
	require.NoError(t, err, "a release frees the slot")
	r3()
}

func TestBudgetShareScalesThePerIPLimits(t *testing.T) {
	// CONTRACTS.md §4 budget_share: two replicas on one IP take half each.
	clock := newFakeClock()
	b := clock.budget(t, BudgetConfig{PerIP: []Limit{{Requests: 40, Per: time.Minute}}, Share: 0.5})
	grants := make(chan grant, 100)
	queue(t, b, "a", "", 40, grants, clock)
	got := drain(t, clock, b, grants, 40, 40)
	inFirstMinute := 0
	for _, g := range got {
		if g.at.Sub(got[0].at) < time.Minute {
			inFirstMinute++
		}
	}
	assert.Equal(t, 20, inFirstMinute)
}

func TestNewBudgetRefusesWhatCannotBeEnforced(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg     BudgetConfig
		problem string
	}{
		"no vendor":      {cfg: BudgetConfig{}, problem: "no vendor"},
		"share above 1":  {cfg: BudgetConfig{Vendor: "omie", Share: 1.5}, problem: "share 1.5"},
		"negative share": {cfg: BudgetConfig{Vendor: "omie", Share: -0.1}, problem: "share -0.1"},
		"zero period":    {cfg: BudgetConfig{Vendor: "omie", PerMethod: []Limit{{Requests: 4}}}, problem: "zero period"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewBudget(tc.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.problem)
		})
	}
}

func TestRefusalForALimitIsCountedOnTheBudget(t *testing.T) {
	// A 429 under a budget means the budget's model is wrong (R-BUDGET-1).
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	b, err := NewBudget(BudgetConfig{Vendor: "bling"})
	require.NoError(t, err)
	policy := DefaultPolicy("bling")
	policy.MaxRetries = 1
	c, err := New(Config{BaseURL: srv.URL, Policy: policy, Budget: b.For("conn"),
		Sleep: func(context.Context, time.Duration) error { return nil }})
	require.NoError(t, err)
	_, err = c.Do(t.Context(), Request{Path: "/x"})
	require.ErrorIs(t, err, ErrRateLimited)
	assert.EqualValues(t, 2, b.Refusals(), "both attempts refused")
}
