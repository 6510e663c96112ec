package contaazul

import (
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// Budget is the process-wide allowance of Conta Azul behind one egress IP,
// shared by the clients of every connection (R-BUDGET-1): build one with
// NewBudget, and give each connection's client Budget.For(connection) with
// WithBudget. A request waits for the client's own limits (WithRateLimit)
// and for the budget's.
type Budget = transport.Budget

// BudgetConfig describes a Budget; its Limits are Conta Azul's own counts.
type BudgetConfig = transport.BudgetConfig

// DefaultBudget is Conta Azul's documented allowance (10 requests a second and
// 600 a minute per account), its windows stretched by 5% and 1% so that a
// request delayed on its way still does not arrive inside a full window.
func DefaultBudget() BudgetConfig {
	return BudgetConfig{
		Vendor:     "contaazul",
		PerAccount: []Limit{{Requests: 10, Per: 1050 * time.Millisecond}, {Requests: 594, Per: time.Minute}},
	}
}

// NewBudget builds a Budget for Conta Azul (cfg.Vendor is set for you).
func NewBudget(cfg BudgetConfig) (*Budget, error) {
	cfg.Vendor = "contaazul"
	return transport.NewBudget(cfg)
}
