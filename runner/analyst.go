package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/auvosync/auvosync/console"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// Analyst is the analyst's operations on an existing state (R-LOCK-3):
// locks, release, explain, runs, backup and reauthorize. They read and
// change the state only, never a vendor API, and need none of the vendors'
// secrets. A connection or partner they are given must be in the config
// file or, with only a state file, have runs in it; if not the error is a
// *UsageError.
type Analyst struct {
	st    State
	scope *scope
}

// OpenAnalyst opens the state at statePath, or else the state configPath
// names, or else DefaultState; it must exist. The connections it may name
// are configPath's, or with only statePath the ones with runs in the state.
func OpenAnalyst(ctx context.Context, statePath, configPath string, opts ...ConfigOption) (*Analyst, error) {
	getenv := newConfigReader(opts).getenv
	var fc *fileConfig
	if configPath != "" {
		data, err := readConfigFile(configPath)
		if err != nil {
			return nil, err
		}
		if fc, err = decodeFile(data); err != nil {
			return nil, err
		}
	}
	path := statePath
	if path == "" && fc != nil {
		path, _ = expand(fc.State, getenv)
		path = strings.TrimSpace(path)
	}
	if path == "" {
		path = defaultState
	}
	st, err := OpenExistingState(ctx, path)
	if err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx, st, configPath, fc, getenv)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &Analyst{st: st, scope: sc}, nil
}

// Close closes the state.
func (a *Analyst) Close() error { return a.st.Close() }

// StatePath reads only the state key of a config file: an analyst does not
// need the vendors' credentials in the environment.
func StatePath(configPath string, opts ...ConfigOption) (string, error) {
	data, err := readConfigFile(configPath)
	if err != nil {
		return "", err
	}
	fc, err := decodeFile(data)
	if err != nil {
		return "", err
	}
	state, _ := expand(fc.State, newConfigReader(opts).getenv)
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

func scopeOf(ctx context.Context, st State, configPath string, fc *fileConfig, getenv func(string) string) (*scope, error) {
	if fc == nil {
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
	sc := &scope{source: configPath, partners: map[string][]syncrules.Partner{}}
	for _, c := range fc.Connections {
		name, _ := expand(c.Name, getenv)
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

// CheckConnection: a connection the analyst names must exist, or a typo
// would read as "nothing there" (or store a token nobody uses). An empty
// name (every connection) passes.
func (a *Analyst) CheckConnection(name string) error {
	if name == "" || slices.Contains(a.scope.names, name) {
		return nil
	}
	known := "it has none"
	if len(a.scope.names) > 0 {
		known = "known: " + strings.Join(a.scope.names, ", ")
	}
	return usageErrorf("connection %q is not in %s (%s)", name, a.scope.source, known)
}

// checkPartner: the connection must sync with that ERP (when the config
// says; the state file alone does not know).
func (a *Analyst) checkPartner(conn string, p syncrules.Partner) error {
	ps, known := a.scope.partners[conn]
	if a.scope.partners == nil || !known || slices.Contains(ps, p) {
		return nil
	}
	erps := make([]string, len(ps))
	for i, p := range ps {
		erps[i] = string(p)
	}
	return usageErrorf("connection %q has no %s in %s (its ERP: %s)", conn, p, a.scope.source, dashIfEmpty(strings.Join(erps, ", ")))
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// partnersOf lists the ERPs whose links may hold conn's records.
func (a *Analyst) partnersOf(conn string) []syncrules.Partner {
	if ps, ok := a.scope.partners[conn]; ok {
		return ps
	}
	return []syncrules.Partner{syncrules.Omie, syncrules.ContaAzul, syncrules.Bling}
}

// Locks lists the locked records (R-LOCK-1) of conn, or of every
// connection, each with its link history.
func (a *Analyst) Locks(ctx context.Context, conn string) ([]ledger.LockedRecord, error) {
	if err := a.CheckConnection(conn); err != nil {
		return nil, err
	}
	return a.st.Locks(ctx, conn)
}

// ReleaseRequest names a locked record and says who releases it and why.
type ReleaseRequest = console.ReleaseRequest

// NotLockedError: the record is linked but not locked; nothing changed
// (someone released it already, or it was never locked). Exit 1.
type NotLockedError struct {
	Conn    string
	Partner syncrules.Partner
	AuvoID  string
	State   ledger.LinkState
}

func (e *NotLockedError) Error() string {
	return fmt.Sprintf("connection %q, %s, auvo id %s is not locked (its state is %s); nothing changed (see: runner locks)", e.Conn, e.Partner, e.AuvoID, e.State)
}

// Release releases one locked record so the flows may integrate it again;
// who and why are recorded in its history (R-LOCK-3), through the same code
// path as the console's release. A connection, partner or link that does not
// exist is a *UsageError; a record that is not locked a *NotLockedError.
func (a *Analyst) Release(ctx context.Context, r ReleaseRequest, now time.Time) error {
	if err := a.CheckConnection(r.Conn); err != nil {
		return err
	}
	if err := a.checkPartner(r.Conn, r.Partner); err != nil {
		return err
	}
	noLink := usageErrorf("no link for auvo id %s with %s in connection %q: nothing to release (runner locks lists the locked records)", r.AuvoID, r.Partner, r.Conn)
	link, err := a.st.LinkByAuvo(ctx, r.Conn, string(r.Partner), r.AuvoID)
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		return noLink
	case err != nil:
		return err
	case !link.State.Locked():
		return &NotLockedError{Conn: r.Conn, Partner: r.Partner, AuvoID: r.AuvoID, State: link.State}
	}
	err = console.Release(ctx, a.st, r, now)
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		return noLink
	case errors.Is(err, ledger.ErrNotLocked): // released by someone else just now
		return &NotLockedError{Conn: r.Conn, Partner: r.Partner, AuvoID: r.AuvoID, State: ledger.LinkReleased}
	}
	return err
}

// Explanation is everything recorded about one source record.
type Explanation struct {
	// Outcomes are the outcomes recorded for it, newest first.
	Outcomes []ledger.Outcome
	// Links are the links that hold it (as Auvo id or partner id), each
	// with its history, oldest first (locks and releases included).
	Links []LinkHistory
}

// LinkHistory is a link and its events.
type LinkHistory struct {
	Link    ledger.Link
	History []ledger.LinkEvent
}

// Explain finds every outcome recorded for a source id and every link that
// holds it, in conn or in every connection; limit bounds the outcomes (0:
// all). An id nothing knows is a *UsageError.
func (a *Analyst) Explain(ctx context.Context, conn, id string, limit int) (*Explanation, error) {
	if err := a.CheckConnection(conn); err != nil {
		return nil, err
	}
	outs, err := a.st.Explain(ctx, conn, id, limit)
	if err != nil {
		return nil, err
	}
	links, err := a.linksHolding(ctx, conn, id)
	if err != nil {
		return nil, err
	}
	if len(outs) == 0 && len(links) == 0 {
		where := "any connection"
		if conn != "" {
			where = fmt.Sprintf("connection %q", conn)
		}
		return nil, usageErrorf("no record with id %s in %s: no run has looked at it and no link holds it", id, where)
	}
	ex := &Explanation{Outcomes: outs}
	for _, l := range links {
		history, err := a.st.LinkHistory(ctx, l.Conn, l.Partner, l.AuvoID)
		if err != nil {
			return nil, err
		}
		ex.Links = append(ex.Links, LinkHistory{Link: l, History: history})
	}
	return ex, nil
}

// linksHolding finds the links whose Auvo id or partner id is id, in conn
// or in every connection of the scope.
func (a *Analyst) linksHolding(ctx context.Context, conn, id string) ([]ledger.Link, error) {
	conns := a.scope.names
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
		for _, p := range a.partnersOf(c) {
			if err := add(a.st.LinkByAuvo(ctx, c, string(p), id)); err != nil {
				return nil, err
			}
			if err := add(a.st.LinkByPartner(ctx, c, string(p), id)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Runs are the latest runs of conn, or of every connection, newest first.
func (a *Analyst) Runs(ctx context.Context, conn string, limit int) ([]ledger.Run, error) {
	if err := a.CheckConnection(conn); err != nil {
		return nil, err
	}
	return a.st.Runs(ctx, conn, limit)
}

// Backup writes a consistent copy of the state to a new file while runners
// keep working.
// A PostgreSQL state is copied into a new SQLite file (ledger.Copy).
func (a *Analyst) Backup(ctx context.Context, to string) error {
	if sq, ok := a.st.(*ledger.SQLite); ok {
		return sq.Backup(ctx, to)
	}
	if _, err := os.Stat(to); err == nil {
		return usageErrorf("backup: %s already exists", to)
	}
	dst, err := ledger.Open(ctx, to)
	if err != nil {
		return err
	}
	_, err = ledger.Copy(ctx, a.st, dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	return err
}

// Reauthorize stores a new first refresh token of vendor (contaazul or
// bling) for conn after a re-authorisation; it replaces the rotated one,
// and the client refreshes with it on its next call. A connection without
// that vendor is a *UsageError, and nothing is stored.
func (a *Analyst) Reauthorize(ctx context.Context, conn, vendor, token string) error {
	if err := a.CheckConnection(conn); err != nil {
		return err
	}
	if err := a.checkPartner(conn, syncrules.Partner(vendor)); err != nil {
		return err
	}
	if a.scope.partners == nil {
		// Only the state file to go by: the connection must have used this
		// vendor's token before.
		if _, ok, err := a.st.LoadToken(ctx, conn, vendor); err != nil {
			return err
		} else if !ok {
			return usageErrorf("the state file holds no %s token of connection %q; give -config so the connection can be checked", vendor, conn)
		}
	}
	// No access token: the client refreshes with this token on its next call.
	return a.st.SaveToken(ctx, conn, vendor, ledger.Token{RefreshToken: token})
}
