// Package console is the analyst's web console (CONTRACTS.md §5): an
// http.Handler over the ledger that shows every connection and flow with its
// last runs, a run's per-record outcomes filtered by outcome and rule, a
// record's whole history (found by source id or by a CPF/CNPJ typed in), and
// the locked records, and that releases a lock the way the runner's release
// command does ([Release]).
//
// It is read-only except for releases. Pages are rendered on the server
// from templates embedded in the binary, with one stylesheet and one small
// script (no inline script: the Content-Security-Policy is default-src
// 'self'); charts are SVG drawn on the server.
//
// # Safety
//
// With a password ([WithPassword]) the console asks for it once per session;
// without one it serves only requests from loopback addresses whose Host is
// a loopback name (so a DNS-rebinding page cannot read it), and
// [Handler.CheckAddr] refuses a non-loopback listen address. The session
// cookie is HttpOnly, SameSite=Strict and Secure over TLS. Every POST (the
// sign-in included) must carry the session's CSRF token (the sign-in form a
// token bound to a pre-session cookie) and pass net/http's cross-origin
// check (Sec-Fetch-Site, then Origin against Host). Documents are shown
// masked (syncrules.MaskDocument), free text from the ledger is redacted
// again (syncrules.Redact), and the log never carries the password, a
// session id or a document typed in.
package console

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// Store is the part of the ledger the console reads, and releases through.
type Store interface {
	ledger.RunStore
	ledger.LinkStore
	ledger.LockStore
	ledger.ReportStore
}

// Connection is one configured connection and its flows, as the runner's
// configuration lists them.
type Connection struct {
	Name  string
	Flows []syncrules.Flow
}

// Progress is how far a flow's run in progress has got through its source
// listing, as the running runner knows it (flows.Connection.Progress).
type Progress struct {
	Page int
	// Done is the number of records processed so far.
	Done int
	// Total is the listing's size as the vendor reports it, or -1.
	Total int
	// At is when the progress was reported.
	At time.Time
}

// Budget is what a connection has spent of the vendors' limits since the
// runner started. Shared per-IP budgets, once they exist, add their
// limits here.
type Budget struct {
	APICalls       int64
	RateLimitWaits int64
	Waited         time.Duration
}

// Live is what a running runner knows beyond the ledger. The console
// served on its own has none.
type Live interface {
	Progress(conn string, flow syncrules.Flow) (Progress, bool)
	Budget(conn string) (Budget, bool)
}

// DefaultRulesURL is the rules document rule IDs link to, one anchor per
// rule ("#r-upd-4").
const DefaultRulesURL = "https://github.com/auvosync/auvosync/blob/main/docs/RULES.md"

// DefaultInterval is the runner's fixed schedule (R-SCHED-1), from which
// the console computes a connection's next slot.
const DefaultInterval = 10 * time.Minute

type settings struct {
	password   string
	now        func() time.Time
	logger     *slog.Logger
	rulesURL   string
	interval   time.Duration
	live       Live
	sessionTTL time.Duration
}

// Option configures New.
type Option func(*settings)

// WithPassword requires a sign-in with this password. Without it the
// console serves loopback clients only.
func WithPassword(password string) Option { return func(s *settings) { s.password = password } }

// WithClock sets the console's time source (sessions, next slots, the time
// a release is recorded at).
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithRulesURL sets the rules document rule IDs link to (default
// DefaultRulesURL).
func WithRulesURL(u string) Option { return func(s *settings) { s.rulesURL = u } }

// WithInterval sets the schedule's interval (default DefaultInterval).
func WithInterval(d time.Duration) Option { return func(s *settings) { s.interval = d } }

// WithLive gives the console a running runner's progress and budgets.
func WithLive(l Live) Option { return func(s *settings) { s.live = l } }

// WithSessionTTL sets how long an unused session lasts (default 8 hours).
func WithSessionTTL(d time.Duration) Option { return func(s *settings) { s.sessionTTL = d } }

// Handler serves the console.
type Handler struct {
	store Store
	conns []Connection
	set   settings
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
	cop   *http.CrossOriginProtection

	mu       sync.Mutex
	sessions map[string]*session
	failures []time.Time // recent failed sign-ins
}

//go:embed assets
var assets embed.FS

// New makes the console over store for the given connections.
func New(store Store, conns []Connection, opts ...Option) (*Handler, error) {
	if store == nil {
		return nil, errors.New("console: no store")
	}
	s := settings{now: time.Now, rulesURL: DefaultRulesURL, interval: DefaultInterval, sessionTTL: 8 * time.Hour}
	for _, o := range opts {
		o(&s)
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.interval <= 0 || s.sessionTTL <= 0 {
		return nil, errors.New("console: interval and session TTL must be positive")
	}
	seen := map[string]bool{}
	for _, c := range conns {
		if c.Name == "" {
			return nil, errors.New("console: a connection has no name")
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("console: connection %q is listed twice", c.Name)
		}
		seen[c.Name] = true
		for _, f := range c.Flows {
			if !f.Valid() {
				return nil, fmt.Errorf("console: connection %q: unknown flow %q", c.Name, f)
			}
		}
	}
	h := &Handler{store: store, conns: conns, set: s, log: s.logger, sessions: map[string]*session{},
		cop: http.NewCrossOriginProtection()}
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// CheckAddr is CheckAddr with this console's password.
func (h *Handler) CheckAddr(addr string) error { return CheckAddr(addr, h.set.password != "") }

// CheckAddr refuses a listen address that is not loopback unless the
// console has a password (CONTRACTS.md §5). ":8080" listens on every
// interface, so it is not loopback.
func CheckAddr(addr string, hasPassword bool) error {
	if hasPassword {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("console address %q: %v", addr, err)
	}
	if !isLoopbackHost(host) {
		return fmt.Errorf("console address %q is not a loopback address; set console.password in the config to listen on it", addr)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets/static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /signin", h.signInPage)
	m.HandleFunc("POST /signin", h.signIn)
	m.HandleFunc("POST /signout", h.authed(h.signOut))
	m.HandleFunc("GET /{$}", h.authed(h.overview))
	m.HandleFunc("GET /locks", h.authed(h.locks))
	m.HandleFunc("GET /c/{conn}", h.authed(h.connection))
	m.HandleFunc("GET /c/{conn}/runs/{run}", h.authed(h.run))
	m.HandleFunc("GET /c/{conn}/records/{system}/{id}", h.authed(h.record))
	m.HandleFunc("GET /c/{conn}/find", h.authed(h.findByID))
	m.HandleFunc("POST /c/{conn}/find", h.authed(h.findByDocument))
	m.HandleFunc("GET /c/{conn}/locks", h.authed(h.locks))
	m.HandleFunc("POST /c/{conn}/release", h.authed(h.release))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, http.StatusNotFound, "There is no such page.")
	})
	h.mux = m
}

// maxForm bounds a POST's body: the console's forms are a few fields.
const maxForm = 64 << 10

// ServeHTTP applies the security headers and the loopback rule, then
// routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	if !strings.HasPrefix(r.URL.Path, "/static/") {
		hd.Set("Cache-Control", "no-store")
	}
	if h.set.password == "" && !loopbackRequest(r) {
		h.log.Warn("console: refused a non-loopback request (no password configured)", "remote", r.RemoteAddr)
		h.fail(w, r, http.StatusForbidden, "This console has no password, so it serves this machine only.")
		return
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	}
	if err := h.cop.Check(r); err != nil {
		h.fail(w, r, http.StatusForbidden, "Cross-origin request refused.")
		return
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	h.mux.ServeHTTP(sw, r)
	h.log.Debug("console request", "method", r.Method, "route", r.Pattern, "status", sw.status)
}

// loopbackRequest: the peer is this machine, and the Host it asked for is
// a loopback name, so a DNS-rebinding page on another site cannot read the
// password-less console.
func loopbackRequest(r *http.Request) bool {
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || !isLoopbackHost(peer) {
		return false
	}
	host := r.Host
	if hst, _, err := net.SplitHostPort(host); err == nil {
		host = hst
	}
	return isLoopbackHost(strings.Trim(host, "[]"))
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
