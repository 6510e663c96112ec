package omiefake_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/omie/omiefake"
)

// R-BUDGET-1: Omie counts 960 a minute per IP, across app keys; two fake
// accounts behind one IPBudget refuse together, with Omie's 429.
func TestAccountsBehindOneIPBudgetAreRefusedTogether(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 3, 10, 14, 0, 0, 0, saoPaulo))
	ip := omiefake.NewIPBudget(3, time.Minute, clock.Now)
	a, srvA, _ := newFake(t, omiefake.WithIPBudget(ip))
	_, srvB, _ := newFake(t, omiefake.WithIPBudget(ip))
	a.Seed(omiefake.Cliente{RazaoSocial: "C"})
	page := func(n int) map[string]any { return map[string]any{"pagina": n, "registros_por_pagina": 50} }
	assert.Equal(t, http.StatusOK, post(t, srvA, "ListarClientes", page(1)).status)
	assert.Equal(t, http.StatusOK, post(t, srvA, "ListarClientes", page(1)).status)
	assert.NotEqual(t, http.StatusTooManyRequests, post(t, srvB, "ListarClientes", page(1)).status)
	refused := post(t, srvB, "ListarClientes", page(1))
	assert.Equal(t, http.StatusTooManyRequests, refused.status, "the fourth request through the IP")
	assert.Equal(t, omiefake.CodeTooManyRequests, refused.faultcode())
	assert.Contains(t, refused.body["faultstring"], "por IP")
	assert.Equal(t, 1, ip.Refused())
	assert.Equal(t, 0, a.LimitRefusals())

	clock.Advance(time.Minute)
	assert.Equal(t, http.StatusOK, post(t, srvA, "ListarClientes", page(1)).status, "the window moved on")
}
