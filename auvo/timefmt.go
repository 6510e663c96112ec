package auvo

import (
	"fmt"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/brtime"
)

// TimeLayout is how Auvo writes entity timestamps and filter dates: São
// Paulo wall time without a zone.
const TimeLayout = "2006-01-02T15:04:05"

// SaoPaulo is the zone of Auvo's timestamps.
var SaoPaulo = brtime.SaoPaulo

// zonelessLayouts are read in São Paulo time: entity timestamps (with or
// without fractions) and login dates ("2019-05-08 16:15:59").
var zonelessLayouts = []string{
	TimeLayout,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// ParseTime reads an Auvo timestamp. Without a zone it is São Paulo time;
// an explicit zone ("Z", "-03:00") is honoured. "" and .NET's
// "0001-01-01T00:00:00" are the zero time.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0001-01-01") {
		return time.Time{}, nil
	}
	if t, ok := brtime.Parse(s, zonelessLayouts); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("auvo: unrecognised timestamp %q", s)
}

// FormatTime writes t as Auvo expects: São Paulo wall time, whole seconds.
// The zero time is "".
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(SaoPaulo).Format(TimeLayout)
}

func parseLoginTime(s string) (time.Time, error) { return ParseTime(s) }
