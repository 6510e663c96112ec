package auvo

import (
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// Budget is the process-wide allowance of Auvo behind one egress IP,
// shared by the clients of every connection (R-BUDGET-1): build one with
// NewBudget, and give each connection's client Budget.For(connection) with
// WithBudget. A request waits for the client's own limits (WithRateLimit)
// and for the budget's.
type Budget = transport.Budget

// BudgetConfig describes a Budget; its Limits are Auvo's own counts.
type BudgetConfig = transport.BudgetConfig

// DefaultBudget is Auvo's documented allowance (400 requests a minute per IP,
// across all accounts) less 1%, so that a request delayed on its way by up
// to 4 requests' spacing still does not arrive inside a full window. The
// burst of 12 lets a flow that fell behind its pace (a slow answer) catch up;
// the budget still never lets a window hold more than 396.
func DefaultBudget() BudgetConfig {
	return BudgetConfig{
		Vendor: vendor,
		PerIP:  []Limit{{Requests: 396, Per: time.Minute, Burst: 12}},
	}
}

// NewBudget builds a Budget for Auvo (cfg.Vendor is set for you).
func NewBudget(cfg BudgetConfig) (*Budget, error) {
	cfg.Vendor = vendor
	return transport.NewBudget(cfg)
}
