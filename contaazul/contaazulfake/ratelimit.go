package contaazulfake

import (
	"strconv"
	"time"
)

// rateWindow is a sliding-window counter on the fake clock. Refused
// requests do not count, as a gateway that rejects before the API would.
type rateWindow struct {
	perSecond, perMinute int
	hits                 []time.Time // admitted requests in the last minute, oldest first
}

func (rw *rateWindow) admit(now time.Time) (wait time.Duration, limited bool) {
	if rw.perSecond <= 0 && rw.perMinute <= 0 {
		return 0, false
	}
	keep := 0
	for keep < len(rw.hits) && !rw.hits[keep].After(now.Add(-time.Minute)) {
		keep++
	}
	rw.hits = rw.hits[keep:]
	if wait, over := over(rw.hits, now, time.Second, rw.perSecond); over {
		return wait, true
	}
	if wait, over := over(rw.hits, now, time.Minute, rw.perMinute); over {
		return wait, true
	}
	rw.hits = append(rw.hits, now)
	return 0, false
}

// over reports whether limit requests already fell inside (now-per, now],
// and how long until the oldest of them leaves the window.
func over(hits []time.Time, now time.Time, per time.Duration, limit int) (time.Duration, bool) {
	if limit <= 0 {
		return 0, false
	}
	start := now.Add(-per)
	first := len(hits)
	for i, h := range hits {
		if h.After(start) {
			first = i
			break
		}
	}
	inWindow := hits[first:]
	if len(inWindow) < limit {
		return 0, false
	}
	return inWindow[len(inWindow)-limit].Add(per).Sub(now), true
}

func secondsCeil(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	return strconv.Itoa(max(secs, 1))
}
