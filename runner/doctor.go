package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/syncrules"
)

// "runner doctor" (CONTRACTS.md §6): a preflight that checks each
// connection against the live APIs and writes to none of them. Every
// request goes through a guard that lets reads and token refreshes out and
// refuses anything else, so a probe or the dry run cannot write by mistake.

// CheckStatus is one check's verdict.
type CheckStatus string

const (
	CheckPass CheckStatus = "pass"
	CheckWarn CheckStatus = "warn"
	CheckFail CheckStatus = "fail"
)

// Probe names, as the report shows them.
const (
	ProbeState             = "state"
	ProbeAuvoLogin         = "auvo.login"
	ProbeAuvoDocFilter     = "auvo.cpfCnpj_filter"
	ProbeAuvoDateFilter    = "auvo.dateLastUpdate_at_or_after"
	ProbeAuvoPageSize      = "auvo.page_size"
	ProbeOmieKeys          = "omie.keys"
	ProbeOmieWindow        = "omie.window_inclusions_and_changes"
	ProbeOmieZone          = "omie.timestamps_zone"
	ProbeContaAzulWindow   = "contaazul.refresh_and_date_window"
	ProbeBlingWindow       = "bling.refresh_and_criterio_window"
	ProbeBlingCriterio     = "bling.criterio_honoured"
	ProbeContaAzulOffset   = "contaazul.dates_with_offset"
	ProbeContaAzulToken    = "contaazul.token"
	ProbeBlingToken        = "bling.token"
	ProbeFirstSync         = "first_sync"
	defaultDoctorCalls     = 200
	doctorSample           = 20 // records a probe reads at most per listing
	doctorClockSkewAllowed = 5 * time.Minute
)

// Check is one probe's outcome with its evidence; Set, when not empty, is
// the config line that gives the flows their safe answer.
type Check struct {
	Name     string      `json:"name"`
	Status   CheckStatus `json:"status"`
	Evidence string      `json:"evidence"`
	Set      string      `json:"set,omitempty"`
}

// FlowForecast is what one flow's first sync would do, from a dry run
// within the call budget.
type FlowForecast struct {
	Flow syncrules.Flow `json:"flow"`
	// Seen is how many source records the dry run decided; Complete is false
	// when the call budget ran out before the listing's end.
	Seen     int                           `json:"seen"`
	Complete bool                          `json:"complete"`
	Outcomes map[syncrules.OutcomeKind]int `json:"outcomes"`
	// Why counts skips and failures by rule ID.
	Why map[string]int `json:"why,omitempty"`
	// Backlog is the source listing's size as the vendor reports it (-1 unknown).
	Backlog int `json:"backlog"`
	// Calls is the estimate of the calls the whole backlog needs (listing,
	// lookups and writes), and Time how long they take at the binding limit.
	Calls        int           `json:"calls"`
	Time         time.Duration `json:"time_ns"`
	BindingLimit string        `json:"binding_limit"`
}

// AddressFit is how many Auvo lines of the listed customers fit the
// partner's address patterns (R-ADDR-1), with the commonest reasons.
type AddressFit struct {
	Target  string         `json:"target"`
	Lines   int            `json:"lines"`
	Fit     int            `json:"fit"`
	Reasons map[string]int `json:"reasons,omitempty"`
}

// ConnectionDiagnosis is one connection's checks and forecast.
type ConnectionDiagnosis struct {
	Connection string         `json:"connection"`
	Checks     []Check        `json:"checks"`
	Forecast   []FlowForecast `json:"forecast"`
	Address    *AddressFit    `json:"address_fit,omitempty"`
	// Duplicates counts, per side, the documents that more than one listed
	// record holds (masked).
	Duplicates map[string][]string `json:"duplicates,omitempty"`
	// Calls is how many calls the doctor made for this connection.
	Calls int `json:"calls"`
}

// Diagnosis is the doctor's report.
type Diagnosis struct {
	Connections []ConnectionDiagnosis `json:"connections"`
}

// OK reports whether no check failed (exit 0).
func (d Diagnosis) OK() bool {
	for _, c := range d.Connections {
		for _, ch := range c.Checks {
			if ch.Status == CheckFail {
				return false
			}
		}
	}
	return true
}

// DoctorOptions are the doctor's knobs: Connection limits it to one
// connection; Calls is the call budget of each connection's first-sync
// dry run (0: 200).
type DoctorOptions struct {
	Connection string
	Calls      int
}

// Doctor checks every connection of cfg (or the one named) against its
// APIs without writing to any of them (a rotated refresh token is saved to
// the state before use, as in a sync). Runner options give it a logger,
// an HTTP client or budgets as they give a Runner. Errors are a bad config
// or connection name (*ConfigError, *UsageError) or an unusable state;
// everything the APIs answer is in the Diagnosis.
func Doctor(ctx context.Context, cfg *Config, do DoctorOptions, opts ...Option) (Diagnosis, error) {
	if cfg == nil {
		return Diagnosis{}, &ConfigError{Problems: []string{"no configuration"}}
	}
	cfg, err := checkConfig(cfg)
	if err != nil {
		return Diagnosis{}, err
	}
	if do.Calls <= 0 {
		do.Calls = defaultDoctorCalls
	}
	conns := cfg.Connections
	if do.Connection != "" {
		i := slices.IndexFunc(conns, func(c ConnConfig) bool { return c.Name == do.Connection })
		if i < 0 {
			return Diagnosis{}, usageErrorf("connection %q is not in the config", do.Connection)
		}
		conns = conns[i : i+1]
	}
	set := settings{clock: SystemClock(), logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&set)
	}
	defaults, err := DefaultBudgets(cfg.BudgetShare)
	if err != nil {
		return Diagnosis{}, &ConfigError{Problems: []string{"budget_share: " + err.Error()}}
	}
	set.budgets = set.budgets.orDefault(defaults)

	var d Diagnosis
	store, closeStore, stateCheck := set.store, func() error { return nil }, Check{Name: ProbeState}
	if store == nil {
		store, closeStore, err = openState(ctx, cfg.State)
		if err != nil {
			var tooNew *ledger.SchemaTooNewError
			if !errors.As(err, &tooNew) {
				return Diagnosis{}, fmt.Errorf("state %s: %w", cfg.State, err)
			}
			for _, cc := range conns {
				d.Connections = append(d.Connections, ConnectionDiagnosis{Connection: cc.Name, Checks: []Check{{
					Name: ProbeState, Status: CheckFail, Evidence: tooNew.Error()}}})
			}
			return d, nil
		}
	}
	defer closeStore()
	stateCheck.Status, stateCheck.Evidence = CheckPass, fmt.Sprintf("reachable, schema v%d (this binary's)", ledger.SchemaVersion)

	for _, cc := range conns {
		cd := newDoctorRun(cfg, cc, set, store, do.Calls).diagnose(ctx)
		cd.Checks = append([]Check{stateCheck}, cd.Checks...)
		d.Connections = append(d.Connections, cd)
	}
	return d, nil
}

// doctorRun is the diagnosis of one connection.
type doctorRun struct {
	cfg   *Config
	cc    ConnConfig
	set   settings
	store ledger.Store
	calls int
	guard *readOnlyGuard
	out   ConnectionDiagnosis
	// samples of what the probes listed, for duplicates and address fit
	auvoSample    []auvo.Customer
	partnerSample []flows.Record
}

func newDoctorRun(cfg *Config, cc ConnConfig, set settings, store ledger.Store, calls int) *doctorRun {
	base := http.DefaultTransport
	if set.httpClient != nil && set.httpClient.Transport != nil {
		base = set.httpClient.Transport
	}
	g := &readOnlyGuard{next: base, counts: map[string]int{}, tokenURLs: []string{strings.TrimRight(cc.Auvo.BaseURL, "/") + "/login"}}
	for _, o := range []*OAuthConfig{cc.ContaAzul, cc.Bling} {
		if o != nil {
			g.tokenURLs = append(g.tokenURLs, o.TokenURL)
		}
	}
	if cc.Omie != nil {
		g.omieBase = cc.Omie.BaseURL
	}
	return &doctorRun{cfg: cfg, cc: cc, set: set, store: store, calls: calls, guard: g,
		out: ConnectionDiagnosis{Connection: cc.Name}}
}

func (r *doctorRun) check(name string, status CheckStatus, set string, format string, args ...any) {
	r.out.Checks = append(r.out.Checks, Check{Name: name, Status: status, Evidence: fmt.Sprintf(format, args...), Set: set})
}

func (r *doctorRun) env() clientEnv {
	return clientEnv{logger: r.set.logger.With("connection", r.cc.Name), observer: &connObserver{metrics: newMetrics()},
		httpClient: &http.Client{Transport: r.guard}, store: r.store, conn: r.cc.Name, budgets: r.set.budgets, clock: r.set.clock}
}

func (r *doctorRun) diagnose(ctx context.Context) ConnectionDiagnosis {
	env := r.env()
	ac, err := newAuvoClient(r.cc.Auvo, env)
	if err != nil {
		r.check(ProbeAuvoLogin, CheckFail, "", "building the client: %v", err)
		return r.out
	}
	if r.probeAuvo(ctx, ac) {
		r.probePartner(ctx, env)
		r.forecast(ctx)
	}
	r.addressFit()
	r.duplicates()
	r.out.Calls = r.guard.total()
	return r.out
}

// probeAuvo runs Auvo's checks; false when the login failed (nothing
// else can run).
func (r *doctorRun) probeAuvo(ctx context.Context, ac *auvo.Client) bool {
	var first auvo.Page
	var err error
	r.auvoSample, err = take(ac.List(ctx, auvo.ListOptions{OnPage: func(p auvo.Page) {
		if p.Number == 1 {
			first = p
		}
	}}), auvo.MaxPageSize)
	if err != nil {
		r.check(ProbeAuvoLogin, CheckFail, "", "listing customers: %v", err)
		return false
	}
	r.check(ProbeAuvoLogin, CheckPass, "", "logged in; first page: %d customers of %s", first.Items, total(first.Total))

	// Page size: we ask for auvo.MaxPageSize; a server that serves fewer is
	// followed (the client reads the size it served), at more calls.
	switch {
	case first.Items >= auvo.MaxPageSize || first.Total >= 0 && first.Items >= first.Total:
		r.check(ProbeAuvoPageSize, CheckPass, "", "asked for %d per page, got %d (of %s)", auvo.MaxPageSize, first.Items, total(first.Total))
	default:
		r.check(ProbeAuvoPageSize, CheckWarn, "", "asked for %d per page, got %d of %s: Auvo serves smaller pages; the listings follow its size, at %.1fx the calls",
			auvo.MaxPageSize, first.Items, total(first.Total), float64(auvo.MaxPageSize)/float64(max(first.Items, 1)))
	}

	i := slices.IndexFunc(r.auvoSample, func(c auvo.Customer) bool { return syncrules.NormalizeDocument(c.Document) != "" })
	if i < 0 {
		r.check(ProbeAuvoDocFilter, CheckWarn, "", "no customer on the first page has a document to look up")
	} else {
		probe := r.auvoSample[i]
		doc := syncrules.NormalizeDocument(probe.Document)
		got, err := take(ac.List(ctx, auvo.ListOptions{Document: doc, PageSize: doctorSample}), doctorSample)
		others := 0
		for _, c := range got {
			if syncrules.NormalizeDocument(c.Document) != doc {
				others++
			}
		}
		found := slices.ContainsFunc(got, func(c auvo.Customer) bool { return c.ID == probe.ID })
		switch {
		case err != nil:
			r.check(ProbeAuvoDocFilter, CheckFail, "", "lookup of %s: %v", syncrules.MaskDocument(doc), err)
		case found && others == 0:
			r.check(ProbeAuvoDocFilter, CheckPass, "", "lookup of %s returned customer %d and no other", syncrules.MaskDocument(doc), probe.ID)
		default:
			r.check(ProbeAuvoDocFilter, CheckWarn, "", "lookup of %s returned %d customers with other documents (found the one looked up: %t): Auvo ignores cpfCnpj; lookups already drop mismatches client-side, at more calls",
				syncrules.MaskDocument(doc), others, found)
		}
	}

	r.probeAuvoDate(ctx, ac)
	return true
}

func (r *doctorRun) probeAuvoDate(ctx context.Context, ac *auvo.Client) {
	var probe auvo.Customer
	for _, c := range r.auvoSample {
		if c.DateLastUpdate.After(probe.DateLastUpdate) {
			probe = c
		}
	}
	if probe.ID == 0 {
		r.check(ProbeAuvoDateFilter, CheckWarn, "", "no customer with a dateLastUpdate to probe with")
		return
	}
	// The newest change of the sample: listing from it reads little.
	at := probe.DateLastUpdate.Truncate(time.Second)
	got, err := take(ac.List(ctx, auvo.ListOptions{UpdatedSince: at}), 3*auvo.MaxPageSize)
	found := slices.ContainsFunc(got, func(c auvo.Customer) bool { return c.ID == probe.ID })
	evidence := fmt.Sprintf("customer %d changed at %s; listing with dateLastUpdate=%s returned it: %t", probe.ID,
		auvo.FormatTime(at), auvo.FormatTime(at), found)
	set := "assume: {auvo_date_filter: " + AssumeAuvoDateAfter + "}"
	switch {
	case err != nil:
		r.check(ProbeAuvoDateFilter, CheckFail, "", "listing changes since %s: %v", at.Format(time.RFC3339), err)
	case found && r.cc.Assume.AuvoDateFilterAfter:
		r.check(ProbeAuvoDateFilter, CheckWarn, "", "%s: Auvo compares at or after; auvo_date_filter: %s re-reads a second more than needed", evidence, AssumeAuvoDateAfter)
	case found:
		r.check(ProbeAuvoDateFilter, CheckPass, "", "%s", evidence)
	case len(got) >= 3*auvo.MaxPageSize:
		r.check(ProbeAuvoDateFilter, CheckWarn, "", "%s within %d records; inconclusive", evidence, len(got))
	case r.cc.Assume.AuvoDateFilterAfter:
		r.check(ProbeAuvoDateFilter, CheckPass, "", "%s: Auvo compares strictly after; auvo_date_filter: %s is set, the listings start a second earlier", evidence, AssumeAuvoDateAfter)
	default:
		r.check(ProbeAuvoDateFilter, CheckFail, set, "%s: Auvo compares strictly after, so a change in the window's first second would be missed", evidence)
	}
}

func (r *doctorRun) probePartner(ctx context.Context, env clientEnv) {
	switch {
	case r.cc.Omie != nil:
		oc, err := newOmieClient(*r.cc.Omie, env)
		if err != nil {
			r.check(ProbeOmieKeys, CheckFail, "", "building the client: %v", err)
			return
		}
		r.probeOmie(ctx, oc)
	case r.cc.ContaAzul != nil:
		stored, err := r.checkStoredToken("contaazul", r.cc.ContaAzul)
		if err != nil {
			r.check(ProbeContaAzulToken, CheckFail, "", "%v", err)
			return
		}
		c, err := newContaAzulClient(*r.cc.ContaAzul, env, r.cc.Assume)
		if err != nil {
			r.check(ProbeContaAzulWindow, CheckFail, "", "building the client: %v", err)
			return
		}
		if !r.probeWindow(ctx, ProbeContaAzulWindow, flows.NewContaAzul(c), "Conta Azul") && !r.cc.Assume.ContaAzulOffsetDates {
			r.probeContaAzulOffset(ctx, env)
		}
		r.tokenAge(ctx, ProbeContaAzulToken, "contaazul", stored, 0)
	case r.cc.Bling != nil:
		stored, err := r.checkStoredToken("bling", r.cc.Bling)
		if err != nil {
			r.check(ProbeBlingToken, CheckFail, "", "%v", err)
			return
		}
		c, err := newBlingClient(*r.cc.Bling, env)
		if err != nil {
			r.check(ProbeBlingWindow, CheckFail, "", "building the client: %v", err)
			return
		}
		if r.probeWindow(ctx, ProbeBlingWindow, flows.NewBling(c), "Bling") {
			r.probeBlingCriterio(ctx, c)
		}
		r.tokenAge(ctx, ProbeBlingToken, "bling", stored, blingRefreshLifetime)
	}
}

// checkStoredToken returns the token the state held before the doctor's
// own refresh replaces it (zero when none): its age is the one to report.
// probeBlingCriterio asks for the deleted contacts only (criterio=2): a
// Bling that honours criterio answers none with another situacao. One
// that ignores it answers its default, 3 (the latest added), and then the
// flows' criterio=1 listings would hold only the latest added, missing
// contacts changed but not newly added. No setting makes the flows safe
// against that yet, so the check fails with the evidence.
func (r *doctorRun) probeBlingCriterio(ctx context.Context, c *bling.Client) {
	deleted, err := take(c.List(ctx, bling.ListOptions{Criterion: bling.CriterionDeleted}), doctorSample)
	if err != nil {
		r.check(ProbeBlingCriterio, CheckFail, "", "listing the deleted contacts (criterio=2): %v", err)
		return
	}
	notDeleted := 0
	for _, contact := range deleted {
		if contact.Status != bling.StatusDeleted {
			notDeleted++
		}
	}
	if notDeleted > 0 {
		r.check(ProbeBlingCriterio, CheckFail, "",
			"asked for the deleted contacts only (criterio=2), got %d of %d with another situacao: Bling ignores criterio, so a changes listing holds only its latest added contacts and misses those changed but not newly added",
			notDeleted, len(deleted))
		return
	}
	r.check(ProbeBlingCriterio, CheckPass, "", "asked for the deleted contacts only (criterio=2), got %d, all deleted", len(deleted))
}

func (r *doctorRun) checkStoredToken(vendor string, o *OAuthConfig) (ledger.Token, error) {
	tok, ok, err := r.store.LoadToken(context.Background(), r.cc.Name, vendor)
	if err != nil {
		return ledger.Token{}, err
	}
	if !ok && o.RefreshToken == "" {
		return ledger.Token{}, fmt.Errorf("%s.refresh_token is missing and the state holds no %s token yet", vendor, vendor)
	}
	return tok, nil
}

// blingRefreshLifetime: Bling's refresh token lapses after 30 days
// without a refresh (the Bling reference, OAuth).
const blingRefreshLifetime = 30 * 24 * time.Hour

// probeWindow lists the partner's changes of the last 30 days exactly as
// a flow does (System.Changed): the refresh, the date format and the
// window are accepted, and every record comes back stamped inside it.
// It reports whether the listing was accepted.
func (r *doctorRun) probeWindow(ctx context.Context, name string, sys flows.System, vendor string) bool {
	since := r.set.clock.Now().Add(-30 * 24 * time.Hour)
	var err error
	r.partnerSample, err = take(sys.Changed(ctx, since, 0, nil), doctorSample)
	if err != nil {
		r.check(name, CheckFail, "", "listing changes since %s as the flows do: %v", since.Format(time.RFC3339), err)
		return false
	}
	outside := 0
	for _, rec := range r.partnerSample {
		if !rec.Modified.IsZero() && rec.Modified.Before(since.Add(-time.Second)) {
			outside++
		}
	}
	if outside > 0 {
		r.check(name, CheckFail, "", "%s returned %d of %d records changed before the window's start %s: the date filter is not applied as sent",
			vendor, outside, len(r.partnerSample), since.Format(time.RFC3339))
		return true
	}
	r.check(name, CheckPass, "", "token refreshed; changes since %s: %d listed, all inside the window", since.Format(time.RFC3339), len(r.partnerSample))
	return true
}

// probeContaAzulOffset tries the window again with São Paulo's offset
// on the dates: accepted, that is the setting to make.
func (r *doctorRun) probeContaAzulOffset(ctx context.Context, env clientEnv) {
	c, err := newContaAzulClient(*r.cc.ContaAzul, env, Assumptions{ContaAzulOffsetDates: true})
	if err != nil {
		return
	}
	since := r.set.clock.Now().Add(-30 * 24 * time.Hour)
	if _, err := take(flows.NewContaAzul(c).Changed(ctx, since, 0, nil), doctorSample); err != nil {
		r.check(ProbeContaAzulOffset, CheckFail, "", "with São Paulo's offset on the dates too: %v", err)
		return
	}
	r.check(ProbeContaAzulOffset, CheckFail, "assume: {contaazul_dates: "+AssumeContaAzulOffset+"}",
		"the same window with the dates sent with São Paulo's offset (-03:00) is accepted")
}

// tokenAge reports the refresh token the state held before this run
// (stored; zero: none, the config's was used) by its age, a warning when
// more than half of the vendor's refresh-token lifetime (0: not known) had
// passed, so the syncs are further apart than is safe, and then that the
// rotated token was saved.
func (r *doctorRun) tokenAge(ctx context.Context, name, vendor string, stored ledger.Token, lifetime time.Duration) {
	tok, ok, err := r.store.LoadToken(ctx, r.cc.Name, vendor)
	now := r.set.clock.Now()
	saved := fmt.Sprintf("rotated token saved to the state; access token valid until %s (%s left)",
		tok.Expiry.Format(time.RFC3339), tok.Expiry.Sub(now).Round(time.Second))
	age := now.Sub(stored.Saved).Round(time.Second)
	switch {
	case err != nil:
		r.check(name, CheckFail, "", "reading the token from the state: %v", err)
	case !ok:
		r.check(name, CheckFail, "", "no %s token was saved to the state after the refresh", vendor)
	case stored.RefreshToken == "":
		r.check(name, CheckPass, "", "the state held no token, the config's refresh token was used; %s", saved)
	case stored.Saved.IsZero():
		r.check(name, CheckPass, "", "the stored token's age is not known (saved by an older version); %s", saved)
	case lifetime > 0 && age > lifetime/2:
		r.check(name, CheckWarn, "", "the stored token was %s old, over half of %s's refresh-token lifetime (%s without a refresh): sync more often than that; %s",
			age, vendor, lifetime, saved)
	default:
		r.check(name, CheckPass, "", "the stored token was %s old; %s", age, saved)
	}
}

func (r *doctorRun) probeOmie(ctx context.Context, oc *omie.Client) {
	var first omie.Page
	sample, err := take(oc.ListarClientes(ctx, omie.ListOptions{PageSize: omie.MaxPageSize, OnPage: func(p omie.Page) {
		if p.Number == 1 {
			first = p
		}
	}}), omie.MaxPageSize)
	if err != nil {
		r.check(ProbeOmieKeys, CheckFail, "", "ListarClientes: %v", err)
		return
	}
	for _, c := range sample {
		r.partnerSample = append(r.partnerSample, flows.Record{Customer: syncrules.Customer{ID: fmt.Sprint(c.CodigoClienteOmie), Document: c.Document}})
	}
	r.check(ProbeOmieKeys, CheckPass, "", "key pair accepted (ListarClientes, a read); %d clients of %s", first.Items, total(first.Total))

	// Zone: Omie's dInc/dAlt carry no zone and are read as São Paulo time;
	// read so, none may be later than now.
	now := r.set.clock.Now()
	var newest time.Time
	for _, c := range sample {
		newest = latest(newest, latest(c.Info.Incluido, c.Info.Alterado))
	}
	switch {
	case newest.IsZero():
		r.check(ProbeOmieZone, CheckWarn, "", "no client with an inclusion or alteration time")
	case newest.After(now.Add(doctorClockSkewAllowed)):
		r.check(ProbeOmieZone, CheckFail, "", "newest stamp %s read as São Paulo time is %s in the future: Omie's stamps are not in São Paulo time",
			newest.Format(time.RFC3339), newest.Sub(now).Round(time.Minute))
	default:
		r.check(ProbeOmieZone, CheckPass, "", "newest stamp %s read as São Paulo time is not in the future", newest.Format(time.RFC3339))
	}

	// Window: a client altered after its inclusion must be in the window of
	// its alteration, sent as the flows send it (no filtrar_apenas_* flag).
	i := slices.IndexFunc(sample, func(c omie.Cliente) bool { return c.Info.Alterado.Sub(c.Info.Incluido) >= time.Second })
	if i < 0 {
		r.check(ProbeOmieWindow, CheckWarn, "", "no listed client was altered after its inclusion: cannot tell")
		return
	}
	probe := sample[i]
	at := probe.Info.Alterado.Truncate(time.Second)
	inWindow := func(o omie.ListOptions) (bool, error) {
		o.ChangedSince, o.ChangedUntil, o.PageSize = at, at, omie.MaxPageSize
		got, err := take(oc.ListarClientes(ctx, o), omie.MaxPageSize)
		return slices.ContainsFunc(got, func(c omie.Cliente) bool { return c.CodigoClienteOmie == probe.CodigoClienteOmie }), err
	}
	plain, err := inWindow(omie.ListOptions{})
	if err != nil {
		r.check(ProbeOmieWindow, CheckFail, "", "ListarClientes with a window: %v", err)
		return
	}
	altered, err := inWindow(omie.ListOptions{OnlyChanged: true})
	if err != nil {
		r.check(ProbeOmieWindow, CheckFail, "", "ListarClientes with filtrar_apenas_alteracao: %v", err)
		return
	}
	evidence := fmt.Sprintf("client %d included %s, altered %s: in the window of its alteration without a flag: %t, with filtrar_apenas_alteracao: %t",
		probe.CodigoClienteOmie, probe.Info.Incluido.Format(time.DateTime), at.Format(time.DateTime), plain, altered)
	switch {
	case plain && r.cc.Assume.OmieWindowBoth:
		r.check(ProbeOmieWindow, CheckWarn, "", "%s; omie_window: %s is not needed (it lists twice)", evidence, AssumeOmieWindowBoth)
	case plain:
		r.check(ProbeOmieWindow, CheckPass, "", "%s", evidence)
	case r.cc.Assume.OmieWindowBoth:
		r.check(ProbeOmieWindow, CheckPass, "", "%s; omie_window: %s is set: inclusions and alterations are listed apart", evidence, AssumeOmieWindowBoth)
	default:
		r.check(ProbeOmieWindow, CheckFail, "assume: {omie_window: "+AssumeOmieWindowBoth+"}",
			"%s: the window without a flag misses changed clients", evidence)
	}
}

// forecast runs the connection's flows dry (deciding everything, writing
// nothing) within the call budget, and prices the whole backlog at the
// vendors' limits.
func (r *doctorRun) forecast(ctx context.Context) {
	// A spent budget ends the dry run at once: the request refused is not
	// retried, and the record in hand is the last.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	r.guard.capAt(r.guard.total()+r.calls, stop)
	defer r.guard.capAt(0, nil)
	var mu sync.Mutex
	why := map[syncrules.Flow]map[string]int{}
	backlog := map[syncrules.Flow]int{}
	sink := flows.SinkFunc(func(rep flows.Report) {
		if rep.Outcome != syncrules.Skipped && rep.Outcome != syncrules.Failed {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if why[rep.Flow] == nil {
			why[rep.Flow] = map[string]int{}
		}
		why[rep.Flow][string(rep.Rule)]++
	})
	one := *r.cfg
	one.Connections = []ConnConfig{r.cc}
	before := r.guard.snapshot()
	run, err := New(&one, WithDryRun(true), WithStore(r.store), WithHTTPClient(&http.Client{Transport: r.guard}),
		WithBudgets(r.set.budgets), WithLogger(r.set.logger), WithClock(r.set.clock), WithReport(sink),
		WithProgress(func(p flows.Progress) {
			if p.Page == 1 || p.Done == 0 {
				mu.Lock()
				backlog[p.Flow] = p.Total
				mu.Unlock()
			}
		}))
	if err != nil {
		r.check(ProbeFirstSync, CheckFail, "", "%v", err)
		return
	}
	defer run.Close()
	cycle := run.RunOnce(ctx)
	used := r.guard.since(before)
	capped := r.guard.wasSpent()
	for _, p := range cycle.Problems {
		if !capped {
			r.check(ProbeFirstSync, CheckFail, "", "%s: %v", p.Flow, p.Err)
		}
	}
	seen := 0
	for _, s := range cycle.Summaries {
		seen += s.Seen
	}
	for _, s := range cycle.Summaries {
		f := FlowForecast{Flow: s.Flow, Seen: s.Seen, Complete: s.Completed(), Outcomes: s.Counts, Why: why[s.Flow], Backlog: -1}
		if b, ok := backlog[s.Flow]; ok {
			f.Backlog = b
		}
		r.price(&f, sumCalls(used), seen)
		r.out.Forecast = append(r.out.Forecast, f)
		if s.Err != nil && !capped {
			r.check(ProbeFirstSync, CheckFail, "", "%s stopped: %v", s.Flow, s.Err)
		}
	}
	if capped {
		r.check(ProbeFirstSync, CheckWarn, "", "the call budget (-calls %d) ran out before the listings' end: the counts are of the records decided so far", r.calls)
	} else if len(cycle.Problems) == 0 {
		r.check(ProbeFirstSync, CheckPass, "", "every flow decided its whole listing in %d calls", sumCalls(used))
	}
}

// price estimates the calls of the whole backlog and their time: the
// calls the dry run made per record decided (reads over seen, the records
// of all the connection's flows), plus one write per record it would
// create, link or update, over the records the backlog holds; the time at
// the slowest of the vendors' limits (their DefaultBudget).
func (r *doctorRun) price(f *FlowForecast, reads, seen int) {
	records := max(f.Backlog, f.Seen)
	perRecord := 0.0
	if seen > 0 {
		perRecord = float64(reads) / float64(seen)
	}
	writes := f.Outcomes[syncrules.Created] + f.Outcomes[syncrules.Linked] + f.Outcomes[syncrules.Updated]
	writeShare := 0.0
	if f.Seen > 0 {
		writeShare = float64(writes) / float64(f.Seen)
	}
	f.Calls = int(float64(records)*(perRecord+writeShare) + 0.5)
	rate, limit := bindingRate(partnerBudget(f.Flow.Partner()))
	if ar, al := bindingRate(auvo.DefaultBudget()); ar < rate {
		rate, limit = ar, al
	}
	f.BindingLimit = limit
	if rate > 0 {
		f.Time = time.Duration(float64(f.Calls) / rate * float64(time.Second)).Round(time.Second)
	}
}

func partnerBudget(p syncrules.Partner) vendorBudgetConfig {
	switch p {
	case syncrules.Omie:
		return omie.DefaultBudget()
	case syncrules.ContaAzul:
		return contaazul.DefaultBudget()
	default:
		return bling.DefaultBudget()
	}
}

// bindingRate is the slowest sustained rate (requests a second) of a
// vendor's limits, and the limit it comes from.
func bindingRate(b vendorBudgetConfig) (float64, string) {
	best, name := 0.0, ""
	for _, group := range []struct {
		kind   string
		limits []auvo.Limit
	}{{"per IP", b.PerIP}, {"per account", b.PerAccount}, {"per method", b.PerMethod}} {
		for _, l := range group.limits {
			if l.Per <= 0 {
				continue
			}
			rate := float64(l.Requests) / l.Per.Seconds()
			if best == 0 || rate < best {
				best, name = rate, fmt.Sprintf("%s %d per %s %s", b.Vendor, l.Requests, l.Per, group.kind)
			}
		}
	}
	return best, name
}

// addressFit parses the listed Auvo lines for the partner (R-ADDR-1).
func (r *doctorRun) addressFit() {
	var target address.Target
	var name string
	switch {
	case r.cc.Omie != nil:
		target, name = address.Omie, "omie"
	case r.cc.ContaAzul != nil:
		target, name = address.ContaAzul, "contaazul"
	default:
		return // Bling takes Auvo's line as it is
	}
	fit := &AddressFit{Target: name, Reasons: map[string]int{}}
	for _, c := range r.auvoSample {
		if strings.TrimSpace(c.Address) == "" {
			continue
		}
		fit.Lines++
		_, err := address.Parse(c.Address, target)
		var pe *address.ParseError
		switch {
		case err == nil:
			fit.Fit++
		case errors.As(err, &pe) && pe.Err != nil:
			fit.Reasons[syncrules.Redact(pe.Err.Error())]++
		default:
			fit.Reasons[syncrules.Redact(err.Error())]++
		}
	}
	r.out.Address = fit
}

// duplicates lists, masked, the documents more than one listed record of
// a side holds.
func (r *doctorRun) duplicates() {
	out := map[string][]string{}
	count := func(side string, docs []string) {
		seen := map[string]int{}
		for _, d := range docs {
			if d = syncrules.NormalizeDocument(d); d != "" {
				seen[d]++
			}
		}
		for d, n := range seen {
			if n > 1 {
				out[side] = append(out[side], fmt.Sprintf("%s ×%d", syncrules.MaskDocument(d), n))
			}
		}
		slices.Sort(out[side])
	}
	var docs []string
	for _, c := range r.auvoSample {
		docs = append(docs, c.Document)
	}
	count("auvo", docs)
	docs = nil
	for _, c := range r.partnerSample {
		docs = append(docs, c.Document)
	}
	if len(r.cc.Flows) > 0 {
		count(string(r.cc.Flows[0].Partner()), docs)
	}
	if len(out) > 0 {
		r.out.Duplicates = out
	}
}

// take reads at most n items of seq.
func take[T any](seq func(func(T, error) bool), n int) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
		if len(out) >= n {
			break
		}
	}
	return out, nil
}

func total(n int) string {
	if n < 0 {
		return "an unknown number"
	}
	return fmt.Sprint(n)
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func sumCalls(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// errCallBudget stops the dry run when the doctor's call budget is spent.
var errCallBudget = errors.New("the doctor's call budget is spent")

// errWriteRefused is a request the doctor never sends: anything but a read
// or a token refresh.
var errWriteRefused = errors.New("the doctor sends no writes")

// omieReads are the Omie methods that only read.
var omieReads = []string{"ListarClientes", "ListarClientesResumido", "ConsultarCliente"}

// readOnlyGuard lets out GETs, Omie's read methods, Auvo's login and token refreshes,
// refuses everything else, and counts the calls by host.
type readOnlyGuard struct {
	next      http.RoundTripper
	omieBase  string
	tokenURLs []string

	mu     sync.Mutex
	counts map[string]int
	limit  int // 0: none
	spent  bool
	onCap  func() // called once, when a request finds the limit reached
}

func (g *readOnlyGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := g.allowed(req); err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	g.mu.Lock()
	if g.limit > 0 && g.totalLocked() >= g.limit {
		first := !g.spent
		g.spent = true
		onCap := g.onCap
		g.mu.Unlock()
		if first && onCap != nil {
			onCap()
		}
		return nil, errCallBudget
	}
	g.counts[req.URL.Host]++
	g.mu.Unlock()
	return g.next.RoundTrip(req)
}

func (g *readOnlyGuard) allowed(req *http.Request) error {
	if req.Method == http.MethodGet {
		return nil
	}
	u := req.URL.String()
	for _, t := range g.tokenURLs {
		if req.Method == http.MethodPost && strings.HasPrefix(u, t) {
			return nil
		}
	}
	if g.omieBase != "" && req.Method == http.MethodPost && strings.HasPrefix(u, g.omieBase) && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return err
		}
		data, _ := io.ReadAll(io.LimitReader(body, 1<<16))
		_ = body.Close()
		var call struct {
			Call string `json:"call"`
		}
		if json.Unmarshal(bytes.TrimSpace(data), &call) == nil && slices.Contains(omieReads, call.Call) {
			return nil
		}
	}
	return errWriteRefused
}

func (g *readOnlyGuard) totalLocked() int {
	n := 0
	for _, v := range g.counts {
		n += v
	}
	return n
}

func (g *readOnlyGuard) total() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.totalLocked()
}

// capAt limits the calls to n in all (0: no limit); onCap hears of the
// first request refused for it.
func (g *readOnlyGuard) capAt(n int, onCap func()) {
	g.mu.Lock()
	g.limit, g.onCap, g.spent = n, onCap, false
	g.mu.Unlock()
}

func (g *readOnlyGuard) wasSpent() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.spent
}

func (g *readOnlyGuard) snapshot() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[string]int{}
	for k, v := range g.counts {
		out[k] = v
	}
	return out
}

func (g *readOnlyGuard) since(before map[string]int) map[string]int {
	now := g.snapshot()
	for k := range now {
		now[k] -= before[k]
	}
	return now
}
