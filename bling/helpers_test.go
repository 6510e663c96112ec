package bling_test

import (
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/internal/brtime"
	"github.com/auvosync/auvosync/internal/testkit"
)

var saoPaulo = brtime.SaoPaulo

// start is a Monday noon in São Paulo.
var start = time.Date(2025, 3, 10, 12, 0, 0, 0, saoPaulo)

type env struct {
	fake  *blingfake.Server
	srv   *httptest.Server
	clock *blingfake.Clock
	store *bling.MemoryTokenStore
	waits *testkit.Waits
	logs  *testkit.Buffer
	base  string
}

func newEnv(t testing.TB, fakeOpts ...blingfake.Option) *env {
	t.Helper()
	clock := blingfake.NewClock(start)
	fake := blingfake.New(append([]blingfake.Option{blingfake.WithClock(clock.Now)}, fakeOpts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &env{fake: fake, srv: srv, clock: clock, store: &bling.MemoryTokenStore{},
		waits: &testkit.Waits{}, logs: &testkit.Buffer{}, base: srv.URL + "/Api/v3"}
}

// client builds a client against the fake; opts come last so they win.
func (e *env) client(t testing.TB, opts ...bling.Option) *bling.Client {
	t.Helper()
	base := []bling.Option{
		bling.WithBaseURL(e.base),
		bling.WithCredentials(blingfake.DefaultClientID, blingfake.DefaultClientSecret),
		bling.WithRefreshToken(blingfake.DefaultRefreshToken),
		bling.WithTokenStore(e.store),
		bling.WithClock(e.clock.Now),
		bling.WithRateLimit(),
		bling.WithRetryWait(e.waits.Wait),
		bling.WithHTTPClient(e.srv.Client()),
		bling.WithLogger(slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}
	c, err := bling.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func collect(_ *testing.T, seq func(func(bling.Contact, error) bool)) ([]bling.Contact, error) {
	return testkit.Collect(seq)
}
