package oauthtoken

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/auvosync/auvosync/internal/testkit"
)

// rotatingServer is a token endpoint whose refresh tokens are single-use.
type rotatingServer struct {
	mu      sync.Mutex
	valid   string // the one refresh token accepted now
	n       int
	calls   atomic.Int32
	lastErr string
}

func (s *rotatingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	id, secret, ok := r.BasicAuth()
	if !ok || id != "client-id" || secret != "CLIENT-SECRET" {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
		return
	}
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != s.valid {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "Refresh Token has been revoked"})
		return
	}
	s.n++
	s.valid = fmt.Sprintf("REFRESH-%d", s.n)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": fmt.Sprintf("ACCESS-%d", s.n), "token_type": "Bearer",
		"expires_in": 3600, "refresh_token": s.valid,
	})
}

func setup(t *testing.T) (*rotatingServer, *httptest.Server, *testkit.Clock) {
	t.Helper()
	rs := &rotatingServer{valid: "REFRESH-0"}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	return rs, srv, testkit.NewClock(time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC))
}

func newSource(t *testing.T, srv *httptest.Server, clk *testkit.Clock, store Store) *Source {
	t.Helper()
	s, err := New(Config{
		Vendor: "contaazul", TokenURL: srv.URL + "/oauth2/token", ClientID: "client-id", ClientSecret: "CLIENT-SECRET",
		InitialRefreshToken: "REFRESH-0", Store: store, Clock: clk.Now, MaxRefreshes: 100,
	})
	require.NoError(t, err)
	return s
}

func TestFirstTokenRefreshesAndSavesRotatedToken(t *testing.T) {
	rs, srv, clk := setup(t)
	store := &MemoryStore{}
	tok, err := newSource(t, srv, clk, store).Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "ACCESS-1", tok.AccessToken)
	assert.Equal(t, clk.Now().Add(time.Hour), tok.Expiry, "expiry follows the injected clock")
	saved, _ := store.Load(context.Background())
	require.NotNil(t, saved)
	assert.Equal(t, "REFRESH-1", saved.RefreshToken)
	assert.Equal(t, int32(1), rs.calls.Load())
}

func TestTokenIsReusedUntilShortlyBeforeExpiry(t *testing.T) {
	rs, srv, clk := setup(t)
	src := newSource(t, srv, clk, &MemoryStore{})
	ctx := context.Background()
	_, err := src.Token(ctx)
	require.NoError(t, err)
	clk.Advance(50 * time.Minute)
	tok, err := src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ACCESS-1", tok.AccessToken)
	clk.Advance(9 * time.Minute) // inside the 2-minute early window
	tok, err = src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ACCESS-2", tok.AccessToken, "refreshed with the rotated refresh token")
	assert.Equal(t, int32(2), rs.calls.Load())
}

func TestTwoInstancesSharingAStoreNeverReuseADeadRefreshToken(t *testing.T) {
	rs, srv, clk := setup(t)
	store := &MemoryStore{}
	ctx := context.Background()
	a, b := newSource(t, srv, clk, store), newSource(t, srv, clk, store)
	_, err := a.Token(ctx) // REFRESH-0 → REFRESH-1
	require.NoError(t, err)
	tok, err := b.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ACCESS-1", tok.AccessToken, "b picks up a's saved, still valid token")
	clk.Advance(2 * time.Hour)
	tok, err = b.Token(ctx) // must use REFRESH-1, not its seed REFRESH-0
	require.NoError(t, err)
	assert.Equal(t, "ACCESS-2", tok.AccessToken)
	tok, err = a.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ACCESS-2", tok.AccessToken)
	assert.Equal(t, int32(2), rs.calls.Load())
}

func TestConcurrentCallersShareOneRefresh(t *testing.T) {
	rs, srv, clk := setup(t)
	src := newSource(t, srv, clk, &MemoryStore{})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := src.Token(context.Background())
			assert.NoError(t, err)
			assert.Equal(t, "ACCESS-1", tok.AccessToken)
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), rs.calls.Load())
}

func TestInvalidGrantAsksForReauthorisation(t *testing.T) {
	rs, srv, clk := setup(t)
	rs.valid = "SOMETHING-ELSE"
	_, err := newSource(t, srv, clk, &MemoryStore{}).Token(context.Background())
	var re *ReauthorizeError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, ErrReauthorize)
	assert.Contains(t, err.Error(), "authorise the app again")
	for _, secret := range []string{"CLIENT-SECRET", "REFRESH-0"} {
		assert.NotContains(t, err.Error(), secret)
	}
}

func TestFailedSaveMeansTheNewTokenIsNotUsed(t *testing.T) {
	_, srv, clk := setup(t)
	src := newSource(t, srv, clk, failingStore{})
	_, err := src.Token(context.Background())
	require.ErrorContains(t, err, "saving the rotated refresh token")
	assert.NotContains(t, err.Error(), "ACCESS-1")
	assert.NotContains(t, err.Error(), "REFRESH-1")
}

type failingStore struct{}

func (failingStore) Load(context.Context) (*oauth2.Token, error) { return nil, nil }
func (failingStore) Save(context.Context, *oauth2.Token) error   { return errors.New("disk full") }

func TestInvalidateForcesARefresh(t *testing.T) {
	_, srv, clk := setup(t)
	src := newSource(t, srv, clk, &MemoryStore{})
	ctx := context.Background()
	h, err := src.Authorization(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Bearer ACCESS-1", h)
	src.Invalidate("ACCESS-1")
	h, err = src.Authorization(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Bearer ACCESS-2", h)
}

func TestOtherTokenEndpointFailuresHideTheBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":"server_error","echo":"REFRESH-0"}`))
	}))
	defer srv.Close()
	_, err := newSource(t, srv, testkit.NewClock(time.Now()), &MemoryStore{}).Token(context.Background())
	require.ErrorContains(t, err, "token endpoint answered 500 server_error")
	assert.ErrorIs(t, err, ErrTokenEndpoint)
	assert.NotContains(t, err.Error(), "REFRESH-0")
	assert.False(t, errors.Is(err, ErrReauthorize))
}

// An operator whose token endpoint cannot be reached needs to know which
// URL was tried and why (a wrong token_url, a proxy, a certificate), never
// the client secret or the refresh token.
func TestUnreachableTokenEndpointNamesTheURLAndTheCause(t *testing.T) {
	cases := []struct {
		name  string
		start func(t *testing.T) (tokenURL string, hc *http.Client)
		cause string
	}{
		{"nothing listens", func(t *testing.T) (string, *http.Client) {
			srv := httptest.NewServer(http.NotFoundHandler())
			srv.Close()
			return srv.URL + "/oauth2/token", nil
		}, "connection refused"},
		{"certificate not trusted", func(t *testing.T) (string, *http.Client) {
			srv := httptest.NewTLSServer(http.NotFoundHandler())
			t.Cleanup(srv.Close)
			return srv.URL + "/oauth2/token", &http.Client{Timeout: 5 * time.Second}
		}, "certificate"},
		{"no answer in time", func(t *testing.T) (string, *http.Client) {
			srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm() // a read body lets the server notice the client hanging up
				<-r.Context().Done()
			}))
			t.Cleanup(srv.Close)
			return srv.URL + "/oauth2/token", &http.Client{Timeout: 50 * time.Millisecond}
		}, "Client.Timeout exceeded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tokenURL, hc := tc.start(t)
			s, err := New(Config{Vendor: "contaazul", TokenURL: tokenURL, ClientID: "client-id", ClientSecret: "CLIENT-SECRET",
				InitialRefreshToken: "REFRESH-0", HTTPClient: hc})
			require.NoError(t, err)
			_, err = s.Token(t.Context())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "token endpoint "+tokenURL+" unreachable")
			assert.Contains(t, err.Error(), tc.cause)
			assert.ErrorIs(t, err, ErrTokenEndpoint, "a sync run stops on it rather than failing each record")
			for _, secret := range []string{"CLIENT-SECRET", "REFRESH-0", "client-id"} {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
}

func TestNewRefusesAPlainHTTPTokenURLToARemoteHost(t *testing.T) {
	cfg := Config{Vendor: "contaazul", TokenURL: "http://auth.example.com/oauth2/token", ClientID: "a", ClientSecret: "b"}
	_, err := New(cfg)
	require.ErrorContains(t, err, `contaazul: token URL must use https`)
	assert.Contains(t, err.Error(), `"auth.example.com"`)
	cfg.AllowInsecureHTTP = true
	_, err = New(cfg)
	require.NoError(t, err, "allowed explicitly, for a test network")
}

func TestNoRefreshTokenAnywhere(t *testing.T) {
	_, srv, clk := setup(t)
	s, err := New(Config{Vendor: "bling", TokenURL: srv.URL, ClientID: "client-id", ClientSecret: "CLIENT-SECRET", Clock: clk.Now})
	require.NoError(t, err)
	_, err = s.Token(context.Background())
	require.ErrorIs(t, err, ErrReauthorize)
}

func TestNewValidatesConfig(t *testing.T) {
	_, err := New(Config{Vendor: "bling", TokenURL: "https://x/oauth/token"})
	require.ErrorContains(t, err, "client id, client secret")
	_, err = New(Config{Vendor: "bling", TokenURL: "oauth/token", ClientID: "a", ClientSecret: "b"})
	require.ErrorContains(t, err, "not an absolute URL")
}

func TestTokenCallsAreRateLimited(t *testing.T) {
	rs, srv, clk := setup(t)
	s, err := New(Config{Vendor: "bling", TokenURL: srv.URL, ClientID: "client-id", ClientSecret: "CLIENT-SECRET",
		InitialRefreshToken: "REFRESH-0", Clock: clk.Now, MaxRefreshes: 2})
	require.NoError(t, err)
	for i := 0; i < 2; i++ {
		s.Invalidate(fmt.Sprintf("ACCESS-%d", i))
		_, err := s.Token(context.Background())
		require.NoError(t, err)
	}
	s.Invalidate("ACCESS-2")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = s.Token(ctx)
	require.Error(t, err, "a third token call within the minute must wait")
	assert.Equal(t, int32(2), rs.calls.Load())
}
