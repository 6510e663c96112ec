package contaazul

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/oauthtoken"
	"github.com/auvosync/auvosync/internal/transport"
)

// Vendor is the name used in errors, logs and metrics.
const Vendor = "contaazul"

const (
	// DefaultBaseURL is the current API; people live at {base}/v1/pessoas.
	DefaultBaseURL = "https://api-v2.contaazul.com"
	// DefaultTokenURL is the OAuth2 token endpoint (AWS Cognito) of
	// DefaultBaseURL. It lives on another host than the API, so a client
	// pointed elsewhere (WithBaseURL: a proxy, a fake) does not use it: its
	// token endpoint is TokenURLFor(base).
	DefaultTokenURL = "https://auth.contaazul.com/oauth2/token"
	// DefaultRequestsPerSecond and DefaultRequestsPerMinute are Conta Azul's
	// documented limits per connected company.
	DefaultRequestsPerSecond = 10
	DefaultRequestsPerMinute = 600
)

// TokenURLFor is the token endpoint that goes with an API base URL:
// DefaultTokenURL for DefaultBaseURL, {base}/oauth2/token for any other (a
// proxy or a fake serves both), so credentials meant for a test server are
// never sent to the production auth host.
func TokenURLFor(baseURL string) string {
	base := strings.TrimRight(strings.TrimSpace(baseURL), "/")
	if base == DefaultBaseURL {
		return DefaultTokenURL
	}
	return base + "/oauth2/token"
}

// Shared error types, re-exported so callers need only this package.
type (
	APIError         = transport.APIError
	RateLimitError   = transport.RateLimitError
	NetworkError     = transport.NetworkError
	Observer         = transport.Observer
	TokenStore       = oauthtoken.Store
	MemoryTokenStore = oauthtoken.MemoryStore
	ReauthorizeError = oauthtoken.ReauthorizeError
)

// Sentinels for errors.Is.
var (
	ErrInvalid      = transport.ErrInvalid
	ErrUnauthorized = transport.ErrUnauthorized
	ErrForbidden    = transport.ErrForbidden
	ErrNotFound     = transport.ErrNotFound
	ErrConflict     = transport.ErrConflict
	ErrRateLimited  = transport.ErrRateLimited
	ErrServer       = transport.ErrServer
	ErrReauthorize  = oauthtoken.ErrReauthorize
)

// Client talks to one connected Conta Azul company. It is safe for
// concurrent use; all goroutines share its throttle and token source.
type Client struct {
	http   *transport.Client
	tokens *oauthtoken.Source
	clock  func() time.Time
	logger *slog.Logger
}

type config struct {
	baseURL, tokenURL      string
	clientID, clientSecret string
	refreshToken           string
	store                  TokenStore
	clock                  func() time.Time
	perSecond, perMinute   int
	retryWait              func(ctx context.Context, d time.Duration) error
	httpClient             *http.Client
	logger                 *slog.Logger
	observer               Observer
	userAgent              string
	maxRetries             int
	insecureHTTP           bool
	problems               []string
}

// Option configures a Client.
type Option func(*config)

// WithBaseURL points the client at another API host (a fake, a proxy).
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithTokenURL overrides the OAuth2 token endpoint (default
// TokenURLFor(base URL): DefaultTokenURL, or {base}/oauth2/token when
// WithBaseURL points elsewhere).
func WithTokenURL(u string) Option { return func(c *config) { c.tokenURL = u } }

// WithInsecureHTTP accepts a plain http:// base URL or token URL to any
// host, for test networks only: without it plain http is refused except to
// loopback hosts (localhost, 127.0.0.0/8, ::1), because the client secret
// and the tokens travel with the requests.
func WithInsecureHTTP() Option { return func(c *config) { c.insecureHTTP = true } }

// WithCredentials sets the app's OAuth2 client id and secret (required).
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) { c.clientID, c.clientSecret = clientID, clientSecret }
}

// WithRefreshToken seeds the first refresh token. Once the token store holds
// a rotated one, the stored token wins.
func WithRefreshToken(initial string) Option { return func(c *config) { c.refreshToken = initial } }

// WithTokenStore persists rotated tokens. Without it tokens live in memory
// only, and a restart needs a fresh authorisation (the initial refresh token
// is dead after the first rotation).
func WithTokenStore(s TokenStore) Option {
	return func(c *config) {
		if s == nil {
			c.problems = append(c.problems, "token store is nil")
		}
		c.store = s
	}
}

// WithClock sets the clock used for token expiry and open-ended date filters.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.problems = append(c.problems, "clock is nil")
		}
		c.clock = now
	}
}

// WithRateLimit replaces the client-side limits (default 10 per second and
// 600 per minute). A value <= 0 removes that bound; WithRateLimit(0, 0)
// disables client-side throttling (tests, benchmarks against a fake).
func WithRateLimit(perSecond, perMinute int) Option {
	return func(c *config) { c.perSecond, c.perMinute = perSecond, perMinute }
}

// WithRetryWait replaces the wait between retries (tests pass a function
// that returns at once or advances a fake clock).
func WithRetryWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) {
		if wait == nil {
			c.problems = append(c.problems, "retry wait function is nil")
		}
		c.retryWait = wait
	}
}

// WithMaxRetries sets how many times a retryable failure (429, 5xx on a
// read or an idempotent write) is retried; default 4.
func WithMaxRetries(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.problems = append(c.problems, "max retries is negative")
		}
		c.maxRetries = n
	}
}

// WithHTTPClient sets the HTTP client for API and token calls.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithLogger sets the logger (default: discard). Logs never carry bodies,
// query strings, tokens or the client secret.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithObserver receives per-attempt metrics.
func WithObserver(o Observer) Option { return func(c *config) { c.observer = o } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// New builds a client. Credentials and a refresh token (given or already in
// the token store) are required; a missing refresh token shows up on the
// first call as a *ReauthorizeError, since only the store knows.
func New(opts ...Option) (*Client, error) {
	cfg := config{
		baseURL:    DefaultBaseURL,
		clock:      time.Now,
		perSecond:  DefaultRequestsPerSecond,
		perMinute:  DefaultRequestsPerMinute,
		retryWait:  transport.SleepContext,
		maxRetries: 4,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if len(cfg.problems) > 0 {
		return nil, fmt.Errorf("%s: invalid options: %s", Vendor, strings.Join(cfg.problems, "; "))
	}
	if strings.TrimSpace(cfg.clientID) == "" || strings.TrimSpace(cfg.clientSecret) == "" {
		return nil, errors.New(Vendor + ": client id and client secret are required (WithCredentials)")
	}
	if cfg.tokenURL == "" {
		cfg.tokenURL = TokenURLFor(cfg.baseURL)
	}
	if cfg.store == nil {
		cfg.store = &MemoryTokenStore{}
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{Timeout: 60 * time.Second}
	}
	tokens, err := oauthtoken.New(oauthtoken.Config{
		Vendor:              Vendor,
		TokenURL:            cfg.tokenURL,
		ClientID:            cfg.clientID,
		ClientSecret:        cfg.clientSecret,
		InitialRefreshToken: cfg.refreshToken,
		Store:               cfg.store,
		HTTPClient:          cfg.httpClient,
		Clock:               cfg.clock,
		AllowInsecureHTTP:   cfg.insecureHTTP,
	})
	if err != nil {
		return nil, err
	}
	policy := transport.DefaultPolicy(Vendor)
	policy.Classify = classify
	policy.MaxRetries = cfg.maxRetries
	policy.BaseBackoff = time.Second
	policy.MaxWait = time.Minute
	hc, err := transport.New(transport.Config{
		BaseURL:    cfg.baseURL,
		Policy:     policy,
		HTTPClient: cfg.httpClient,
		Logger:     cfg.logger,
		Throttle:   transport.NewThrottle(limits(cfg.perSecond, cfg.perMinute), nil),
		Observer:   cfg.observer,
		UserAgent:  cfg.userAgent,
		Sleep:      cfg.retryWait,

		AllowInsecureHTTP: cfg.insecureHTTP,
	})
	if err != nil {
		return nil, err
	}
	return &Client{http: hc, tokens: tokens, clock: cfg.clock, logger: cfg.logger}, nil
}

func limits(perSecond, perMinute int) []transport.Limit {
	var out []transport.Limit
	if perSecond > 0 {
		out = append(out, transport.Limit{Requests: perSecond, Per: time.Second, Burst: 1})
	}
	if perMinute > 0 {
		out = append(out, transport.Limit{Requests: perMinute, Per: time.Minute, Burst: 1})
	}
	return out
}

// String never shows credentials or tokens.
func (c *Client) String() string { return "contaazul.Client(" + c.http.BaseURL() + ")" }

// Authenticate makes sure a valid access token is at hand, refreshing (and
// saving the rotated refresh token) when needed: a start-up check that the
// stored authorisation still works. Other methods do this themselves.
func (c *Client) Authenticate(ctx context.Context) error {
	_, err := c.tokens.Token(ctx)
	return err
}

// Page describes one page of a listing as it arrives (ListOptions.OnPage).
type Page = transport.Page
