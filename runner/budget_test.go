package runner

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
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
