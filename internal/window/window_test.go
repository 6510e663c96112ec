package window_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/brtime"
	"github.com/auvosync/auvosync/internal/window"
)

const year = 365 * 24 * time.Hour

var sp = brtime.SaoPaulo

func TestSplitAtTheBoundaries(t *testing.T) {
	from := time.Date(2024, 3, 9, 9, 0, 0, 0, sp)
	// São Paulo's last daylight-saving period: clocks went 00:00 → 01:00 on
	// 2018-11-04 and 00:00 → 23:00 (the day before) on 2019-02-17.
	dstStart := time.Date(2018, 11, 4, 1, 0, 0, 0, sp)
	dstEnd := time.Date(2019, 2, 16, 23, 30, 0, 0, sp)
	tests := []struct {
		name     string
		from, to time.Time
		max      time.Duration
		want     []window.Range
	}{
		{"zero-length range has no window", from, from, year, nil},
		{"inverted range has no window", from, from.Add(-time.Nanosecond), year, nil},
		{"1 ns is one window", from, from.Add(time.Nanosecond), year, []window.Range{{from, from.Add(time.Nanosecond)}}},
		{"exactly 365 days is one window", from, from.Add(year), year, []window.Range{{from, from.Add(year)}}},
		{"365 days + 1 ns is two, the second 1 ns long", from, from.Add(year + time.Nanosecond), year,
			[]window.Range{{from, from.Add(year)}, {from.Add(year), from.Add(year + time.Nanosecond)}}},
		{"730 days is exactly two", from, from.Add(2 * year), year,
			[]window.Range{{from, from.Add(year)}, {from.Add(year), from.Add(2 * year)}}},
		{"a day across the DST start is 24 real hours, 25 on the wall", dstStart.Add(-12 * time.Hour), dstStart.Add(36 * time.Hour), 24 * time.Hour,
			[]window.Range{{dstStart.Add(-12 * time.Hour), dstStart.Add(12 * time.Hour)}, {dstStart.Add(12 * time.Hour), dstStart.Add(36 * time.Hour)}}},
		{"a window across the DST end keeps its length", dstEnd.Add(-time.Hour), dstEnd.Add(2 * time.Hour), 2 * time.Hour,
			[]window.Range{{dstEnd.Add(-time.Hour), dstEnd.Add(time.Hour)}, {dstEnd.Add(time.Hour), dstEnd.Add(2 * time.Hour)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := window.Split(tt.from, tt.to, tt.max)
			require.Len(t, got, len(tt.want))
			for i := range got {
				assert.True(t, tt.want[i].From.Equal(got[i].From) && tt.want[i].To.Equal(got[i].To),
					"window %d: got [%s, %s), want [%s, %s)", i, got[i].From, got[i].To, tt.want[i].From, tt.want[i].To)
			}
		})
	}
}

func TestSplitCoversTheRangeWithoutGapOrOverlap(t *testing.T) {
	from := time.Date(2017, 6, 1, 0, 0, 0, 300, sp)
	for _, span := range []time.Duration{time.Second, year - time.Nanosecond, year, year + time.Second, 3*year + 5*time.Hour, 7*year + time.Nanosecond} {
		to := from.Add(span)
		ws := window.Split(from, to, year)
		require.NotEmpty(t, ws, span)
		assert.True(t, ws[0].From.Equal(from))
		assert.True(t, ws[len(ws)-1].To.Equal(to))
		for i, w := range ws {
			assert.True(t, w.From.Before(w.To), "no empty window")
			assert.LessOrEqual(t, w.To.Sub(w.From), year)
			if i > 0 {
				assert.True(t, w.From.Equal(ws[i-1].To), "each window starts where the last ended")
			}
		}
	}
}

func TestSecondsInclusiveCoversWholeSecondsAtBothEnds(t *testing.T) {
	at := func(sec, nsec int) time.Time { return time.Date(2026, 1, 1, 10, 0, sec, nsec, sp) }
	tests := []struct {
		name     string
		from, to time.Time
		want     window.Range
		ok       bool
	}{
		{"whole seconds: to's second is included", at(0, 0), at(5, 0), window.Range{at(0, 0), at(6, 0)}, true},
		{"fractions round outward", at(0, 700_000_000), at(5, 200_000_000), window.Range{at(0, 0), at(7, 0)}, true},
		{"zero-length still covers its second", at(3, 0), at(3, 0), window.Range{at(3, 0), at(4, 0)}, true},
		{"inverted inside one second still covers it", at(3, 700), at(3, 300), window.Range{at(3, 0), at(5, 0)}, true},
		{"inverted across seconds is refused", at(5, 0), at(3, 0), window.Range{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := window.SecondsInclusive(tt.from, tt.to)
			assert.Equal(t, tt.ok, ok)
			assert.True(t, tt.want.From.Equal(got.From) && tt.want.To.Equal(got.To), "got [%s, %s)", got.From, got.To)
		})
	}
	assert.True(t, window.Range{at(0, 0), at(6, 0)}.LastSecond().Equal(at(5, 0)))
}

func TestSplitRefusesANonPositiveMax(t *testing.T) {
	assert.Panics(t, func() { window.Split(time.Time{}, time.Time{}.Add(time.Hour), 0) })
}
