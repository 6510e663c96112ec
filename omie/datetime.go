package omie

import (
	"fmt"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/brtime"
)

const (
	dateLayout = "02/01/2006"
	timeLayout = "15:04:05"
)

// SaoPaulo is the zone of every Omie date and time: they carry no zone and
// are Brazil local time on any machine.
var SaoPaulo = brtime.SaoPaulo

// parseDateTime reads Omie's "dd/mm/aaaa" and "hh:mm:ss" pair. An empty date
// is the zero time; an empty time means midnight.
func parseDateTime(field, date, clock string) (time.Time, error) {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	if date == "" {
		return time.Time{}, nil
	}
	if clock == "" {
		clock = "00:00:00"
	}
	t, err := time.ParseInLocation(dateLayout+" "+timeLayout, date+" "+clock, SaoPaulo)
	if err != nil {
		return time.Time{}, fmt.Errorf("omie: %s %q %q is not dd/mm/aaaa hh:mm:ss", field, date, clock)
	}
	return t, nil
}

// formatDateTime writes t as Omie's date and time strings in São Paulo time.
func formatDateTime(t time.Time) (date, clock string) {
	local := t.In(SaoPaulo)
	return local.Format(dateLayout), local.Format(timeLayout)
}
