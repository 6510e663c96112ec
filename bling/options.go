package bling

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/auvosync/auvosync/internal/oauthtoken"
	"github.com/auvosync/auvosync/internal/transport"
)

// Option configures a Client built by New, which returns the first
// option's error.
type Option func(*config) error

type config struct {
	transport.Settings
	oauthtoken.App

	dailyBudget int

	breakerThreshold int
	breakerWindow    time.Duration
	breakerCoolDown  time.Duration

	maxTokenCalls int
}

// Defaults. The numbers come from Bling's published limits (see the package
// documentation).
const (
	DefaultBaseURL = "https://api.bling.com.br/Api/v3"
	// DefaultRequestsPerSecond is Bling's per-account limit.
	DefaultRequestsPerSecond = 3
	// DefaultDailyBudget is Bling's per-account daily quota.
	DefaultDailyBudget = 120_000
	// DefaultBreakerThreshold consecutive error responses within
	// DefaultBreakerWindow open the circuit for DefaultBreakerCoolDown. Bling
	// blocks the IP after 300 errors in 10 s; 20 in a row means something
	// systematic (dead token, outage, bad data) that more requests won't fix.
	DefaultBreakerThreshold = 20
	DefaultBreakerWindow    = 10 * time.Second
	DefaultBreakerCoolDown  = time.Minute
)

func defaultConfig() config {
	return config{
		Settings: transport.Settings{
			BaseURL: DefaultBaseURL,
			// Burst 1: Bling counts per second, and a burst of 3 followed by the
			// refill would put up to 6 requests into one second.
			Limits:     []Limit{{Requests: DefaultRequestsPerSecond, Per: time.Second, Burst: 1}},
			Clock:      time.Now,
			MaxRetries: policy().MaxRetries,
		},
		dailyBudget:      DefaultDailyBudget,
		breakerThreshold: DefaultBreakerThreshold,
		breakerWindow:    DefaultBreakerWindow,
		breakerCoolDown:  DefaultBreakerCoolDown,
	}
}

// WithBudget draws every request from a process-wide budget shared with
// other clients (R-BUDGET-1: Bling counts 3 a second per account), as well as from this client's own
// limits (WithRateLimit; pass none to rely on the budget alone). Pass
// budget.For(connection), so that connections share the budget fairly; nil
// means no budget.
func WithBudget(b *Budget) Option {
	return func(c *config) error { c.Budget = b; return nil }
}

// WithBaseURL sets the API base (default https://api.bling.com.br/Api/v3);
// contacts live at {base}/contatos. Plain http is accepted only for loopback
// hosts (tests, local fakes) unless WithInsecureHTTP is given.
func WithBaseURL(u string) Option { return func(c *config) error { c.BaseURL = u; return nil } }

// WithInsecureHTTP accepts a plain http:// base URL or token URL to any
// host, for test networks only: without it plain http is refused except to
// loopback hosts (localhost, 127.0.0.0/8, ::1), because the client secret
// and the tokens travel with the requests.
func WithInsecureHTTP() Option { return func(c *config) error { c.InsecureHTTP = true; return nil } }

// WithTokenURL sets the OAuth token endpoint (default {base}/oauth/token).
func WithTokenURL(u string) Option { return func(c *config) error { c.TokenURL = u; return nil } }

// WithCredentials sets the app's OAuth client id and secret (required).
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) error { c.ClientID, c.ClientSecret = clientID, clientSecret; return nil }
}

// WithRefreshToken seeds the first refresh token. Once the token store holds
// a (rotated) token, the stored one wins.
func WithRefreshToken(initial string) Option {
	return func(c *config) error { c.RefreshToken = initial; return nil }
}

// WithTokenStore sets where rotated tokens are saved (default: in memory,
// lost on exit). Clients of the same Bling account must share one store.
func WithTokenStore(s TokenStore) Option { return func(c *config) error { c.Store = s; return nil } }

// WithLogger sets the logger (default: discard). Logs carry no bodies, query
// strings, tokens or personal data.
func WithLogger(l *slog.Logger) Option { return func(c *config) error { c.Logger = l; return nil } }

// WithObserver receives per-attempt metrics.
func WithObserver(o Observer) Option { return func(c *config) error { c.Observer = o; return nil } }

// WithRetryWait sets how the client waits between retries (default: a timer
// honouring ctx). Tests inject one that returns at once.
func WithRetryWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error { c.RetryWait = wait; return nil }
}

// WithRateLimit replaces the client-side limit (default
// DefaultRequestsPerSecond per second, in bursts of 1); every limit applies
// to every request. No limits (or only zero ones) turns the limiter off
// (tests, benchmarks against a fake).
func WithRateLimit(limits ...Limit) Option {
	return func(c *config) error { return c.SetLimits(limits...) }
}

// WithHTTPClient sets the HTTP client for API and token calls.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithClock sets the clock used for token expiry, the daily budget, the
// circuit breaker and date windows (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error { return c.SetClock(now) }
}

// WithDailyBudget sets the requests allowed per São Paulo calendar day
// (default 120,000). n <= 0 keeps counting but never refuses.
func WithDailyBudget(n int) Option { return func(c *config) error { c.dailyBudget = n; return nil } }

// WithCircuitBreaker sets how many consecutive error responses within window
// stop the client for coolDown. threshold <= 0 turns the breaker off.
func WithCircuitBreaker(threshold int, window, coolDown time.Duration) Option {
	return func(c *config) error {
		c.breakerThreshold, c.breakerWindow, c.breakerCoolDown = threshold, window, coolDown
		return nil
	}
}

// WithMaxTokenCalls caps token-endpoint calls per minute (default 4; Bling
// blocks the IP for an hour after 20 in 60 s, so values above 10 are refused).
func WithMaxTokenCalls(perMinute int) Option {
	return func(c *config) error { c.maxTokenCalls = perMinute; return nil }
}

// WithMaxRetries sets how many times a retryable failure (429, 5xx on a
// read or an idempotent write) is resent; default 4.
func WithMaxRetries(n int) Option {
	return func(c *config) error { return c.SetMaxRetries(n) }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *config) error { c.UserAgent = ua; return nil } }
