package bling

import (
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// Budget is the process-wide allowance of Bling behind one egress IP,
// shared by the clients of every connection (R-BUDGET-1): build one with
// NewBudget, and give each connection's client Budget.For(connection) with
// WithBudget. A request waits for the client's own limits (WithRateLimit)
// and for the budget's.
type Budget = transport.Budget

// BudgetConfig describes a Budget; its Limits are Bling's own counts.
type BudgetConfig = transport.BudgetConfig

// DefaultBudget is Bling's documented allowance (3 requests a second per
// account), its window stretched by 5% so that a request delayed on its way
// by up to 50 ms still does not arrive inside a full second. The 120,000 a
// day per account stay with WithDailyBudget, which counts Bling's calendar
// day.
func DefaultBudget() BudgetConfig {
	return BudgetConfig{
		Vendor:     "bling",
		PerAccount: []Limit{{Requests: 3, Per: 1050 * time.Millisecond}},
	}
}

// NewBudget builds a Budget for Bling (cfg.Vendor is set for you).
func NewBudget(cfg BudgetConfig) (*Budget, error) {
	cfg.Vendor = "bling"
	return transport.NewBudget(cfg)
}
