package flows_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// Documents with valid check digits.
const (
	cpfA  = "52998224725"
	cpfB  = "11144477735"
	cpfC  = "39053344705"
	cnpjA = "11222333000181"
	cnpjX = "12ABC34501DE35" // alphanumeric CNPJ (July 2026)
)

func noWait(ctx context.Context, _ time.Duration) error { return ctx.Err() }

const (
	caClient, caSecret, caRefresh = "ca-client", "ca-secret", "ca-refresh-0"
)

// harness is one connection wired to the four fakes on one clock.
type harness struct {
	t       testing.TB
	meter   *meter
	clock   *testkit.Clock
	auvo    *auvofake.Server
	omie    *omiefake.Server
	ca      *contaazulfake.Server
	bling   *blingfake.Server
	store   *ledger.SQLite
	conn    *flows.Connection
	mu      sync.Mutex
	reports []flows.Report
}

// newHarness wires the fakes; auvoOpts are added to the Auvo fake's.
func newHarness(t testing.TB, auvoOpts ...auvofake.Option) *harness {
	t.Helper()
	h := &harness{t: t, meter: &meter{}, clock: testkit.NewClock(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))}
	h.auvo = auvofake.New(append([]auvofake.Option{auvofake.WithClock(h.clock.Now)}, auvoOpts...)...)
	h.omie = omiefake.New(omiefake.WithClock(h.clock.Now), omiefake.WithRateLimit(false), omiefake.WithMisuseBlock(0, 0))
	h.ca = contaazulfake.New(contaazulfake.WithClock(h.clock.Now),
		contaazulfake.WithCredentials(caClient, caSecret), contaazulfake.WithRefreshToken(caRefresh))
	h.bling = blingfake.New(blingfake.WithClock(h.clock.Now))
	servers := map[string]*httptest.Server{}
	for name, handler := range map[string]http.Handler{"auvo": h.auvo, "omie": h.omie, "contaazul": h.ca, "bling": h.bling} {
		srv := httptest.NewServer(h.meter.wrap(handler))
		t.Cleanup(srv.Close)
		servers[name] = srv
	}
	store, err := ledger.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	h.store = store

	ac, err := auvo.New(auvo.WithBaseURL(servers["auvo"].URL), auvo.WithCredentials(auvofake.DefaultAPIKey, auvofake.DefaultAPIToken),
		auvo.WithRateLimit(), auvo.WithRetryWait(noWait), auvo.WithClock(h.clock.Now))
	require.NoError(t, err)
	oc, err := omie.New(omie.WithBaseURL(servers["omie"].URL), omie.WithCredentials(omiefake.DefaultAppKey, omiefake.DefaultAppSecret),
		omie.WithRateLimit(), omie.WithMethodRateLimit(), omie.WithRetryWait(noWait), omie.WithClock(h.clock.Now))
	require.NoError(t, err)
	cc, err := contaazul.New(contaazul.WithBaseURL(servers["contaazul"].URL), contaazul.WithTokenURL(servers["contaazul"].URL+"/oauth2/token"),
		contaazul.WithCredentials(caClient, caSecret), contaazul.WithRefreshToken(caRefresh),
		contaazul.WithTokenStore(flows.LedgerTokens{Store: store, Conn: "acme", Vendor: "contaazul"}),
		contaazul.WithRateLimit(), contaazul.WithRetryWait(noWait), contaazul.WithClock(h.clock.Now))
	require.NoError(t, err)
	bc, err := bling.New(bling.WithBaseURL(servers["bling"].URL), bling.WithTokenURL(servers["bling"].URL+"/oauth/token"),
		bling.WithCredentials(blingfake.DefaultClientID, blingfake.DefaultClientSecret), bling.WithRefreshToken(blingfake.DefaultRefreshToken),
		bling.WithTokenStore(flows.LedgerTokens{Store: store, Conn: "acme", Vendor: "bling"}),
		bling.WithRateLimit(), bling.WithRetryWait(noWait), bling.WithClock(h.clock.Now))
	require.NoError(t, err)

	h.conn = &flows.Connection{
		Name: "acme", Auvo: flows.NewAuvo(ac), Omie: flows.NewOmie(oc), ContaAzul: flows.NewContaAzul(cc), Bling: flows.NewBling(bc),
		Ledger: store, Clock: h.clock.Now,
		Sink: flows.SinkFunc(func(r flows.Report) { h.mu.Lock(); h.reports = append(h.reports, r); h.mu.Unlock() }),
	}
	return h
}

// pace makes every request move the clock by d (see meter).
func (h *harness) pace(d time.Duration) { h.meter.clock, h.meter.tick = h.clock, d }

// listCalls is how many listing requests a vendor served since the last
// resetCalls.
func (h *harness) listCalls(vendor string) int {
	switch vendor {
	case "auvo":
		return h.auvo.Calls(auvofake.EndpointList)
	case string(syncrules.Omie):
		return h.omie.Calls(omiefake.ListarClientes)
	case string(syncrules.ContaAzul):
		return h.ca.Calls(contaazulfake.EndpointList)
	case string(syncrules.Bling):
		return h.bling.Calls("GET /contatos")
	}
	h.t.Fatalf("unknown vendor %q", vendor)
	return 0
}

// run runs the flows as one cycle, then moves the clock past the next tick.
func (h *harness) run(fl ...syncrules.Flow) []flows.Summary {
	h.t.Helper()
	h.mu.Lock()
	h.reports = nil
	h.mu.Unlock()
	sums, err := h.conn.Run(context.Background(), fl...)
	require.NoError(h.t, err)
	h.clock.Advance(10 * time.Minute)
	return sums
}

// report returns this cycle's report for a source record of a flow.
func (h *harness) report(flow syncrules.Flow, sourceID string) flows.Report {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.reports {
		if r.Flow == flow && r.SourceID == sourceID {
			return r
		}
	}
	h.t.Fatalf("no report for %s %s among %d", flow, sourceID, len(h.reports))
	return flows.Report{}
}

func (h *harness) writeCalls() int {
	return h.auvo.WriteCalls() + h.omie.WriteCalls() + h.ca.WriteCalls() + h.bling.WriteCalls()
}

func (h *harness) resetCalls() {
	h.auvo.ResetCalls()
	h.omie.ResetCalls()
	h.ca.ResetCalls()
	h.bling.ResetCalls()
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// auvoCustomer is an eligible Auvo customer with an address every catalogue accepts.
func auvoCustomer(name, doc string) auvofake.Customer {
	return auvofake.Customer{
		Name: name, CpfCnpj: doc, Active: true,
		PhoneNumbers: []string{"11987654321"}, Emails: []string{"contato@example.com"},
		Address: "Avenida Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200",
		Note:    "cliente desde 2020",
	}
}

func omieCliente(name, doc string) omiefake.Cliente {
	return omiefake.Cliente{
		RazaoSocial: name, NomeFantasia: name, CnpjCpf: doc,
		Telefone1DDD: "21", Telefone1Numero: "34567890", Email: "financeiro@example.com",
		Endereco: "Rua das Laranjeiras", EnderecoNumero: "100", Bairro: "Laranjeiras",
		Cidade: "Rio de Janeiro", Estado: "RJ", CEP: "22240-003",
	}
}

func caPerson(name, doc string, profiles ...string) contaazulfake.Person {
	return contaazulfake.Person{
		Name: name, Document: doc, Active: true, Profiles: profiles,
		Email: "compras@example.com", PhoneCommercial: "(31) 3222-1000", Note: "atende às terças",
		Addresses: []contaazulfake.Address{{Street: "Rua da Bahia", Number: "1200", District: "Centro",
			City: "Belo Horizonte", State: "MG", ZIP: "30160-011"}},
	}
}

func blingContact(name, doc string) blingfake.Contact {
	return blingfake.Contact{
		Nome: name, NumeroDocumento: doc, Situacao: "A", Tipo: "F",
		Telefone: "(41) 3333-4444", Celular: "(41) 99999-8888", Email: "bling@example.com",
		Endereco: blingfake.Endereco{Geral: blingfake.EnderecoDados{
			Endereco: "Rua XV de Novembro", Numero: "700", Bairro: "Centro", Municipio: "Curitiba", UF: "PR", CEP: "80020-310"}},
	}
}

func parseInt(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

var contaazulReauthorize = contaazul.ErrReauthorize

// meter counts API requests (not logins or token refreshes) and the time
// spent inside the fakes, so benchmarks can report calls per record and the
// CPU the flows themselves use.
type meter struct {
	calls   atomic.Int64
	serving atomic.Int64 // nanoseconds inside fake handlers
	// clock and tick, when set, move the clock by tick per request: time
	// passing as the vendors' budgets pace calls, for what depends on it
	// (modification times, the index's freshness).
	clock *testkit.Clock
	tick  time.Duration
	// after, when set, runs after each request is served.
	after func()
}

func (m *meter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		m.serving.Add(int64(time.Since(start)))
		if m.tick > 0 {
			m.clock.Advance(m.tick)
		}
		if m.after != nil {
			m.after()
		}
		if !strings.Contains(r.URL.Path, "login") && !strings.Contains(r.URL.Path, "token") {
			m.calls.Add(1)
		}
	})
}

func (m *meter) reset() { m.calls.Store(0); m.serving.Store(0) }

// mustAddress parses a line into the structured address and its line.
func mustAddress(t testing.TB, line string) (address.Address, string) {
	t.Helper()
	p, err := address.Parse(line, address.Any)
	require.NoError(t, err)
	a := p.Address
	a.Complement, a.Country = "", ""
	return a, line
}
