package omie

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// DefaultBaseURL is Omie's API root; calls go to {base}/geral/clientes/.
const DefaultBaseURL = "https://app.omie.com.br/api/v1"

const clientesPath = "geral/clientes/"

// The methods of geral/clientes/ this package calls.
const (
	callListar        = "ListarClientes"
	callConsultar     = "ConsultarCliente"
	callIncluir       = "IncluirCliente"
	callAlterar       = "AlterarCliente"
	callUpsert        = "UpsertCliente"
	callUpsertCpfCnpj = "UpsertClienteCpfCnpj"
	callAssociar      = "AssociarCodIntCliente"
)

// DefaultLimits returns the client-side limits for one app key. Omie allows
// 960 requests a minute overall and 240 a minute and 4 at once per method;
// a token bucket lets through its burst plus a minute of refill in any 60 s,
// so rate and burst are chosen to add up to the vendor's numbers exactly.
func DefaultLimits() (overall, perMethod Limit) {
	return Limit{Requests: 940, Per: time.Minute, Burst: 20},
		Limit{Requests: 230, Per: time.Minute, Burst: 10, Concurrency: 4}
}

// Client calls Omie's customer register for one app key. It is safe for
// concurrent use; every goroutine shares its limits and its cache.
type Client struct {
	reads, writes *transport.Client
	creds         credentials
	now           func() time.Time
	cache         *consultCache
	writeSlots    *keyedSemaphore
}

// credentials keeps the secret out of any %v of the client.
type credentials struct{ appKey, appSecret string }

func (c credentials) String() string   { return "omie.credentials{app_key: " + maskKey(c.appKey) + "}" }
func (c credentials) GoString() string { return c.String() }

func maskKey(k string) string {
	if len(k) <= 4 {
		return "****"
	}
	return k[:2] + strings.Repeat("*", len(k)-4) + k[len(k)-2:]
}

// config's Limits are the overall ones; method holds the per-method ones.
type config struct {
	transport.Settings
	appKey    string
	appSecret string
	method    []Limit
	writeConc int
}

// Option configures New. Its error is New's, after "omie: ".
type Option func(*config) error

// WithBaseURL replaces DefaultBaseURL (tests point it at omiefake).
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if strings.TrimSpace(u) == "" {
			return errors.New("WithBaseURL: empty URL")
		}
		c.BaseURL = u
		return nil
	}
}

// WithInsecureHTTP accepts a plain http:// base URL to any host, for test
// networks only: without it plain http is refused except to loopback hosts
// (localhost, 127.0.0.0/8, ::1), because the credentials travel with the
// requests.
func WithInsecureHTTP() Option {
	return func(c *config) error { c.InsecureHTTP = true; return nil }
}

// WithCredentials sets the app key and app secret (both required).
func WithCredentials(appKey, appSecret string) Option {
	return func(c *config) error {
		c.appKey, c.appSecret = strings.TrimSpace(appKey), strings.TrimSpace(appSecret)
		return nil
	}
}

// WithHTTPClient sets the HTTP client; its Timeout bounds each attempt. When
// its Transport is nil or an *http.Transport, the client talks through a
// clone of it pinned to HTTP/1.1 (see New); hc itself is not changed. Any
// other RoundTripper is used as given, and keeping it on HTTP/1.1 is then
// the caller's job.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithLogger receives one line per HTTP attempt (never a body); nil discards.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.Logger = l; return nil }
}

// WithRateLimit replaces the overall limit of DefaultLimits, which every
// request counts against; no limits (or only zero ones) lifts it.
func WithRateLimit(limits ...Limit) Option {
	return func(c *config) error { return c.SetLimits(limits...) }
}

// WithMethodRateLimit replaces the per-method limit of DefaultLimits (each
// Omie method has its own allowance and in-flight cap); no limits lifts it.
func WithMethodRateLimit(limits ...Limit) Option {
	return func(c *config) error {
		checked, err := transport.CheckLimits(limits)
		if err != nil {
			return fmt.Errorf("WithMethodRateLimit: %w", err)
		}
		c.method = checked
		return nil
	}
}

// WithBudget draws every request from a process-wide budget shared with
// other clients (R-BUDGET-1: Omie counts 960 a minute per IP, and 240
// a minute and 4 in flight per IP + app_key + method), as well as from this client's own
// limits (WithRateLimit; pass none to rely on the budget alone). Pass
// budget.For(connection), so that connections share the budget fairly; nil
// means no budget.
func WithBudget(b *Budget) Option {
	return func(c *config) error { c.Budget = b; return nil }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { c.UserAgent = ua; return nil }
}

// WithWriteConcurrency caps concurrent writes per method (default 1: Omie's
// older limits article allows no concurrency for inserts and updates). 0
// lifts the cap, leaving only the per-method limit of WithMethodRateLimit.
func WithWriteConcurrency(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("WithWriteConcurrency: %d is negative", n)
		}
		c.writeConc = n
		return nil
	}
}

// WithRetryWait replaces the real wait between attempts (tests return at once).
func WithRetryWait(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error {
		if sleep == nil {
			return errors.New("WithRetryWait: nil function")
		}
		c.RetryWait = sleep
		return nil
	}
}

// WithMaxRetries sets how many times a retryable failure is resent (default 3).
func WithMaxRetries(n int) Option {
	return func(c *config) error { return c.SetMaxRetries(n) }
}

// WithObserver receives per-attempt metrics.
func WithObserver(o Observer) Option {
	return func(c *config) error { c.Observer = o; return nil }
}

// WithClock sets the clock of the ConsultarCliente cache and of the
// "tente novamente às hh:mm:ss" waits.
func WithClock(now func() time.Time) Option {
	return func(c *config) error { return c.SetClock(now) }
}

// New builds a client. WithCredentials is required.
//
// The client speaks HTTP/1.1 only: integrators report Omie answering
// HTTP/2 requests with a bare "Bad Request" (unverified; HTTP/1.1 costs
// nothing at Omie's request rates).
func New(opts ...Option) (*Client, error) {
	overall, perMethod := DefaultLimits()
	cfg := config{
		Settings:  transport.Settings{BaseURL: DefaultBaseURL, Clock: time.Now, MaxRetries: 3, Limits: []Limit{overall}},
		method:    []Limit{perMethod},
		writeConc: 1,
	}
	if err := transport.Apply(&cfg, opts); err != nil {
		return nil, fmt.Errorf("omie: %w", err)
	}
	if cfg.appKey == "" {
		return nil, errors.New("omie: missing app key (WithCredentials)")
	}
	if cfg.appSecret == "" {
		return nil, errors.New("omie: missing app secret (WithCredentials)")
	}
	// One throttle for both transports: reads and writes count against the
	// same per-IP and per-method allowances.
	throttle := transport.NewThrottle(cfg.Limits, cfg.method)
	httpClient := http1Only(cfg.HTTPClient)
	clean := scrubber{secrets: []string{cfg.appSecret, cfg.appKey}}
	build := func(read bool) (*transport.Client, error) {
		policy := transport.Policy{
			Vendor:      "omie",
			Classify:    classifier{read: read, now: cfg.Clock, clean: clean}.classify,
			MaxRetries:  cfg.MaxRetries,
			BaseBackoff: time.Second,
			// REDUNDANT asks for up to 60 s; the misuse block's ~30 min is never waited.
			MaxWait:      65 * time.Second,
			MaxRetryTime: 3 * time.Minute,
		}
		tc := cfg.Config(policy)
		tc.HTTPClient, tc.Throttle = httpClient, throttle
		return transport.New(tc)
	}
	reads, err := build(true)
	if err != nil {
		return nil, err
	}
	writes, err := build(false)
	if err != nil {
		return nil, err
	}
	return &Client{
		reads:      reads,
		writes:     writes,
		creds:      credentials{appKey: cfg.appKey, appSecret: cfg.appSecret},
		now:        cfg.Clock,
		cache:      newConsultCache(cfg.Clock),
		writeSlots: newKeyedSemaphore(cfg.writeConc),
	}, nil
}

// http1Only returns a client like hc (default: 60 s timeout over
// http.DefaultTransport) whose *http.Transport is a clone that speaks
// HTTP/1.1 only. A RoundTripper of another kind is left alone.
func http1Only(hc *http.Client) *http.Client {
	if hc == nil {
		hc = transport.DefaultHTTPClient()
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	base, ok := rt.(*http.Transport)
	if !ok {
		return hc
	}
	pinned := base.Clone()
	pinned.Protocols = new(http.Protocols)
	pinned.Protocols.SetHTTP1(true)
	pinned.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	if pinned.TLSClientConfig != nil {
		// A transport that has been used for HTTP/2 offers "h2" in ALPN;
		// the server would then answer in a protocol this clone won't speak.
		pinned.TLSClientConfig.NextProtos = slices.DeleteFunc(slices.Clone(pinned.TLSClientConfig.NextProtos),
			func(p string) bool { return p == "h2" })
	}
	out := *hc
	out.Transport = pinned
	return &out
}

// String names the client without its secret.
func (c *Client) String() string {
	return fmt.Sprintf("omie.Client{base: %s, %v}", c.reads.BaseURL(), c.creds)
}

// GoString keeps %#v from printing the credentials field by field.
func (c *Client) GoString() string { return c.String() }

// LogValue keeps slog from printing the credentials.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base", c.reads.BaseURL()), slog.String("app_key", maskKey(c.creds.appKey)))
}

type envelope struct {
	Call      string `json:"call"`
	AppKey    string `json:"app_key"`
	AppSecret string `json:"app_secret"`
	Param     [1]any `json:"param"`
}

type callKind int

const (
	readCall callKind = iota
	writeCall
	idempotentWriteCall
)

// call posts one envelope and decodes the answer into out.
func (c *Client) call(ctx context.Context, method string, kind callKind, param, out any) error {
	body, err := json.Marshal(envelope{Call: method, AppKey: c.creds.appKey, AppSecret: c.creds.appSecret, Param: [1]any{param}})
	if err != nil {
		return fmt.Errorf("omie %s: encoding request: %w", method, err)
	}
	tc := c.reads
	if kind != readCall {
		tc = c.writes
		release, err := c.writeSlots.acquire(ctx, method)
		if err != nil {
			return fmt.Errorf("omie %s: %w", method, err)
		}
		defer release()
	}
	resp, err := tc.Do(ctx, transport.Request{
		Method: http.MethodPost,
		Path:   clientesPath,
		// Exactly this: integrators report a charset suffix getting a bare
		// "Bad Request" (unverified, harmless).
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       body,
		Idempotent: kind != writeCall,
		LimitKey:   method,
	})
	if err != nil {
		return wrapError(method, kind != readCall, err)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("omie %s: decoding response: %w", method, err)
	}
	return nil
}

// keyedSemaphore caps concurrent calls per key; 0 disables it.
type keyedSemaphore struct {
	n     int
	mu    sync.Mutex
	slots map[string]chan struct{}
}

func newKeyedSemaphore(n int) *keyedSemaphore {
	return &keyedSemaphore{n: n, slots: map[string]chan struct{}{}}
}

func (s *keyedSemaphore) acquire(ctx context.Context, key string) (func(), error) {
	if s.n <= 0 {
		return func() {}, nil
	}
	s.mu.Lock()
	ch, ok := s.slots[key]
	if !ok {
		ch = make(chan struct{}, s.n)
		s.slots[key] = ch
	}
	s.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for a write slot: %w", ctx.Err())
	}
}
