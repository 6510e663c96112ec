// Package transport is the HTTP layer shared by the four vendor clients:
// retries on go-retryablehttp with per-vendor rules, client-side throttling
// on golang.org/x/time/rate, typed errors, and logs that never carry a body
// or a query string (they hold secrets and CPFs).
package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxBody bounds how much of a response is read into memory.
const maxBody = 16 << 20

// Observer receives per-attempt facts, for metrics. Implementations must be
// safe for concurrent use.
type Observer interface {
	ObserveRequest(vendor, method string, status int, elapsed time.Duration)
	ObserveWait(vendor string, wait time.Duration, rateLimited bool)
}

// Config builds a Client. Only Policy.Vendor and BaseURL are required.
type Config struct {
	BaseURL    string
	Policy     Policy
	HTTPClient *http.Client // per-attempt timeout lives here; default 60 s
	Logger     *slog.Logger // default: discard
	Throttle   *Throttle    // nil: no client-side limits
	// Budget is the process-wide allowance shared with other clients
	// (R-BUDGET-1); a request waits for Throttle and then for Budget.
	Budget    *Budget
	Observer  Observer
	UserAgent string
	// AllowInsecureHTTP accepts a plain http:// BaseURL to a host that is
	// not loopback (test networks only: credentials travel unencrypted).
	AllowInsecureHTTP bool
	// Sleep waits between attempts; tests inject a fake that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client sends requests to one vendor account.
type Client struct {
	base     *url.URL
	policy   Policy
	logger   *slog.Logger
	observer Observer
	agent    string
	sleep    func(ctx context.Context, d time.Duration) error
	budget   *Budget
	rc       *retryablehttp.Client
}

// Request is one logical call; the Client may send it several times.
type Request struct {
	Method string
	// Path is joined to the base URL; it may carry no query string (use Query).
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte // sent as application/json when non-nil
	// Idempotent allows resending after a failure that may have reached the
	// vendor (a timeout, a 5xx). GET, HEAD and OPTIONS always are; creates
	// never should be: the caller reads back instead.
	Idempotent bool
	// LimitKey selects the keyed throttle bucket (Omie: the method name).
	LimitKey string
	// Authorize returns the Authorization header value; it is called before
	// every attempt so a refreshed token is picked up.
	Authorize func(ctx context.Context) (string, error)
}

// Response is a completed call whose body is in memory.
type Response struct {
	Status   int
	Header   http.Header
	Body     []byte
	Attempts int
}

// SleepContext waits for d or until ctx is done.
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// New builds a Client from cfg.
func New(cfg Config) (*Client, error) {
	if cfg.Policy.Vendor == "" {
		return nil, errors.New("transport: policy has no vendor name")
	}
	if err := CheckClientURL("base URL", cfg.BaseURL, cfg.AllowInsecureHTTP); err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Policy.Vendor, err)
	}
	base, err := url.Parse(strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"))
	if err != nil {
		return nil, fmt.Errorf("%s: base URL is not an absolute URL", cfg.Policy.Vendor)
	}
	if cfg.Policy.Classify == nil {
		cfg.Policy.Classify = DefaultClassify
	}
	c := &Client{
		base:     base,
		policy:   cfg.Policy,
		logger:   cfg.Logger,
		observer: cfg.Observer,
		agent:    cfg.UserAgent,
		sleep:    cfg.Sleep,
		budget:   cfg.Budget,
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.sleep == nil {
		c.sleep = SleepContext
	}
	if c.agent == "" {
		c.agent = "auvosync"
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = DefaultHTTPClient()
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	inner := *hc
	inner.Transport = &throttledTransport{next: next, throttle: cfg.Throttle, budget: cfg.Budget}
	c.rc = &retryablehttp.Client{
		HTTPClient: &inner,
		// Its own logger prints URLs with query strings; we log through hooks.
		Logger:       nil,
		RetryMax:     max(cfg.Policy.MaxRetries, 0),
		CheckRetry:   c.checkRetry,
		Backoff:      func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		PrepareRetry: c.prepareRetry,
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) { return resp, err },
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, attempt int) {
			if st := stateFrom(req.Context()); st != nil {
				st.attempt = attempt + 1
				st.sentAt = time.Now()
			}
		},
	}
	return c, nil
}

// Vendor names the vendor this client talks to.
func (c *Client) Vendor() string { return c.policy.Vendor }

// BaseURL is the URL requests are joined to.
func (c *Client) BaseURL() string { return c.base.String() }

type ctxKey struct{}

// callState follows one logical call across its attempts.
type callState struct {
	method, path string
	idempotent   bool
	limitKey     string
	authorize    func(ctx context.Context) (string, error)

	attempt  int
	sentAt   time.Time
	resp     *Response
	verdict  Verdict
	nextWait time.Duration
	waited   time.Duration
	giveUp   string // why retries stopped early, for the log
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(ctxKey{}).(*callState)
	return st
}

// Do sends req, retrying as the vendor policy allows, and returns the
// response or a typed error (*APIError, *RateLimitError, *NetworkError, or
// the context's error).
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	if strings.ContainsAny(req.Path, "?#") {
		return nil, fmt.Errorf("%s: request path must not carry a query string", c.policy.Vendor)
	}
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + "/" + strings.TrimLeft(req.Path, "/")
	if len(req.Query) > 0 {
		u.RawQuery = req.Query.Encode()
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	st := &callState{
		method:     method,
		path:       u.Path,
		idempotent: req.Idempotent || method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions,
		limitKey:   req.LimitKey,
		authorize:  req.Authorize,
	}
	ctx = context.WithValue(ctx, ctxKey{}, st)

	var body any
	if req.Body != nil {
		body = req.Body
	}
	rreq, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: building %s %s: %w", c.policy.Vendor, method, st.path, sanitize(err))
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			rreq.Header.Add(k, v)
		}
	}
	rreq.Header.Set("Accept", "application/json")
	rreq.Header.Set("User-Agent", c.agent)
	if req.Body != nil && rreq.Header.Get("Content-Type") == "" {
		rreq.Header.Set("Content-Type", "application/json")
	}

	httpResp, err := c.rc.Do(rreq)
	if httpResp != nil && httpResp.Body != nil {
		httpResp.Body.Close()
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s: %s %s: %w", c.policy.Vendor, method, st.path, ctxErr)
		}
		var authErr *authorizeError
		if errors.As(err, &authErr) {
			return nil, authErr.err
		}
		return nil, &NetworkError{
			Vendor:    c.policy.Vendor,
			Method:    method,
			Path:      st.path,
			Uncertain: !st.idempotent,
			Err:       sanitize(err),
		}
	}
	if st.resp == nil {
		return nil, fmt.Errorf("%s: %s %s: no response recorded", c.policy.Vendor, method, st.path)
	}
	st.resp.Attempts = st.attempt
	if !st.verdict.Failed {
		return st.resp, nil
	}
	apiErr := &APIError{
		Vendor:  c.policy.Vendor,
		Method:  method,
		Path:    st.path,
		Status:  st.resp.Status,
		Kind:    st.verdict.Kind,
		Code:    st.verdict.Code,
		Message: st.verdict.Message,
		Fields:  st.verdict.Fields,
		Wait:    st.verdict.Wait,
	}
	if st.verdict.RateLimited {
		return st.resp, &RateLimitError{APIError: apiErr, RetryAfter: st.verdict.Wait}
	}
	return st.resp, apiErr
}

// checkRetry reads the body once, lets the vendor policy judge it, and
// decides whether another attempt is allowed and after how long.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateFrom(ctx)
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if st == nil {
		return false, err
	}
	st.nextWait, st.giveUp = 0, ""
	var authErr *authorizeError
	if errors.As(err, &authErr) {
		return false, err
	}
	if err != nil {
		c.logAttempt(st, 0, err)
		if !st.idempotent {
			st.giveUp = "a write that may have reached the vendor is not resent"
			return false, err
		}
		return c.allowRetry(st, 0), err
	}
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if readErr != nil {
		c.logAttempt(st, resp.StatusCode, readErr)
		if !st.idempotent {
			return false, readErr
		}
		return c.allowRetry(st, 0), readErr
	}
	st.resp = &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	st.verdict = c.policy.Classify(st.resp)
	if c.observer != nil {
		c.observer.ObserveRequest(c.policy.Vendor, st.method, resp.StatusCode, time.Since(st.sentAt))
	}
	v := st.verdict
	if v.RateLimited && !v.Redundant && c.budget != nil {
		c.budget.refusedOne()
	}
	if !v.Failed || !v.Retry {
		c.logAttempt(st, resp.StatusCode, nil)
		return false, nil
	}
	if !st.idempotent && !v.RateLimited {
		st.giveUp = "a write that may have been applied is not resent"
		c.logAttempt(st, resp.StatusCode, nil)
		return false, nil
	}
	retry := c.allowRetry(st, v.Wait)
	c.logAttempt(st, resp.StatusCode, nil)
	return retry, nil
}

// allowRetry applies the attempt count, the single-wait cap and the total
// retry-time cap. demanded is the vendor's requested wait (0: backoff).
func (c *Client) allowRetry(st *callState, demanded time.Duration) bool {
	p := c.policy
	if st.attempt > p.MaxRetries {
		st.giveUp = "retries exhausted"
		return false
	}
	wait := demanded
	if wait <= 0 {
		wait = p.BaseBackoff << (st.attempt - 1)
		if p.MaxWait > 0 && (wait > p.MaxWait || wait <= 0) {
			wait = p.MaxWait
		}
	} else if p.MaxWait > 0 && wait > p.MaxWait {
		st.giveUp = fmt.Sprintf("vendor asked to wait %s, more than the %s cap", wait, p.MaxWait)
		return false
	}
	if p.MaxRetryTime > 0 && st.waited+wait > p.MaxRetryTime {
		st.giveUp = fmt.Sprintf("total retry time would pass %s", p.MaxRetryTime)
		return false
	}
	st.nextWait = wait
	return true
}

func (c *Client) prepareRetry(req *http.Request) error {
	st := stateFrom(req.Context())
	if st == nil {
		return nil
	}
	if c.observer != nil {
		c.observer.ObserveWait(c.policy.Vendor, st.nextWait, st.verdict.RateLimited)
	}
	if err := c.sleep(req.Context(), st.nextWait); err != nil {
		return err
	}
	st.waited += st.nextWait
	return nil
}

// logAttempt writes one line per attempt: method, path (no query string),
// status, attempt, wait. Never a body.
func (c *Client) logAttempt(st *callState, status int, err error) {
	attrs := []slog.Attr{
		slog.String("vendor", c.policy.Vendor),
		slog.String("method", st.method),
		slog.String("path", st.path),
		slog.Int("attempt", st.attempt),
	}
	level := slog.LevelDebug
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", sanitize(err).Error()))
		level = slog.LevelWarn
	}
	if st.verdict.Failed && status != 0 {
		if st.verdict.Code != "" {
			attrs = append(attrs, slog.String("code", st.verdict.Code))
		}
		// A 404 or a validation answer is the caller's business and often
		// expected (end of a listing); trouble with the vendor is a warning.
		switch st.verdict.Kind {
		case KindServer, KindRateLimited, KindBlocked, KindUnauthorized, KindForbidden, KindOther:
			level = slog.LevelWarn
		}
	}
	if st.nextWait > 0 || st.giveUp != "" {
		level = slog.LevelWarn
	}
	if st.nextWait > 0 {
		attrs = append(attrs, slog.Duration("wait", st.nextWait))
	}
	if st.giveUp != "" {
		attrs = append(attrs, slog.String("gave_up", st.giveUp))
	}
	c.logger.LogAttrs(context.Background(), level, "http attempt", attrs...)
}

// sanitize strips the URL (and so any query string) that net/http puts in
// its errors.
func sanitize(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// RedactURL returns raw without query string, fragment or user info, for
// messages about a configured URL.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			return raw[:i]
		}
		return raw
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}
