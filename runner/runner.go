package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// Runner is a configuration put together: the state, one client per vendor
// per connection, the connections, the report sink and the metrics. Make one
// with New, run it with Run (the fixed schedule) or RunOnce, or take its
// Connections to run them on a scheduler of one's own. Close it when done.
type Runner struct {
	cfg        *Config
	set        settings
	store      ledger.Store
	closeStore func() error // nil when the store is the caller's (WithStore)
	metrics    *metrics
	fan        *fanout
	live       *consoleLive
	conns      []*Connection
	// replicas is set with a PostgreSQL state: River then schedules the
	// connections over every replica (replicas.go).
	replicas *replicas

	mu     sync.Mutex // cycles, and a cycle's bookkeeping (replicas end them concurrently)
	cycles int
}

// Option configures a Runner.
type Option func(*settings)

type settings struct {
	logger     *slog.Logger
	clock      Clock
	report     flows.Sink
	progress   func(flows.Progress)
	dryRun     bool
	httpClient *http.Client
	store      ledger.Store
	records    bool
	onCycle    func(Cycle)
	budgets    Budgets
	// slot is the replicas' slot length: Interval, shorter only in tests.
	slot time.Duration
}

// WithLogger sets the logger (default: discard). NewLogger makes one that
// redacts free text.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithClock replaces the real time of the schedule and the lease wait.
func WithClock(c Clock) Option { return func(s *settings) { s.clock = c } }

// WithReport sends every record's outcome to sink too (flows.NewJSONLines
// writes the -report file's lines). Free text is redacted before it gets
// there.
func WithReport(sink flows.Sink) Option { return func(s *settings) { s.report = sink } }

// WithProgress hears of every source page of every flow, beside the
// progress line the runner logs.
func WithProgress(f func(flows.Progress)) Option { return func(s *settings) { s.progress = f } }

// WithDryRun reads and decides everything and writes nothing, to any API or
// to the state.
func WithDryRun(dry bool) Option { return func(s *settings) { s.dryRun = dry } }

// WithHTTPClient gives every vendor client this HTTP client (a proxy, an
// egress policy, tests); by default each client has its own.
func WithHTTPClient(hc *http.Client) Option { return func(s *settings) { s.httpClient = hc } }

// WithBudgets makes every connection's clients draw from b (R-BUDGET-1)
// instead of the budgets New builds from the vendors' documented limits and
// the config's budget_share; a nil field keeps that vendor's default. Pass
// the same Budgets to every Runner of a process that goes out through one IP.
func WithBudgets(b Budgets) Option { return func(s *settings) { s.budgets = b } }

// WithStore uses st as the state instead of opening the config's state;
// Close leaves it open.
func WithStore(st ledger.Store) Option { return func(s *settings) { s.store = st } }

// WithRecords keeps each cycle's per-record reports in Cycle.Records (the
// demo prints them).
func WithRecords() Option { return func(s *settings) { s.records = true } }

// WithOnCycle calls f as each cycle ends, RunOnce's and Run's alike (the
// command prints its summary there).
func WithOnCycle(f func(Cycle)) Option { return func(s *settings) { s.onCycle = f } }

// New checks cfg (a Config built in Go gets the same checks and defaults as
// a file; errors are *ConfigError), opens its state and builds every
// connection's clients. A refresh token that is neither in the config nor
// in the state is a *ConfigError too.
func New(cfg *Config, opts ...Option) (*Runner, error) {
	if cfg == nil {
		return nil, &ConfigError{Problems: []string{"no configuration"}}
	}
	cfg, err := checkConfig(cfg)
	if err != nil {
		return nil, err
	}
	set := settings{clock: SystemClock(), logger: slog.New(slog.NewTextHandler(io.Discard, nil)), slot: Interval}
	for _, o := range opts {
		o(&set)
	}
	defaults, err := DefaultBudgets(cfg.BudgetShare)
	if err != nil {
		return nil, &ConfigError{Problems: []string{"budget_share: " + err.Error()}}
	}
	set.budgets = set.budgets.orDefault(defaults)
	r := &Runner{cfg: cfg, set: set, store: set.store, metrics: newMetrics()}
	r.metrics.countRefusals(set.budgets.all())
	if r.store == nil {
		if r.store, r.closeStore, err = openState(context.Background(), cfg.State); err != nil {
			return nil, err
		}
	}
	r.fan = newFanout(set.report, r.metrics, set.logger, set.records)
	r.live = newConsoleLive(set.clock.Now)
	progress := r.fan.Progress
	if set.progress != nil {
		progress = func(p flows.Progress) { r.fan.Progress(p); set.progress(p) }
	}
	progress = r.live.observe(progress)
	for _, cc := range cfg.Connections {
		c, err := r.build(context.Background(), cc, progress)
		if err != nil {
			_ = r.Close()
			return nil, err
		}
		r.fan.observe(cc.Name, c.observer)
		r.conns = append(r.conns, c)
	}
	r.live.setConnections(r.conns)
	// A dry run writes nothing anywhere, River's jobs included: it runs
	// here alone, as on one machine.
	if ledger.IsPostgresURL(cfg.State) && !set.dryRun {
		if r.replicas, err = openReplicas(context.Background(), r, cfg.State, set.slot); err != nil {
			_ = r.Close()
			return nil, err
		}
	}
	return r, nil
}

// Config is the checked configuration the runner runs, defaults filled in.
func (r *Runner) Config() *Config { return r.cfg }

// Store is the runner's state.
func (r *Runner) Store() ledger.Store { return r.store }

// Connections are the configured connections, in configuration order.
func (r *Runner) Connections() []*Connection { return slices.Clone(r.conns) }

// RunOnce runs one cycle: every connection concurrently, each one's flows
// in the fixed order under its lease, and returns when all have ended.
//
// With a PostgreSQL state it joins the replicas for the current slot
// instead (CONTRACTS.md §4): it runs the connections River gives it and
// returns once every connection's run of the slot has ended, on whichever
// replica ran it; the Cycle's Problems are then read from the runs table.
func (r *Runner) RunOnce(ctx context.Context) Cycle {
	if r.replicas != nil {
		c := r.replicas.once(ctx)
		r.mu.Lock()
		r.cycles++
		c.Number = r.cycles
		r.mu.Unlock()
		for _, p := range c.Problems {
			r.set.logger.Error("connection did not complete its slot", "connection", p.Connection, "flow", string(p.Flow), "error", p.Err.Error())
		}
		return c
	}
	return r.finishCycle(runCycle(ctx, r.conns, r.set.clock))
}

// finishCycle does a cycle's bookkeeping as it ends: its number, metrics,
// records, logs and WithOnCycle.
func (r *Runner) finishCycle(c Cycle) Cycle {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cycles++
	r.metrics.cycles.Inc()
	c.Number = r.cycles
	for _, s := range c.Summaries {
		r.metrics.summary(s)
		recs := r.fan.takeRecords(FlowKey{s.Connection, s.Flow})
		if r.set.records {
			if c.Records == nil {
				c.Records = map[FlowKey][]flows.Report{}
			}
			c.Records[FlowKey{s.Connection, s.Flow}] = recs
		}
	}
	for _, p := range c.Problems {
		r.set.logger.Error("connection did not run", "connection", p.Connection, "flow", string(p.Flow), "error", p.Err.Error())
	}
	if r.set.onCycle != nil {
		r.set.onCycle(c)
	}
	return c
}

// Run runs a cycle now and then every Interval, counted from the start of
// the previous one, until ctx is done; a cycle longer than the interval is
// never overlapped (R-SCHED-1, R-SCHED-2). WithOnCycle sees each cycle as
// it ends. When ctx ends (a signal) the record in hand finishes and is
// checkpointed, and Run returns ctx's error.
//
// With a PostgreSQL state the runner is one of the replicas instead: River
// gives each connection one run per 10-minute slot on one replica, and
// WithOnCycle sees each run this replica makes (a Cycle of one connection).
func (r *Runner) Run(ctx context.Context) error {
	if r.replicas != nil {
		return r.replicas.run(ctx)
	}
	schedule(ctx, r.set.clock, false, func(ctx context.Context) { r.RunOnce(ctx) })
	return ctx.Err()
}

// Metrics serves the runner's Prometheus series (a registry of its own, so
// an embedding program's global one is left alone).
func (r *Runner) Metrics() http.Handler { return r.metrics.handler() }

// Close closes the state the runner opened.
func (r *Runner) Close() error {
	if r.replicas != nil {
		r.replicas.close()
		r.replicas = nil
	}
	if r.closeStore == nil {
		return nil
	}
	err := r.closeStore()
	r.closeStore = nil
	return err
}

// Connection is one configured connection, built once: its clients (one per
// vendor, shared by its flows, so their rate limiters are shared) live as
// long as the Runner.
type Connection struct {
	cfg      ConnConfig
	conn     *flows.Connection
	observer *connObserver
	clock    Clock
	log      *slog.Logger
}

// Name is the connection's configured name.
func (c *Connection) Name() string { return c.cfg.Name }

// Flows are the connection's configured flows, in the order Run runs them.
func (c *Connection) Flows() []syncrules.Flow { return slices.Clone(c.cfg.Flows) }

// build makes the clients and the flows.Connection of one configuration.
// Errors are configuration errors (exit 2), except a state that cannot be
// read.
func (r *Runner) build(ctx context.Context, cc ConnConfig, progress func(flows.Progress)) (*Connection, error) {
	obs := &connObserver{metrics: r.metrics}
	env := clientEnv{logger: r.set.logger.With("connection", cc.Name), observer: obs,
		httpClient: r.set.httpClient, store: r.store, conn: cc.Name, budgets: r.set.budgets, clock: r.set.clock}
	bad := func(key string, err error) error {
		return &ConfigError{Problems: []string{fmt.Sprintf("connection %q: %s: %v", cc.Name, key, err)}}
	}
	ac, err := newAuvoClient(cc.Auvo, env)
	if err != nil {
		return nil, bad("auvo", err)
	}
	conn := &flows.Connection{
		Name:     cc.Name,
		Auvo:     flows.NewAuvo(ac, cc.Assume.auvo()...),
		Ledger:   r.store,
		Sink:     r.fan,
		Progress: progress,
		Logger:   r.set.logger,
		DryRun:   r.set.dryRun,
	}
	if o := cc.Omie; o != nil {
		oc, err := newOmieClient(*o, env)
		if err != nil {
			return nil, bad("omie", err)
		}
		conn.Omie = flows.NewOmie(oc, cc.Assume.omie()...)
	}
	if o := cc.ContaAzul; o != nil {
		if err := r.checkRefreshToken(ctx, cc.Name, "contaazul", o); err != nil {
			return nil, err
		}
		cac, err := newContaAzulClient(*o, env, cc.Assume)
		if err != nil {
			return nil, bad("contaazul", err)
		}
		conn.ContaAzul = flows.NewContaAzul(cac)
	}
	if o := cc.Bling; o != nil {
		if err := r.checkRefreshToken(ctx, cc.Name, "bling", o); err != nil {
			return nil, err
		}
		bc, err := newBlingClient(*o, env)
		if err != nil {
			return nil, bad("bling", err)
		}
		conn.Bling = flows.NewBling(bc)
	}
	if err := conn.Validate(cc.Flows); err != nil {
		return nil, &ConfigError{Problems: []string{err.Error()}}
	}
	return &Connection{cfg: cc, conn: conn, observer: obs, clock: r.set.clock, log: r.set.logger}, nil
}

func (a Assumptions) auvo() []flows.AdapterOption {
	if a.AuvoDateFilterAfter {
		return []flows.AdapterOption{flows.AuvoDateFilterAfter()}
	}
	return nil
}

func (a Assumptions) omie() []flows.AdapterOption {
	if a.OmieWindowBoth {
		return []flows.AdapterOption{flows.OmieWindowBoth()}
	}
	return nil
}

// checkRefreshToken: the file's refresh token only seeds the first
// authorisation; after that the rotated one in the state file is used. With
// neither, no call could ever succeed, so it is a configuration error.
func (r *Runner) checkRefreshToken(ctx context.Context, conn, vendor string, o *OAuthConfig) error {
	if o.RefreshToken != "" {
		return nil
	}
	_, ok, err := r.store.LoadToken(ctx, conn, vendor)
	if err != nil {
		return fmt.Errorf("reading the %s token of connection %q from the state file: %w", vendor, conn, err)
	}
	if !ok {
		return &ConfigError{Problems: []string{fmt.Sprintf(
			"connection %q: %s.refresh_token is missing and the state file holds no %s token yet", conn, vendor, vendor)}}
	}
	return nil
}

// ExitCode is the runner's exit status for an error from this package
// (CONTRACTS.md §3): 0 for nil, 2 for a *ConfigError or *UsageError (bad
// usage, an invalid config), 1 for anything else (something could not run).
func ExitCode(err error) int {
	var ce *ConfigError
	var ue *UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ce), errors.As(err, &ue):
		return 2
	}
	return 1
}
