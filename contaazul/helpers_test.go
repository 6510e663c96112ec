package contaazul_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/internal/brtime"
	"github.com/auvosync/auvosync/internal/testkit"
)

const (
	testClientID     = "test-client-id"
	testClientSecret = "test-client-secret-Xq93"
	testRefreshToken = "test-initial-refresh-Zk71"
)

var saoPaulo = brtime.SaoPaulo

// recordingStore remembers every token saved, for the secret checks.
type recordingStore struct {
	contaazul.MemoryTokenStore
	mu      sync.Mutex
	saved   []*oauth2.Token
	failing bool
}

func (s *recordingStore) Save(ctx context.Context, tok *oauth2.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing {
		return errSaveFailed
	}
	cp := *tok
	s.saved = append(s.saved, &cp)
	return s.MemoryTokenStore.Save(ctx, tok)
}

func (s *recordingStore) secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, t := range s.saved {
		out = append(out, t.AccessToken, t.RefreshToken)
	}
	return out
}

type saveError struct{}

func (saveError) Error() string { return "disk full" }

var errSaveFailed error = saveError{}

type env struct {
	fake  *contaazulfake.Server
	srv   *httptest.Server
	clock *testkit.Clock
	store *recordingStore
	logs  *testkit.Buffer
}

func newEnv(t testing.TB, opts ...contaazulfake.Option) *env {
	t.Helper()
	e := &env{
		clock: testkit.NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, saoPaulo)),
		store: &recordingStore{},
		logs:  &testkit.Buffer{},
	}
	base := []contaazulfake.Option{
		contaazulfake.WithClock(e.clock.Now),
		contaazulfake.WithCredentials(testClientID, testClientSecret),
		contaazulfake.WithRefreshToken(testRefreshToken),
	}
	e.fake = contaazulfake.New(append(base, opts...)...)
	e.srv = httptest.NewServer(e.fake)
	t.Cleanup(e.srv.Close)
	return e
}

// wait stands in for sleeping between retries: it records the wait and
// moves the shared clock on.
func (e *env) wait(ctx context.Context, d time.Duration) error { return e.clock.Sleep(ctx, d) }

func (e *env) recordedWaits() []time.Duration { return e.clock.Waits() }

func (e *env) options(extra ...contaazul.Option) []contaazul.Option {
	return append([]contaazul.Option{
		contaazul.WithBaseURL(e.srv.URL),
		contaazul.WithTokenURL(e.srv.URL + "/oauth2/token"),
		contaazul.WithCredentials(testClientID, testClientSecret),
		contaazul.WithRefreshToken(testRefreshToken),
		contaazul.WithTokenStore(e.store),
		contaazul.WithClock(e.clock.Now),
		contaazul.WithRateLimit(),
		contaazul.WithRetryWait(e.wait),
		contaazul.WithHTTPClient(e.srv.Client()),
		contaazul.WithLogger(slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}, extra...)
}

func (e *env) client(t testing.TB, extra ...contaazul.Option) *contaazul.Client {
	t.Helper()
	c, err := contaazul.New(e.options(extra...)...)
	require.NoError(t, err)
	return c
}

func collect(t *testing.T, seq func(func(contaazul.Person, error) bool)) []contaazul.Person {
	t.Helper()
	var out []contaazul.Person
	for p, err := range seq {
		require.NoError(t, err)
		out = append(out, p)
	}
	return out
}

func names(people []contaazul.Person) []string {
	out := make([]string, 0, len(people))
	for _, p := range people {
		out = append(out, p.Name)
	}
	return out
}
