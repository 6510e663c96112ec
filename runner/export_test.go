package runner

import "time"

// WithSlot shortens the replicas' slot for tests (the product's is the
// fixed Interval, R-SCHED-1).
func WithSlot(d time.Duration) Option { return func(s *settings) { s.slot = d } }
