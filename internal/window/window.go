// Package window splits a time range into the windows a vendor's list
// filter accepts (Bling and Conta Azul refuse ranges over 365 days).
//
// The one boundary rule is half-open: a Range is [From, To), so consecutive
// windows meet at a single instant that belongs to the later one, and
// nothing is counted twice or lost. Lengths are absolute durations, not
// calendar days, so a São Paulo daylight-saving change (until 2019) neither
// stretches nor shrinks a window. Vendor filters are inclusive at whole
// seconds; each caller converts at its own edge (see SecondsInclusive).
package window

import "time"

// Range is the half-open interval [From, To).
type Range struct{ From, To time.Time }

// Split cuts [from, to) into consecutive ranges of at most max each, in
// order: the first starts at from, the last ends at to, and each one's To is
// the next one's From. An empty or inverted range (to not after from) has no
// windows. max must be positive.
func Split(from, to time.Time, max time.Duration) []Range {
	if max <= 0 {
		panic("window: Split with a non-positive max")
	}
	var out []Range
	for start := from; start.Before(to); {
		end := start.Add(max)
		if end.After(to) {
			end = to
		}
		out = append(out, Range{start, end})
		start = end
	}
	return out
}

// SecondsInclusive is the half-open range that covers every instant of the
// whole seconds from ⌊from⌋ to ⌈to⌉, both included: what a filter means whose
// bounds are inclusive and have no fraction. A zero-length range still
// covers its one second.
func SecondsInclusive(from, to time.Time) (Range, bool) {
	lo := from.Truncate(time.Second)
	hi := to.Truncate(time.Second)
	if !hi.Equal(to) {
		hi = hi.Add(time.Second)
	}
	if hi.Before(lo) {
		return Range{}, false
	}
	return Range{lo, hi.Add(time.Second)}, true
}

// LastSecond is the last whole second inside a half-open range whose bounds
// are whole seconds: the inclusive upper bound to send for it.
func (r Range) LastSecond() time.Time { return r.To.Add(-time.Second) }
