// Package cli is the runner's command line: the sync on the fixed
// 10-minute schedule (with its demo when no -config is given), the analyst
// commands locks, release, explain, runs, backup and reauthorize, and
// "runner console" (CONTRACTS.md §3 and §5). examples/runner is a main
// over it; a program of one's own mounts the same commands, flags,
// messages and exit status with one call:
//
//	// mytool sync [runner's flags and commands]
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
//	code := cli.Main(ctx, os.Args[2:], os.Stdin, os.Stdout, os.Stderr,
//		cli.WithInvocation("mytool sync")) // how the commands it prints start
//	stop()
//	os.Exit(code)
//
// Cancelling ctx is the command's signal: the record in hand is finished,
// the runs are checkpointed and the exit status is 0. It links the demo's
// fakes (runner/demo), since the command without -config is the demo; a
// service that only runs the sync uses package runner.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/runner/demo"
)

// Main runs the command line args (without the program name) and returns
// its exit status: 0 when every configured flow completed its cycle (or ctx
// was cancelled), 1 when some flow could not run, 2 on bad usage or an
// invalid config file. ${VAR} in the config come from the environment.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, clock: runner.SystemClock()}
	for _, o := range opts {
		o(e)
	}
	return run(ctx, args, e)
}

// Option changes how Main runs.
type Option func(*env)

// WithInvocation sets how a user starts these commands from a shell, the
// first words of the command lines they print to be pasted (the release
// command under each record of "locks"), quoted for the shell. The default
// is the program's path, os.Args[0].
func WithInvocation(words string) Option { return func(e *env) { e.invocation = words } }

// env is the command's outside world, replaceable in tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	clock          runner.Clock
	invocation     string
	// onDemo, when set, sees the demo's fakes once they are seeded (tests).
	onDemo func(*demo.Demo)
	// onMetrics, when set, gets the metrics server's address (tests).
	onMetrics func(addr string)
	// onConsole, when set, gets the console's address (tests).
	onConsole func(addr string)
	// doctorOpts are given to runner.Doctor (tests: no budgets' waits).
	doctorOpts []runner.Option
}

const usageText = `usage:
  runner [-once] [-dry-run] [-report FILE] [-log-format text|json] [-log-level LEVEL] [-metrics ADDR]
         (no -config: the demo, four fake APIs in-process, seeded with demo customers)
  runner -config sync.yaml [-once] [-dry-run] [-report FILE] [...]
  runner locks|release|explain|runs|backup|reauthorize [flags]   (analyst commands, below)
  runner console -config sync.yaml [-addr ADDR]   (the analyst console on its own)
  runner migrate-state -from FILE -to postgres://...   (move a state to PostgreSQL)
  runner doctor -config sync.yaml [-connection NAME] [-json] [-calls N]   (preflight, writes nothing)

Every configured flow runs at start and then every 10 minutes (fixed, R-SCHED-1) until
SIGINT/SIGTERM, which finish the record in hand, checkpoint and exit 0.
Exit status: 0 every configured flow completed its cycle; 1 some flow could not run;
2 bad usage or invalid config.

Flags:
`

type options struct {
	config, report, logFormat, logLevel, metricsAddr, consoleAddr string
	once, dryRun, logLevelSet                                     bool
}

func run(ctx context.Context, args []string, e *env) int {
	if len(args) > 0 && args[0] == "console" {
		return cmdConsole(ctx, args[1:], e)
	}
	if len(args) > 0 && args[0] == "migrate-state" {
		return cmdMigrateState(ctx, args[1:], e)
	}
	if len(args) > 0 && args[0] == "doctor" {
		return cmdDoctor(ctx, args[1:], e)
	}
	if len(args) > 0 {
		if cmd, ok := analystCommands[args[0]]; ok {
			return cmd(ctx, args[1:], e)
		}
	}
	var o options
	fs := flag.NewFlagSet("runner", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&o.config, "config", "", "YAML config file (default: the demo on in-process fakes)")
	fs.BoolVar(&o.once, "once", false, "run one cycle of every configured flow, then exit")
	fs.BoolVar(&o.dryRun, "dry-run", false, "read and decide everything, write nothing to any API or the ledger; report what would be done")
	fs.StringVar(&o.report, "report", "", "append one JSON line per record looked at to `FILE`")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error (the demo defaults to error)")
	fs.StringVar(&o.metricsAddr, "metrics", "", "serve Prometheus metrics at http://`ADDR`/metrics (e.g. :9090)")
	fs.StringVar(&o.consoleAddr, "console", "", "serve the analyst console at http://`ADDR`/ while running (e.g. 127.0.0.1:8080)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, usageText)
		fs.PrintDefaults()
		fmt.Fprint(e.stderr, "\n"+analystUsage)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "runner: unexpected argument %q (commands: locks, release, explain, runs, backup, reauthorize, console, doctor, migrate-state)\n", fs.Arg(0))
		return 2
	}
	fs.Visit(func(f *flag.Flag) { o.logLevelSet = o.logLevelSet || f.Name == "log-level" })
	return runSync(ctx, o, e)
}

func runSync(ctx context.Context, o options, e *env) int {
	level := o.logLevel
	if o.config == "" && !o.logLevelSet {
		// The summary shows every outcome; retries and the vendors'
		// expected end-of-list answers would only clutter the terminal.
		level = "error"
	}
	logger, err := runner.NewLogger(e.stderr, o.logFormat, level)
	if err != nil {
		fmt.Fprintln(e.stderr, "runner:", err)
		return 2
	}

	var cfg *runner.Config
	var dm *demo.Demo
	if o.config == "" {
		if dm, err = demo.Start(ctx); err != nil {
			fmt.Fprintln(e.stderr, "runner: starting the demo:", err)
			return 1
		}
		defer dm.Close()
		cfg = dm.Config
		if e.onDemo != nil {
			e.onDemo(dm)
		}
		dm.PrintIntro(e.stdout, o.once)
	} else if cfg, err = runner.LoadConfig(o.config, runner.WithEnv(e.getenv)); err != nil {
		return failure(e, "runner", err)
	}
	if o.consoleAddr != "" {
		if err := runner.CheckConsoleAddr(o.consoleAddr, cfg.Console); err != nil {
			return failure(e, "runner", err)
		}
	}

	opts := []runner.Option{runner.WithLogger(logger), runner.WithClock(e.clock), runner.WithDryRun(o.dryRun),
		runner.WithOnCycle(func(c runner.Cycle) {
			printCycle(e.stdout, c, o.dryRun)
			if !o.once && ctx.Err() == nil {
				fmt.Fprintf(e.stdout, "Next cycle at %s (every %s; Ctrl-C to stop).\n\n",
					c.Started.Add(runner.Interval).Format("15:04:05"), runner.Interval)
			}
		})}
	if dm != nil {
		opts = append(opts, runner.WithRecords())
	}
	var report *flows.JSONLines
	if o.report != "" {
		f, err := os.OpenFile(o.report, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			fmt.Fprintf(e.stderr, "runner: -report: %v\n", runner.UnwrapPathError(err))
			return 2
		}
		defer f.Close()
		report = flows.NewJSONLines(f)
		opts = append(opts, runner.WithReport(report))
	}
	r, err := runner.New(cfg, opts...)
	if err != nil {
		return failure(e, "runner", err)
	}
	defer r.Close()

	if o.metricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", r.Metrics())
		addr, stop, err := runner.Serve(ctx, o.metricsAddr, mux, logger)
		if err != nil {
			fmt.Fprintf(e.stderr, "runner: -metrics %s: %v\n", o.metricsAddr, err)
			return 1
		}
		defer stop()
		logger.Info("serving metrics", "url", "http://"+addr+"/metrics")
		if e.onMetrics != nil {
			e.onMetrics(addr)
		}
	}
	if o.consoleAddr != "" {
		h, err := r.Console()
		if err != nil {
			fmt.Fprintln(e.stderr, "runner: -console:", err)
			return 1
		}
		stop, code := serveConsole(ctx, e, "runner: -console", o.consoleAddr, "", h, logger)
		if code != 0 {
			return code
		}
		defer stop()
	}

	var last runner.Cycle
	if o.once {
		last = r.RunOnce(ctx)
	} else if err := r.Run(ctx); err != nil && ctx.Err() == nil {
		// Runs until a signal; ending before one means it could not run
		// (with PostgreSQL: River could not start).
		fmt.Fprintln(e.stderr, "runner:", err)
		return 1
	}

	if report != nil {
		if err := report.Err(); err != nil {
			fmt.Fprintf(e.stderr, "runner: -report: %v\n", err)
			return 1
		}
	}
	if ctx.Err() != nil {
		// A signal: the record in hand was finished and checkpointed.
		logger.Info("stopped by signal")
		return 0
	}
	if !last.OK() {
		return 1
	}
	return 0
}

// failure prints err (each problem of a config error on its own line) and
// returns the exit status it calls for.
func failure(e *env, prefix string, err error) int {
	var ce *runner.ConfigError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			fmt.Fprintln(e.stderr, prefix+": config:", p)
		}
	} else {
		fmt.Fprintf(e.stderr, "%s: %v\n", prefix, err)
	}
	return runner.ExitCode(err)
}
