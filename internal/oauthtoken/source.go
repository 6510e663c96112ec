// Package oauthtoken keeps an OAuth2 access token fresh for vendors whose
// refresh tokens rotate on every refresh (Conta Azul, Bling): the new refresh
// token is saved before the new access token is used, refreshes are
// serialised, token-endpoint calls are rate limited, and invalid_grant
// becomes an error that tells the operator to authorise again.
package oauthtoken

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/auvosync/auvosync/internal/transport"
)

// Store persists the latest token pair. Load returns (nil, nil) when nothing
// is saved yet. Save must be durable when it returns: after a rotation the
// previous refresh token is dead, so a lost save means re-authorising.
type Store interface {
	Load(ctx context.Context) (*oauth2.Token, error)
	Save(ctx context.Context, tok *oauth2.Token) error
}

// Rotator is a Store that keeps refreshes of one token pair from running at
// once in several processes (replicas sharing a PostgreSQL state): Rotate
// calls next with the saved token (nil when none) while no other Rotate of
// the pair runs, saves what next returns unless it is the saved token
// itself, and returns it only once it is saved. With single-use refresh
// tokens, two processes refreshing from one saved token would otherwise
// spend it twice and lose the grant.
type Rotator interface {
	Store
	Rotate(ctx context.Context, next func(ctx context.Context, saved *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error)
}

// ReauthorizeError means the vendor refused the refresh token
// (invalid_grant: reused, expired or revoked). Nothing but a new
// authorisation by a person fixes it, so it is never retried.
type ReauthorizeError struct {
	Vendor      string
	Description string
}

func (e *ReauthorizeError) Error() string {
	msg := fmt.Sprintf("%s: the refresh token was refused (invalid_grant); authorise the app again and seed the new refresh token", e.Vendor)
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// ErrReauthorize matches every *ReauthorizeError with errors.Is.
var ErrReauthorize = errors.New("oauth: re-authorisation needed")

func (e *ReauthorizeError) Is(target error) bool { return target == ErrReauthorize }

// ErrTokenEndpoint matches a refresh that got no usable answer from the
// token endpoint (unreachable, or an error other than invalid_grant): no
// request of the account can be authorised until it answers again, so a
// sync run stops rather than failing every record in turn.
var ErrTokenEndpoint = errors.New("oauth: token endpoint unusable")

// endpointError keeps its own message and matches both ErrTokenEndpoint and
// the cause.
type endpointError struct {
	msg string
	err error
}

func (e *endpointError) Error() string   { return e.msg }
func (e *endpointError) Unwrap() []error { return []error{ErrTokenEndpoint, e.err} }

func tokenEndpointError(cause error, format string, args ...any) error {
	return &endpointError{msg: fmt.Sprintf(format, args...), err: cause}
}

// Config describes one vendor's token endpoint and one connected account.
type Config struct {
	Vendor       string
	TokenURL     string
	ClientID     string
	ClientSecret string
	// InitialRefreshToken seeds the store on first use; once the store holds a
	// token, the stored (rotated) one wins.
	InitialRefreshToken string
	Store               Store
	HTTPClient          *http.Client
	// Clock defaults to time.Now; tests inject a fake clock.
	Clock func() time.Time
	// Early renews the access token this long before it expires (default 2 min).
	Early time.Duration
	// MaxRefreshes caps token-endpoint calls per minute (Bling blocks the IP
	// for an hour after 20 in 60 s). Default 4.
	MaxRefreshes int
	// AllowInsecureHTTP accepts a plain http:// TokenURL to a host that is
	// not loopback (test networks only: the client secret travels with it).
	AllowInsecureHTTP bool
}

// Source hands out valid access tokens. It is safe for concurrent use; one
// refresh runs at a time and concurrent callers wait for its result.
type Source struct {
	cfg     Config
	oauth   oauth2.Config
	limiter *rate.Limiter

	mu      sync.Mutex
	current *oauth2.Token
	revoked string // an access token the vendor refused with 401
}

// New checks cfg and builds a Source.
func New(cfg Config) (*Source, error) {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"token URL", cfg.TokenURL}, {"client id", cfg.ClientID}, {"client secret", cfg.ClientSecret},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: OAuth configuration is missing the %s", cfg.Vendor, strings.Join(missing, ", "))
	}
	if err := transport.CheckClientURL("token URL", cfg.TokenURL, cfg.AllowInsecureHTTP); err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Vendor, err)
	}
	if cfg.Store == nil {
		cfg.Store = &MemoryStore{}
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Early <= 0 {
		cfg.Early = 2 * time.Minute
	}
	if cfg.MaxRefreshes <= 0 {
		cfg.MaxRefreshes = 4
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	return &Source{
		cfg: cfg,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     oauth2.Endpoint{TokenURL: cfg.TokenURL, AuthStyle: oauth2.AuthStyleInHeader},
		},
		limiter: rate.NewLimiter(rate.Every(time.Minute/time.Duration(cfg.MaxRefreshes)), cfg.MaxRefreshes),
	}, nil
}

func (s *Source) usable(t *oauth2.Token) bool {
	return t != nil && t.AccessToken != "" && t.AccessToken != s.revoked &&
		!t.Expiry.IsZero() && s.cfg.Clock().Add(s.cfg.Early).Before(t.Expiry)
}

// Token returns a valid access token, refreshing (and saving the rotated
// refresh token) when needed.
func (s *Source) Token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usable(s.current) {
		return s.current, nil
	}
	if r, ok := s.cfg.Store.(Rotator); ok {
		tok, err := r.Rotate(ctx, s.next)
		if err != nil {
			return nil, err
		}
		s.current = tok
		return tok, nil
	}
	// Another client instance or process may have rotated the pair since we
	// last looked: its refresh token is the only one still valid.
	stored, err := s.cfg.Store.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: loading the saved token: %w", s.cfg.Vendor, err)
	}
	fresh, err := s.next(ctx, stored)
	if err != nil {
		return nil, err
	}
	if fresh != stored {
		if err := s.cfg.Store.Save(ctx, fresh); err != nil {
			return nil, fmt.Errorf("%s: saving the rotated refresh token (not using the new token until it is saved): %w", s.cfg.Vendor, err)
		}
	}
	s.current = fresh
	return fresh, nil
}

// next returns stored when it is still usable, or else a fresh pair from
// the token endpoint (not saved yet).
func (s *Source) next(ctx context.Context, stored *oauth2.Token) (*oauth2.Token, error) {
	if s.usable(stored) {
		return stored, nil
	}
	refresh := s.cfg.InitialRefreshToken
	switch {
	case stored != nil && stored.RefreshToken != "":
		refresh = stored.RefreshToken
	case s.current != nil && s.current.RefreshToken != "":
		refresh = s.current.RefreshToken
	}
	if refresh == "" {
		return nil, &ReauthorizeError{Vendor: s.cfg.Vendor, Description: "no refresh token configured or saved"}
	}
	if err := s.limiter.Wait(ctx); err != nil {
		return nil, fmt.Errorf("%s: waiting to call the token endpoint: %w", s.cfg.Vendor, err)
	}
	return s.refresh(ctx, refresh)
}

func (s *Source) refresh(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.cfg.HTTPClient)
	asked := s.cfg.Clock()
	tok, err := s.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			if re.ErrorCode == "invalid_grant" {
				return nil, &ReauthorizeError{Vendor: s.cfg.Vendor, Description: re.ErrorDescription}
			}
			status := 0
			if re.Response != nil {
				status = re.Response.StatusCode
			}
			// RetrieveError's own text carries the raw body; keep only the code.
			return nil, tokenEndpointError(err, "%s: token endpoint answered %d %s %s", s.cfg.Vendor, status, re.ErrorCode, re.ErrorDescription)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: refreshing the access token: %w", s.cfg.Vendor, ctx.Err())
		}
		return nil, s.unreachable(err)
	}
	fresh := &oauth2.Token{AccessToken: tok.AccessToken, TokenType: tok.TokenType, RefreshToken: tok.RefreshToken}
	if fresh.RefreshToken == "" {
		fresh.RefreshToken = refreshToken // the vendor did not rotate this time
	}
	// Expiry from our clock, not the library's time.Now, so injected clocks agree.
	if secs := expiresIn(tok); secs > 0 {
		fresh.Expiry = asked.Add(time.Duration(secs) * time.Second)
	} else if !tok.Expiry.IsZero() {
		fresh.Expiry = asked.Add(time.Until(tok.Expiry))
	} else {
		fresh.Expiry = asked.Add(time.Hour)
	}
	return fresh, nil
}

// unreachable names the token endpoint (without query string or user info)
// and why no answer came: a dial error, TLS, a timeout. The request body
// (refresh token) and the Authorization header (client secret) are never in
// the cause: net/http puts only the URL in its errors, and that is replaced.
func (s *Source) unreachable(err error) error {
	endpoint := transport.RedactURL(s.cfg.TokenURL)
	var ue *url.Error
	if errors.As(err, &ue) {
		return tokenEndpointError(ue.Err, "%s: refreshing the access token: token endpoint %s unreachable: %v", s.cfg.Vendor, endpoint, ue.Err)
	}
	return tokenEndpointError(err, "%s: refreshing the access token: token endpoint %s gave no usable answer: %v", s.cfg.Vendor, endpoint, err)
}

func expiresIn(t *oauth2.Token) int64 {
	switch v := t.Extra("expires_in").(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case string:
		var n int64
		if _, err := fmt.Sscan(v, &n); err == nil {
			return n
		}
	}
	return 0
}

// Invalidate marks accessToken as refused (the vendor answered 401), so the
// next Token call refreshes even though the token has not expired yet.
func (s *Source) Invalidate(accessToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = accessToken
}

// Authorization returns the header value for the transport's Authorize hook.
func (s *Source) Authorization(ctx context.Context) (string, error) {
	tok, err := s.Token(ctx)
	if err != nil {
		return "", err
	}
	return "Bearer " + tok.AccessToken, nil
}

// MemoryStore keeps the token in memory: fine for tests and demos, lost on
// exit (use the ledger's token store in production).
type MemoryStore struct {
	mu  sync.Mutex
	tok *oauth2.Token
}

func (m *MemoryStore) Load(context.Context) (*oauth2.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return nil, nil
	}
	cp := *m.tok
	return &cp, nil
}

func (m *MemoryStore) Save(_ context.Context, tok *oauth2.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp := *tok
	m.tok = &cp
	return nil
}
