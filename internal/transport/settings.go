package transport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Settings are what the common options of every vendor package set
// (docs/vendor-shape.md). Each vendor's config embeds them, so an option is
// a one-line wrapper over a field or a setter, and the checks and their
// wording live here once. A setter's error names the option; the vendor's
// New prefixes it with the vendor ("auvo: invalid option: ...").
type Settings struct {
	BaseURL      string
	HTTPClient   *http.Client
	Logger       *slog.Logger
	Observer     Observer
	UserAgent    string
	Limits       []Limit
	Budget       *Budget
	Clock        func() time.Time
	RetryWait    func(ctx context.Context, d time.Duration) error
	MaxRetries   int
	InsecureHTTP bool
}

// DefaultHTTPClient is the client for a vendor given none: a 60 s timeout
// per attempt over http.DefaultTransport.
func DefaultHTTPClient() *http.Client { return &http.Client{Timeout: 60 * time.Second} }

// FillDefaults sets a Logger that discards and DefaultHTTPClient where none
// was given, for a vendor that hands them on beyond its transport (the OAuth
// token source, its own log lines).
func (s *Settings) FillDefaults() {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.HTTPClient == nil {
		s.HTTPClient = DefaultHTTPClient()
	}
}

// SetHTTPClient is WithHTTPClient: nil is an error, not the default client.
func (s *Settings) SetHTTPClient(hc *http.Client) error {
	if hc == nil {
		return errors.New("WithHTTPClient: nil client")
	}
	s.HTTPClient = hc
	return nil
}

// SetClock is WithClock: nil is an error, not time.Now.
func (s *Settings) SetClock(now func() time.Time) error {
	if now == nil {
		return errors.New("WithClock: nil clock")
	}
	s.Clock = now
	return nil
}

// SetLimits is WithRateLimit: the limits replace the client's own, after
// CheckLimits; none (or only zero ones) turns client-side throttling off.
func (s *Settings) SetLimits(limits ...Limit) error {
	checked, err := CheckLimits(limits)
	if err != nil {
		return fmt.Errorf("WithRateLimit: %w", err)
	}
	s.Limits = checked
	return nil
}

// SetMaxRetries is WithMaxRetries: a negative count is an error.
func (s *Settings) SetMaxRetries(n int) error {
	if n < 0 {
		return fmt.Errorf("WithMaxRetries: %d is negative", n)
	}
	s.MaxRetries = n
	return nil
}

// Config is the transport Config these settings describe, under policy.
// Its Throttle holds Limits (nil when there are none); a vendor with
// limits of its own (Omie's per method) replaces it, as it may HTTPClient.
func (s *Settings) Config(policy Policy) Config {
	var throttle *Throttle
	if len(s.Limits) > 0 {
		throttle = NewThrottle(s.Limits, nil)
	}
	return Config{
		BaseURL:           s.BaseURL,
		Policy:            policy,
		HTTPClient:        s.HTTPClient,
		Logger:            s.Logger,
		Throttle:          throttle,
		Budget:            s.Budget,
		Observer:          s.Observer,
		UserAgent:         s.UserAgent,
		Sleep:             s.RetryWait,
		AllowInsecureHTTP: s.InsecureHTTP,
	}
}

// Apply runs a vendor's options over its config in order, skipping a nil
// one, and returns the first one's error (docs/vendor-shape.md).
func Apply[C any, O ~func(*C) error](cfg *C, opts []O) error {
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(cfg); err != nil {
			return err
		}
	}
	return nil
}
