// Package runner composes the sync: it loads and checks a configuration,
// builds the vendor clients and the flows of every connection from it, and
// runs them on the fixed 10-minute schedule, with a report, Prometheus
// metrics and the analyst console. Package runner/cli is the command line
// over it and examples/runner a main over that; a Go service embeds it the
// same way:
//
//	cfg, err := runner.LoadConfig("sync.yaml") // ${VAR} from the environment
//	if err != nil {
//		return err // a *runner.ConfigError names each connection and key at fault
//	}
//	r, err := runner.New(cfg, runner.WithLogger(logger))
//	if err != nil {
//		return err
//	}
//	defer r.Close()
//	http.Handle("/metrics", r.Metrics())
//	return r.Run(ctx) // a cycle now, then every 10 minutes, until ctx ends
//
// With a PostgreSQL state, Run and RunOnce share the connections with every
// other runner on that state instead (replicas.go).
//
// To run the connections on a scheduler or job queue of one's own, take
// them one by one; each Run is one run of the connection's flows under its
// lease, waiting while another process holds it:
//
//	for _, c := range r.Connections() {
//		queue.Every(10*time.Minute, c.Name(), func(ctx context.Context) error {
//			_, err := c.Run(ctx)
//			return err
//		})
//	}
//
// A Config may also be built in Go (see the examples); New gives it the
// same checks, messages and defaults as a file. The contract of the file
// and of the command is CONTRACTS.md §3 and §5.
//
// # What lives where
//
//   - config.go, validate.go: the YAML file, ${VAR}, every check (ConfigError).
//   - clients.go: the one place vendor clients are made, one function per
//     vendor (process-wide vendor budgets join there).
//   - state.go: the one place the state is opened from state: (a SQLite
//     file; a PostgreSQL URL is switched on there).
//   - runner.go, schedule.go: New, the connections, RunOnce, Run, the lease
//     wait (R-SCHED-1, R-SCHED-2).
//   - replicas.go: with a PostgreSQL state, Run and RunOnce make the runner
//     one of the replicas: River (riverqueue/river) runs one unique job per
//     connection per 10-minute wall-clock slot on whichever replica takes it
//     (CONTRACTS.md §4).
//   - sinks.go, metrics.go, logging.go: report, progress lines, Prometheus
//     series, a logger that redacts free text (R-REPORT-2).
//   - console.go, analyst.go: the analyst console and commands (locks,
//     release, explain, runs, backup, reauthorize), over the state only.
//
// Package runner/demo is the embedded demo: the four vendors' fakes seeded
// with customers. It is apart so that programs embedding runner do not link
// the fakes.
package runner
