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
// Every connection's clients draw from one budget per vendor, shared fairly
// by the connections (R-BUDGET-1); a process running several Runners behind
// one IP passes them the same Budgets with WithBudgets.
//
// A Config may also be built in Go (see the examples); New gives it the
// same checks, messages and defaults as a file. The contract of the file
// and of the command is CONTRACTS.md §3 and §5.
//
// # What lives where
//
//   - config.go, validate.go: the YAML file, ${VAR}, every check (ConfigError).
//   - clients.go: the one place vendor clients are made, one function per
//     vendor, each handed the process-wide budget of its vendor (Budgets,
//     DefaultBudgets, WithBudgets; budget_share scales the per-IP ones).
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
//   - doctor.go: Doctor, the preflight of "runner doctor" (CONTRACTS.md
//     §6): credentials, the state's schema, a named read-only probe of each
//     thing the integration assumes and the vendors do not document, and a
//     dry run of the first sync within a call budget, priced at the vendors'
//     limits. Where a probe finds an API behaving otherwise, the check names
//     the assume: key that gives the flows their safe answer (Assumptions,
//     passed to the adapters as flows.AdapterOption): auvo_date_filter:
//     after starts Auvo's changes listing a second earlier, omie_window:
//     both lists Omie's window for inclusions and alterations apart and
//     merges them, contaazul_dates: offset sends Conta Azul's date filters
//     with São Paulo's offset (contaazul.WithOffsetDates). Auvo ignoring cpfCnpj needs nothing (lookups drop
//     mismatches), nor does a smaller Auvo page (the client follows it).
//
// Package runner/demo is the embedded demo: the four vendors' fakes seeded
// with customers. It is apart so that programs embedding runner do not link
// the fakes.
package runner
