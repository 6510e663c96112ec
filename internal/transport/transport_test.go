package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
)

// scripted answers each request with the next status/body of its script,
// repeating the last one.
func scripted(t *testing.T, steps ...func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(steps) {
			i = len(steps) - 1
		}
		steps[i](w)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

// auvoLikePolicy treats 403 {"error":"Rate limit..."} as a rate limit, as Auvo does.
func auvoLikePolicy() Policy {
	p := DefaultPolicy("auvo")
	p.Classify = func(r *Response) Verdict {
		v := DefaultClassify(r)
		if r.Status == http.StatusForbidden && bytes.Contains(r.Body, []byte("Rate limit")) {
			v.Kind, v.Retry, v.RateLimited, v.Wait = KindRateLimited, true, true, 10*time.Second
		}
		return v
	}
	return p
}

// omieLikePolicy reads {"faultstring","faultcode"} whatever the status and the
// "aguarde N segundos" wait.
func omieLikePolicy() Policy {
	p := DefaultPolicy("omie")
	p.MaxWait = time.Minute
	p.Classify = func(r *Response) Verdict {
		var fault struct {
			FaultString string `json:"faultstring"`
			FaultCode   string `json:"faultcode"`
		}
		if json.Unmarshal(r.Body, &fault) != nil || fault.FaultCode == "" {
			return DefaultClassify(r)
		}
		v := Verdict{Failed: true, Kind: KindServer, Code: fault.FaultCode, Message: fault.FaultString}
		if wait, ok := SecondsIn(fault.FaultString); ok {
			v.Kind, v.Retry, v.RateLimited, v.Wait = KindRateLimited, true, true, wait
		}
		return v
	}
	return p
}

func newClient(t *testing.T, srv *httptest.Server, p Policy, sleeps *testkit.Waits, opts ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: srv.URL + "/v2", Policy: p, Sleep: sleeps.Wait}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

func TestRetryDecisions(t *testing.T) {
	tests := []struct {
		name         string
		policy       Policy
		method       string
		idempotent   bool
		steps        []func(http.ResponseWriter)
		wantCalls    int32
		wantErrKind  error
		wantRateErr  bool
		wantStatus   int
		wantWaitsMin int
	}{
		{name: "GET 5xx is retried until success", policy: DefaultPolicy("x"), method: "GET",
			steps: []func(http.ResponseWriter){status(502, `{}`), status(500, `{}`), status(200, `{"ok":true}`)}, wantCalls: 3, wantStatus: 200},
		{name: "GET 4xx is not retried", policy: DefaultPolicy("x"), method: "GET",
			steps: []func(http.ResponseWriter){status(404, `{}`)}, wantCalls: 1, wantErrKind: ErrNotFound},
		{name: "GET 501 is not retried", policy: DefaultPolicy("x"), method: "GET",
			steps: []func(http.ResponseWriter){status(501, `{}`)}, wantCalls: 1, wantErrKind: ErrServer},
		{name: "POST 500 is never resent: it may have been applied", policy: DefaultPolicy("x"), method: "POST",
			steps: []func(http.ResponseWriter){status(500, `{}`), status(201, `{}`)}, wantCalls: 1, wantErrKind: ErrServer},
		{name: "idempotent PUT opts in to retries", policy: DefaultPolicy("x"), method: "PUT", idempotent: true,
			steps: []func(http.ResponseWriter){status(503, `{}`), status(200, `{}`)}, wantCalls: 2, wantStatus: 200},
		{name: "POST refused by a 429 is resent: the vendor did not act", policy: DefaultPolicy("x"), method: "POST",
			steps: []func(http.ResponseWriter){status(429, `{}`), status(201, `{}`)}, wantCalls: 2, wantStatus: 201},
		{name: "Auvo 403 rate limit is retried when the policy says so", policy: auvoLikePolicy(), method: "GET",
			steps:     []func(http.ResponseWriter){status(403, `{"error":"Rate limit temporarily exceeded"}`), status(200, `{}`)},
			wantCalls: 2, wantStatus: 200},
		{name: "plain 403 stays forbidden", policy: auvoLikePolicy(), method: "GET",
			steps: []func(http.ResponseWriter){status(403, `{"error":"no"}`)}, wantCalls: 1, wantErrKind: ErrForbidden},
		{name: "Omie fault with 500 and a wait in the body is a rate limit", policy: omieLikePolicy(), method: "POST",
			steps: []func(http.ResponseWriter){
				status(500, `{"faultstring":"ERROR: Consumo redundante detectado. Aguarde 30 segundos.","faultcode":"SOAP-ENV:Client-6"}`),
				status(200, `{"codigo_status":"0"}`)},
			wantCalls: 2, wantStatus: 200},
		{name: "Omie fault with HTTP 200 is still an error", policy: omieLikePolicy(), method: "POST",
			steps:     []func(http.ResponseWriter){status(200, `{"faultstring":"ERROR: Chave de acesso inválida","faultcode":"SOAP-ENV:Client-101"}`)},
			wantCalls: 1, wantErrKind: ErrServer},
		{name: "a wait above the cap is handed back, not slept", policy: omieLikePolicy(), method: "POST",
			steps:     []func(http.ResponseWriter){status(500, `{"faultstring":"ERROR: API bloqueada por consumo indevido. Tente novamente em 1800 segundos.","faultcode":"MISUSE_API_PROCESS"}`)},
			wantCalls: 1, wantRateErr: true},
		{name: "rate limits that never end give a RateLimitError after the retries", policy: DefaultPolicy("x"), method: "GET",
			steps: []func(http.ResponseWriter){status(429, `{}`)}, wantCalls: 5, wantRateErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := scripted(t, tc.steps...)
			sleeps := &testkit.Waits{}
			c := newClient(t, srv, tc.policy, sleeps)
			var body []byte
			if tc.method != "GET" {
				body = []byte(`{"a":1}`)
			}
			resp, err := c.Do(context.Background(), Request{Method: tc.method, Path: "/things/", Body: body, Idempotent: tc.idempotent})
			assert.Equal(t, tc.wantCalls, calls.Load(), "calls")
			switch {
			case tc.wantRateErr:
				var rl *RateLimitError
				require.ErrorAs(t, err, &rl)
				assert.ErrorIs(t, err, ErrRateLimited)
				var api *APIError
				require.ErrorAs(t, err, &api, "a RateLimitError unwraps to the APIError")
			case tc.wantErrKind != nil:
				require.ErrorIs(t, err, tc.wantErrKind)
				var api *APIError
				require.ErrorAs(t, err, &api)
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.wantStatus, resp.Status)
				assert.Equal(t, int(tc.wantCalls), resp.Attempts)
				assert.Len(t, sleeps.All(), int(tc.wantCalls)-1, "one wait between attempts")
			}
		})
	}
}

func TestWaitsComeFromVendorOrBackoff(t *testing.T) {
	t.Run("body-parsed wait is honoured", func(t *testing.T) {
		srv, _ := scripted(t,
			status(500, `{"faultstring":"ERROR: Consumo redundante. Aguarde 7 segundos.","faultcode":"SOAP-ENV:Client-6"}`),
			status(200, `{}`))
		sleeps := &testkit.Waits{}
		_, err := newClient(t, srv, omieLikePolicy(), sleeps).Do(context.Background(), Request{Method: "POST", Path: "/x/", Body: []byte(`{}`)})
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{7 * time.Second}, sleeps.All())
	})
	t.Run("Retry-After header is honoured", func(t *testing.T) {
		srv, _ := scripted(t, func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(429)
		}, status(200, `{}`))
		sleeps := &testkit.Waits{}
		_, err := newClient(t, srv, DefaultPolicy("x"), sleeps).Do(context.Background(), Request{Path: "/x"})
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{3 * time.Second}, sleeps.All())
	})
	t.Run("backoff doubles and is capped per wait", func(t *testing.T) {
		srv, _ := scripted(t, status(503, `{}`))
		sleeps := &testkit.Waits{}
		p := DefaultPolicy("x")
		p.MaxRetries, p.BaseBackoff, p.MaxWait, p.MaxRetryTime = 5, time.Second, 3*time.Second, time.Hour
		_, err := newClient(t, srv, p, sleeps).Do(context.Background(), Request{Path: "/x"})
		require.ErrorIs(t, err, ErrServer)
		assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}, sleeps.All())
	})
	t.Run("total retry time is capped", func(t *testing.T) {
		srv, calls := scripted(t, status(503, `{}`))
		sleeps := &testkit.Waits{}
		p := DefaultPolicy("x")
		p.MaxRetries, p.BaseBackoff, p.MaxWait, p.MaxRetryTime = 10, time.Second, 10*time.Second, 4*time.Second
		_, err := newClient(t, srv, p, sleeps).Do(context.Background(), Request{Path: "/x"})
		require.ErrorIs(t, err, ErrServer)
		assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, sleeps.All(), "a third wait of 4s would pass the 4s budget")
		assert.Equal(t, int32(3), calls.Load())
	})
}

func TestNetworkErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // connection refused from now on

	t.Run("GET is retried then reported as a network error", func(t *testing.T) {
		sleeps := &testkit.Waits{}
		p := DefaultPolicy("x")
		p.MaxRetries = 2
		c, err := New(Config{BaseURL: base, Policy: p, Sleep: sleeps.Wait})
		require.NoError(t, err)
		_, err = c.Do(context.Background(), Request{Path: "/x", Query: url.Values{"apiToken": {"SECRET-TOKEN"}}})
		var ne *NetworkError
		require.ErrorAs(t, err, &ne)
		assert.False(t, ne.Uncertain)
		assert.Len(t, sleeps.All(), 2)
		assert.NotContains(t, err.Error(), "SECRET-TOKEN", "the query string never reaches an error")
	})
	t.Run("a create that got no answer is uncertain and not resent", func(t *testing.T) {
		sleeps := &testkit.Waits{}
		c, err := New(Config{BaseURL: base, Policy: DefaultPolicy("x"), Sleep: sleeps.Wait})
		require.NoError(t, err)
		_, err = c.Do(context.Background(), Request{Method: "POST", Path: "/x", Body: []byte(`{}`)})
		var ne *NetworkError
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Uncertain)
		assert.Empty(t, sleeps.All())
	})
}

func TestContextCancelStopsWaiting(t *testing.T) {
	srv, calls := scripted(t, status(503, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	c := newClient(t, srv, DefaultPolicy("x"), nil, func(cfg *Config) {
		cfg.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	})
	_, err := c.Do(ctx, Request{Path: "/x"})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(1), calls.Load())
}

func TestThrottleCapsConcurrencyPerKey(t *testing.T) {
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		inFlight.Add(-1)
		w.WriteHeader(200)
	}))
	defer srv.Close()
	th := NewThrottle(nil, []Limit{{Concurrency: 2}})
	c := newClient(t, srv, DefaultPolicy("x"), &testkit.Waits{}, func(cfg *Config) { cfg.Throttle = th })

	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Do(context.Background(), Request{Path: "/x", LimitKey: "ListarClientes"})
			assert.NoError(t, err)
		}()
	}
	require.Eventually(t, func() bool { return inFlight.Load() == 2 }, 5*time.Second, time.Millisecond)
	close(release)
	wg.Wait()
	assert.Equal(t, int32(2), peak.Load(), "never more than 2 in flight for one key")
}

func TestThrottleSharedRateBlocksBeyondBurst(t *testing.T) {
	srv, calls := scripted(t, status(200, `{}`))
	th := NewThrottle([]Limit{{Requests: 1, Per: time.Hour, Burst: 2}}, nil)
	c := newClient(t, srv, DefaultPolicy("x"), &testkit.Waits{}, func(cfg *Config) { cfg.Throttle = th })
	for i := 0; i < 2; i++ {
		_, err := c.Do(context.Background(), Request{Path: "/x"})
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, Request{Path: "/x"})
	require.Error(t, err, "the third request must wait for a token it cannot get in time")
	assert.Equal(t, int32(2), calls.Load())
}

func TestThrottleKeysAreIndependent(t *testing.T) {
	th := NewThrottle(nil, []Limit{{Requests: 1, Per: time.Hour}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r1, err := th.Acquire(ctx, "IncluirCliente")
	require.NoError(t, err)
	r1()
	r2, err := th.Acquire(ctx, "ListarClientes")
	require.NoError(t, err, "another method has its own bucket")
	r2()
	_, err = th.Acquire(ctx, "IncluirCliente")
	require.Error(t, err)
}

func TestLogsCarryNoBodyNoQueryNoSecret(t *testing.T) {
	srv, _ := scripted(t, status(503, `{"echo":"529.982.247-25"}`), status(200, `{"cpf":"52998224725"}`))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, DefaultPolicy("x"), &testkit.Waits{}, func(cfg *Config) { cfg.Logger = logger })
	_, err := c.Do(context.Background(), Request{
		Method: "PUT", Path: "/customers/", Idempotent: true,
		Query:     url.Values{"paramFilter": {`{"cpfCnpj":"52998224725"}`}},
		Body:      []byte(`{"app_secret":"TOP-SECRET","cpfCnpj":"52998224725"}`),
		Authorize: func(context.Context) (string, error) { return "Bearer ACCESS-TOKEN", nil },
	})
	require.NoError(t, err)
	out := logs.String()
	for _, leak := range []string{"TOP-SECRET", "52998224725", "529.982.247-25", "ACCESS-TOKEN", "paramFilter"} {
		assert.NotContains(t, out, leak)
	}
	assert.Contains(t, out, `"path":"/v2/customers/"`)
	assert.Contains(t, out, `"status":503`)
	assert.Contains(t, out, `"attempt":2`)
	assert.Contains(t, out, `"wait":`)
}

func TestAuthorizeRunsBeforeEveryAttempt(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		n := len(seen)
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(503)
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	var tokens atomic.Int32
	c := newClient(t, srv, DefaultPolicy("x"), &testkit.Waits{})
	_, err := c.Do(context.Background(), Request{Path: "/x", Authorize: func(context.Context) (string, error) {
		return "Bearer t" + string(rune('0'+tokens.Add(1))), nil
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{"Bearer t1", "Bearer t2"}, seen)
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct{ name, base, vendor, want string }{
		{"relative base", "/v2", "x", "not an absolute URL"},
		{"no vendor", "https://a.example", "", "no vendor"},
		{"query in base", "https://a.example/?apiKey=SECRET", "x", "query string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Config{BaseURL: tc.base, Policy: Policy{Vendor: tc.vendor}})
			require.ErrorContains(t, err, tc.want)
			assert.NotContains(t, err.Error(), "SECRET")
		})
	}
}

func TestPathMayNotCarryQuery(t *testing.T) {
	srv, calls := scripted(t, status(200, `{}`))
	_, err := newClient(t, srv, DefaultPolicy("x"), &testkit.Waits{}).Do(context.Background(), Request{Path: "/login/?apiKey=K"})
	require.ErrorContains(t, err, "query string")
	assert.NotContains(t, err.Error(), "apiKey=K")
	assert.Equal(t, int32(0), calls.Load())
}

func TestSecondsIn(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want time.Duration
		ok   bool
	}{
		{"ERROR: Consumo redundante detectado. Aguarde 30 segundos para tentar novamente.", 30 * time.Second, true},
		{"ERROR: API bloqueada por consumo indevido. Tente novamente em 1743 segundos.", 1743 * time.Second, true},
		{"try again in 5 seconds", 5 * time.Second, true},
		{"Aguarde alguns segundos", 0, false},
		{"segundos", 0, false},
		{"", 0, false},
	} {
		got, ok := SecondsIn(tc.msg)
		assert.Equal(t, tc.ok, ok, tc.msg)
		assert.Equal(t, tc.want, got, tc.msg)
	}
}

func TestRetryAfter(t *testing.T) {
	h := http.Header{}
	assert.Zero(t, RetryAfter(h))
	h.Set("Retry-After", "12")
	assert.Equal(t, 12*time.Second, RetryAfter(h))
	h.Set("Retry-After", "-1")
	assert.Zero(t, RetryAfter(h))
	h.Set("Date", "Sun, 29 Nov 2026 10:00:00 GMT")
	h.Set("Retry-After", "Sun, 29 Nov 2026 10:01:30 GMT")
	assert.Equal(t, 90*time.Second, RetryAfter(h))
	h.Set("Retry-After", "garbage")
	assert.Zero(t, RetryAfter(h))
}

func TestAPIErrorText(t *testing.T) {
	err := &APIError{Vendor: "auvo", Method: "POST", Path: "/v2/customers/", Status: 400, Kind: KindInvalid,
		Fields: map[string][]string{"name": {"required"}, "cpfCnpj": {"invalid", "too long"}}}
	assert.Equal(t, "auvo: POST /v2/customers/: 400 invalid; cpfCnpj: invalid, too long; name: required", err.Error())
	assert.ErrorIs(t, err, ErrInvalid)
	assert.False(t, errors.Is(err, ErrNotFound))
	assert.Equal(t, "not found", KindNotFound.String())
	assert.True(t, strings.HasPrefix(Kind(99).String(), "kind("))
}

func TestRedactURL(t *testing.T) {
	assert.Equal(t, "https://api.example/v2", RedactURL("https://user:pw@api.example/v2?apiKey=SECRET#x"))
	assert.Equal(t, "::bad", RedactURL("::bad?token=SECRET"))
}

func TestAuthorizeFailureIsNotRetried(t *testing.T) {
	srv, calls := scripted(t, status(200, `{}`))
	sleeps := &testkit.Waits{}
	refused := errors.New("refresh token refused: authorise again")
	_, err := newClient(t, srv, DefaultPolicy("x"), sleeps).Do(context.Background(), Request{Path: "/x",
		Authorize: func(context.Context) (string, error) { return "", refused }})
	require.ErrorIs(t, err, refused)
	var ne *NetworkError
	assert.False(t, errors.As(err, &ne), "no request was sent: not a network error")
	assert.Equal(t, int32(0), calls.Load())
	assert.Empty(t, sleeps.All())
}
