package auvofake

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Endpoint names used by Calls, FailNext and RequestRecord.
const (
	EndpointLogin    = "POST /login/"
	EndpointLoginGet = "GET /login/"
	EndpointList     = "GET /customers/"
	EndpointGet      = "GET /customers/{id}"
	EndpointCreate   = "POST /customers/"
	EndpointUpsert   = "PUT /customers/"
	EndpointPatch    = "PATCH /customers/{id}"
	EndpointDelete   = "DELETE /customers/{id}"
	// AnyEndpoint makes FailNext apply to whichever request comes next.
	AnyEndpoint = "*"
)

// Credentials the fake accepts unless WithCredentials says otherwise.
const (
	DefaultAPIKey   = "fake-api-key"
	DefaultAPIToken = "fake-api-token"
)

// TokenLifetime is how long an access token lasts, as in the real API.
const TokenLifetime = 30 * time.Minute

const defaultPageSizeMax = 100

// maxRequestLog bounds the request log so a long demo run does not grow it
// without end.
const maxRequestLog = 2000

// Server is the fake Auvo API. It is safe for concurrent use.
type Server struct {
	apiKey, apiToken string
	clock            func() time.Time
	pageSizeMax      int
	tokenLifetime    time.Duration
	// ignoreDocumentFilter: WithIgnoredDocumentFilter.
	ignoreDocumentFilter bool
	// dateFilterAfter: WithDateFilterAfter.
	dateFilterAfter bool

	mu       sync.Mutex
	store    *store
	tokens   map[string]time.Time // access token → expiry on the fake's clock
	calls    map[string]int
	requests []RequestRecord
	faults   []fault
	burst    int
	delay    time.Duration
	limit    windowLimit
	ip       *IPBudget
	// limitRefusals: LimitRefusals.
	limitRefusals int
}

// RequestRecord is one request the fake received.
type RequestRecord struct {
	Endpoint string // one of the Endpoint constants, or "METHOD path" for unknown routes
	Method   string
	// URL is the path and query string as received, so tests can check that
	// no secret travelled in a URL.
	URL    string
	Status int
}

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the api key and api token that login accepts.
func WithCredentials(apiKey, apiToken string) Option {
	return func(s *Server) { s.apiKey, s.apiToken = apiKey, apiToken }
}

// WithClock sets the fake's clock, used for token expiry and for
// creationDate/dateLastUpdate. Default time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.clock = now
		}
	}
}

// Auvo's documented limit, which WithRateLimit(true) enforces.
const (
	DocumentedRateLimit       = 400
	DocumentedRateLimitPeriod = time.Minute
)

// WithRateLimit turns Auvo's documented limit (DocumentedRateLimit requests
// per minute, then 403 until the window ends) on or off. Off by default;
// SetRateLimit switches it at run time, WithLimits scales it down.
func WithRateLimit(on bool) Option {
	return func(s *Server) { s.limit = switchedLimit(on) }
}

// WithLimits enforces n requests per window of length per on the fake's
// clock instead of the documented limit (a short window keeps limit tests
// fast); n <= 0 turns the limit off.
func WithLimits(n int, per time.Duration) Option {
	return func(s *Server) { s.limit = windowLimit{max: n, per: per} }
}

func switchedLimit(on bool) windowLimit {
	if !on {
		return windowLimit{}
	}
	return windowLimit{max: DocumentedRateLimit, per: DocumentedRateLimitPeriod}
}

// WithPageSizeMax caps pageSize on list requests (default 100).
func WithPageSizeMax(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.pageSizeMax = n
		}
	}
}

// WithTokenLifetime changes the access token lifetime (default 30 minutes).
func WithTokenLifetime(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.tokenLifetime = d
		}
	}
}

// WithIgnoredDocumentFilter makes listings ignore the cpfCnpj key of
// paramFilter, as a server that does not know the undocumented key would:
// a lookup by document then lists every customer the other keys allow.
func WithIgnoredDocumentFilter() Option {
	return func(s *Server) { s.ignoreDocumentFilter = true }
}

// WithDateFilterAfter makes the dateLastUpdate key of paramFilter keep
// customers changed strictly after its value, instead of at or after it:
// a server that compares that way drops a customer changed in the very
// second a modified-since listing starts from.
func WithDateFilterAfter() Option {
	return func(s *Server) { s.dateFilterAfter = true }
}

// New returns an empty fake.
func New(opts ...Option) *Server {
	s := &Server{
		apiKey:        DefaultAPIKey,
		apiToken:      DefaultAPIToken,
		clock:         time.Now,
		pageSizeMax:   defaultPageSizeMax,
		tokenLifetime: TokenLifetime,
		store:         newStore(),
		tokens:        map[string]time.Time{},
		calls:         map[string]int{},
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Now is the fake's current time.
func (s *Server) Now() time.Time { return s.clock() }

// route names the endpoint of a request and extracts the customer id
// segment, if any. Routing ignores case, as ASP.NET does.
func route(method, path string) (endpoint, idSegment string) {
	p := strings.ToLower(path)
	p = strings.TrimPrefix(p, "/v2")
	p = strings.TrimSuffix(p, "/")
	switch {
	case p == "/login":
		if method == http.MethodGet {
			return EndpointLoginGet, ""
		}
		return method + " /login/", ""
	case p == "/customers":
		return method + " /customers/", ""
	case strings.HasPrefix(p, "/customers/") && !strings.Contains(p[len("/customers/"):], "/"):
		return method + " /customers/{id}", p[len("/customers/"):]
	}
	return method + " " + path, ""
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	endpoint, idSeg := route(r.Method, r.URL.Path)
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() { s.logRequest(endpoint, r, rec.status) }()

	s.mu.Lock()
	s.calls[endpoint]++
	delay := s.delay
	s.mu.Unlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			rec.status = 499
			return
		}
	}
	if s.injectFault(rec, endpoint) {
		return
	}
	if endpoint == EndpointLogin || endpoint == EndpointLoginGet {
		s.handleLogin(rec, r)
		return
	}
	if !isCustomerEndpoint(endpoint) {
		rec.WriteHeader(http.StatusNotFound)
		return
	}
	if !s.authorized(r) {
		writeJSON(rec, http.StatusUnauthorized, map[string]any{"message": "Authorization has been denied for this request."})
		return
	}
	switch endpoint {
	case EndpointList:
		s.handleList(rec, r)
	case EndpointCreate:
		s.handleCreate(rec, r)
	case EndpointUpsert:
		s.handleUpsert(rec, r)
	default:
		id, err := strconv.ParseInt(idSeg, 10, 64)
		if err != nil || id <= 0 {
			writeJSON(rec, http.StatusBadRequest, map[string][]string{"id": {"The value '" + idSeg + "' is not valid."}})
			return
		}
		switch endpoint {
		case EndpointGet:
			s.handleGet(rec, id)
		case EndpointPatch:
			s.handlePatch(rec, r, id)
		case EndpointDelete:
			s.handleDelete(rec, id)
		default:
			rec.WriteHeader(http.StatusMethodNotAllowed)
		}
	}
}

func isCustomerEndpoint(endpoint string) bool {
	return strings.HasSuffix(endpoint, " /customers/") || strings.HasSuffix(endpoint, " /customers/{id}")
}

func (s *Server) logRequest(endpoint string, r *http.Request, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) >= maxRequestLog {
		s.requests = append(s.requests[:0], s.requests[len(s.requests)-maxRequestLog/2:]...)
	}
	s.requests = append(s.requests, RequestRecord{Endpoint: endpoint, Method: r.Method, URL: r.URL.RequestURI(), Status: status})
}

// Calls is the number of requests received for endpoint (an Endpoint
// constant), including those answered with an injected fault.
func (s *Server) Calls(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[endpoint]
}

// WriteCalls sums the customer writes received: POST, PUT, PATCH and DELETE
// on customers (login is not a write).
func (s *Server) WriteCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[EndpointCreate] + s.calls[EndpointUpsert] + s.calls[EndpointPatch] + s.calls[EndpointDelete]
}

// ResetCalls zeroes the counters and the request log.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
	s.requests = nil
}

// Requests returns the most recent requests received, oldest first.
func (s *Server) Requests() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RequestRecord(nil), s.requests...)
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
