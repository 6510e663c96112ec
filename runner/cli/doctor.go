package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/auvosync/auvosync/runner"
)

const doctorUsage = `usage: runner doctor -config sync.yaml [-connection NAME] [-json] [-calls N]
Checks each connection against the live APIs without writing to any of them: credentials,
what the integration assumes about each API (each probe named, with its evidence) and what
the first sync would do (a dry run within -calls calls per connection). A rotated refresh
token is saved to the state, as in a sync.
Exit status: 0 every check passed (warnings allowed); 1 a check failed; 2 bad usage.

Flags:
`

func cmdDoctor(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("runner doctor", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	config := fs.String("config", "", "YAML config file (required)")
	conn := fs.String("connection", "", "check only this connection")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	calls := fs.Int("calls", 200, "API calls each connection's first-sync dry run may make")
	fs.Usage = func() { fmt.Fprint(e.stderr, doctorUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(e.stderr, "runner doctor: unexpected argument %q\n", fs.Arg(0))
		return 2
	case *config == "":
		fmt.Fprintln(e.stderr, "runner doctor: -config is required")
		return 2
	case *calls < 1:
		fmt.Fprintln(e.stderr, "runner doctor: -calls must be at least 1")
		return 2
	}
	cfg, err := runner.LoadConfig(*config, runner.WithEnv(e.getenv))
	if err != nil {
		return failure(e, "runner doctor", err)
	}
	d, err := runner.Doctor(ctx, cfg, runner.DoctorOptions{Connection: *conn, Calls: *calls}, e.doctorOpts...)
	if err != nil {
		return failure(e, "runner doctor", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			fmt.Fprintln(e.stderr, "runner doctor:", err)
			return 1
		}
	} else {
		printDiagnosis(e.stdout, d)
	}
	if !d.OK() {
		return 1
	}
	return 0
}

func printDiagnosis(w io.Writer, d runner.Diagnosis) {
	for _, c := range d.Connections {
		fmt.Fprintf(w, "Connection %s (%d calls)\n", c.Connection, c.Calls)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  CHECK\tRESULT\tEVIDENCE")
		var sets []string
		for _, ch := range c.Checks {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", ch.Name, ch.Status, ch.Evidence)
			if ch.Set != "" {
				sets = append(sets, ch.Set)
			}
		}
		_ = tw.Flush()
		if len(c.Forecast) > 0 {
			fmt.Fprintln(w, "  First sync (dry run):")
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  FLOW\tSEEN\tCREATE\tLINK\tUPDATE\tUNCHANGED\tSKIP\tFAIL\tWHY\tBACKLOG\tCALLS\tTIME\tBINDING LIMIT")
			for _, f := range c.Forecast {
				seen := fmt.Sprint(f.Seen)
				if !f.Complete {
					seen += "+"
				}
				backlog := "?"
				if f.Backlog >= 0 {
					backlog = fmt.Sprint(f.Backlog)
				}
				fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%d\t%s\t%s\n", f.Flow, seen,
					f.Outcomes["created"], f.Outcomes["linked"], f.Outcomes["updated"], f.Outcomes["unchanged"],
					f.Outcomes["skipped"], f.Outcomes["failed"], counts(f.Why), backlog, f.Calls, f.Time, f.BindingLimit)
			}
			_ = tw.Flush()
		}
		if a := c.Address; a != nil && a.Lines > 0 {
			fmt.Fprintf(w, "  Address fit for %s: %d of %d lines (%.0f%%)", a.Target, a.Fit, a.Lines, 100*float64(a.Fit)/float64(a.Lines))
			if len(a.Reasons) > 0 {
				fmt.Fprintf(w, "; not fitting: %s", counts(a.Reasons))
			}
			fmt.Fprintln(w)
		}
		for _, side := range slices.Sorted(maps.Keys(c.Duplicates)) {
			fmt.Fprintf(w, "  Documents on more than one %s record: %d (%s)\n", side, len(c.Duplicates[side]), strings.Join(c.Duplicates[side], ", "))
		}
		if len(sets) > 0 {
			fmt.Fprintf(w, "  Set in this connection's config block: %s\n", strings.Join(sets, "; "))
		}
		fmt.Fprintln(w)
	}
	if d.OK() {
		fmt.Fprintln(w, "Every check passed.")
	} else {
		fmt.Fprintln(w, "Some checks failed.")
	}
}

// counts prints a tally, commonest first.
func counts(m map[string]int) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}
