package runner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/internal/transport"
	"github.com/auvosync/auvosync/syncrules"
)

// validator expands and checks one file's values, collecting every problem
// so that one run of the runner shows them all.
type validator struct {
	env func(string) string
	// literal: the values come from Go, not from a file, and are taken as
	// written (no ${VAR} expansion: a secret may contain "${").
	literal  bool
	problems []string
}

func (v *validator) addf(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

// value expands raw; when required and the result is empty it reports the
// key as missing, naming the unset variable if the file referred to one.
func (v *validator) value(label, key, raw string, required bool) string {
	out, unset := raw, []string(nil)
	if !v.literal {
		out, unset = expand(raw, v.env)
	}
	out = strings.TrimSpace(out)
	if out == "" && required {
		if len(unset) > 0 {
			v.addf("%s: %s is missing (environment variable %s is not set)", label, key, strings.Join(unset, ", "))
		} else {
			v.addf("%s: %s is missing", label, key)
		}
	}
	return out
}

// endpoint expands a URL, applies its default and checks it the way the
// clients do (https, or plain http on a loopback host: CONTRACTS.md §3; the
// runner has no switch for test networks). The value is never echoed: a URL
// may carry credentials.
func (v *validator) endpoint(label, key, raw, def string) string {
	out := v.value(label, key, raw, false)
	if out == "" {
		return def
	}
	if err := transport.CheckBaseURL(out, false); err != nil {
		v.addf("%s: %s %v", label, key, err)
	}
	return strings.TrimRight(out, "/")
}

func validate(fc *fileConfig, env func(string) string) (*Config, error) {
	return (&validator{env: env}).config(fc)
}

// checkConfig validates a Config built in Go exactly as a file would be,
// with the same messages, and returns it with its defaults filled in.
func checkConfig(cfg *Config) (*Config, error) {
	fc := &fileConfig{State: cfg.State}
	if cfg.BudgetShare != 0 {
		fc.BudgetShare = strconv.FormatFloat(cfg.BudgetShare, 'g', -1, 64)
	}
	if cfg.Console.Password != "" {
		fc.Console = &fileConsole{Password: string(cfg.Console.Password)}
	}
	for _, c := range cfg.Connections {
		fcn := fileConnection{Name: c.Name,
			Auvo: &fileAuvo{BaseURL: c.Auvo.BaseURL, APIKey: string(c.Auvo.APIKey), APIToken: string(c.Auvo.APIToken)}}
		for _, f := range c.Flows {
			fcn.Flows = append(fcn.Flows, string(f))
		}
		if o := c.Omie; o != nil {
			fcn.Omie = &fileOmie{BaseURL: o.BaseURL, AppKey: string(o.AppKey), AppSecret: string(o.AppSecret)}
		}
		fcn.ContaAzul, fcn.Bling = c.ContaAzul.file(), c.Bling.file()
		fcn.Assume = c.Assume.file()
		fc.Connections = append(fc.Connections, fcn)
	}
	return (&validator{literal: true}).config(fc)
}

func (a Assumptions) file() *fileAssume {
	f := &fileAssume{}
	if a.AuvoDateFilterAfter {
		f.AuvoDateFilter = AssumeAuvoDateAfter
	}
	if a.OmieWindowBoth {
		f.OmieWindow = AssumeOmieWindowBoth
	}
	if a.ContaAzulOffsetDates {
		f.ContaAzulDates = AssumeContaAzulOffset
	}
	return f
}

// assume reads the assume: block; an absent key keeps the default.
func (v *validator) assume(label string, fa *fileAssume) Assumptions {
	var a Assumptions
	if fa == nil {
		return a
	}
	a.AuvoDateFilterAfter = v.choice(label, "assume.auvo_date_filter", fa.AuvoDateFilter, AssumeAuvoDateAtOrAfter, AssumeAuvoDateAfter)
	a.OmieWindowBoth = v.choice(label, "assume.omie_window", fa.OmieWindow, AssumeOmieWindowAny, AssumeOmieWindowBoth)
	a.ContaAzulOffsetDates = v.choice(label, "assume.contaazul_dates", fa.ContaAzulDates, AssumeContaAzulLocal, AssumeContaAzulOffset)
	return a
}

// choice reads a two-valued key: false for the default (or absent), true
// for the other value; anything else is a problem naming both values.
func (v *validator) choice(label, key, raw, def, other string) bool {
	switch s := v.value(label, key, raw, false); s {
	case "", def:
		return false
	case other:
		return true
	default:
		v.addf("%s: %s: %q is not one of %s, %s", label, key, s, def, other)
		return false
	}
}

func (o *OAuthConfig) file() *fileOAuth {
	if o == nil {
		return nil
	}
	return &fileOAuth{BaseURL: o.BaseURL, TokenURL: o.TokenURL, ClientID: string(o.ClientID),
		ClientSecret: string(o.ClientSecret), RefreshToken: string(o.RefreshToken)}
}

func (v *validator) config(fc *fileConfig) (*Config, error) {
	if v.env == nil {
		v.env = func(string) string { return "" }
	}
	cfg := &Config{State: v.value("state", "state", fc.State, false)}
	if cfg.State == "" {
		cfg.State = defaultState
	}
	cfg.Console = v.console(fc.Console)
	cfg.BudgetShare = v.budgetShare(v.value("budget_share", "budget_share", fc.BudgetShare, false))
	if len(fc.Connections) == 0 {
		v.addf("no connections: the file needs a \"connections\" list with at least one connection")
	}
	names := map[string]bool{}
	for i, fcn := range fc.Connections {
		label := fmt.Sprintf("connection #%d", i+1)
		name := v.value(label, "name", fcn.Name, true)
		if name != "" {
			label = fmt.Sprintf("connection %q", name)
			if names[name] {
				v.addf("%s: name is used by another connection", label)
			}
			names[name] = true
		}
		cfg.Connections = append(cfg.Connections, v.connection(label, name, fcn))
	}
	if len(v.problems) > 0 {
		return nil, &ConfigError{Problems: v.problems}
	}
	return cfg, nil
}

func (v *validator) connection(label, name string, fc fileConnection) ConnConfig {
	cc := ConnConfig{Name: name}
	if len(fc.Flows) == 0 {
		v.addf("%s: flows is empty; want some of %s", label, flowNames())
	}
	for _, raw := range fc.Flows {
		s := v.value(label, "flows", raw, false)
		f, err := syncrules.ParseFlow(s)
		if err != nil {
			v.addf("%s: flows: unknown flow %q; want one of %s", label, s, flowNames())
			continue
		}
		for _, seen := range cc.Flows {
			if seen == f {
				v.addf("%s: flows: %s is listed twice", label, f)
			}
		}
		cc.Flows = append(cc.Flows, f)
	}

	if fc.Auvo == nil {
		v.addf("%s: the auvo block is missing (api_key, api_token)", label)
	} else {
		cc.Auvo = AuvoConfig{
			BaseURL:  v.endpoint(label, "auvo.base_url", fc.Auvo.BaseURL, defaultAuvoBaseURL),
			APIKey:   Secret(v.value(label, "auvo.api_key", fc.Auvo.APIKey, true)),
			APIToken: Secret(v.value(label, "auvo.api_token", fc.Auvo.APIToken, true)),
		}
	}
	if fc.Omie != nil {
		cc.Omie = &OmieConfig{
			BaseURL:   v.endpoint(label, "omie.base_url", fc.Omie.BaseURL, defaultOmieBaseURL),
			AppKey:    Secret(v.value(label, "omie.app_key", fc.Omie.AppKey, true)),
			AppSecret: Secret(v.value(label, "omie.app_secret", fc.Omie.AppSecret, true)),
		}
	}
	if fc.ContaAzul != nil {
		cc.ContaAzul = v.oauth(label, "contaazul", fc.ContaAzul, defaultContaAzulBase, contaazul.TokenURLFor)
	}
	if fc.Bling != nil {
		cc.Bling = v.oauth(label, "bling", fc.Bling, defaultBlingBaseURL, blingTokenURL)
	}
	for _, f := range cc.Flows {
		if !cc.hasPartner(f.Partner()) {
			v.addf("%s: flow %s needs a %q block, which is missing", label, f, f.Partner())
		}
	}
	v.oneERP(label, cc.Flows)
	cc.Assume = v.assume(label, fc.Assume)
	return cc
}

// oneERP refuses flows of two ERPs in one connection: an Auvo customer has
// one external code, and it can hold the id of one ERP only; with two, each
// ERP's flows would overwrite the other's id and link the wrong records.
func (v *validator) oneERP(label string, flows []syncrules.Flow) {
	first := map[syncrules.Partner]syncrules.Flow{}
	var erps []syncrules.Partner
	for _, f := range flows {
		if _, ok := first[f.Partner()]; !ok {
			first[f.Partner()] = f
			erps = append(erps, f.Partner())
		}
	}
	if len(erps) < 2 {
		return
	}
	names := make([]string, len(erps))
	for i, p := range erps {
		names[i] = fmt.Sprintf("%s (%s)", p, first[p])
	}
	v.addf("%s: flows go to %d ERPs, %s; Auvo's external code holds one ERP's id per customer, so a connection syncs with one ERP only: make one connection per ERP, each with its own Auvo account",
		label, len(erps), strings.Join(names, " and "))
}

// blingTokenURL: Bling's token endpoint lives under its API base, so a base
// pointed elsewhere (a proxy, a fake) takes its token endpoint along.
func blingTokenURL(base string) string { return strings.TrimRight(base, "/") + "/oauth/token" }

// oauth reads Conta Azul's or Bling's block. token_url defaults to the one
// that goes with base_url (tokenFor), so credentials meant for a proxy or a
// fake never go to the production auth host. refresh_token may be empty
// here: once a rotated token is in the state file the file's one is no
// longer needed; the runner checks that one of the two exists.
func (v *validator) oauth(label, key string, fo *fileOAuth, defBase string, tokenFor func(base string) string) *OAuthConfig {
	base := v.endpoint(label, key+".base_url", fo.BaseURL, defBase)
	return &OAuthConfig{
		BaseURL:      base,
		TokenURL:     v.endpoint(label, key+".token_url", fo.TokenURL, tokenFor(base)),
		ClientID:     Secret(v.value(label, key+".client_id", fo.ClientID, true)),
		ClientSecret: Secret(v.value(label, key+".client_secret", fo.ClientSecret, true)),
		RefreshToken: Secret(v.value(label, key+".refresh_token", fo.RefreshToken, false)),
	}
}

func (c ConnConfig) hasPartner(p syncrules.Partner) bool {
	switch p {
	case syncrules.Omie:
		return c.Omie != nil
	case syncrules.ContaAzul:
		return c.ContaAzul != nil
	case syncrules.Bling:
		return c.Bling != nil
	}
	return false
}

func flowNames() string {
	names := make([]string, 0, 5)
	for _, f := range syncrules.AllFlows() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// budgetShare checks budget_share (CONTRACTS.md §4): a replica's share of
// the per-IP budgets, 0 < share <= 1, default 1.
func (v *validator) budgetShare(raw string) float64 {
	if raw == "" {
		return 1
	}
	share, err := strconv.ParseFloat(raw, 64)
	if err != nil || !(share > 0 && share <= 1) {
		v.addf("budget_share: %q is not a share of the per-IP budgets: give a number above 0 and at most 1 (1 for the only process behind its IP, 0.5 for each of two replicas)", raw)
		return 1
	}
	return share
}
