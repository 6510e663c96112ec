package runner

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// R-BUDGET-1: a refusal for a limit under a budget means the budget model
// is wrong; the metrics count it per vendor.
func TestMetricsCountRefusalsForALimitPerVendor(t *testing.T) {
	fake := auvofake.New()
	id := fake.Seed(auvofake.Customer{Name: "Ana"})
	api := httptest.NewServer(fake)
	defer api.Close()
	budget, err := auvo.NewBudget(auvo.DefaultBudget())
	require.NoError(t, err)
	client, err := auvo.New(auvo.WithBaseURL(api.URL+"/v2"),
		auvo.WithCredentials(auvofake.DefaultAPIKey, auvofake.DefaultAPIToken),
		auvo.WithBudget(budget.For("acme")), auvo.WithRateLimit(),
		auvo.WithRetryWait(func(context.Context, time.Duration) error { return nil }))
	require.NoError(t, err)
	m := newMetrics()
	m.countRefusals([]*vendorBudget{budget})

	fake.RateLimitBurst(1)
	_, err = client.Get(t.Context(), id)
	require.NoError(t, err, "resent after the refusal")

	srv := httptest.NewServer(m.handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), `auvosync_budget_refusals_total{vendor="auvo"} 1`)
}

func TestNewUsesTheCallersBudgetsAndDefaultsTheOthers(t *testing.T) {
	cfg := fakes(t)
	cfg.BudgetShare = 0.5
	own, err := auvo.NewBudget(auvo.DefaultBudget())
	require.NoError(t, err)
	r, err := New(cfg, WithBudgets(Budgets{Auvo: own}))
	require.NoError(t, err)
	defer r.Close()
	assert.Same(t, own, r.set.budgets.Auvo, "the caller's budget is used")
	require.NotNil(t, r.set.budgets.Omie, "a vendor left nil gets its default")
	assert.Equal(t, "omie", r.set.budgets.Omie.Vendor())

	_, err = New(&Config{Connections: cfg.Connections, State: cfg.State, BudgetShare: 2})
	require.ErrorContains(t, err, "budget_share")
}

// The symptom (R-BUDGET-1): three Omie → Auvo connections on one IP
// together passed Auvo's 400 a minute per IP and were refused. With one
// Auvo account each behind one per-IP limit (scaled: a minute lasts
// time.Minute/50) and the runner's budgets scaled alike, none is refused.
func TestConnectionsOnOneIPTogetherStayInsideAuvosPerIPLimit(t *testing.T) {
	s := newScaledLimits()
	auvoIP := auvofake.NewIPBudget(400, s.auvoPer, nil)
	omieIP := omiefake.NewIPBudget(960, s.omiePer, nil)
	cfg := &Config{State: filepath.Join(t.TempDir(), "state.db")}
	var accounts []*account
	for i := range 3 {
		acc := newAccount(t, s, auvoIP, omieIP)
		acc.seed(syncrules.OmieToAuvo, 150, i*1000) // one Auvo create each, with the matching index
		accounts = append(accounts, acc)
		cfg.Connections = append(cfg.Connections, acc.conn(fmt.Sprintf("conn%d", i), syncrules.OmieToAuvo))
	}
	budgets := s.budgets(t)
	r, err := New(cfg, WithBudgets(budgets))
	require.NoError(t, err)
	defer r.Close()
	c := r.RunOnce(t.Context())
	require.True(t, c.OK(), "%+v", c.Problems)
	for _, sum := range c.Summaries {
		assert.Equal(t, 150, sum.Counts[syncrules.Created], sum.Connection)
	}
	var auvoCalls int64
	for _, acc := range accounts {
		auvoCalls += acc.auvoT.n.Load()
	}
	assert.Greater(t, auvoCalls, int64(400), "the connections together needed more than one window of the limit")
	assert.Zero(t, auvoIP.Refused(), "Auvo refused none for its per-IP limit")
	assert.Zero(t, budgets.Auvo.Refusals())
}
