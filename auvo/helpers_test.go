package auvo_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/internal/testkit"
)

const (
	testKey   = "key-3f9a1c7e5b"
	testToken = "tok-8d2e6f4a0c"
)

func newFakeClock() *testkit.Clock {
	return testkit.NewClock(time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC))
}

type env struct {
	fake   *auvofake.Server
	srv    *httptest.Server
	client *auvo.Client
	clock  *testkit.Clock
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
	client, err := auvo.New(append([]auvo.Option{
		auvo.WithBaseURL(srv.URL + "/v2"),
		auvo.WithCredentials(testKey, testToken),
		auvo.WithClock(clock.Now),
		auvo.WithRateLimit(),
		auvo.WithRetryWait(clock.Sleep),
	}, clientOpts...)...)
	require.NoError(t, err)
	return &env{fake: fake, srv: srv, client: client, clock: clock}
}

func collect(_ *testing.T, seq func(func(auvo.Customer, error) bool)) ([]auvo.Customer, error) {
	return testkit.Collect(seq)
}

func ptr[T any](v T) *T { return &v }
