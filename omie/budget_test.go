package omie_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

// R-BUDGET-1: requests go through the budget given with WithBudget, and a
// refusal for a limit is counted on it.
func TestWithBudgetCountsTheVendorsRefusalsForALimit(t *testing.T) {
	budget, err := omie.NewBudget(omie.DefaultBudget())
	require.NoError(t, err)
	p := newPair(t, nil, omie.WithBudget(budget.For("acme")))
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "Ana"})
	p.fake.FailNext("ListarClientes", 1, http.StatusTooManyRequests, omiefake.CodeTooManyRequests,
		"ERROR: 429: Too many Requests. Aguarde 1 segundos.")
	got, err := collect(t, p.client.ListarClientes(t.Context(), omie.ListOptions{}))
	require.NoError(t, err, "resent after the wait")
	assert.Len(t, got, 1)
	assert.EqualValues(t, 1, budget.Refusals())
	assert.Equal(t, "omie", budget.Vendor())
}
