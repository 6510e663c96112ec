package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/syncrules"
)

// The analyst's commands (R-LOCK-3): they read and change the state file,
// never a vendor API.
var analystCommands = map[string]func(ctx context.Context, args []string, e *env) int{
	"locks":       cmdLocks,
	"release":     cmdRelease,
	"explain":     cmdExplain,
	"runs":        cmdRuns,
	"backup":      cmdBackup,
	"reauthorize": cmdReauthorize,
}

const analystUsage = `Analyst commands (they read or change the state file only). A connection
or partner they name must be in the config file (-config) or, with -state
only, have runs in the state file; if not, they exit 2:
  runner locks   [-state FILE | -config FILE] [-connection NAME]
        list locked records (R-LOCK-1) with their link history and, under each,
        the release command for it
  runner release [-state FILE | -config FILE] -connection NAME -partner omie|contaazul|bling
                 -auvo-id ID -who NAME -why TEXT
        release one locked record so the flows may integrate it again;
        who and why are recorded in its history (R-LOCK-3). Exit 0 released,
        1 linked but not locked (nothing changed), 2 no such connection,
        partner or link
  runner explain [-state FILE | -config FILE] [-connection NAME] [-limit N] SOURCE_ID
        every outcome recorded for a source record, newest first, and the
        history of each link that holds it (locks and releases included)
  runner runs    [-state FILE | -config FILE] [-connection NAME] [-limit N]
        the latest runs with their counts and errors
  runner backup  [-state FILE | -config FILE] -to FILE
        write a consistent copy of the state file while runners keep working
  runner reauthorize [-state FILE | -config FILE] -connection NAME -vendor contaazul|bling < token
        store a new first refresh token (read from stdin, never from the command line)
        after a re-authorisation; it replaces the rotated one in the state file
`

// analystCmd is one analyst command: its flags (the state flags every
// command shares, then its own) and its name for messages.
type analystCmd struct {
	name          string
	e             *env
	fs            *flag.FlagSet
	state, config string
}

func newAnalystCmd(name string, e *env) *analystCmd {
	c := &analystCmd{name: name, e: e, fs: newAnalystFlags(name, e)}
	c.fs.StringVar(&c.state, "state", "", "state file (default: the config's state, else "+runner.DefaultState+")")
	c.fs.StringVar(&c.config, "config", "", "config file whose state file to use")
	return c
}

// usage reports bad usage: exit 2.
func (c *analystCmd) usage(format string, args ...any) int {
	fmt.Fprintf(c.e.stderr, "runner %s: %s\n", c.name, fmt.Sprintf(format, args...))
	return 2
}

// run opens the state, checks the connection the command names (when not
// empty) and does the command; an error is printed and gives the exit
// status: 2 for a connection, partner or record that does not exist (or a
// bad config), 1 for a record not locked or anything that failed.
func (c *analystCmd) run(ctx context.Context, conn string, do func(*runner.Analyst) error) int {
	a, err := runner.OpenAnalyst(ctx, c.state, c.config, runner.WithEnv(c.e.getenv))
	if err == nil {
		defer a.Close()
		if err = a.CheckConnection(conn); err == nil {
			err = do(a)
		}
	}
	if err != nil {
		fmt.Fprintf(c.e.stderr, "runner %s: %v\n", c.name, err)
	}
	return runner.ExitCode(err)
}

func newAnalystFlags(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("runner "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, analystUsage) }
	return fs
}

// parseAnalyst parses flags; ok false means return code.
func parseAnalyst(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	return 0, true
}

func cmdLocks(ctx context.Context, args []string, e *env) int {
	c := newAnalystCmd("locks", e)
	conn := c.fs.String("connection", "", "only this connection")
	if code, ok := parseAnalyst(c.fs, args); !ok {
		return code
	}
	if c.fs.NArg() > 0 {
		return c.usage("unexpected argument %q", c.fs.Arg(0))
	}
	return c.run(ctx, *conn, func(a *runner.Analyst) error {
		locks, err := a.Locks(ctx, *conn)
		if err != nil {
			return err
		}
		if len(locks) == 0 {
			fmt.Fprintln(e.stdout, "No locked records.")
			return nil
		}
		fmt.Fprintf(e.stdout, "%d locked record(s). Release one with the command under it, once -why says why it may be integrated again.\n", len(locks))
		for _, l := range locks {
			fmt.Fprintf(e.stdout, "\n%s · %s  auvo %s ↔ %s %s  state %s since %s\n", l.Link.Conn, l.Link.Partner,
				l.Link.AuvoID, l.Link.Partner, l.Link.PartnerID, l.Link.State, stamp(l.Link.UpdatedAt))
			printHistory(e.stdout, l.History)
			fmt.Fprintf(e.stdout, "   release: %s\n", c.releaseHint(l.Link))
		}
		return nil
	})
}

// printHistory writes a link's events, oldest first.
func printHistory(w io.Writer, history []ledger.LinkEvent) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   when\tevent\tstate\tpartner id\tflow\twho\treason / evidence")
	for _, h := range history {
		fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\t%s\t%s\t%s\n", stamp(h.At), h.Kind, h.State, dash(h.PartnerID),
			dash(h.Flow), dash(h.Who), oneLine(syncrules.Redact(strings.TrimSpace(h.Reason+" "+h.Evidence))))
	}
	_ = tw.Flush()
}

// releaseHint is a release command line for l that works when pasted into a
// shell: the same state or config file the analyst gave, every value
// quoted, -who from the shell's $USER.
func (c *analystCmd) releaseHint(l ledger.Link) string {
	words := []string{c.e.invocationWords(), "release"}
	switch {
	case c.state != "":
		words = append(words, "-state", shellQuote(c.state))
	case c.config != "":
		words = append(words, "-config", shellQuote(c.config))
	}
	words = append(words, "-connection", shellQuote(l.Conn), "-partner", shellQuote(l.Partner), "-auvo-id", shellQuote(l.AuvoID),
		"-who", `"$USER"`, "-why", shellQuote("say why it may be integrated again"))
	return strings.Join(words, " ")
}

// invocationWords is how the analyst starts this program: WithInvocation's
// words, or else the path it was started by.
func (e *env) invocationWords() string {
	switch {
	case e.invocation != "":
		return e.invocation
	case len(os.Args) == 0 || os.Args[0] == "":
		return "runner"
	}
	return shellQuote(os.Args[0])
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain
// word characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cmdRelease exits 0 when it released the record, 1 when the record is
// linked but not locked (nothing changed: someone released it already, or
// it was never locked), 2 on bad usage, including a connection, partner or
// Auvo id the configuration or the state file does not have.
func cmdRelease(ctx context.Context, args []string, e *env) int {
	c := newAnalystCmd("release", e)
	conn := c.fs.String("connection", "", "connection name (required)")
	partner := c.fs.String("partner", "", "omie, contaazul or bling (required)")
	auvoID := c.fs.String("auvo-id", "", "Auvo customer id of the locked record (required)")
	who := c.fs.String("who", "", "who releases it (required, recorded)")
	why := c.fs.String("why", "", "why it may be integrated again (required, recorded)")
	if code, ok := parseAnalyst(c.fs, args); !ok {
		return code
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"connection", *conn}, {"partner", *partner}, {"auvo-id", *auvoID}, {"who", *who}, {"why", *why}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, "-"+f.name)
		}
	}
	if len(missing) > 0 {
		defer c.fs.Usage()
		return c.usage("missing %s", strings.Join(missing, ", "))
	}
	if c.fs.NArg() > 0 {
		return c.usage("unexpected argument %q (quote -why if it has spaces)", c.fs.Arg(0))
	}
	p := syncrules.Partner(strings.ToLower(*partner))
	if p != syncrules.Omie && p != syncrules.ContaAzul && p != syncrules.Bling {
		return c.usage("-partner %q: want omie, contaazul or bling", *partner)
	}
	return c.run(ctx, *conn, func(a *runner.Analyst) error {
		// The console releases through the same function, so both record who and why alike.
		if err := a.Release(ctx, runner.ReleaseRequest{Conn: *conn, Partner: p, AuvoID: *auvoID, Who: *who, Why: *why}, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Released connection %q %s auvo id %s (by %s: %s). The next cycle may integrate it again.\n",
			*conn, p, *auvoID, *who, syncrules.Redact(*why))
		return nil
	})
}

// cmdExplain shows every outcome recorded for a source id and the history
// of every link that holds it (Auvo id or partner id), releases included.
func cmdExplain(ctx context.Context, args []string, e *env) int {
	c := newAnalystCmd("explain", e)
	conn := c.fs.String("connection", "", "only this connection (default: all)")
	limit := c.fs.Int("limit", 0, "at most this many outcomes (default: all)")
	if code, ok := parseAnalyst(c.fs, args); !ok {
		return code
	}
	if c.fs.NArg() != 1 {
		return c.usage("want exactly one SOURCE_ID (an Auvo id for auvo-to-* flows, a partner id otherwise)")
	}
	id := c.fs.Arg(0)
	return c.run(ctx, *conn, func(a *runner.Analyst) error {
		ex, err := a.Explain(ctx, *conn, id, *limit)
		if err != nil {
			return err
		}
		if len(ex.Outcomes) == 0 {
			fmt.Fprintf(e.stdout, "No run has looked at source id %s yet.\n", id)
		} else {
			fmt.Fprintf(e.stdout, "Source id %s: %d outcome(s), newest first\n", id, len(ex.Outcomes))
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "when\tconnection\tflow\trun\toutcome\trule\ttarget\treason")
			for _, o := range ex.Outcomes {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", stamp(o.At), o.Conn, o.Flow, o.RunID, o.Kind,
					dash(o.Rule), dash(o.TargetID), oneLine(syncrules.Redact(o.Reason)))
			}
			_ = tw.Flush()
		}
		for _, lh := range ex.Links {
			l := lh.Link
			fmt.Fprintf(e.stdout, "\nLink %s · %s  auvo %s ↔ %s %s  state %s since %s, history oldest first:\n", l.Conn, l.Partner,
				l.AuvoID, l.Partner, l.PartnerID, l.State, stamp(l.UpdatedAt))
			printHistory(e.stdout, lh.History)
		}
		return nil
	})
}

func cmdRuns(ctx context.Context, args []string, e *env) int {
	c := newAnalystCmd("runs", e)
	conn := c.fs.String("connection", "", "only this connection (default: all)")
	limit := c.fs.Int("limit", 20, "at most this many runs")
	if code, ok := parseAnalyst(c.fs, args); !ok {
		return code
	}
	if c.fs.NArg() > 0 {
		return c.usage("unexpected argument %q", c.fs.Arg(0))
	}
	return c.run(ctx, *conn, func(a *runner.Analyst) error {
		runs, err := a.Runs(ctx, *conn, *limit)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "run\tstarted\tconnection\tflow\tdry run\tduration\tcounts\terror")
		for _, r := range runs {
			dur := "running or died"
			if r.Finished() {
				dur = r.EndedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
			}
			if r.Stopped == ledger.StoppedTimeBox { // R-SCHED-3: the next slot resumes it
				left := "resumes next slot"
				if r.Remaining >= 0 {
					left = fmt.Sprintf("%d left, resumes next slot", r.Remaining)
				}
				dur += " (stopped at its time box, " + left + ")"
			}
			var counts []string
			for _, k := range outcomeOrder {
				if n := r.Counts[string(k)]; n > 0 {
					counts = append(counts, fmt.Sprintf("%s=%d", k, n))
				}
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%t\t%s\t%s\t%s\n", r.ID, stamp(r.StartedAt), r.Conn, r.Flow, r.DryRun, dur,
				dash(strings.Join(counts, " ")), dash(oneLine(syncrules.Redact(r.Error))))
		}
		return tw.Flush()
	})
}

func cmdBackup(ctx context.Context, args []string, e *env) int {
	c := newAnalystCmd("backup", e)
	to := c.fs.String("to", "", "backup file to write (must not exist)")
	if code, ok := parseAnalyst(c.fs, args); !ok {
		return code
	}
	if *to == "" {
		return c.usage("-to FILE is required")
	}
	return c.run(ctx, "", func(a *runner.Analyst) error {
		if err := a.Backup(ctx, *to); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Backup written to %s\n", *to)
		return nil
	})
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func cmdReauthorize(ctx context.Context, args []string, e *env) int {
	c := newAnalystCmd("reauthorize", e)
	conn := c.fs.String("connection", "", "connection name (required)")
	vendor := c.fs.String("vendor", "", "contaazul or bling (required)")
	if code, ok := parseAnalyst(c.fs, args); !ok {
		return code
	}
	if *conn == "" || (*vendor != "contaazul" && *vendor != "bling") || c.fs.NArg() > 0 {
		return c.usage("want -connection NAME -vendor contaazul|bling, and the refresh token on stdin")
	}
	if e.stdin == nil {
		return c.usage("no standard input")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	token := strings.TrimSpace(line)
	switch {
	case token == "" && err != nil && !errors.Is(err, io.EOF):
		return c.usage("reading stdin: %v", err)
	case token == "":
		return c.usage("no refresh token on stdin")
	}
	return c.run(ctx, *conn, func(a *runner.Analyst) error {
		if err := a.Reauthorize(ctx, *conn, *vendor, token); err != nil {
			var ue *runner.UsageError
			if errors.As(err, &ue) {
				return fmt.Errorf("%w - nothing stored", err)
			}
			return err
		}
		fmt.Fprintf(e.stdout, "Stored a new %s refresh token for connection %q; the next cycle uses it.\n", *vendor, *conn)
		return nil
	})
}
