package cli

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/auvosync/auvosync/runner"
)

const migrateUsage = `usage:
  runner migrate-state -from ./auvosync.db -to 'postgres://user:${PGPASSWORD}@host:5432/db?sslmode=require'
        copy a whole state (links with their history, locks, cursors, tokens,
        leases, intents, runs and outcomes, the document key) into a new one:
        an empty PostgreSQL database, or a SQLite file that does not exist.
        Stop every runner on -from first. ${VAR}s are expanded, so the
        password need not be on the command line. Prints the rows copied per
        table, checked against both states. Exit 0 copied, 1 failed, 2 bad
        usage or a target that is not empty
`

func cmdMigrateState(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("runner migrate-state", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, migrateUsage) }
	from := fs.String("from", "", "the state to copy: a SQLite file or a postgres:// URL")
	to := fs.String("to", "", "the new state: a postgres:// URL of an empty database, or a new SQLite file")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "runner migrate-state: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *from == "" || *to == "" {
		fmt.Fprint(e.stderr, "runner migrate-state: -from and -to are both required\n"+migrateUsage)
		return 2
	}
	counts, err := runner.MigrateState(ctx, *from, *to, e.getenv)
	if err != nil {
		return failure(e, "runner migrate-state", err)
	}
	tables := slices.Sorted(func(yield func(string) bool) {
		for t := range counts {
			if !yield(t) {
				return
			}
		}
	})
	parts := make([]string, 0, len(tables))
	for _, t := range tables {
		parts = append(parts, fmt.Sprintf("%s %d", t, counts[t]))
	}
	fmt.Fprintf(e.stdout, "State copied from %s to %s: %s.\n", runner.StateName(*from), runner.StateName(*to), strings.Join(parts, ", "))
	return 0
}
