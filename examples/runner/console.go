package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/auvosync/auvosync/console"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// The analyst console (CONTRACTS.md §5): served by the runner with
// -console ADDR, or on its own with "runner console", which reads the state
// and never calls a vendor API.

const defaultConsoleAddr = "127.0.0.1:8080"

// ConsoleConfig is the config's console block.
type ConsoleConfig struct {
	// Password, when set, is asked at sign-in; without it the console
	// serves loopback clients only.
	Password secret
}

type fileConsole struct {
	Password string `yaml:"password"`
}

// console reads the console block: when present it must give a password
// (an unset ${VAR} is a mistake, not a wish to run without one).
func (v *validator) console(fc *fileConsole) ConsoleConfig {
	if fc == nil {
		return ConsoleConfig{}
	}
	return ConsoleConfig{Password: secret(v.value("console", "console.password", fc.Password, true))}
}

func unknownConsoleKeys(val *yaml.Node) []string {
	if val.Kind != yaml.MappingNode {
		return []string{"console: want a mapping such as {password: ${CONSOLE_PASSWORD}}"}
	}
	var problems []string
	for k := 0; k+1 < len(val.Content); k += 2 {
		if key := val.Content[k].Value; !slices.Contains(knownKeys["console"], key) {
			problems = append(problems, fmt.Sprintf("console: unknown key \"console.%s\" (want password)", key))
		}
	}
	return problems
}

// checkConsoleAddr is the contract's config check: without a password only
// a loopback address may listen (exit 2).
func checkConsoleAddr(e *env, addr string, cc ConsoleConfig) int {
	if err := console.CheckAddr(addr, cc.Password != ""); err != nil {
		fmt.Fprintln(e.stderr, "runner: config:", err)
		return 2
	}
	return 0
}

func consoleConnections(cfg *Config) []console.Connection {
	conns := make([]console.Connection, 0, len(cfg.Connections))
	for _, c := range cfg.Connections {
		conns = append(conns, console.Connection{Name: c.Name, Flows: c.Flows})
	}
	return conns
}

// serveConsole listens on addr and serves the console until ctx is done.
// It returns once listening, with the address actually bound.
func serveConsole(ctx context.Context, addr string, st console.Store, conns []console.Connection, cc ConsoleConfig,
	live console.Live, log *slog.Logger) (string, func(), error) {
	opts := []console.Option{console.WithLogger(log), console.WithInterval(Interval)}
	if cc.Password != "" {
		opts = append(opts, console.WithPassword(string(cc.Password)))
	}
	if live != nil {
		opts = append(opts, console.WithLive(live))
	}
	h, err := console.New(st, conns, opts...)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("console server stopped", "error", err)
		}
	}()
	stop := func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
		<-done
	}
	return ln.Addr().String(), stop, nil
}

// startConsole serves the console while the runner runs (-console ADDR).
// stop is nil when there is nothing to stop; code is non-zero on failure.
func startConsole(ctx context.Context, addr string, cfg *Config, st ledger.Store, live *consoleLive, log *slog.Logger, e *env) (stop func(), code int) {
	reports, ok := st.(console.Store)
	if !ok {
		fmt.Fprintln(e.stderr, "runner: -console: this state store does not serve the console's queries")
		return nil, 1
	}
	bound, stop, err := serveConsole(ctx, addr, reports, consoleConnections(cfg), cfg.Console, live, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "runner: -console %s: %v\n", addr, err)
		return nil, 1
	}
	log.Info("serving the analyst console", "url", "http://"+bound+"/")
	fmt.Fprintf(e.stdout, "Analyst console at http://%s/\n", bound)
	if e.onConsole != nil {
		e.onConsole(bound)
	}
	return stop, 0
}

// consoleLive is what the running runner tells the console beyond the
// ledger: each flow's latest progress and each connection's API use.
type consoleLive struct {
	mu       sync.Mutex
	progress map[flowKey]console.Progress
	conns    []*connRuntime
	now      func() time.Time
}

func newConsoleLive(now func() time.Time) *consoleLive {
	return &consoleLive{progress: map[flowKey]console.Progress{}, now: now}
}

// observe returns a progress callback that remembers each report and then
// hands it to next.
func (l *consoleLive) observe(next func(flows.Progress)) func(flows.Progress) {
	return func(p flows.Progress) {
		l.mu.Lock()
		l.progress[flowKey{p.Connection, p.Flow}] = console.Progress{Page: p.Page, Done: p.Done, Total: p.Total, At: l.now()}
		l.mu.Unlock()
		next(p)
	}
}

func (l *consoleLive) setConnections(conns []*connRuntime) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.conns = conns
}

func (l *consoleLive) Progress(conn string, flow syncrules.Flow) (console.Progress, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.progress[flowKey{conn, flow}]
	return p, ok
}

func (l *consoleLive) Budget(conn string) (console.Budget, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, rt := range l.conns {
		if rt.cfg.Name == conn && rt.observer != nil {
			o := rt.observer
			return console.Budget{APICalls: o.requests.Load(), RateLimitWaits: o.waits.Load(),
				Waited: time.Duration(o.waitNanos.Load())}, true
		}
	}
	return console.Budget{}, false
}

const consoleUsage = `usage: runner console -config sync.yaml [-addr ADDR]
  serve the analyst console on its own (default ADDR ` + defaultConsoleAddr + `): it reads the state
  file and never calls a vendor API; console.password in the config, or loopback only
`

// cmdConsole is "runner console": it needs the config's connections and
// console block, not the vendors' credentials.
func cmdConsole(ctx context.Context, args []string, e *env) int {
	fs := newAnalystFlags("console", e)
	fs.Usage = func() { fmt.Fprint(e.stderr, consoleUsage) }
	configPath := fs.String("config", "", "config file (required): its state, connections and console block")
	addr := fs.String("addr", defaultConsoleAddr, "listen address")
	logFormat := fs.String("log-format", "text", "log format on stderr: text or json")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	if *configPath == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	cfg, err := loadConsoleConfig(*configPath, e.getenv)
	if err != nil {
		return configFailure(e, err)
	}
	if code := checkConsoleAddr(e, *addr, cfg.Console); code != 0 {
		return code
	}
	logger, err := newLogger(e.stderr, *logFormat, "info")
	if err != nil {
		fmt.Fprintln(e.stderr, "runner:", err)
		return 2
	}
	sf := stateFlags{state: cfg.State}
	st, code := sf.open(ctx, e)
	if st == nil {
		return code
	}
	defer st.Close()
	bound, stop, err := serveConsole(ctx, *addr, st, consoleConnections(cfg), cfg.Console, nil, logger)
	if err != nil {
		fmt.Fprintf(e.stderr, "runner console: %s: %v\n", *addr, err)
		return 1
	}
	defer stop()
	fmt.Fprintf(e.stdout, "Analyst console at http://%s/ (Ctrl-C to stop).\n", bound)
	if e.onConsole != nil {
		e.onConsole(bound)
	}
	<-ctx.Done()
	return 0
}

// loadConsoleConfig reads what the console needs of a config file (state,
// connection names and flows, the console block) with the same checks as
// the runner, but without asking for the vendors' credentials.
func loadConsoleConfig(path string, env func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Problems: []string{fmt.Sprintf("reading %s: %v", path, unwrapPathError(err))}}
	}
	fc, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	v := &validator{env: env}
	cfg := &Config{State: v.value("state", "state", fc.State, false), Console: v.console(fc.Console)}
	if cfg.State == "" {
		cfg.State = defaultState
	}
	names := map[string]bool{}
	for i, fcn := range fc.Connections {
		label := fmt.Sprintf("connection #%d", i+1)
		cc := ConnConfig{Name: v.value(label, "name", fcn.Name, true)}
		if names[cc.Name] {
			v.addf("connection %q: name is used by another connection", cc.Name)
		}
		names[cc.Name] = true
		for _, raw := range fcn.Flows {
			f, err := syncrules.ParseFlow(v.value(label, "flows", raw, false))
			if err != nil {
				v.addf("%s: flows: unknown flow %q; want one of %s", label, raw, flowNames())
				continue
			}
			if !slices.Contains(cc.Flows, f) {
				cc.Flows = append(cc.Flows, f)
			}
		}
		cfg.Connections = append(cfg.Connections, cc)
	}
	if len(v.problems) > 0 {
		return nil, &ConfigError{Problems: v.problems}
	}
	return cfg, nil
}
