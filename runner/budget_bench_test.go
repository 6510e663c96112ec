package runner

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/internal/document"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// The budget benchmarks (R-BUDGET-1) run the runner's own clients and
// budgets against fakes that enforce the vendors' limits, with time scaled
// down: a vendor's minute lasts time.Minute/scale (AUVOSYNC_BENCH_SCALE,
// default 50) and Bling's second time.Second/blingScale (2: its window holds
// only 3 requests, and a shorter one leaves no room for a request delayed on
// its way). Conta Azul's fake counts per second and minute of its clock, so its
// counts are multiplied instead, by 10 (at 50 the machine, not the limit,
// would bind). The budgets are the documented ones
// (auvo.DefaultBudget, ...) scaled alike, less 3% instead of 1% because a
// scaled window is short next to the scheduling delays of a loaded machine.
//
//	go test ./runner -run '^$' -bench BudgetUse -benchtime 1x
//	go test ./runner -run '^$' -bench IdleConnections -benchtime 1x
//
// A share is the calls that reached a fake from its first request to its
// last, per second, against the fake's limit; in a short run the budgets'
// bursts at the start weigh, and a share may pass 1: keep the backlog at
// 1,000 or more. AUVOSYNC_BENCH_N sets it per flow (default 1000; Bling a fifth),
// AUVOSYNC_BENCH_BACKLOG the backlog of BenchmarkIdleConnectionsBesideABacklog
// (default 20000), AUVOSYNC_BENCH_IDLE its idle connections (default 50).

const (
	blingScale = 2
	caScale    = 10
)

func benchEnv(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchBurst lets a flow that fell behind its pace catch up a little; the
// budget still never lets a window hold more than its count.
func benchBurst(requests int) int {
	return max(requests*benchEnv("AUVOSYNC_BENCH_BURST_PERCENT", 3)/100, 1)
}

func benchScale() time.Duration { return time.Duration(benchEnv("AUVOSYNC_BENCH_SCALE", 50)) }

// scaledLimits are the fakes' limits and the budgets' at one scale.
type scaledLimits struct {
	auvoPer, omiePer, blingPer time.Duration
	caPerSecond, caPerMinute   int
}

func newScaledLimits() scaledLimits {
	k := benchScale()
	return scaledLimits{auvoPer: time.Minute / k, omiePer: time.Minute / k, blingPer: time.Second / blingScale,
		caPerSecond: 10 * caScale, caPerMinute: 600 * caScale}
}

// budgets are the documented budgets, scaled, at 97% of the fakes' limits.
func (s scaledLimits) budgets(b testing.TB) Budgets {
	b.Helper()
	must := func(x *vendorBudget, err error) *vendorBudget {
		if err != nil {
			b.Fatal(err)
		}
		return x
	}
	return Budgets{
		Auvo: must(auvo.NewBudget(auvo.BudgetConfig{PerIP: []auvo.Limit{{Requests: 388, Per: s.auvoPer, Burst: benchBurst(388)}}})),
		Omie: must(omie.NewBudget(omie.BudgetConfig{
			PerIP:     []omie.Limit{{Requests: 931, Per: s.omiePer, Burst: benchBurst(931)}},
			PerMethod: []omie.Limit{{Requests: 232, Per: s.omiePer, Burst: benchBurst(232), Concurrency: 4}},
		})),
		ContaAzul: must(contaazul.NewBudget(contaazul.BudgetConfig{PerAccount: []contaazul.Limit{
			{Requests: s.caPerSecond * 97 / 100, Per: time.Second, Burst: benchBurst(s.caPerSecond * 97 / 100)},
			{Requests: s.caPerMinute * 97 / 100, Per: time.Minute},
		}})),
		Bling: must(bling.NewBudget(bling.BudgetConfig{PerAccount: []bling.Limit{{Requests: 3, Per: s.blingPer * 103 / 100}}})),
	}
}

// tally counts the API requests that reach a fake (not token calls) and
// when the first and the last arrived.
type tally struct {
	n           atomic.Int64
	mu          sync.Mutex
	first, last time.Time
}

func (t *tally) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "oauth") && !strings.Contains(r.URL.Path, "token") {
			now := time.Now()
			t.n.Add(1)
			t.mu.Lock()
			if t.first.IsZero() {
				t.first = now
			}
			t.last = now
			t.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

func (t *tally) span() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last.Sub(t.first)
}

func serve(b testing.TB, t *tally, h http.Handler) string {
	srv := httptest.NewServer(t.wrap(h))
	b.Cleanup(srv.Close)
	return srv.URL
}

func benchCPF(i int) string {
	body := fmt.Sprintf("%09d", 100000000+i)
	dv, _ := document.CheckDigits(body)
	return body + dv
}

// account is one connection's fake accounts, all four vendors.
type account struct {
	auvo                           *auvofake.Server
	omie                           *omiefake.Server
	ca                             *contaazulfake.Server
	bling                          *blingfake.Server
	auvoT, omieT, caT, blingT      tally
	auvoURL, omieURL, caURL, blURL string
}

func newAccount(b testing.TB, s scaledLimits, auvoIP *auvofake.IPBudget, omieIP *omiefake.IPBudget) *account {
	a := &account{
		auvo: auvofake.New(auvofake.WithIPBudget(auvoIP), auvofake.WithTokenLifetime(time.Hour)),
		omie: omiefake.New(omiefake.WithIPBudget(omieIP), omiefake.WithMisuseBlock(0, 0),
			omiefake.WithLimits(omiefake.Limits{Window: s.omiePer, Overall: 960, PerMethod: 240, Concurrency: 4})),
		ca:    contaazulfake.New(contaazulfake.WithLimits(s.caPerSecond, s.caPerMinute)),
		bling: blingfake.New(blingfake.WithLimits(3, s.blingPer)),
	}
	a.auvoURL = serve(b, &a.auvoT, a.auvo) + "/v2"
	a.omieURL = serve(b, &a.omieT, a.omie) + "/api/v1"
	a.caURL = serve(b, &a.caT, a.ca)
	a.blURL = serve(b, &a.blingT, a.bling)
	return a
}

func (a *account) conn(name string, flow syncrules.Flow) ConnConfig {
	cc := ConnConfig{Name: name, Flows: []syncrules.Flow{flow},
		Auvo: AuvoConfig{BaseURL: a.auvoURL, APIKey: auvofake.DefaultAPIKey, APIToken: auvofake.DefaultAPIToken}}
	switch flow {
	case syncrules.AuvoToOmie, syncrules.OmieToAuvo:
		cc.Omie = &OmieConfig{BaseURL: a.omieURL, AppKey: omiefake.DefaultAppKey, AppSecret: omiefake.DefaultAppSecret}
	case syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo:
		cc.ContaAzul = &OAuthConfig{BaseURL: a.caURL, TokenURL: a.caURL + "/oauth2/token",
			ClientID: contaazulfake.DefaultClientID, ClientSecret: contaazulfake.DefaultClientSecret,
			RefreshToken: contaazulfake.DefaultRefreshToken}
	case syncrules.BlingToAuvo:
		cc.Bling = &OAuthConfig{BaseURL: a.blURL, TokenURL: a.blURL + "/oauth/token",
			ClientID: blingfake.DefaultClientID, ClientSecret: blingfake.DefaultClientSecret,
			RefreshToken: blingfake.DefaultRefreshToken}
	}
	return cc
}

// seed puts n new records on the flow's source side.
func (a *account) seed(flow syncrules.Flow, n, from int) {
	for i := from; i < from+n; i++ {
		doc, name := benchCPF(i), fmt.Sprintf("Cliente %05d", i)
		switch flow {
		case syncrules.AuvoToOmie, syncrules.AuvoToContaAzul:
			a.auvo.Seed(auvofake.Customer{Name: name, CpfCnpj: doc, Active: true,
				Address: "Avenida Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200"})
		case syncrules.OmieToAuvo:
			a.omie.Seed(omiefake.Cliente{RazaoSocial: name, NomeFantasia: name, CnpjCpf: doc,
				Endereco: "Rua das Laranjeiras", EnderecoNumero: "100", Bairro: "Laranjeiras",
				Cidade: "Rio de Janeiro", Estado: "RJ", CEP: "22240-003"})
		case syncrules.ContaAzulToAuvo:
			a.ca.Seed(contaazulfake.Person{Name: name, Document: doc, Active: true, Profiles: []string{"Cliente"},
				Addresses: []contaazulfake.Address{{Street: "Rua da Bahia", Number: "1200", District: "Centro",
					City: "Belo Horizonte", State: "MG", ZIP: "30160-011"}}})
		case syncrules.BlingToAuvo:
			a.bling.Seed(blingfake.Contact{Nome: name, NumeroDocumento: doc, Situacao: "A", Tipo: "F",
				Endereco: blingfake.Endereco{Geral: blingfake.EnderecoDados{
					Endereco: "Rua XV de Novembro", Numero: "700", Bairro: "Centro", Municipio: "Curitiba", UF: "PR", CEP: "80020-310"}}})
		}
	}
}

// refusals sums the limit refusals of the account's fakes.
func (a *account) refusals() int {
	return a.auvo.LimitRefusals() + a.omie.LimitRefusals() + a.ca.LimitRefusals() + a.bling.RateLimited()
}

// use is each limit's share used over the run: calls that reached it per
// second, against the limit's rate. The binding limit is the highest.
type use struct {
	name  string
	ratio float64
}

func (a *account) uses(s scaledLimits, flow syncrules.Flow) []use {
	perSecond := func(t *tally, calls int64) float64 {
		span := t.span().Seconds()
		if span <= 0 {
			return 0
		}
		return float64(calls) / span
	}
	out := []use{{"auvo per IP", perSecond(&a.auvoT, a.auvoT.n.Load()) / (400 / s.auvoPer.Seconds())}}
	switch flow {
	case syncrules.AuvoToOmie, syncrules.OmieToAuvo:
		out = append(out, use{"omie per IP", perSecond(&a.omieT, a.omieT.n.Load()) / (960 / s.omiePer.Seconds())})
		for _, m := range []string{"ListarClientes", "IncluirCliente", "ConsultarCliente", "UpsertCliente", "AlterarCliente"} {
			out = append(out, use{"omie " + m, perSecond(&a.omieT, int64(a.omie.Calls(m))) / (240 / s.omiePer.Seconds())})
		}
	case syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo:
		out = append(out, use{"contaazul per account", perSecond(&a.caT, a.caT.n.Load()) / float64(s.caPerSecond)})
	case syncrules.BlingToAuvo:
		out = append(out, use{"bling per account", perSecond(&a.blingT, a.blingT.n.Load()) / (3 / s.blingPer.Seconds())})
	}
	return out
}

func binding(uses []use) use {
	best := uses[0]
	for _, u := range uses[1:] {
		if u.ratio > best.ratio {
			best = u
		}
	}
	return best
}

// BenchmarkBudgetUseInABacklog (issue 15, 4a and 4c): one connection per
// flow with a backlog of new records; it reports the share of the binding
// limit used during the run (calls per second reaching the fake against the
// scaled limit) and the refusals for a limit, which must be zero.
func BenchmarkBudgetUseInABacklog(b *testing.B) {
	s := newScaledLimits()
	for _, flow := range syncrules.AllFlows() {
		b.Run(string(flow), func(b *testing.B) {
			n := benchEnv("AUVOSYNC_BENCH_N", 1000)
			if flow == syncrules.BlingToAuvo {
				n = max(n/5, 1)
			}
			for range b.N {
				b.StopTimer()
				budgets := s.budgets(b)
				acc := newAccount(b, s, auvofake.NewIPBudget(400, s.auvoPer, nil),
					omiefake.NewIPBudget(960, s.omiePer, nil))
				acc.seed(flow, n, 0)
				cfg := &Config{State: filepath.Join(b.TempDir(), "state.db"), Connections: []ConnConfig{acc.conn("acme", flow)}}
				r, err := New(cfg, WithBudgets(budgets))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				// Cycles follow each other at once until the backlog is in: a
				// run that stops at its time box (R-SCHED-3) resumes in the next.
				for created := 0; created < n; {
					c := r.RunOnce(b.Context())
					if !c.OK() || len(c.Summaries) != 1 || c.Summaries[0].Counts[syncrules.Created] == 0 {
						b.Fatalf("cycle after %d created: %+v %+v", created, c.Problems, c.Summaries)
					}
					created += c.Summaries[0].Counts[syncrules.Created]
				}
				b.StopTimer()
				top := binding(acc.uses(s, flow))
				refused := acc.refusals()
				for _, bu := range budgets.all() {
					refused += int(bu.Refusals())
				}
				b.ReportMetric(top.ratio, "use-of-binding-limit")
				b.ReportMetric(float64(refused), "refusals")
				b.Logf("%s: %d created, binding limit %s used at %.3f, %d refusals for a limit", flow, n, top.name, top.ratio, refused)
				_ = r.Close()
			}
		})
	}
}

// BenchmarkIdleConnectionsBesideABacklog (issue 15, 4d and 4c): idle
// connections (Auvo → Omie, nothing new) and one connection draining a
// backlog (Omie → Auvo) share one Auvo budget, with one Auvo account per
// connection behind one per-IP limit. Slots are 10 minutes scaled; in every
// slot each idle connection runs once and must finish inside the slot while
// the backlog drains at the budget left over.
func BenchmarkIdleConnectionsBesideABacklog(b *testing.B) {
	s := newScaledLimits()
	backlog := benchEnv("AUVOSYNC_BENCH_BACKLOG", 20000)
	idle := benchEnv("AUVOSYNC_BENCH_IDLE", 50)
	slot := 10 * time.Minute / benchScale()
	for range b.N {
		b.StopTimer()
		budgets := s.budgets(b)
		auvoIP := auvofake.NewIPBudget(400, s.auvoPer, nil)
		omieIP := omiefake.NewIPBudget(960, s.omiePer, nil)
		var accounts []*account
		cfg := &Config{State: filepath.Join(b.TempDir(), "state.db")}
		for i := range idle + 1 {
			acc := newAccount(b, s, auvoIP, omieIP)
			accounts = append(accounts, acc)
			if i == 0 {
				acc.seed(syncrules.OmieToAuvo, backlog, 0)
				cfg.Connections = append(cfg.Connections, acc.conn("backlog", syncrules.OmieToAuvo))
				continue
			}
			acc.seed(syncrules.AuvoToOmie, 1, i) // one customer, linked by the first run; then nothing changes
			cfg.Connections = append(cfg.Connections, acc.conn(fmt.Sprintf("idle%02d", i), syncrules.AuvoToOmie))
		}
		r, err := New(cfg, WithBudgets(budgets))
		if err != nil {
			b.Fatal(err)
		}
		conns := r.Connections()
		b.StartTimer()
		start := time.Now()
		done := make(chan error, 1)
		go func() {
			// A run that stops at its time box (R-SCHED-3) resumes in the
			// next one, at once here: the backlog drains as fast as the
			// budget lets it.
			created := 0
			for created < backlog {
				sums, err := conns[0].Run(b.Context())
				if err != nil || len(sums) != 1 || sums[0].Counts[syncrules.Created] == 0 {
					done <- fmt.Errorf("backlog run after %d created: %v %+v", created, err, sums)
					return
				}
				created += sums[0].Counts[syncrules.Created]
			}
			done <- nil
		}()
		var slots, late int
		var slowest time.Duration
		var idleCalls int64
	slotsLoop:
		for {
			slotStart := time.Now()
			var wg sync.WaitGroup
			var mu sync.Mutex
			for _, c := range conns[1:] {
				wg.Go(func() {
					t0 := time.Now()
					_, err := c.Run(b.Context())
					d := time.Since(t0)
					mu.Lock()
					defer mu.Unlock()
					if err != nil || d > slot {
						late++
					}
					slowest = max(slowest, d)
				})
			}
			wg.Wait()
			slots++
			select {
			case err := <-done:
				if err != nil {
					b.Fatal(err)
				}
				break slotsLoop
			case <-time.After(time.Until(slotStart.Add(slot))):
			}
		}
		drained := time.Since(start)
		b.StopTimer()
		for _, acc := range accounts[1:] {
			idleCalls += acc.auvoT.n.Load()
		}
		backlogAuvo := accounts[0].auvoT.n.Load()
		refused := auvoIP.Refused() + omieIP.Refused()
		for _, acc := range accounts {
			refused += acc.refusals()
		}
		for _, bu := range budgets.all() {
			refused += int(bu.Refusals())
		}
		limitRate := 400 / s.auvoPer.Seconds()
		leftOver := limitRate - float64(idleCalls)/drained.Seconds()
		drainUse := float64(backlogAuvo) / drained.Seconds() / leftOver
		b.ReportMetric(float64(late), "late-idle-runs")
		b.ReportMetric(slowest.Seconds()/slot.Seconds(), "slowest-idle-run/slot")
		b.ReportMetric(drainUse, "backlog-use-of-left-over")
		b.ReportMetric(float64(refused), "refusals")
		b.Logf("%d idle connections, backlog of %d: %d slots of %s, %d idle runs late, slowest idle run %s; backlog drained in %s "+
			"with %d Auvo calls (%.0f/s) beside %d idle Auvo calls: %.3f of the Auvo budget left over; %d refusals for a limit",
			idle, backlog, slots, slot, late, slowest.Round(time.Millisecond), drained.Round(time.Millisecond),
			backlogAuvo, float64(backlogAuvo)/drained.Seconds(), idleCalls, drainUse, refused)
		_ = r.Close()
	}
}
