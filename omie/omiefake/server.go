// Package omiefake is an in-memory Omie customer register
// (geral/clientes/) served as an http.Handler, for tests and demos.
//
// It speaks the wire format of the reference notes with its own types:
// one POST endpoint dispatching on "call", param as a one-element array,
// faults as HTTP 500 {faultstring, faultcode}, S/N flags, dd/mm/aaaa and
// hh:mm:ss dates in São Paulo time. It reproduces Omie's policing: unknown
// tags (Client-5001), the end of a listing (Client-5113), duplicates
// (Client-102, quoting the existing record), REDUNDANT for the same record
// consulted within 60 s (Client-6) and for an identical write within 60 s
// (Client-8020, after the first one was applied), the per-minute limits and
// the per-method concurrency cap (HTTP 429), and the misuse block
// (MISUSE_API_PROCESS) after repeated refusals.
//
// Choices where the notes are silent (all switchable or documented here):
// rate and concurrency refusals are HTTP 429 with a fault body (faultcode
// TOO_MANY_REQUESTS and SOAP-ENV:Client-1880 respectively); 20 refusals
// within a window block the key for 30 minutes; AlterarCliente merges (tags
// absent from the request are kept, tags sent replace); Omie
// registers several clients with one CPF/CNPJ (RULES.md R-OUT-3 relies on it;
// WithUniqueDocuments emulates an account set to refuse them);
// UpsertClienteCpfCnpj does not replace an integration code already set;
// observacao appears in listings only with exibir_obs = "S"; fault codes other
// than 5113, 5001, 102, 6, 8020, 1880 and MISUSE_API_PROCESS are guesses.
//
// The fake has the shape all four fakes share (docs/vendor-shape.md):
// New(opts ...Option) *Server, WithCredentials (the defaults are the
// exported Default… constants), WithClock, WithRateLimit(on bool) and
// SetRateLimit for the vendor's documented limits, and Update returning
// ErrNotFound for an unknown id.
package omiefake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/auvosync/auvosync/internal/brtime"
)

// Default credentials accepted when WithCredentials is not given.
const (
	DefaultAppKey    = "1234567890123"
	DefaultAppSecret = "0123456789abcdef0123456789abcdef"
)

// Fault codes the fake answers.
const (
	CodeEndOfList        = "SOAP-ENV:Client-5113"
	CodeUnknownTag       = "SOAP-ENV:Client-5001"
	CodeDuplicate        = "SOAP-ENV:Client-102"
	CodeNotFound         = "SOAP-ENV:Client-103"
	CodeCredentials      = "SOAP-ENV:Client-101"
	CodeRedundant        = "SOAP-ENV:Client-6"
	CodeAlreadyProcessed = "SOAP-ENV:Client-8020"
	CodeConcurrency      = "SOAP-ENV:Client-1880"
	CodeTooManyRequests  = "TOO_MANY_REQUESTS"
	CodeMisuse           = "MISUSE_API_PROCESS"

	codeEndOfList, codeUnknownTag, codeDuplicate, codeNotFound = CodeEndOfList, CodeUnknownTag, CodeDuplicate, CodeNotFound
	codeInvalidValue                                           = "SOAP-ENV:Client-105"
	codeMissingTag                                             = "SOAP-ENV:Client-8"
	codeUnknownCall                                            = "SOAP-ENV:Client-1"
)

// Omie's methods on geral/clientes/ that the fake serves.
const (
	ListarClientes          = "ListarClientes"
	ListarClientesResumido  = "ListarClientesResumido"
	ConsultarCliente        = "ConsultarCliente"
	IncluirCliente          = "IncluirCliente"
	AlterarCliente          = "AlterarCliente"
	UpsertCliente           = "UpsertCliente"
	UpsertClienteCpfCnpj    = "UpsertClienteCpfCnpj"
	AssociarCodIntCliente   = "AssociarCodIntCliente"
	ExcluirCliente          = "ExcluirCliente"
	redundantWindow         = 60 * time.Second
	defaultMisuseThreshold  = 20
	defaultMisuseBlock      = 30 * time.Minute
	maxFakePageSize         = 500
	defaultFakePageSize     = 50
	maxRequestBody          = 8 << 20
	pruneRedundantThreshold = 4096
)

var writeCalls = map[string]bool{
	IncluirCliente: true, AlterarCliente: true, UpsertCliente: true,
	UpsertClienteCpfCnpj: true, AssociarCodIntCliente: true, ExcluirCliente: true,
}

// Limits are Omie's consumption limits as the fake enforces them; a zero
// field is no limit.
type Limits struct {
	Window      time.Duration // the counting window, default one minute
	Overall     int           // requests per window for the app key (Omie: 960 per IP)
	PerMethod   int           // requests per window per method (Omie: 240)
	Concurrency int           // requests in flight per method (Omie: 4)
}

// DefaultLimits are Omie's documented limits.
func DefaultLimits() Limits {
	return Limits{Window: time.Minute, Overall: 960, PerMethod: 240, Concurrency: 4}
}

// Server is the fake. Create it with New; it is safe for concurrent use.
type Server struct {
	mu        sync.Mutex
	store     *store
	appKey    string
	appSecret string
	now       func() time.Time
	loc       *time.Location

	limits          Limits
	redundantCheck  bool
	uniqueDocuments bool
	// windowInclusionsOnly: WithWindowInclusionsOnly.
	windowInclusionsOnly bool
	misuseThreshold      int
	misuseBlock          time.Duration
	delay                time.Duration

	calls        map[string]int
	refused      map[string]int
	inFlight     map[string]int
	maxInFlight  map[string]int
	hits         map[string][]time.Time // per method, within the window
	allHits      []time.Time
	refusalTimes []time.Time
	blockedUntil time.Time
	lastConsult  map[string]time.Time
	lastWrite    map[[32]byte]time.Time
	injected     map[string][]injection
	ip           *IPBudget
	// limitRefusals: LimitRefusals.
	limitRefusals int
}

type injection struct {
	status      int
	body        []byte
	contentType string
	afterApply  bool
}

// Option configures New.
type Option func(*Server)

// WithCredentials sets the only app key and secret accepted.
func WithCredentials(appKey, appSecret string) Option {
	return func(s *Server) { s.appKey, s.appSecret = appKey, appSecret }
}

// WithClock sets the clock of info dates, the REDUNDANT window, limits and blocks.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithRateLimit turns the per-minute limits on (the default) or off; the
// concurrency cap is kept.
func WithRateLimit(on bool) Option {
	return func(s *Server) { s.limits = rateLimitsSwitched(s.limits, on) }
}

// WithLimits replaces every limit (scaled-down windows make limit tests fast).
func WithLimits(l Limits) Option { return func(s *Server) { s.limits = normalise(l) } }

// WithRedundantCheck turns the 60 s REDUNDANT refusals on (default) or off.
func WithRedundantCheck(on bool) Option { return func(s *Server) { s.redundantCheck = on } }

// WithUniqueDocuments makes creates refuse a CPF/CNPJ already registered
// ("Cliente já cadastrado para o CPF/CNPJ"), as an Omie account configured
// to forbid duplicates does. Off by default.
func WithUniqueDocuments(on bool) Option { return func(s *Server) { s.uniqueDocuments = on } }

// WithWindowInclusionsOnly makes the filtrar_por_data window, sent without
// filtrar_apenas_alteracao, match inclusion dates only (how the flags
// combine with the window is undocumented): a changed client then leaves
// the window unless filtrar_apenas_alteracao is sent.
func WithWindowInclusionsOnly() Option { return func(s *Server) { s.windowInclusionsOnly = true } }

// WithMisuseBlock blocks the key for d once threshold refusals (limits,
// concurrency, REDUNDANT) fall within one window; threshold 0 disables it.
func WithMisuseBlock(threshold int, d time.Duration) Option {
	return func(s *Server) { s.misuseThreshold, s.misuseBlock = threshold, d }
}

// New returns an empty fake with Omie's limits on.
func New(opts ...Option) *Server {
	s := &Server{
		store:           newStore(),
		appKey:          DefaultAppKey,
		appSecret:       DefaultAppSecret,
		now:             time.Now,
		limits:          DefaultLimits(),
		redundantCheck:  true,
		misuseThreshold: defaultMisuseThreshold,
		misuseBlock:     defaultMisuseBlock,
		calls:           map[string]int{},
		refused:         map[string]int{},
		inFlight:        map[string]int{},
		maxInFlight:     map[string]int{},
		hits:            map[string][]time.Time{},
		lastConsult:     map[string]time.Time{},
		lastWrite:       map[[32]byte]time.Time{},
		injected:        map[string][]injection{},
	}
	s.loc = brtime.SaoPaulo
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	return s
}

func normalise(l Limits) Limits {
	if l.Window <= 0 {
		l.Window = time.Minute
	}
	return l
}

func rateLimitsSwitched(l Limits, on bool) Limits {
	if on {
		d := DefaultLimits()
		l.Overall, l.PerMethod = d.Overall, d.PerMethod
		if l.Window <= 0 {
			l.Window = d.Window
		}
		return l
	}
	l.Overall, l.PerMethod = 0, 0
	return normalise(l)
}

// ServeHTTP answers POST .../geral/clientes/ with an Omie envelope.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/geral/clientes") {
		writeFault(w, &fault{status: http.StatusNotFound, code: "SOAP-ENV:Server", msg: "ERROR: Serviço não encontrado: " + r.URL.Path})
		return
	}
	if r.Method != http.MethodPost {
		writeFault(w, &fault{status: http.StatusMethodNotAllowed, code: "SOAP-ENV:Client", msg: "ERROR: Use POST com um corpo JSON."})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		writeFault(w, faultf(codeInvalidValue, "ERROR: Não foi possível ler a requisição."))
		return
	}
	var env struct {
		Call      string            `json:"call"`
		AppKey    json.RawMessage   `json:"app_key"`
		AppSecret string            `json:"app_secret"`
		Param     []json.RawMessage `json:"param"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		s.count("")
		writeFault(w, faultf(codeInvalidValue, "ERROR: JSON inválido na requisição!"))
		return
	}
	call := env.Call
	appKey := strings.Trim(string(env.AppKey), `"`)

	inj, f := s.admit(call, appKey, env.AppSecret)
	if f != nil {
		writeFault(w, f)
		return
	}
	if inj != nil && !inj.afterApply {
		writeInjection(w, inj)
		return
	}
	defer s.leave(call)
	if err := s.wait(r.Context()); err != nil {
		return // the caller went away
	}

	if len(env.Param) != 1 {
		writeFault(w, faultf(codeInvalidValue, "ERROR: O parâmetro [param] deve ser uma lista com um único objeto!"))
		return
	}
	s.mu.Lock()
	result, f := s.dispatch(call, env.Param[0])
	s.mu.Unlock()
	if inj != nil {
		writeInjection(w, inj)
		return
	}
	if f != nil {
		writeFault(w, f)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(result)
}

// admit runs the checks Omie makes before acting: block, injected faults,
// credentials, rate limits and the concurrency cap. On success the request
// holds an in-flight slot that leave releases.
func (s *Server) admit(call, appKey, appSecret string) (*injection, *fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[call]++
	now := s.now()
	if now.Before(s.blockedUntil) {
		secs := int(math.Ceil(s.blockedUntil.Sub(now).Seconds()))
		return nil, faultf(CodeMisuse, "ERROR: API bloqueada por consumo indevido. Tente novamente em %d segundos.", secs)
	}
	var inj *injection
	for _, key := range []string{call, ""} {
		if q := s.injected[key]; len(q) > 0 {
			inj = &q[0]
			s.injected[key] = q[1:]
			break
		}
	}
	if inj != nil && !inj.afterApply {
		return inj, nil
	}
	if appKey != s.appKey || appSecret != s.appSecret {
		return nil, faultf(CodeCredentials, "ERROR: A chave de acesso não está preenchida ou não é válida!")
	}
	if f := s.checkRates(call, now); f != nil {
		s.refuse(call, now)
		s.limitRefusals++
		return nil, f
	}
	if c := s.limits.Concurrency; c > 0 && s.inFlight[call] >= c {
		s.refuse(call, now)
		s.limitRefusals++
		return nil, &fault{status: http.StatusTooManyRequests, code: CodeConcurrency,
			msg: fmt.Sprintf("ERROR: Já existem %d requisições do método [%s] em execução. 429: Too many Requests.", c, call)}
	}
	if f := s.ip.admit(); f != nil {
		s.refuse(call, now)
		s.limitRefusals++
		return nil, f
	}
	s.inFlight[call]++
	s.maxInFlight[call] = max(s.maxInFlight[call], s.inFlight[call])
	if s.limits.Overall > 0 || s.limits.PerMethod > 0 {
		s.allHits = append(s.allHits, now)
		s.hits[call] = append(s.hits[call], now)
	}
	return inj, nil
}

func (s *Server) leave(call string) {
	s.mu.Lock()
	s.inFlight[call]--
	s.mu.Unlock()
}

func (s *Server) wait(ctx context.Context) error {
	s.mu.Lock()
	d := s.delay
	s.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// checkRates applies the sliding-window limits; callers hold mu.
func (s *Server) checkRates(call string, now time.Time) *fault {
	l := s.limits
	if l.Overall <= 0 && l.PerMethod <= 0 {
		return nil
	}
	since := now.Add(-l.Window)
	s.allHits = dropBefore(s.allHits, since)
	s.hits[call] = dropBefore(s.hits[call], since)
	tooMany := func(hits []time.Time, limit int, what string) *fault {
		wait := hits[len(hits)-limit].Add(l.Window).Sub(now)
		secs := max(int(math.Ceil(wait.Seconds())), 1)
		return &fault{status: http.StatusTooManyRequests, code: CodeTooManyRequests,
			msg: fmt.Sprintf("ERROR: 429: Too many Requests (limite de %d requisições por %s %s). Aguarde %d segundos.", limit, l.Window, what, secs)}
	}
	if l.Overall > 0 && len(s.allHits) >= l.Overall {
		return tooMany(s.allHits, l.Overall, "por aplicativo")
	}
	if l.PerMethod > 0 && len(s.hits[call]) >= l.PerMethod {
		return tooMany(s.hits[call], l.PerMethod, "para o método ["+call+"]")
	}
	return nil
}

func dropBefore(ts []time.Time, since time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(since) {
		i++
	}
	return ts[i:]
}

// refuse counts a refusal and blocks the key when they pile up (Omie's
// "consumo indevido"); callers hold mu.
func (s *Server) refuse(call string, now time.Time) {
	s.refused[call]++
	if s.misuseThreshold <= 0 {
		return
	}
	s.refusalTimes = append(dropBefore(s.refusalTimes, now.Add(-s.limits.Window)), now)
	if len(s.refusalTimes) >= s.misuseThreshold {
		s.blockedUntil = now.Add(s.misuseBlock)
		s.refusalTimes = nil
	}
}

func (s *Server) count(call string) {
	s.mu.Lock()
	s.calls[call]++
	s.mu.Unlock()
}

// writeKey identifies an identical write for Client-8020.
func writeKey(call string, param json.RawMessage) [32]byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, param); err != nil {
		buf.Reset()
		buf.Write(param)
	}
	return sha256.Sum256(append([]byte(call+"\x00"), buf.Bytes()...))
}

func writeFault(w http.ResponseWriter, f *fault) {
	for k, v := range f.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	status := f.status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"faultstring": f.msg, "faultcode": f.code})
}

func writeInjection(w http.ResponseWriter, inj *injection) {
	w.Header().Set("Content-Type", inj.contentType)
	w.WriteHeader(inj.status)
	_, _ = w.Write(inj.body)
}
