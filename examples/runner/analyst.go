package main

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

	"github.com/auvosync/auvosync/console"
	"github.com/auvosync/auvosync/ledger"
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

const analystUsage = `Analyst commands (they read or change the state file only):
  runner locks   [-state FILE | -config FILE] [-connection NAME]
        list locked records (R-LOCK-1) with their link history
  runner release [-state FILE | -config FILE] -connection NAME -partner omie|contaazul|bling
                 -auvo-id ID -who NAME -why TEXT
        release one locked record so the flows may integrate it again;
        who and why are recorded in its history (R-LOCK-3)
  runner explain [-state FILE | -config FILE] [-connection NAME] [-limit N] SOURCE_ID
        every outcome recorded for a source record, newest first
  runner runs    [-state FILE | -config FILE] [-connection NAME] [-limit N]
        the latest runs with their counts and errors
  runner backup  [-state FILE | -config FILE] -to FILE
        write a consistent copy of the state file while runners keep working
  runner reauthorize [-state FILE | -config FILE] -connection NAME -vendor contaazul|bling < token
        store a new first refresh token (read from stdin, never from the command line)
        after a re-authorisation; it replaces the rotated one in the state file
`

// stateFlags are the flags every analyst command shares.
type stateFlags struct {
	state, config string
}

func (s *stateFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.state, "state", "", "state file (default: the config's state, else "+defaultState+")")
	fs.StringVar(&s.config, "config", "", "config file whose state file to use")
}

// open opens an existing state file; creating an empty one by accident
// would only hide a wrong path.
func (s *stateFlags) open(ctx context.Context, e *env) (*ledger.SQLite, int) {
	path := s.state
	if path == "" && s.config != "" {
		p, err := statePathOf(s.config, e.getenv)
		if err != nil {
			fmt.Fprintln(e.stderr, "runner:", err)
			return nil, 2
		}
		path = p
	}
	if path == "" {
		path = defaultState
	}
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(e.stderr, "runner: state file %s: %v\n", path, unwrapPathError(err))
		return nil, 2
	}
	st, err := ledger.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(e.stderr, "runner:", err)
		return nil, 1
	}
	return st, 0
}

// statePathOf reads only the state key of a config file: an analyst does
// not need the vendors' credentials in the environment.
func statePathOf(path string, env func(string) string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", &ConfigError{Problems: []string{fmt.Sprintf("reading %s: %v", path, unwrapPathError(err))}}
	}
	fc, err := decodeFile(data)
	if err != nil {
		return "", err
	}
	state, _ := expand(fc.State, env)
	if state = strings.TrimSpace(state); state == "" {
		state = defaultState
	}
	return state, nil
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
	fs := newAnalystFlags("locks", e)
	var sf stateFlags
	sf.register(fs)
	conn := fs.String("connection", "", "only this connection")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "runner locks: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	st, code := sf.open(ctx, e)
	if st == nil {
		return code
	}
	defer st.Close()
	locks, err := st.Locks(ctx, *conn)
	if err != nil {
		fmt.Fprintln(e.stderr, "runner locks:", err)
		return 1
	}
	if len(locks) == 0 {
		fmt.Fprintln(e.stdout, "No locked records.")
		return 0
	}
	fmt.Fprintf(e.stdout, "%d locked record(s). Release one with: runner release -connection NAME -partner PARTNER -auvo-id ID -who YOU -why REASON\n", len(locks))
	for _, l := range locks {
		fmt.Fprintf(e.stdout, "\n%s · %s  auvo %s ↔ %s %s  state %s since %s\n", l.Link.Conn, l.Link.Partner,
			l.Link.AuvoID, l.Link.Partner, l.Link.PartnerID, l.Link.State, stamp(l.Link.UpdatedAt))
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "   when\tevent\tstate\tpartner id\tflow\twho\treason / evidence")
		for _, h := range l.History {
			fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\t%s\t%s\t%s\n", stamp(h.At), h.Kind, h.State, dash(h.PartnerID),
				dash(h.Flow), dash(h.Who), oneLine(syncrules.Redact(strings.TrimSpace(h.Reason+" "+h.Evidence))))
		}
		_ = tw.Flush()
	}
	return 0
}

func cmdRelease(ctx context.Context, args []string, e *env) int {
	fs := newAnalystFlags("release", e)
	var sf stateFlags
	sf.register(fs)
	conn := fs.String("connection", "", "connection name (required)")
	partner := fs.String("partner", "", "omie, contaazul or bling (required)")
	auvoID := fs.String("auvo-id", "", "Auvo customer id of the locked record (required)")
	who := fs.String("who", "", "who releases it (required, recorded)")
	why := fs.String("why", "", "why it may be integrated again (required, recorded)")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"connection", *conn}, {"partner", *partner}, {"auvo-id", *auvoID}, {"who", *who}, {"why", *why}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, "-"+f.name)
		}
	}
	if len(missing) > 0 || fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "runner release: missing %s\n", strings.Join(missing, ", "))
		fs.Usage()
		return 2
	}
	p := syncrules.Partner(strings.ToLower(*partner))
	if p != syncrules.Omie && p != syncrules.ContaAzul && p != syncrules.Bling {
		fmt.Fprintf(e.stderr, "runner release: -partner %q: want omie, contaazul or bling\n", *partner)
		return 2
	}
	st, code := sf.open(ctx, e)
	if st == nil {
		return code
	}
	defer st.Close()
	err := console.Release(ctx, st, console.ReleaseRequest{Conn: *conn, Partner: p, AuvoID: *auvoID, Who: *who, Why: *why}, time.Now())
	switch {
	case errors.Is(err, ledger.ErrNotLocked), errors.Is(err, ledger.ErrNotFound):
		fmt.Fprintf(e.stderr, "runner release: connection %q, %s, auvo id %s is not locked (see: runner locks)\n", *conn, p, *auvoID)
		return 1
	case err != nil:
		fmt.Fprintln(e.stderr, "runner release:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Released connection %q %s auvo id %s (by %s: %s). The next cycle may integrate it again.\n",
		*conn, p, *auvoID, *who, syncrules.Redact(*why))
	return 0
}

func cmdExplain(ctx context.Context, args []string, e *env) int {
	fs := newAnalystFlags("explain", e)
	var sf stateFlags
	sf.register(fs)
	conn := fs.String("connection", "", "only this connection (default: all)")
	limit := fs.Int("limit", 0, "at most this many outcomes (default: all)")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "runner explain: want exactly one SOURCE_ID (an Auvo id for auvo-to-* flows, a partner id otherwise)")
		return 2
	}
	id := fs.Arg(0)
	st, code := sf.open(ctx, e)
	if st == nil {
		return code
	}
	defer st.Close()
	outs, err := st.Explain(ctx, *conn, id, *limit)
	if err != nil {
		fmt.Fprintln(e.stderr, "runner explain:", err)
		return 1
	}
	if len(outs) == 0 {
		fmt.Fprintf(e.stdout, "No run has looked at source id %s yet.\n", id)
		return 0
	}
	fmt.Fprintf(e.stdout, "Source id %s: %d outcome(s), newest first\n", id, len(outs))
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "when\tconnection\tflow\trun\toutcome\trule\ttarget\treason")
	for _, o := range outs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", stamp(o.At), o.Conn, o.Flow, o.RunID, o.Kind,
			dash(o.Rule), dash(o.TargetID), oneLine(syncrules.Redact(o.Reason)))
	}
	_ = tw.Flush()
	return 0
}

func cmdRuns(ctx context.Context, args []string, e *env) int {
	fs := newAnalystFlags("runs", e)
	var sf stateFlags
	sf.register(fs)
	conn := fs.String("connection", "", "only this connection (default: all)")
	limit := fs.Int("limit", 20, "at most this many runs")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	st, code := sf.open(ctx, e)
	if st == nil {
		return code
	}
	defer st.Close()
	runs, err := st.Runs(ctx, *conn, *limit)
	if err != nil {
		fmt.Fprintln(e.stderr, "runner runs:", err)
		return 1
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\tstarted\tconnection\tflow\tdry run\tduration\tcounts\terror")
	for _, r := range runs {
		dur := "running or died"
		if r.Finished() {
			dur = r.EndedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
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
	_ = tw.Flush()
	return 0
}

func cmdBackup(ctx context.Context, args []string, e *env) int {
	fs := newAnalystFlags("backup", e)
	var sf stateFlags
	sf.register(fs)
	to := fs.String("to", "", "backup file to write (must not exist)")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	if *to == "" {
		fmt.Fprintln(e.stderr, "runner backup: -to FILE is required")
		return 2
	}
	st, code := sf.open(ctx, e)
	if st == nil {
		return code
	}
	defer st.Close()
	if err := st.Backup(ctx, *to); err != nil {
		fmt.Fprintln(e.stderr, "runner backup:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Backup written to %s\n", *to)
	return 0
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
	fs := newAnalystFlags("reauthorize", e)
	var sf stateFlags
	sf.register(fs)
	conn := fs.String("connection", "", "connection name (required)")
	vendor := fs.String("vendor", "", "contaazul or bling (required)")
	if code, ok := parseAnalyst(fs, args); !ok {
		return code
	}
	if *conn == "" || (*vendor != "contaazul" && *vendor != "bling") || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "runner reauthorize: want -connection NAME -vendor contaazul|bling, and the refresh token on stdin")
		return 2
	}
	if e.stdin == nil {
		fmt.Fprintln(e.stderr, "runner reauthorize: no standard input")
		return 2
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	token := strings.TrimSpace(line)
	if token == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			fmt.Fprintln(e.stderr, "runner reauthorize: reading stdin:", err)
		} else {
			fmt.Fprintln(e.stderr, "runner reauthorize: no refresh token on stdin")
		}
		return 2
	}
	st, code := sf.open(ctx, e)
	if st == nil {
		return code
	}
	defer st.Close()
	// No access token: the client refreshes with this token on its next call.
	if err := st.SaveToken(ctx, *conn, *vendor, ledger.Token{RefreshToken: token}); err != nil {
		fmt.Fprintln(e.stderr, "runner reauthorize:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Stored a new %s refresh token for connection %q; the next cycle uses it.\n", *vendor, *conn)
	return 0
}
