// Package contaazulfake is an in-memory Conta Azul API for tests and demos:
// the OAuth2 token endpoint with rotating refresh tokens and 1-hour access
// tokens, and the /v1/pessoas endpoints with the vendor's quirks (list items
// and details in different shapes, cpf/cnpj on write read back as a
// formatted documento, the allowed page sizes, both data_alteracao bounds
// within 365 days, UUID ids, 204 on PATCH). Faults, rate limits, delays and
// token expiry can be injected. The token endpoint is served on the same
// handler at /oauth2/token, so one httptest server is enough.
//
// The fake has the shape all four fakes share (docs/vendor-shape.md):
// New(opts ...Option) *Server, WithCredentials (the defaults are the
// exported Default… constants), WithClock, WithRateLimit(on bool) and
// SetRateLimit for the vendor's documented limits, and Update returning
// ErrNotFound for an unknown id.
package contaazulfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Endpoint names for Calls and FailNext.
const (
	EndpointToken        = "POST /oauth2/token"
	EndpointList         = "GET /v1/pessoas"
	EndpointCreate       = "POST /v1/pessoas"
	EndpointGet          = "GET /v1/pessoas/{id}"
	EndpointPatch        = "PATCH /v1/pessoas/{id}"
	EndpointPut          = "PUT /v1/pessoas/{id}"
	DefaultClientID      = "fake-client-id"
	DefaultClientSecret  = "fake-client-secret"
	DefaultRefreshToken  = "fake-initial-refresh-token"
	accessTokenLifetime  = time.Hour
	accessTokenExpiresIn = 3600
)

// Server is the fake. It is an http.Handler and safe for concurrent use.
type Server struct {
	mu    sync.Mutex
	clock func() time.Time
	// limitRefusals: LimitRefusals.
	limitRefusals atomic.Int64

	clientID, clientSecret string
	offsetDatesOnly        bool                 // WithOffsetDatesOnly
	refreshToken           string               // the one refresh token that works now
	accessTokens           map[string]time.Time // access token -> expiry

	people   map[string]*record
	byDoc    map[string]map[string]struct{} // document digits -> ids
	inserted []string                       // ids in seed/create order
	byName   []*record                      // sorted by name, rebuilt lazily
	dirty    bool
	legacy   int64

	calls  map[string]int
	faults map[string][]fault
	delay  time.Duration
	rate   rateWindow
}

type fault struct {
	status int
	body   string
}

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the client id and secret the token endpoint accepts
// (default DefaultClientID / DefaultClientSecret).
func WithCredentials(id, secret string) Option {
	return func(s *Server) { s.clientID, s.clientSecret = id, secret }
}

// WithOffsetDatesOnly makes listings refuse (400) a data_alteracao bound
// sent without its UTC offset, as a Conta Azul that does not take the
// offset-less São Paulo time the client sends by default would.
func WithOffsetDatesOnly() Option { return func(s *Server) { s.offsetDatesOnly = true } }

// WithRefreshToken sets the one refresh token valid at start (default
// DefaultRefreshToken).
func WithRefreshToken(initial string) Option { return func(s *Server) { s.refreshToken = initial } }

// WithClock sets the clock for token expiry, timestamps and rate windows.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.clock = now
		}
	}
}

// Conta Azul's documented limits, which WithRateLimit(true) enforces.
const (
	DocumentedRequestsPerSecond = 10
	DocumentedRequestsPerMinute = 600
)

// WithRateLimit turns Conta Azul's documented limits on or off: 429 when more
// than DocumentedRequestsPerSecond requests arrive in a second or
// DocumentedRequestsPerMinute in a minute (on the fake clock). Default: off.
func WithRateLimit(on bool) Option {
	return func(s *Server) { s.rate = switchedRate(on) }
}

// WithLimits enforces perSecond and perMinute instead of the documented
// limits; 0 turns a bound off.
func WithLimits(perSecond, perMinute int) Option {
	return func(s *Server) { s.rate.perSecond, s.rate.perMinute = perSecond, perMinute }
}

func switchedRate(on bool) rateWindow {
	if !on {
		return rateWindow{}
	}
	return rateWindow{perSecond: DocumentedRequestsPerSecond, perMinute: DocumentedRequestsPerMinute}
}

// New builds an empty fake.
func New(opts ...Option) *Server {
	s := &Server{
		clock:        time.Now,
		clientID:     DefaultClientID,
		clientSecret: DefaultClientSecret,
		refreshToken: DefaultRefreshToken,
		accessTokens: map[string]time.Time{},
		people:       map[string]*record{},
		byDoc:        map[string]map[string]struct{}{},
		calls:        map[string]int{},
		faults:       map[string][]fault{},
	}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	endpoint, id, ok := route(r)
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "recurso não encontrado", "")
		return
	}
	if endpoint == "" {
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "método não permitido", "")
		return
	}
	// Reading the body first lets net/http notice a client that gives up
	// during the delay (it watches the connection only after the body).
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", "corpo ilegível", "")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[endpoint]++
	if q := s.faults[endpoint]; len(q) > 0 {
		f := q[0]
		s.faults[endpoint] = q[1:]
		s.writeFault(w, f)
		return
	}
	if endpoint == EndpointToken {
		s.handleToken(w, r)
		return
	}
	if !s.authorised(r) {
		writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", "token de acesso ausente, inválido ou expirado", "")
		return
	}
	if wait, limited := s.rate.admit(s.clock()); limited {
		s.limitRefusals.Add(1)
		w.Header().Set("Retry-After", secondsCeil(wait))
		writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "limite de requisições excedido", "")
		return
	}
	switch endpoint {
	case EndpointList:
		s.handleList(w, r)
	case EndpointCreate:
		s.handleCreate(w, r)
	case EndpointGet:
		s.handleGet(w, id)
	case EndpointPatch:
		s.handlePatch(w, r, id)
	case EndpointPut:
		s.handlePut(w, r, id)
	}
}

// route names the endpoint; endpoint "" with ok means a known path with a
// method it does not serve.
func route(r *http.Request) (endpoint, id string, ok bool) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/oauth2/token":
		if r.Method == http.MethodPost {
			return EndpointToken, "", true
		}
		return "", "", true
	case path == "/v1/pessoas":
		switch r.Method {
		case http.MethodGet:
			return EndpointList, "", true
		case http.MethodPost:
			return EndpointCreate, "", true
		}
		return "", "", true
	case strings.HasPrefix(path, "/v1/pessoas/"):
		id = strings.TrimPrefix(path, "/v1/pessoas/")
		if id == "" || strings.Contains(id, "/") {
			return "", "", false
		}
		switch r.Method {
		case http.MethodGet:
			return EndpointGet, id, true
		case http.MethodPatch:
			return EndpointPatch, id, true
		case http.MethodPut:
			return EndpointPut, id, true
		}
		return "", "", true
	}
	return "", "", false
}

func (s *Server) writeFault(w http.ResponseWriter, f fault) {
	if f.status == 0 {
		// Drop the connection without an answer: a network failure.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f.status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	if f.body == "" {
		writeError(w, f.status, "INJECTED_FAULT", http.StatusText(f.status), "")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = w.Write([]byte(f.body))
}

// writeError uses the {code, message, field} body Conta Azul's SDKs model.
func writeError(w http.ResponseWriter, status int, code, message, field string) {
	body := map[string]string{"code": code, "message": message}
	if field != "" {
		body["field"] = field
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	data, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "fake: encoding answer failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

var endpoints = []string{EndpointToken, EndpointList, EndpointCreate, EndpointGet, EndpointPatch, EndpointPut}

// FailNext makes the next n requests to endpoint (EndpointGet, "GET
// /v1/pessoas", ...) answer status with body (a JSON error if empty; 429
// adds Retry-After: 1). Status 0 drops the connection without an answer.
// An endpoint name the fake does not serve is an error, not a fault that
// never fires.
func (s *Server) FailNext(endpoint string, n, status int, body string) error {
	if !slices.Contains(endpoints, endpoint) {
		return fmt.Errorf("contaazulfake: FailNext: unknown endpoint %q (use one of %s)", endpoint, strings.Join(endpoints, ", "))
	}
	if status != 0 && (status < 400 || status > 599) {
		return fmt.Errorf("contaazulfake: FailNext: status %d is not an error status (4xx, 5xx, or 0 to drop the connection)", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[endpoint] = append(s.faults[endpoint], fault{status: status, body: body})
	}
	return nil
}

// SetDelay makes every later request wait d (real time) before it is handled.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetRateLimit switches the documented limits on or off at run time.
func (s *Server) SetRateLimit(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = switchedRate(on)
}

// SetLimits is WithLimits at run time (0, 0 turns the limit off).
func (s *Server) SetLimits(perSecond, perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = rateWindow{perSecond: perSecond, perMinute: perMinute}
}

// LimitRefusals counts the requests refused for the per-second or
// per-minute limit (WithRateLimit, WithLimits), not faults a test injected.
func (s *Server) LimitRefusals() int { return int(s.limitRefusals.Load()) }

// Calls counts requests that reached endpoint, failed ones included.
func (s *Server) Calls(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[endpoint]
}

// WriteCalls sums POST, PUT and PATCH requests to /v1/pessoas.
func (s *Server) WriteCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[EndpointCreate] + s.calls[EndpointPatch] + s.calls[EndpointPut]
}

// ReadCalls sums GET requests to /v1/pessoas and /v1/pessoas/{id}.
func (s *Server) ReadCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[EndpointList] + s.calls[EndpointGet]
}

// ResetCalls zeroes every counter.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
}
