package runner

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/auvosync/auvosync/console"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/syncrules"
)

// The analyst console (CONTRACTS.md §5): served while the runner runs
// (Runner.Console), or on its own (NewConsole), which reads the state and
// never calls a vendor API.

// ConsoleConfig is the config's console block.
type ConsoleConfig struct {
	// Password, when set, is asked at sign-in; without it the console
	// serves loopback clients only.
	Password Secret
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
	return ConsoleConfig{Password: Secret(v.value("console", "console.password", fc.Password, true))}
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

// CheckConsoleAddr is the contract's config check: without a password only
// a loopback address may listen (a *ConfigError, exit 2).
func CheckConsoleAddr(addr string, cc ConsoleConfig) error {
	if err := console.CheckAddr(addr, cc.Password != ""); err != nil {
		return &ConfigError{Problems: []string{err.Error()}}
	}
	return nil
}

func consoleConnections(cfg *Config) []console.Connection {
	conns := make([]console.Connection, 0, len(cfg.Connections))
	for _, c := range cfg.Connections {
		conns = append(conns, console.Connection{Name: c.Name, Flows: c.Flows})
	}
	return conns
}

// NewConsole is the analyst console over st for cfg's connections, with
// cfg's password. It reads the state only and never calls a vendor API
// ("runner console").
func NewConsole(cfg *Config, st console.Store, log *slog.Logger) (http.Handler, error) {
	return newConsole(cfg, st, nil, log)
}

// Console is the analyst console of a running Runner: NewConsole's, plus
// each flow's progress and each connection's API use as they happen.
func (r *Runner) Console() (http.Handler, error) {
	st, ok := r.store.(console.Store)
	if !ok {
		return nil, errors.New("this state store does not serve the console's queries")
	}
	return newConsole(r.cfg, st, r.live, r.set.logger)
}

func newConsole(cfg *Config, st console.Store, live console.Live, log *slog.Logger) (http.Handler, error) {
	opts := []console.Option{console.WithInterval(Interval)}
	if log != nil {
		opts = append(opts, console.WithLogger(log))
	}
	if cfg.Console.Password != "" {
		opts = append(opts, console.WithPassword(string(cfg.Console.Password)))
	}
	if live != nil {
		opts = append(opts, console.WithLive(live))
	}
	return console.New(st, consoleConnections(cfg), opts...)
}

// consoleLive is what the running runner tells the console beyond the
// ledger: each flow's latest progress and each connection's API use.
type consoleLive struct {
	mu       sync.Mutex
	progress map[FlowKey]console.Progress
	conns    []*Connection
	now      func() time.Time
}

func newConsoleLive(now func() time.Time) *consoleLive {
	return &consoleLive{progress: map[FlowKey]console.Progress{}, now: now}
}

// observe returns a progress callback that remembers each report and then
// hands it to next.
func (l *consoleLive) observe(next func(flows.Progress)) func(flows.Progress) {
	return func(p flows.Progress) {
		l.mu.Lock()
		l.progress[FlowKey{p.Connection, p.Flow}] = console.Progress{Page: p.Page, Done: p.Done, Total: p.Total, At: l.now()}
		l.mu.Unlock()
		next(p)
	}
}

func (l *consoleLive) setConnections(conns []*Connection) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.conns = conns
}

func (l *consoleLive) Progress(conn string, flow syncrules.Flow) (console.Progress, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.progress[FlowKey{conn, flow}]
	return p, ok
}

func (l *consoleLive) Budget(conn string) (console.Budget, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		if c.cfg.Name == conn && c.observer != nil {
			o := c.observer
			return console.Budget{APICalls: o.requests.Load(), RateLimitWaits: o.waits.Load(),
				Waited: time.Duration(o.waitNanos.Load())}, true
		}
	}
	return console.Budget{}, false
}

// LoadConsoleConfig reads what the console needs of a config file (state,
// connection names and flows, the console block) with the same checks as
// LoadConfig, but without asking for the vendors' credentials.
func LoadConsoleConfig(path string, opts ...ConfigOption) (*Config, error) {
	data, err := readConfigFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	v := &validator{env: newConfigReader(opts).getenv}
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
