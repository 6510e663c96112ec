package contaazul_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

// R-BUDGET-1: requests go through the budget given with WithBudget, and a
// refusal for a limit is counted on it.
func TestWithBudgetCountsTheVendorsRefusalsForALimit(t *testing.T) {
	budget, err := contaazul.NewBudget(contaazul.DefaultBudget())
	require.NoError(t, err)
	e := newEnv(t)
	c := e.client(t, contaazul.WithBudget(budget.For("acme")))
	require.NoError(t, e.fake.FailNext(contaazulfake.EndpointList, 1, http.StatusTooManyRequests, ""))
	for _, err := range c.List(t.Context(), contaazul.ListOptions{}) {
		require.NoError(t, err, "resent after the wait")
	}
	assert.EqualValues(t, 1, budget.Refusals())
}
