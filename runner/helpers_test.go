package runner

import (
	"time"

	"github.com/auvosync/auvosync/internal/testkit"
)

// newFakeClock is a schedule clock that never sleeps: After records what
// it was asked to wait, advances the time and fires at once.
func newFakeClock() *testkit.Clock {
	return testkit.NewClock(time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC))
}
