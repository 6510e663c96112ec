package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/auvosync/auvosync/runner"
)

// The analyst console (CONTRACTS.md §5): served by the runner with
// -console ADDR, or on its own with "runner console", which reads the state
// and never calls a vendor API.

const defaultConsoleAddr = "127.0.0.1:8080"

const consoleUsage = `usage: runner console -config sync.yaml [-addr ADDR]
  serve the analyst console on its own (default ADDR ` + defaultConsoleAddr + `): it reads the state
  file and never calls a vendor API; console.password in the config, or loopback only
`

// serveConsole serves h on addr and says where (what: how to name the
// address in an error); code is non-zero on failure.
func serveConsole(ctx context.Context, e *env, what, addr, note string, h http.Handler, log *slog.Logger) (stop func(), code int) {
	bound, stop, err := runner.Serve(ctx, addr, h, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s %s: %v\n", what, addr, err)
		return nil, 1
	}
	log.Info("serving the analyst console", "url", "http://"+bound+"/")
	fmt.Fprintf(e.stdout, "Analyst console at http://%s/%s\n", bound, note)
	if e.onConsole != nil {
		e.onConsole(bound)
	}
	return stop, 0
}

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
	cfg, err := runner.LoadConsoleConfig(*configPath, runner.WithEnv(e.getenv))
	if err == nil {
		err = runner.CheckConsoleAddr(*addr, cfg.Console)
	}
	if err != nil {
		return failure(e, "runner", err)
	}
	logger, err := runner.NewLogger(e.stderr, *logFormat, "info")
	if err != nil {
		fmt.Fprintln(e.stderr, "runner:", err)
		return 2
	}
	st, err := runner.OpenExistingState(ctx, cfg.State)
	if err != nil {
		return failure(e, "runner", err)
	}
	defer st.Close()
	h, err := runner.NewConsole(cfg, st, logger)
	if err != nil {
		return failure(e, "runner console", err)
	}
	stop, code := serveConsole(ctx, e, "runner console:", *addr, " (Ctrl-C to stop).", h, logger)
	if code != 0 {
		return code
	}
	defer stop()
	<-ctx.Done()
	return 0
}
