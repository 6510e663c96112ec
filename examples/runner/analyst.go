package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
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

// scope is what an analyst command may name: the connections of the config
// file (with each one's ERPs), or, given only -state, the connections the
// state file has runs of (ERPs unknown).
type scope struct {
	source   string
	names    []string
	partners map[string][]syncrules.Partner // nil: not known
}

// scope reads the config file's connections, or the state file's when only
// -state was given. Like statePathOf it needs none of the vendors' secrets.
func (s *stateFlags) scope(ctx context.Context, e *env, st *ledger.SQLite) (*scope, error) {
	if s.config == "" {
		runs, err := st.Runs(ctx, "", 0)
		if err != nil {
			return nil, err
		}
		sc := &scope{source: "the state file"}
		for _, r := range runs {
			if !slices.Contains(sc.names, r.Conn) {
				sc.names = append(sc.names, r.Conn)
			}
		}
		slices.Sort(sc.names)
		return sc, nil
	}
	data, err := os.ReadFile(s.config)
	if err != nil {
		return nil, &ConfigError{Problems: []string{fmt.Sprintf("reading %s: %v", s.config, unwrapPathError(err))}}
	}
	fc, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	sc := &scope{source: s.config, partners: map[string][]syncrules.Partner{}}
	for _, c := range fc.Connections {
		name, _ := expand(c.Name, e.getenv)
		name = strings.TrimSpace(name)
		sc.names = append(sc.names, name)
		var ps []syncrules.Partner
		for p, present := range map[syncrules.Partner]bool{syncrules.Omie: c.Omie != nil, syncrules.ContaAzul: c.ContaAzul != nil, syncrules.Bling: c.Bling != nil} {
			if present {
				ps = append(ps, p)
			}
		}
		for _, raw := range c.Flows {
			if f, err := syncrules.ParseFlow(raw); err == nil && !slices.Contains(ps, f.Partner()) {
				ps = append(ps, f.Partner())
			}
		}
		slices.Sort(ps)
		sc.partners[name] = ps
	}
	return sc, nil
}

// checkConn: a connection the analyst names must exist, or a typo would
// read as "nothing there" (or store a token nobody uses).
func (sc *scope) checkConn(name string) error {
	if slices.Contains(sc.names, name) {
		return nil
	}
	known := "it has none"
	if len(sc.names) > 0 {
		known = "known: " + strings.Join(sc.names, ", ")
	}
	return fmt.Errorf("connection %q is not in %s (%s)", name, sc.source, known)
}

// checkPartner: the connection must sync with that ERP (when the config
// says; the state file alone does not know).
func (sc *scope) checkPartner(conn string, p syncrules.Partner) error {
	ps, known := sc.partners[conn]
	if sc.partners == nil || !known || slices.Contains(ps, p) {
		return nil
	}
	return fmt.Errorf("connection %q has no %s in %s (its ERP: %s)", conn, p, sc.source, dash(joinPartners(ps)))
}

// partnersOf lists the ERPs whose links may hold conn's records.
func (sc *scope) partnersOf(conn string) []syncrules.Partner {
	if ps, ok := sc.partners[conn]; ok {
		return ps
	}
	return []syncrules.Partner{syncrules.Omie, syncrules.ContaAzul, syncrules.Bling}
}

func joinPartners(ps []syncrules.Partner) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return strings.Join(out, ", ")
}

// openScoped opens the state file and checks the named connection (when
// conn is not empty); code 0 with st nil never happens.
func (s *stateFlags) openScoped(ctx context.Context, e *env, cmd, conn string) (*ledger.SQLite, *scope, int) {
	st, code := s.open(ctx, e)
	if st == nil {
		return nil, nil, code
	}
	sc, err := s.scope(ctx, e, st)
	if err != nil {
		st.Close()
		fmt.Fprintf(e.stderr, "runner %s: %v\n", cmd, err)
		var ce *ConfigError
		if errors.As(err, &ce) {
			return nil, nil, 2
		}
		return nil, nil, 1
	}
	if conn != "" {
		if err := sc.checkConn(conn); err != nil {
			st.Close()
			fmt.Fprintf(e.stderr, "runner %s: %v\n", cmd, err)
			return nil, nil, 2
		}
	}
	return st, sc, 0
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
	st, _, code := sf.openScoped(ctx, e, "locks", *conn)
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
	fmt.Fprintf(e.stdout, "%d locked record(s). Release one with the command under it, once -why says why it may be integrated again.\n", len(locks))
	for _, l := range locks {
		fmt.Fprintf(e.stdout, "\n%s · %s  auvo %s ↔ %s %s  state %s since %s\n", l.Link.Conn, l.Link.Partner,
			l.Link.AuvoID, l.Link.Partner, l.Link.PartnerID, l.Link.State, stamp(l.Link.UpdatedAt))
		printHistory(e.stdout, l.History)
		fmt.Fprintf(e.stdout, "   release: %s\n", sf.releaseHint(l.Link))
	}
	return 0
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
func (s *stateFlags) releaseHint(l ledger.Link) string {
	words := []string{invocation(), "release"}
	switch {
	case s.state != "":
		words = append(words, "-state", shellQuote(s.state))
	case s.config != "":
		words = append(words, "-config", shellQuote(s.config))
	}
	words = append(words, "-connection", shellQuote(l.Conn), "-partner", shellQuote(l.Partner), "-auvo-id", shellQuote(l.AuvoID),
		"-who", `"$USER"`, "-why", shellQuote("say why it may be integrated again"))
	return strings.Join(words, " ")
}

// invocation is how the analyst started this program: "go run
// ./examples/runner" when go run built it into a temporary directory,
// otherwise the path it was started by.
func invocation() string {
	if len(os.Args) == 0 || os.Args[0] == "" || strings.Contains(os.Args[0], "go-build") {
		return "go run ./examples/runner"
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
	if len(missing) > 0 {
		fmt.Fprintf(e.stderr, "runner release: missing %s\n", strings.Join(missing, ", "))
		fs.Usage()
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "runner release: unexpected argument %q (quote -why if it has spaces)\n", fs.Arg(0))
		return 2
	}
	p := syncrules.Partner(strings.ToLower(*partner))
	if p != syncrules.Omie && p != syncrules.ContaAzul && p != syncrules.Bling {
		fmt.Fprintf(e.stderr, "runner release: -partner %q: want omie, contaazul or bling\n", *partner)
		return 2
	}
	st, sc, code := sf.openScoped(ctx, e, "release", *conn)
	if st == nil {
		return code
	}
	defer st.Close()
	if err := sc.checkPartner(*conn, p); err != nil {
		fmt.Fprintln(e.stderr, "runner release:", err)
		return 2
	}
	noLink := func() int {
		fmt.Fprintf(e.stderr, "runner release: no link for auvo id %s with %s in connection %q: nothing to release (runner locks lists the locked records)\n", *auvoID, p, *conn)
		return 2
	}
	notLocked := func(state ledger.LinkState) int {
		fmt.Fprintf(e.stderr, "runner release: connection %q, %s, auvo id %s is not locked (its state is %s); nothing changed (see: runner locks)\n", *conn, p, *auvoID, state)
		return 1
	}
	link, err := st.LinkByAuvo(ctx, *conn, string(p), *auvoID)
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		return noLink()
	case err != nil:
		fmt.Fprintln(e.stderr, "runner release:", err)
		return 1
	case !link.State.Locked():
		return notLocked(link.State)
	}
	// The console releases through the same function, so both record who and why alike.
	err = console.Release(ctx, st, console.ReleaseRequest{Conn: *conn, Partner: p, AuvoID: *auvoID, Who: *who, Why: *why}, time.Now())
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		return noLink()
	case errors.Is(err, ledger.ErrNotLocked):
		return notLocked(ledger.LinkReleased) // released by someone else just now
	case err != nil:
		fmt.Fprintln(e.stderr, "runner release:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Released connection %q %s auvo id %s (by %s: %s). The next cycle may integrate it again.\n",
		*conn, p, *auvoID, *who, syncrules.Redact(*why))
	return 0
}

// cmdExplain shows every outcome recorded for a source id and the history
// of every link that holds it (Auvo id or partner id), releases included.
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
	st, sc, code := sf.openScoped(ctx, e, "explain", *conn)
	if st == nil {
		return code
	}
	defer st.Close()
	outs, err := st.Explain(ctx, *conn, id, *limit)
	if err != nil {
		fmt.Fprintln(e.stderr, "runner explain:", err)
		return 1
	}
	links, err := linksHolding(ctx, st, sc, *conn, id)
	if err != nil {
		fmt.Fprintln(e.stderr, "runner explain:", err)
		return 1
	}
	if len(outs) == 0 && len(links) == 0 {
		where := "any connection"
		if *conn != "" {
			where = fmt.Sprintf("connection %q", *conn)
		}
		fmt.Fprintf(e.stderr, "runner explain: no record with id %s in %s: no run has looked at it and no link holds it\n", id, where)
		return 2
	}
	if len(outs) == 0 {
		fmt.Fprintf(e.stdout, "No run has looked at source id %s yet.\n", id)
	} else {
		fmt.Fprintf(e.stdout, "Source id %s: %d outcome(s), newest first\n", id, len(outs))
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "when\tconnection\tflow\trun\toutcome\trule\ttarget\treason")
		for _, o := range outs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", stamp(o.At), o.Conn, o.Flow, o.RunID, o.Kind,
				dash(o.Rule), dash(o.TargetID), oneLine(syncrules.Redact(o.Reason)))
		}
		_ = tw.Flush()
	}
	for _, l := range links {
		history, err := st.LinkHistory(ctx, l.Conn, l.Partner, l.AuvoID)
		if err != nil {
			fmt.Fprintln(e.stderr, "runner explain:", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "\nLink %s · %s  auvo %s ↔ %s %s  state %s since %s, history oldest first:\n", l.Conn, l.Partner,
			l.AuvoID, l.Partner, l.PartnerID, l.State, stamp(l.UpdatedAt))
		printHistory(e.stdout, history)
	}
	return 0
}

// linksHolding finds the links whose Auvo id or partner id is id, in conn
// or in every connection of the scope.
func linksHolding(ctx context.Context, st *ledger.SQLite, sc *scope, conn, id string) ([]ledger.Link, error) {
	conns := sc.names
	if conn != "" {
		conns = []string{conn}
	}
	var out []ledger.Link
	add := func(l ledger.Link, err error) error {
		if errors.Is(err, ledger.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, seen := range out {
			if seen.Conn == l.Conn && seen.Partner == l.Partner && seen.AuvoID == l.AuvoID {
				return nil
			}
		}
		out = append(out, l)
		return nil
	}
	for _, c := range conns {
		for _, p := range sc.partnersOf(c) {
			if err := add(st.LinkByAuvo(ctx, c, string(p), id)); err != nil {
				return nil, err
			}
			if err := add(st.LinkByPartner(ctx, c, string(p), id)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
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
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "runner runs: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	st, _, code := sf.openScoped(ctx, e, "runs", *conn)
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
	st, sc, code := sf.openScoped(ctx, e, "reauthorize", *conn)
	if st == nil {
		return code
	}
	defer st.Close()
	if err := sc.checkPartner(*conn, syncrules.Partner(*vendor)); err != nil {
		fmt.Fprintln(e.stderr, "runner reauthorize:", err, "- nothing stored")
		return 2
	}
	if sc.partners == nil {
		// Only the state file to go by: the connection must have used this
		// vendor's token before.
		if _, ok, err := st.LoadToken(ctx, *conn, *vendor); err != nil {
			fmt.Fprintln(e.stderr, "runner reauthorize:", err)
			return 1
		} else if !ok {
			fmt.Fprintf(e.stderr, "runner reauthorize: the state file holds no %s token of connection %q; give -config so the connection can be checked - nothing stored\n", *vendor, *conn)
			return 2
		}
	}
	// No access token: the client refreshes with this token on its next call.
	if err := st.SaveToken(ctx, *conn, *vendor, ledger.Token{RefreshToken: token}); err != nil {
		fmt.Fprintln(e.stderr, "runner reauthorize:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Stored a new %s refresh token for connection %q; the next cycle uses it.\n", *vendor, *conn)
	return 0
}
