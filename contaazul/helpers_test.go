package contaazul_test

import (
	"bytes"
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
)

const (
	testClientID     = "test-client-id"
	testClientSecret = "test-client-secret-Xq93"
	testRefreshToken = "test-initial-refresh-Zk71"
)

var saoPaulo = func() *time.Location {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fakeClock is shared by the fake and the clients so token expiry and
// data_alteracao agree; retry waits advance it instead of sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

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

// syncBuffer collects log lines from concurrent goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type env struct {
	fake  *contaazulfake.Server
	srv   *httptest.Server
	clock *fakeClock
	store *recordingStore
	logs  *syncBuffer

	mu    sync.Mutex
	waits []time.Duration
}

func newEnv(t testing.TB, opts ...contaazulfake.Option) *env {
	t.Helper()
	e := &env{
		clock: &fakeClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, saoPaulo)},
		store: &recordingStore{},
		logs:  &syncBuffer{},
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
func (e *env) wait(ctx context.Context, d time.Duration) error {
	e.mu.Lock()
	e.waits = append(e.waits, d)
	e.mu.Unlock()
	e.clock.Advance(d)
	return ctx.Err()
}

func (e *env) recordedWaits() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.waits...)
}

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
