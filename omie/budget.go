package omie

import (
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// Budget is the process-wide allowance of Omie behind one egress IP,
// shared by the clients of every connection (R-BUDGET-1): build one with
// NewBudget, and give each connection's client Budget.For(connection) with
// WithBudget. A request waits for the client's own limits (WithRateLimit)
// and for the budget's.
type Budget = transport.Budget

// BudgetConfig describes a Budget; its Limits are Omie's own counts.
type BudgetConfig = transport.BudgetConfig

// DefaultBudget is Omie's documented allowance (960 requests a minute per IP,
// and 240 a minute and 4 in flight per IP + app_key + method) less about 1%,
// so that a request delayed on its way still does not arrive inside a full
// window. The bursts (3%) let a flow that fell behind its pace catch up; the
// budget still never lets a window hold more than its count.
func DefaultBudget() BudgetConfig {
	return BudgetConfig{
		Vendor:    "omie",
		PerIP:     []Limit{{Requests: 950, Per: time.Minute, Burst: 28}},
		PerMethod: []Limit{{Requests: 237, Per: time.Minute, Burst: 7, Concurrency: 4}},
	}
}

// NewBudget builds a Budget for Omie (cfg.Vendor is set for you).
func NewBudget(cfg BudgetConfig) (*Budget, error) {
	cfg.Vendor = "omie"
	return transport.NewBudget(cfg)
}
