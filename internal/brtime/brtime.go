// Package brtime is the one place that knows Brazilian civil time: the
// America/Sao_Paulo zone, and how a vendor timestamp without a zone is read
// in it. Auvo, Omie, Conta Azul and Bling all write São Paulo wall time
// without an offset, and the result must not depend on the host's zone.
package brtime

import (
	"strings"
	"time"
	_ "time/tzdata" // the zone travels in the binary: hosts and containers without zoneinfo read the same time
)

// ZoneName is the IANA name of the zone.
const ZoneName = "America/Sao_Paulo"

// SaoPaulo is the America/Sao_Paulo zone, with its history (daylight saving
// time until 2019), so old vendor dates convert as they were meant.
//
// Loading it cannot fail: time/tzdata is embedded above, and
// time.LoadLocation falls back to it when the host has no zoneinfo. There is
// deliberately no fixed -03:00 fallback, which would silently shift every
// date of a summer before 2019; a failure would be a broken build, so it
// panics at start-up instead.
var SaoPaulo = mustLoad()

func mustLoad() *time.Location {
	loc, err := time.LoadLocation(ZoneName)
	if err != nil {
		panic("brtime: embedded tzdata lacks " + ZoneName + ": " + err.Error())
	}
	return loc
}

// Parse reads a vendor timestamp. One with an explicit offset ("Z",
// "-03:00", RFC 3339) keeps it; one without is São Paulo wall time in the
// first of the zone-less layouts that fits. Surrounding spaces are ignored.
// ok is false when nothing fits; the caller names its vendor in the error.
func Parse(s string, zoneless []string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	for _, layout := range zoneless {
		if t, err := time.ParseInLocation(layout, s, SaoPaulo); err == nil {
			return t, true
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}
