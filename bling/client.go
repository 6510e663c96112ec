package bling

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/oauthtoken"
	"github.com/auvosync/auvosync/internal/transport"
)

// Client talks to one Bling account. It is safe for concurrent use; every
// goroutine shares its rate limiter, budget and breaker.
type Client struct {
	http   *transport.Client
	tokens *oauthtoken.Source
	guard  *guard
	clock  func() time.Time
	logger *slog.Logger
}

// New builds a Client. WithCredentials is required, and a refresh token must
// come from WithRefreshToken or the token store.
func New(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	if err := transport.Apply(&cfg, opts); err != nil {
		return nil, fmt.Errorf("bling: invalid option: %w", err)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.FillDefaults()
	if cfg.TokenURL == "" {
		cfg.TokenURL = strings.TrimRight(cfg.BaseURL, "/") + "/oauth/token"
	}
	oauth := cfg.App.Config("bling", &cfg.Settings)
	oauth.MaxRefreshes = cfg.maxTokenCalls
	tokens, err := oauthtoken.New(oauth)
	if err != nil {
		return nil, err
	}
	g := &guard{
		clock:     cfg.Clock,
		logger:    cfg.Logger,
		limit:     max(cfg.dailyBudget, 0),
		threshold: cfg.breakerThreshold,
		window:    cfg.breakerWindow,
		coolDown:  cfg.breakerCoolDown,
	}
	hc := *cfg.HTTPClient
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &countingTransport{next: next, guard: g}
	pol := policy()
	pol.MaxRetries = cfg.MaxRetries
	tcfg := cfg.Settings.Config(pol)
	tcfg.HTTPClient = &hc
	tc, err := transport.New(tcfg)
	if err != nil {
		return nil, err
	}
	return &Client{http: tc, tokens: tokens, guard: g, clock: cfg.Clock, logger: cfg.Logger}, nil
}

func (cfg *config) validate() error {
	var problems []string
	if strings.TrimSpace(cfg.ClientID) == "" || strings.TrimSpace(cfg.ClientSecret) == "" {
		problems = append(problems, "client id and secret are required (WithCredentials)")
	}
	if err := transport.CheckClientURL("base URL", cfg.BaseURL, cfg.InsecureHTTP); err != nil {
		problems = append(problems, err.Error())
	}
	if cfg.TokenURL != "" {
		if err := transport.CheckClientURL("token URL", cfg.TokenURL, cfg.InsecureHTTP); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if cfg.breakerThreshold > 0 && (cfg.breakerWindow <= 0 || cfg.breakerCoolDown <= 0) {
		problems = append(problems, "circuit breaker window and cool-down must be positive")
	}
	if cfg.maxTokenCalls < 0 || cfg.maxTokenCalls > 10 {
		problems = append(problems, "token calls per minute must be between 1 and 10 (Bling blocks the IP after 20 in 60 s)")
	}
	if len(problems) > 0 {
		return fmt.Errorf("bling: invalid configuration: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Budget reports the requests sent in the current São Paulo day and the
// daily limit (0 = unlimited). Retries count: Bling counts them too.
func (c *Client) Budget() (used, limit int) { return c.guard.budget() }

// request is one logical API call.
type request struct {
	method     string
	path       string
	query      url.Values
	body       []byte
	idempotent bool
}

// do sends r with a valid token. A 401 means Bling no longer accepts the
// access token (revoked, or our clock is off): it is invalidated and the
// request sent once more with a fresh one. The 401 proves Bling did not act,
// so this is safe even for a create.
func (c *Client) do(ctx context.Context, r request) (*transport.Response, error) {
	resp, used, err := c.send(ctx, r)
	var apiErr *APIError
	if err == nil || !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized || used == "" {
		return resp, err
	}
	c.logger.Info("bling: access token refused, refreshing and retrying once",
		slog.String("method", r.method), slog.String("path", r.path))
	c.tokens.Invalidate(used)
	resp, _, err = c.send(ctx, r)
	return resp, err
}

func (c *Client) send(ctx context.Context, r request) (*transport.Response, string, error) {
	if err := c.guard.admit(); err != nil {
		return nil, "", err
	}
	// Fetch the token before sending: a refresh failure inside the transport
	// hook would look like a network error and be retried against the token
	// endpoint, which Bling punishes.
	if _, err := c.tokens.Token(ctx); err != nil {
		return nil, "", err
	}
	var used string
	resp, err := c.http.Do(ctx, transport.Request{
		Method:     r.method,
		Path:       r.path,
		Query:      r.query,
		Body:       r.body,
		Idempotent: r.idempotent,
		Authorize: func(ctx context.Context) (string, error) {
			tok, err := c.tokens.Token(ctx)
			if err != nil {
				return "", err
			}
			used = tok.AccessToken
			return "Bearer " + tok.AccessToken, nil
		},
	})
	return resp, used, err
}
