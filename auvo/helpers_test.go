package auvo_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

const (
	testKey   = "key-3f9a1c7e5b"
	testToken = "tok-8d2e6f4a0c"
)

// fakeClock is shared by the client and the fake so token expiry and
// dateLastUpdate move together without sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// waits records retry waits and advances the shared clock instead of sleeping.
type waits struct {
	clock *fakeClock
	mu    sync.Mutex
	all   []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.all = append(w.all, d)
	w.mu.Unlock()
	w.clock.Advance(d)
	return ctx.Err()
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.all...)
}

type env struct {
	fake   *auvofake.Server
	srv    *httptest.Server
	client *auvo.Client
	clock  *fakeClock
	waits  *waits
}

// newEnv starts a fake and a client wired to it: shared clock, no
// client-side throttle, retry waits that advance the clock.
func newEnv(t *testing.T, fakeOpts []auvofake.Option, clientOpts ...auvo.Option) *env {
	t.Helper()
	clock := newFakeClock()
	fake := auvofake.New(append([]auvofake.Option{
		auvofake.WithCredentials(testKey, testToken),
		auvofake.WithClock(clock.Now),
	}, fakeOpts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	w := &waits{clock: clock}
	client, err := auvo.New(append([]auvo.Option{
		auvo.WithBaseURL(srv.URL + "/v2"),
		auvo.WithCredentials(testKey, testToken),
		auvo.WithClock(clock.Now),
		auvo.WithRateLimit(),
		auvo.WithRetryWait(w.wait),
	}, clientOpts...)...)
	require.NoError(t, err)
	return &env{fake: fake, srv: srv, client: client, clock: clock, waits: w}
}

func collect(t *testing.T, seq func(func(auvo.Customer, error) bool)) ([]auvo.Customer, error) {
	t.Helper()
	var out []auvo.Customer
	for c, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }
