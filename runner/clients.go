package runner

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
)

// This file is the one place where vendor clients are made: one function per
// vendor, each given everything a client of any connection shares, the
// process-wide budget per vendor included (R-BUDGET-1); "runner doctor"
// builds its clients through the same functions.

const userAgent = "auvosync-runner"

// clientEnv is what every client of one connection gets.
type clientEnv struct {
	logger     *slog.Logger // already carries the connection's name
	observer   *connObserver
	httpClient *http.Client // nil: each client's own
	store      ledger.Store // rotated OAuth tokens
	conn       string
	budgets    Budgets
	clock      Clock // stamps saved tokens
}

func (e clientEnv) now() time.Time {
	if e.clock == nil {
		return time.Now()
	}
	return e.clock.Now()
}

// Budgets are the process-wide budgets of one egress IP, one per vendor
// (R-BUDGET-1): every client of every connection draws from them, each
// connection under its own name, so that connections share them fairly.
// A client given a budget has no limits of its own: the budget models the
// vendor's.
type Budgets struct {
	Auvo      *auvo.Budget
	Omie      *omie.Budget
	ContaAzul *contaazul.Budget
	Bling     *bling.Budget
}

// DefaultBudgets are the vendors' documented budgets for one egress IP
// (auvo.DefaultBudget, ...), share being this process's part of the per-IP
// ones (budget_share; 0 means 1).
func DefaultBudgets(share float64) (Budgets, error) {
	var b Budgets
	var err error
	withShare := func(c vendorBudgetConfig) vendorBudgetConfig { c.Share = share; return c }
	if b.Auvo, err = auvo.NewBudget(withShare(auvo.DefaultBudget())); err != nil {
		return Budgets{}, err
	}
	if b.Omie, err = omie.NewBudget(withShare(omie.DefaultBudget())); err != nil {
		return Budgets{}, err
	}
	if b.ContaAzul, err = contaazul.NewBudget(withShare(contaazul.DefaultBudget())); err != nil {
		return Budgets{}, err
	}
	if b.Bling, err = bling.NewBudget(withShare(bling.DefaultBudget())); err != nil {
		return Budgets{}, err
	}
	return b, nil
}

// The vendor packages re-export one budget type (transport's): these names
// say so where a budget of any vendor is meant.
type (
	vendorBudget       = auvo.Budget
	vendorBudgetConfig = auvo.BudgetConfig
)

// orDefault fills the budgets b leaves nil from def.
func (b Budgets) orDefault(def Budgets) Budgets {
	if b.Auvo == nil {
		b.Auvo = def.Auvo
	}
	if b.Omie == nil {
		b.Omie = def.Omie
	}
	if b.ContaAzul == nil {
		b.ContaAzul = def.ContaAzul
	}
	if b.Bling == nil {
		b.Bling = def.Bling
	}
	return b
}

// all lists the budgets, for the refusal metric.
func (b Budgets) all() []*vendorBudget {
	var out []*vendorBudget
	for _, x := range []*vendorBudget{b.Auvo, b.Omie, b.ContaAzul, b.Bling} {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

func newAuvoClient(c AuvoConfig, e clientEnv) (*auvo.Client, error) {
	opts := []auvo.Option{
		auvo.WithBaseURL(c.BaseURL),
		auvo.WithCredentials(string(c.APIKey), string(c.APIToken)),
		auvo.WithLogger(e.logger),
		auvo.WithObserver(e.observer),
		auvo.WithUserAgent(userAgent),
	}
	if e.budgets.Auvo != nil {
		opts = append(opts, auvo.WithRateLimit(), auvo.WithBudget(e.budgets.Auvo.For(e.conn)))
	}
	if e.httpClient != nil {
		opts = append(opts, auvo.WithHTTPClient(e.httpClient))
	}
	return auvo.New(opts...)
}

func newOmieClient(c OmieConfig, e clientEnv) (*omie.Client, error) {
	opts := []omie.Option{
		omie.WithBaseURL(c.BaseURL),
		omie.WithCredentials(string(c.AppKey), string(c.AppSecret)),
		omie.WithLogger(e.logger),
		omie.WithObserver(e.observer),
	}
	if e.budgets.Omie != nil {
		opts = append(opts, omie.WithRateLimit(), omie.WithMethodRateLimit(), omie.WithBudget(e.budgets.Omie.For(e.conn)))
	}
	if e.httpClient != nil {
		opts = append(opts, omie.WithHTTPClient(e.httpClient))
	}
	return omie.New(opts...)
}

func newContaAzulClient(c OAuthConfig, e clientEnv, a Assumptions) (*contaazul.Client, error) {
	opts := []contaazul.Option{
		contaazul.WithBaseURL(c.BaseURL),
		contaazul.WithTokenURL(c.TokenURL),
		contaazul.WithCredentials(string(c.ClientID), string(c.ClientSecret)),
		contaazul.WithRefreshToken(string(c.RefreshToken)),
		contaazul.WithTokenStore(flows.LedgerTokens{Store: e.store, Conn: e.conn, Vendor: "contaazul", Clock: e.now}),
		contaazul.WithLogger(e.logger),
		contaazul.WithObserver(e.observer),
		contaazul.WithUserAgent(userAgent),
	}
	if a.ContaAzulOffsetDates {
		opts = append(opts, contaazul.WithOffsetDates())
	}
	if e.budgets.ContaAzul != nil {
		opts = append(opts, contaazul.WithRateLimit(), contaazul.WithBudget(e.budgets.ContaAzul.For(e.conn)))
	}
	if e.httpClient != nil {
		opts = append(opts, contaazul.WithHTTPClient(e.httpClient))
	}
	return contaazul.New(opts...)
}

func newBlingClient(c OAuthConfig, e clientEnv) (*bling.Client, error) {
	opts := []bling.Option{
		bling.WithBaseURL(c.BaseURL),
		bling.WithTokenURL(c.TokenURL),
		bling.WithCredentials(string(c.ClientID), string(c.ClientSecret)),
		bling.WithRefreshToken(string(c.RefreshToken)),
		bling.WithTokenStore(flows.LedgerTokens{Store: e.store, Conn: e.conn, Vendor: "bling", Clock: e.now}),
		bling.WithLogger(e.logger),
		bling.WithObserver(e.observer),
		bling.WithUserAgent(userAgent),
	}
	if e.budgets.Bling != nil {
		opts = append(opts, bling.WithRateLimit(), bling.WithBudget(e.budgets.Bling.For(e.conn)))
	}
	if e.httpClient != nil {
		opts = append(opts, bling.WithHTTPClient(e.httpClient))
	}
	return bling.New(opts...)
}
