package auvofake_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/internal/testkit"
)

// R-BUDGET-1: Auvo counts 400 a minute per IP, across accounts; two fake
// accounts behind one IPBudget refuse together, with Auvo's 403.
func TestAccountsBehindOneIPBudgetAreRefusedTogether(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC))
	ip := auvofake.NewIPBudget(6, time.Minute, clock.Now)
	a := newHarness(t, auvofake.WithIPBudget(ip))
	b := newHarness(t, auvofake.WithIPBudget(ip))
	path := "/v2/customers/" + itoa(a.fake.Seed(auvofake.Customer{Name: "Ana"}))
	b.fake.Seed(auvofake.Customer{Name: "Bia"})
	a.login()
	b.login()
	for _, h := range []*harness{a, b} {
		assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)
		assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)
	}
	r := b.do(http.MethodGet, path, "")
	assert.Equal(t, http.StatusForbidden, r.Status, "the seventh request through the IP, though b made only its fourth")
	assert.JSONEq(t, `{"error":"Rate limit temporarily exceeded"}`, r.Body)
	assert.Equal(t, http.StatusForbidden, a.do(http.MethodGet, path, "").Status)
	assert.Equal(t, 2, ip.Refused())
	assert.Equal(t, 1, a.fake.LimitRefusals())
	assert.Equal(t, 1, b.fake.LimitRefusals())

	clock.Advance(time.Minute)
	assert.Equal(t, http.StatusOK, a.do(http.MethodGet, path, "").Status, "a new window")
}
