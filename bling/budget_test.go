package bling_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/bling"
)

// R-BUDGET-1: requests go through the budget given with WithBudget, and a
// refusal for a limit is counted on it.
func TestWithBudgetCountsTheVendorsRefusalsForALimit(t *testing.T) {
	budget, err := bling.NewBudget(bling.DefaultBudget())
	require.NoError(t, err)
	e := newEnv(t)
	c := e.client(t, bling.WithBudget(budget.For("acme")))
	e.fake.FailNext("GET /contatos", 1, http.StatusTooManyRequests, "")
	for _, err := range c.List(t.Context(), bling.ListOptions{}) {
		require.NoError(t, err, "resent after the wait")
	}
	assert.EqualValues(t, 1, budget.Refusals())
}
