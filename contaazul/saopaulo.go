package contaazul

import (
	"fmt"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/brtime"
	timewindow "github.com/auvosync/auvosync/internal/window"
)

// saoPaulo is the zone of Conta Azul timestamps that carry no offset.
var saoPaulo = brtime.SaoPaulo

// wireTimeFormat is how date filters are sent: São Paulo local time without
// an offset (UTC "...Z" values have caused 400 and 500 answers).
const wireTimeFormat = "2006-01-02T15:04:05"

// maxWindow is the longest data_alteracao window Conta Azul accepts.
const maxWindow = 365 * 24 * time.Hour

var localLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// parseTime reads a Conta Azul timestamp: ISO 8601 with or without an
// offset (no offset means São Paulo time), with or without fractions, or a
// bare date. Empty and null give the zero time.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return time.Time{}, nil
	}
	if t, ok := brtime.Parse(s, localLayouts); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q", s)
}

func formatTime(t time.Time) string { return t.In(saoPaulo).Format(wireTimeFormat) }

// formatTimeWithOffset is formatTime with São Paulo's offset (WithOffsetDates).
func formatTimeWithOffset(t time.Time) string {
	return t.In(saoPaulo).Format(wireTimeFormat + "-07:00")
}

// window is one list request's data_alteracao_de/_ate pair.
type window struct{ from, to time.Time }

// windows splits [from, to] into windows of at most maxWindow. Bounds are
// whole seconds (the filter format has no fraction): from rounded down, to
// rounded up, so nothing at the edges is lost. Conta Azul does not say
// whether data_alteracao_ate is inclusive, so each half-open window of
// package window goes out as its closure [From, To]: consecutive windows
// share their boundary second, and the caller drops duplicates. A
// zero-length range is still asked about, as its one instant.
func windows(from, to time.Time) []window {
	from = from.Truncate(time.Second)
	if r := to.Truncate(time.Second); !r.Equal(to) {
		to = r.Add(time.Second)
	}
	var out []window
	for _, w := range timewindow.Split(from, to, maxWindow) {
		out = append(out, window{w.From, w.To})
	}
	if len(out) == 0 {
		out = append(out, window{from, to})
	}
	return out
}
