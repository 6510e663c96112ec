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

// The OAuth token store and its errors (the names bling uses too).
type (
	TokenStore       = oauthtoken.Store
	MemoryTokenStore = oauthtoken.MemoryStore
	ReauthorizeError = oauthtoken.ReauthorizeError
)

var (
	// ErrReauthorize matches *ReauthorizeError: a person must authorise the app again.
	ErrReauthorize = oauthtoken.ErrReauthorize
	// ErrTokenEndpoint matches a token refresh that got no usable answer
	// (unreachable, 5xx, not JSON): no request can be sent until it answers.
	ErrTokenEndpoint = oauthtoken.ErrTokenEndpoint
)

// Client talks to one connected Conta Azul company. It is safe for
// concurrent use; all goroutines share its throttle and token source.
type Client struct {
	http   *transport.Client
	tokens *oauthtoken.Source
	clock  func() time.Time
	logger *slog.Logger
	// formatTime writes a date filter's bound (WithOffsetDates).
	formatTime func(time.Time) string
}

// config's common settings are checked by transport.Settings, except
// WithClock, WithRetryWait and WithMaxRetries: their errors have always had
// Conta Azul's own wording ("clock is nil"), and callers may match on it.
type config struct {
	transport.Settings
	oauthtoken.App
	offsetDates bool
}

// Option configures a Client. New returns the first option's error.
type Option func(*config) error

// WithBaseURL points the client at another API host (a fake, a proxy).
func WithBaseURL(u string) Option {
	return func(c *config) error { c.BaseURL = u; return nil }
}

// WithTokenURL overrides the OAuth2 token endpoint (default
// TokenURLFor(base URL): DefaultTokenURL, or {base}/oauth2/token when
// WithBaseURL points elsewhere).
func WithTokenURL(u string) Option {
	return func(c *config) error { c.TokenURL = u; return nil }
}

// WithInsecureHTTP accepts a plain http:// base URL or token URL to any
// host, for test networks only: without it plain http is refused except to
// loopback hosts (localhost, 127.0.0.0/8, ::1), because the client secret
// and the tokens travel with the requests.
func WithInsecureHTTP() Option {
	return func(c *config) error { c.InsecureHTTP = true; return nil }
}

// WithCredentials sets the app's OAuth2 client id and secret (required).
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) error { c.ClientID, c.ClientSecret = clientID, clientSecret; return nil }
}

// WithRefreshToken seeds the first refresh token. Once the token store holds
// a rotated one, the stored token wins.
func WithRefreshToken(initial string) Option {
	return func(c *config) error { c.RefreshToken = initial; return nil }
}

// WithTokenStore persists rotated tokens. Without it tokens live in memory
// only, and a restart needs a fresh authorisation (the initial refresh token
// is dead after the first rotation).
func WithTokenStore(s TokenStore) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("WithTokenStore: token store is nil")
		}
		c.Store = s
		return nil
	}
}

// WithClock sets the clock used for token expiry and open-ended date filters.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("WithClock: clock is nil")
		}
		c.Clock = now
		return nil
	}
}

// WithBudget draws every request from a process-wide budget shared with
// other clients (R-BUDGET-1: Conta Azul counts 10 a second and 600 a
// minute per account), as well as from this client's own
// limits (WithRateLimit; pass none to rely on the budget alone). Pass
// budget.For(connection), so that connections share the budget fairly; nil
// means no budget.
func WithBudget(b *Budget) Option {
	return func(c *config) error { c.Budget = b; return nil }
}

// WithRateLimit replaces the client-side limits (default DefaultRateLimits:
// 10 per second and 600 per minute); every limit applies to every request.
// No limits (or only zero ones) disables client-side throttling (tests,
// benchmarks against a fake).
func WithRateLimit(limits ...Limit) Option {
	return func(c *config) error { return c.SetLimits(limits...) }
}

// WithRetryWait replaces the wait between retries (tests pass a function
// that returns at once or advances a fake clock).
func WithRetryWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error {
		if wait == nil {
			return errors.New("WithRetryWait: retry wait function is nil")
		}
		c.RetryWait = wait
		return nil
	}
}

// WithMaxRetries sets how many times a retryable failure (429, 5xx on a
// read or an idempotent write) is retried; default 4.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("WithMaxRetries: max retries is negative")
		}
		c.MaxRetries = n
		return nil
	}
}

// WithHTTPClient sets the HTTP client for API and token calls.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithLogger sets the logger (default: discard). Logs never carry bodies,
// query strings, tokens or the client secret.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.Logger = l; return nil }
}

// WithObserver receives per-attempt metrics.
func WithObserver(o Observer) Option {
	return func(c *config) error { c.Observer = o; return nil }
}

// WithOffsetDates sends the data_alteracao bounds with São Paulo's UTC
// offset (2024-01-15T10:30:00-03:00) instead of without one, for an API
// that refuses the offset-less form ("runner doctor" probes which).
func WithOffsetDates() Option {
	return func(c *config) error { c.offsetDates = true; return nil }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { c.UserAgent = ua; return nil }
}

// DefaultRateLimits are Conta Azul's documented limits per connected
// company: DefaultRequestsPerSecond and DefaultRequestsPerMinute.
func DefaultRateLimits() []Limit {
	return []Limit{
		{Requests: DefaultRequestsPerSecond, Per: time.Second, Burst: 1},
		{Requests: DefaultRequestsPerMinute, Per: time.Minute, Burst: 1},
	}
}

// New builds a client. Credentials and a refresh token (given or already in
// the token store) are required; a missing refresh token shows up on the
// first call as a *ReauthorizeError, since only the store knows.
func New(opts ...Option) (*Client, error) {
	cfg := config{Settings: transport.Settings{
		BaseURL:    DefaultBaseURL,
		Clock:      time.Now,
		Limits:     DefaultRateLimits(),
		RetryWait:  transport.SleepContext,
		MaxRetries: 4,
	}}
	if err := transport.Apply(&cfg, opts); err != nil {
		return nil, fmt.Errorf("%s: invalid option: %w", Vendor, err)
	}
	if strings.TrimSpace(cfg.ClientID) == "" || strings.TrimSpace(cfg.ClientSecret) == "" {
		return nil, errors.New(Vendor + ": client id and client secret are required (WithCredentials)")
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = TokenURLFor(cfg.BaseURL)
	}
	cfg.FillDefaults()
	tokens, err := oauthtoken.New(cfg.App.Config(Vendor, &cfg.Settings))
	if err != nil {
		return nil, err
	}
	policy := transport.DefaultPolicy(Vendor)
	policy.Classify = classify
	policy.MaxRetries = cfg.MaxRetries
	policy.BaseBackoff = time.Second
	policy.MaxWait = time.Minute
	hc, err := transport.New(cfg.Settings.Config(policy))
	if err != nil {
		return nil, err
	}
	format := formatTime
	if cfg.offsetDates {
		format = formatTimeWithOffset
	}
	return &Client{http: hc, tokens: tokens, clock: cfg.Clock, logger: cfg.Logger, formatTime: format}, nil
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
