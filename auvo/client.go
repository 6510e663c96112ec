package auvo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// DefaultBaseURL is Auvo's API v2 endpoint.
const DefaultBaseURL = "https://api.auvo.com.br/v2"

// Auvo allows 400 requests per minute per IP.
const (
	DefaultRateLimit       = 400
	DefaultRateLimitPeriod = time.Minute
)

// defaultRateLimitWait is the pause after a rate-limit answer. Auvo sends no
// Retry-After and counts per minute, so a few waits of this length cover a
// whole window.
const defaultRateLimitWait = 15 * time.Second

const vendor = "auvo"

// Limiter is a Budget with one per-IP limit.
//
// Deprecated: use Budget (NewBudget, WithBudget).
type Limiter = Budget

// NewLimiter allows requests per period, in bursts of at most burst (minimum
// 1); a limit that cannot be enforced limits nothing, as it always did.
//
// Deprecated: use NewBudget.
func NewLimiter(requests int, per time.Duration, burst int) *Limiter {
	b, err := NewBudget(BudgetConfig{PerIP: []Limit{{Requests: requests, Per: per, Burst: burst}}})
	if err != nil {
		b, _ = NewBudget(BudgetConfig{})
	}
	return b
}

// Credentials are the api key and api token from Auvo's Menu > Integração.
// They never print: String, GoString and LogValue hide them.
type Credentials struct {
	APIKey   string
	APIToken string
}

func (c Credentials) String() string       { return "auvo.Credentials{" + redacted + "}" }
func (c Credentials) GoString() string     { return c.String() }
func (c Credentials) LogValue() slog.Value { return slog.StringValue(redacted) }

// Client talks to one Auvo account. It is safe for concurrent use.
type Client struct {
	http     *transport.Client
	auth     *tokenCache
	redactor redactor
	now      func() time.Time
}

type config struct {
	transport.Settings
	creds         Credentials
	rateLimitWait time.Duration
}

// Option configures a Client. New returns the first option's error.
type Option func(*config) error

// WithBaseURL replaces DefaultBaseURL (a fake server, a proxy).
func WithBaseURL(u string) Option {
	return func(c *config) error { c.BaseURL = u; return nil }
}

// WithInsecureHTTP accepts a plain http:// base URL to any host, for test
// networks only: without it plain http is refused except to loopback hosts
// (localhost, 127.0.0.0/8, ::1), because the credentials travel with the
// requests.
func WithInsecureHTTP() Option {
	return func(c *config) error { c.InsecureHTTP = true; return nil }
}

// WithCredentials sets the api key and api token. Required.
func WithCredentials(apiKey, apiToken string) Option {
	return func(c *config) error {
		c.creds = Credentials{APIKey: apiKey, APIToken: apiToken}
		return nil
	}
}

// WithHTTPClient sets the HTTP client (its Transport and per-attempt Timeout
// are used). Default: 60 s timeout over http.DefaultTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithLogger receives one line per HTTP attempt (method, path without query,
// status, attempt, wait) and login renewals. Never bodies or secrets. nil
// discards.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.Logger = l; return nil }
}

// WithRateLimit replaces the client-side limit of 400 requests per minute;
// every limit applies to every request. No limits (or only zero ones) turns
// client-side throttling off.
func WithRateLimit(limits ...Limit) Option {
	return func(c *config) error { return c.SetLimits(limits...) }
}

// WithBudget draws every request from a process-wide budget shared with
// other clients (R-BUDGET-1: Auvo counts 400 a minute per IP, across all
// accounts), as well as from this client's own limits (WithRateLimit; pass
// none to rely on the budget alone). Pass budget.For(connection), so that
// connections share the budget fairly; nil means no budget.
func WithBudget(b *Budget) Option {
	return func(c *config) error { c.Budget = b; return nil }
}

// WithLimiter shares a limiter between clients.
//
// Deprecated: use WithBudget, which it is now.
func WithLimiter(l *Limiter) Option { return WithBudget(l) }

// WithRetryWait replaces the wait between attempts; tests pass a function
// that returns at once (or advances a fake clock).
func WithRetryWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error { c.RetryWait = wait; return nil }
}

// WithMaxRetries sets how many times a request may be resent after a rate
// limit or (for reads and upserts) a server error. Default 4.
func WithMaxRetries(n int) Option {
	return func(c *config) error { return c.SetMaxRetries(n) }
}

// WithRateLimitWait sets the pause after Auvo's rate-limit answer (default
// 15 s; Auvo sends no Retry-After).
func WithRateLimitWait(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithRateLimitWait: %s must be positive", d)
		}
		c.rateLimitWait = d
		return nil
	}
}

// WithObserver receives per-attempt metrics.
func WithObserver(o Observer) Option {
	return func(c *config) error { c.Observer = o; return nil }
}

// WithClock sets the clock used for token expiry. Default time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) error { return c.SetClock(now) }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { c.UserAgent = ua; return nil }
}

// New builds a Client. WithCredentials is required.
func New(opts ...Option) (*Client, error) {
	cfg := config{
		Settings: transport.Settings{
			BaseURL:    DefaultBaseURL,
			MaxRetries: 4,
			Clock:      time.Now,
			Limits:     []Limit{{Requests: DefaultRateLimit, Per: DefaultRateLimitPeriod, Burst: 1}},
		},
		rateLimitWait: defaultRateLimitWait,
	}
	if err := transport.Apply(&cfg, opts); err != nil {
		return nil, errorf("invalid option: %w", err)
	}
	if strings.TrimSpace(cfg.creds.APIKey) == "" {
		return nil, errorf("missing api key (WithCredentials)")
	}
	if strings.TrimSpace(cfg.creds.APIToken) == "" {
		return nil, errorf("missing api token (WithCredentials)")
	}
	policy := transport.Policy{
		Vendor:       vendor,
		Classify:     classifier(cfg.rateLimitWait),
		MaxRetries:   cfg.MaxRetries,
		BaseBackoff:  time.Second,
		MaxWait:      time.Minute,
		MaxRetryTime: 3 * time.Minute,
	}
	tc, err := transport.New(cfg.Config(policy))
	if err != nil {
		return nil, err
	}
	cfg.FillDefaults()
	c := &Client{
		http:     tc,
		redactor: redactor{secrets: []string{cfg.creds.APIKey, cfg.creds.APIToken}},
		now:      cfg.Clock,
	}
	c.auth = &tokenCache{client: c, creds: cfg.creds, now: cfg.Clock, logger: cfg.Logger}
	return c, nil
}

// BaseURL is the URL requests go to.
func (c *Client) BaseURL() string { return c.http.BaseURL() }

// call sends an authenticated request and decodes {"result": ...} into out
// (when out is not nil). A 401 renews the token and resends once.
func (c *Client) call(ctx context.Context, req transport.Request, out any) (*transport.Response, error) {
	for attempt := 0; ; attempt++ {
		token, err := c.auth.token(ctx)
		if err != nil {
			return nil, err
		}
		used := token
		req.Authorize = func(ctx context.Context) (string, error) {
			// Retries after a long rate-limit wait pick up a renewed token.
			t, err := c.auth.token(ctx)
			if err != nil {
				return "", err
			}
			used = t
			return "Bearer " + t, nil
		}
		resp, err := c.http.Do(ctx, req)
		if err != nil {
			var api *APIError
			if attempt == 0 && errors.As(err, &api) && api.Status == http.StatusUnauthorized {
				c.auth.invalidate(used)
				continue
			}
			return resp, c.redactor.error(err)
		}
		if out != nil {
			if err := decodeResult(resp.Body, out); err != nil {
				return resp, errorf("%s %s: %w", req.Method, req.Path, err)
			}
		}
		return resp, nil
	}
}

// decodeResult unwraps Auvo's {"result": ...} envelope.
func decodeResult(body []byte, out any) error {
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("decoding response: %w", err)
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return errors.New("response has no result")
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("decoding response result: %w", err)
	}
	return nil
}
