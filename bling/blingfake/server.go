// Package blingfake is an in-memory Bling API v3 server for tests and demos:
// the /contatos endpoints and the OAuth token endpoint, with Bling's quirks.
//
// Mount point: routes are matched by path suffix, so the fake works at the
// server root (client base URL = srv.URL) or under a prefix such as /Api/v3
// (base URL = srv.URL + "/Api/v3"). The token endpoint is {base}/oauth/token.
//
// Emulated behaviour:
//   - {"data": ...} envelopes, integer ids, 201 {"data":{"id":N}} on create,
//     204 on PUT and PATCH, Bling's {"error":{type,message,description,fields}}
//     errors;
//   - list items carry only id, nome, codigo, situacao, numeroDocumento,
//     telefone, celular; GET /contatos/{id} returns the detail;
//   - criterio: 1 every contact but the excluded (situacao E), 2 only the
//     excluded, 3 (the default when absent) only the LatestAdded (default 100)
//     most recently included contacts that are not excluded, 4 situacao S;
//   - date filters (dataAlteracao*, dataInclusao*) as "YYYY-MM-DD HH:MM:SS"
//     São Paulo time, 400 for a bad format or a range over one year (an
//     open end counts up to now on the fake clock);
//   - limite capped at 100, list ordered by id;
//   - OAuth: Basic client credentials, access tokens of 6 h, refresh tokens of
//     30 days that rotate on every refresh (the old one becomes invalid_grant);
//     more than 20 token calls in 60 s block every request for an hour;
//   - optional 3 requests per second limit (real time) answered with 429
//     TOO_MANY_REQUESTS;
//   - PUT replaces the whole contact: fields the body leaves out are cleared.
//
// Times (token expiry, dataAlteracao, the token-call block) follow the clock
// given with WithClock. The 3 req/s limit uses real time, because tests with
// a frozen clock would otherwise never get out of the second.
//
// The fake has the shape all four fakes share (docs/vendor-shape.md):
// New(opts ...Option) *Server, WithCredentials (the defaults are the
// exported Default… constants), WithClock, WithRateLimit(on bool) and
// SetRateLimit for the vendor's documented limits, and Update returning
// ErrNotFound for an unknown id.
package blingfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/auvosync/auvosync/internal/brtime"
)

var saoPaulo = brtime.SaoPaulo

// Defaults for credentials and tokens.
const (
	DefaultClientID     = "blingfake-client"
	DefaultClientSecret = "blingfake-secret"
	DefaultRefreshToken = "blingfake-refresh-0"
	// AccessTokenTTL and RefreshTokenTTL are Bling's token lifetimes.
	AccessTokenTTL  = 6 * time.Hour
	RefreshTokenTTL = 30 * 24 * time.Hour
	// DefaultLatestAdded is how many contacts criterio=3 returns.
	DefaultLatestAdded = 100
	maxPageSize        = 100
)

// Server is the fake. Create it with New; it is an http.Handler.
type Server struct {
	mu sync.Mutex

	clock        func() time.Time
	clientID     string
	clientSecret string
	latestAdded  int
	// criterioIgnored answers every listing as criterio 3 (WithCriterioIgnored).
	criterioIgnored bool

	// OAuth state.
	refresh        string
	refreshExpiry  time.Time
	refreshRevoked bool
	access         map[string]time.Time // access token → expiry
	issued         []string
	tokenSeq       int
	tokenCalls     []time.Time
	blockedUntil   time.Time

	// Contacts.
	contacts map[int64]*Contact
	order    []int64 // ascending ids
	byDoc    map[string]map[int64]struct{}
	nextID   int64

	// Instrumentation and faults.
	calls       map[string]int
	faults      map[string][]fault
	rateLimit   bool
	recent      []time.Time // real-time sends, for the 3 req/s limit
	rateLimited int
	// limitN per limitPer replaces 3 per second (WithLimits).
	limitN   int
	limitPer time.Duration
	delay    time.Duration
}

// Option configures New.
type Option func(*Server)

// WithCredentials sets the accepted OAuth client id and secret (default
// DefaultClientID / DefaultClientSecret).
func WithCredentials(id, secret string) Option {
	return func(s *Server) { s.clientID, s.clientSecret = id, secret }
}

// WithRefreshToken sets the first valid refresh token.
func WithRefreshToken(token string) Option { return func(s *Server) { s.refresh = token } }

// WithClock sets the fake clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

// WithRateLimit turns the 3 requests per second limit on or off (default off).
func WithRateLimit(on bool) Option { return func(s *Server) { s.rateLimit = on } }

// WithLimits turns the rate limit on with n requests per window of length
// per (real time) instead of Bling's 3 a second, to scale it for fast tests.
func WithLimits(n int, per time.Duration) Option {
	return func(s *Server) { s.rateLimit, s.limitN, s.limitPer = true, n, per }
}

// WithLatestAdded sets how many contacts criterio=3 returns (default 100).
func WithLatestAdded(n int) Option { return func(s *Server) { s.latestAdded = n } }

// WithCriterioIgnored makes the fake ignore the criterio sent and answer
// every listing with its default, 3 (the LatestAdded most recently
// included): the deviation the reference leaves open ("a sync should pass
// criterio=1 explicitly [?]"). A contact changed but not among the latest
// added is then missing from a changed-since listing. The value is still
// validated, as Bling validates its parameters.
func WithCriterioIgnored() Option { return func(s *Server) { s.criterioIgnored = true } }

// New builds an empty fake.
func New(opts ...Option) *Server {
	s := &Server{
		clock:        time.Now,
		clientID:     DefaultClientID,
		clientSecret: DefaultClientSecret,
		refresh:      DefaultRefreshToken,
		latestAdded:  DefaultLatestAdded,
		access:       map[string]time.Time{},
		contacts:     map[int64]*Contact{},
		byDoc:        map[string]map[int64]struct{}{},
		nextID:       15_000_000_001,
		calls:        map[string]int{},
		faults:       map[string][]fault{},
	}
	for _, o := range opts {
		o(s)
	}
	s.refreshExpiry = s.clock().Add(RefreshTokenTTL)
	return s
}

// ServeHTTP routes by path suffix (see the package documentation).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	endpoint, id, ok := route(r.Method, r.URL.Path)
	if !ok {
		s.count(r.Method + " " + r.URL.Path)
		writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "Recurso não encontrado", "", nil)
		return
	}
	s.count(endpoint)
	if err := s.wait(r); err != nil {
		return
	}
	if f, ok := s.takeFault(endpoint); ok {
		f.apply(w)
		return
	}
	if endpoint == "POST /oauth/token" {
		s.token(w, r)
		return
	}
	if s.blocked(w) || s.limited(w) || !s.authorized(w, r) {
		return
	}
	switch endpoint {
	case "GET /contatos":
		s.list(w, r)
	case "POST /contatos":
		s.create(w, r)
	case "GET /contatos/{id}":
		s.get(w, id)
	case "PUT /contatos/{id}":
		s.replace(w, r, id)
	case "DELETE /contatos/{id}":
		s.remove(w, id)
	case "PATCH /contatos/{id}/situacoes":
		s.setStatus(w, r, id)
	default:
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Método não permitido", "", nil)
	}
}

// route names the endpoint as Calls counts it.
func route(method, path string) (endpoint, id string, ok bool) {
	path = strings.TrimRight(path, "/")
	if strings.HasSuffix(path, "/oauth/token") {
		return method + " /oauth/token", "", true
	}
	i := strings.LastIndex(path, "/contatos")
	if i < 0 {
		return "", "", false
	}
	rest := strings.Split(strings.TrimPrefix(path[i:], "/"), "/")
	switch {
	case len(rest) == 1:
		return method + " /contatos", "", true
	case len(rest) == 2 && isDigits(rest[1]):
		return method + " /contatos/{id}", rest[1], true
	case len(rest) == 3 && isDigits(rest[1]) && rest[2] == "situacoes":
		return method + " /contatos/{id}/situacoes", rest[1], true
	}
	// LastIndex may have matched a later segment, e.g. /contatos/5/contatos.
	return "", "", false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// wire error envelope, the fake's own types.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Type        string       `json:"type"`
	Message     string       `json:"message"`
	Description string       `json:"description"`
	Fields      []fieldError `json:"fields,omitempty"`
}

type fieldError struct {
	Code      int    `json:"code"`
	Msg       string `json:"msg"`
	Element   string `json:"element"`
	Namespace string `json:"namespace"`
}

func writeError(w http.ResponseWriter, status int, typ, message, description string, fields []fieldError) {
	writeJSON(w, status, errorBody{Error: errorDetail{Type: typ, Message: message, Description: description, Fields: fields}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
