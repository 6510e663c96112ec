package omie_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

var start = time.Date(2026, 3, 10, 14, 0, 0, 0, omie.SaoPaulo)

type pair struct {
	fake   *omiefake.Server
	srv    *httptest.Server
	client *omie.Client
	clock  *testkit.Clock
}

// newPair starts a fake and a client on one clock. The client's rate
// limits are lifted (keeping 4 in flight per method) unless opts set them.
func newPair(t *testing.T, fakeOpts []omiefake.Option, opts ...omie.Option) *pair {
	t.Helper()
	clk := testkit.NewClock(start)
	fake := omiefake.New(append([]omiefake.Option{omiefake.WithClock(clk.Now)}, fakeOpts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &pair{fake: fake, srv: srv, client: newClient(t, srv, clk, opts...), clock: clk}
}

func newClient(t *testing.T, srv *httptest.Server, clk *testkit.Clock, opts ...omie.Option) *omie.Client {
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

func collect(_ *testing.T, seq func(func(omie.Cliente, error) bool)) ([]omie.Cliente, error) {
	return testkit.Collect(seq)
}

func ptr[T any](v T) *T { return &v }

func newServer(t *testing.T, fake *omiefake.Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return srv
}
