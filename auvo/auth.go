package auvo

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// tokenLifetime is Auvo's documented access-token lifetime, used when the
// login answer's dates cannot be read.
const tokenLifetime = 30 * time.Minute

// renewBefore is how long before expiry a token is renewed, so a request
// never leaves with a token that dies in flight.
const renewBefore = 2 * time.Minute

// tokenCache holds the access token and makes concurrent callers share one
// login.
type tokenCache struct {
	client *Client
	creds  Credentials
	now    func() time.Time
	logger *slog.Logger

	mu       sync.Mutex
	access   string
	renewAt  time.Time
	inflight *loginCall
}

type loginCall struct {
	done   chan struct{}
	access string
	err    error
}

// token returns a valid access token, logging in when there is none or it
// is about to expire.
func (t *tokenCache) token(ctx context.Context) (string, error) {
	for {
		t.mu.Lock()
		if t.access != "" && t.now().Before(t.renewAt) {
			access := t.access
			t.mu.Unlock()
			return access, nil
		}
		call := t.inflight
		leader := call == nil
		if leader {
			call = &loginCall{done: make(chan struct{})}
			t.inflight = call
		}
		t.mu.Unlock()

		if leader {
			access, renewAt, err := t.client.login(ctx, t.creds)
			t.mu.Lock()
			if err == nil {
				t.access, t.renewAt = access, renewAt
			}
			t.inflight = nil
			t.mu.Unlock()
			call.access, call.err = access, err
			close(call.done)
			return access, err
		}
		select {
		case <-call.done:
		case <-ctx.Done():
			return "", errorf("waiting for login: %w", ctx.Err())
		}
		if call.err == nil {
			return call.access, nil
		}
		// The leader's own context ended; that says nothing about ours.
		if errors.Is(call.err, context.Canceled) || errors.Is(call.err, context.DeadlineExceeded) {
			if ctx.Err() == nil {
				continue
			}
		}
		return "", call.err
	}
}

// invalidate drops the token a request was refused with, unless another
// caller has already replaced it (so a burst of 401s causes one login).
func (t *tokenCache) invalidate(used string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.access == used {
		t.access, t.renewAt = "", time.Time{}
		t.logger.LogAttrs(context.Background(), slog.LevelInfo, "auvo access token refused; logging in again",
			slog.String("vendor", vendor))
	}
}

type loginRequest struct {
	APIKey   string `json:"apiKey"`
	APIToken string `json:"apiToken"`
}

type loginResult struct {
	Authenticated bool   `json:"authenticated"`
	Created       string `json:"created"`
	Expiration    string `json:"expiration"`
	AccessToken   string `json:"accessToken"`
	Message       string `json:"message"`
}

// login posts the credentials in a JSON body (the GET form would put them
// in the URL, where proxies and logs keep them).
func (c *Client) login(ctx context.Context, creds Credentials) (string, time.Time, error) {
	body, err := json.Marshal(loginRequest{APIKey: creds.APIKey, APIToken: creds.APIToken})
	if err != nil {
		return "", time.Time{}, errorf("encoding login: %w", err)
	}
	start := c.now()
	resp, err := c.http.Do(ctx, transport.Request{
		Method:     http.MethodPost,
		Path:       "/login/",
		Body:       body,
		Idempotent: true, // a login changes nothing, so it may be resent
	})
	if err != nil {
		var api *APIError
		if errors.As(err, &api) && !errors.Is(err, ErrRateLimited) && api.Status >= 400 && api.Status < 500 {
			// 400 (a credential missing or malformed) and 404 (api key
			// unknown) both mean the credentials are refused.
			refused := *api
			refused.Kind = transport.KindUnauthorized
			if refused.Message == "" {
				refused.Message = "login refused: api key or api token not accepted"
			}
			return "", time.Time{}, c.redactor.error(&refused)
		}
		return "", time.Time{}, c.redactor.error(err)
	}
	var res loginResult
	if err := decodeResult(resp.Body, &res); err != nil {
		return "", time.Time{}, errorf("login: %w", err)
	}
	if !res.Authenticated || res.AccessToken == "" {
		msg := strings.TrimSpace(res.Message)
		if msg == "" {
			msg = "not authenticated"
		}
		return "", time.Time{}, &APIError{
			Vendor: vendor, Method: http.MethodPost, Path: c.loginPath(), Status: resp.Status,
			Kind: transport.KindUnauthorized, Message: "login refused: " + c.redactor.string(msg),
		}
	}
	lifetime := tokenLifetime
	created, errC := parseLoginTime(res.Created)
	expires, errE := parseLoginTime(res.Expiration)
	// Only the difference is used: Auvo's clock and zone do not matter.
	if errC == nil && errE == nil {
		if d := expires.Sub(created); d > 0 && d <= 24*time.Hour {
			lifetime = d
		}
	}
	margin := min(renewBefore, lifetime/4)
	c.auth.logger.LogAttrs(ctx, slog.LevelDebug, "auvo login succeeded",
		slog.String("vendor", vendor), slog.Duration("lifetime", lifetime))
	return res.AccessToken, start.Add(lifetime - margin), nil
}

// loginPath is the login URL path as the transport reports paths in errors.
func (c *Client) loginPath() string {
	u, err := url.Parse(c.http.BaseURL())
	if err != nil {
		return "/login/"
	}
	return strings.TrimRight(u.Path, "/") + "/login/"
}
