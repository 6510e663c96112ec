package runner

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// R-SCHED-1: the interval is a constant of ten minutes.
func TestIntervalIsTenMinutes_RSCHED1(t *testing.T) {
	assert.Equal(t, 10*time.Minute, Interval)
}

// R-SCHED-1: the first cycle runs at start, the next ones ten minutes after
// the previous start.
func TestScheduleRunsAtStartThenEveryInterval_RSCHED1(t *testing.T) {
	fc := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var starts []time.Time
	schedule(ctx, fc, false, func(context.Context) {
		starts = append(starts, fc.Now())
		fc.Advance(3 * time.Minute) // the cycle's own duration
		if len(starts) == 4 {
			cancel()
		}
	})
	require.Len(t, starts, 4)
	for i := 1; i < len(starts); i++ {
		assert.Equal(t, Interval, starts[i].Sub(starts[i-1]))
	}
	assert.Equal(t, []time.Duration{7 * time.Minute, 7 * time.Minute, 7 * time.Minute}, fc.Waits())
}

// R-SCHED-2: a cycle longer than the interval is not overlapped; the next
// starts as soon as it ends, and only once.
func TestScheduleNeverOverlapsALongCycle_RSCHED2(t *testing.T) {
	fc := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running, maxRunning, n atomic.Int32
	var ends, starts []time.Time
	schedule(ctx, fc, false, func(context.Context) {
		if r := running.Add(1); r > maxRunning.Load() {
			maxRunning.Store(r)
		}
		starts = append(starts, fc.Now())
		fc.Advance(25 * time.Minute)
		ends = append(ends, fc.Now())
		running.Add(-1)
		if n.Add(1) == 3 {
			cancel()
		}
	})
	assert.EqualValues(t, 1, maxRunning.Load())
	require.Len(t, starts, 3)
	assert.Equal(t, ends[0], starts[1], "the next cycle starts when the previous one ends")
	assert.Equal(t, []time.Duration{0, 0}, fc.Waits())
}

func TestScheduleOnceRunsExactlyOneCycle(t *testing.T) {
	fc := newFakeClock()
	n := 0
	schedule(context.Background(), fc, true, func(context.Context) { n++ })
	assert.Equal(t, 1, n)
	assert.Empty(t, fc.Waits())
}

func TestScheduleStopsWhileWaitingWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	schedule(ctx, cancelling{cancel}, false, func(context.Context) { n++ })
	assert.Equal(t, 1, n)
}

// cancelling is a clock whose wait never ends, and cancels the run instead.
type cancelling struct{ cancel func() }

func (cancelling) Now() time.Time { return time.Now() }

func (c cancelling) After(time.Duration) <-chan time.Time {
	c.cancel()
	return make(chan time.Time) // never fires
}
