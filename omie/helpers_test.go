package omie_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

// clock is shared by the fake and the client; retry waits advance it, so
// tests never sleep through Omie's 60 s windows.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

var start = time.Date(2026, 3, 10, 14, 0, 0, 0, omie.SaoPaulo)

type pair struct {
	fake   *omiefake.Server
	srv    *httptest.Server
	client *omie.Client
	clock  *clock
}

// newPair starts a fake and a client on one clock. The client's rate
// limits are lifted (keeping 4 in flight per method) unless opts set them.
func newPair(t *testing.T, fakeOpts []omiefake.Option, opts ...omie.Option) *pair {
	t.Helper()
	clk := &clock{t: start}
	fake := omiefake.New(append([]omiefake.Option{omiefake.WithClock(clk.Now)}, fakeOpts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &pair{fake: fake, srv: srv, client: newClient(t, srv, clk, opts...), clock: clk}
}

func newClient(t *testing.T, srv *httptest.Server, clk *clock, opts ...omie.Option) *omie.Client {
	t.Helper()
	base := []omie.Option{
		omie.WithBaseURL(srv.URL + "/api/v1"),
		omie.WithCredentials(omiefake.DefaultAppKey, omiefake.DefaultAppSecret),
		omie.WithClock(clk.Now),
		omie.WithRetryWait(clk.Sleep),
		omie.WithRateLimit(), omie.WithMethodRateLimit(omie.Limit{Concurrency: 4}),
	}
	c, err := omie.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func collect(t *testing.T, seq func(func(omie.Cliente, error) bool)) ([]omie.Cliente, error) {
	t.Helper()
	var out []omie.Cliente
	for c, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }

func newServer(t *testing.T, fake *omiefake.Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return srv
}
