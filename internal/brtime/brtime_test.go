package brtime_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/brtime"
)

func TestSaoPauloKeepsItsDaylightSavingHistory(t *testing.T) {
	require.Equal(t, brtime.ZoneName, brtime.SaoPaulo.String())
	_, summer2018 := time.Date(2018, 12, 1, 12, 0, 0, 0, brtime.SaoPaulo).Zone()
	_, summer2020 := time.Date(2020, 12, 1, 12, 0, 0, 0, brtime.SaoPaulo).Zone()
	assert.Equal(t, -2*60*60, summer2018, "DST in force before 2019: a fixed -03:00 fallback would be wrong here")
	assert.Equal(t, -3*60*60, summer2020, "no DST since 2019")
}

func TestParseReadsZonelessTimesAsSaoPauloAndHonoursExplicitOffsets(t *testing.T) {
	layouts := []string{"2006-01-02T15:04:05.999999999", "2006-01-02"}
	cases := map[string]time.Time{
		"2024-01-15T10:30:00":         time.Date(2024, 1, 15, 13, 30, 0, 0, time.UTC),
		" 2024-01-15T10:30:00.5 ":     time.Date(2024, 1, 15, 13, 30, 0, 500_000_000, time.UTC),
		"2024-01-15":                  time.Date(2024, 1, 15, 3, 0, 0, 0, time.UTC),
		"2018-12-01T12:00:00":         time.Date(2018, 12, 1, 14, 0, 0, 0, time.UTC), // DST: -02:00
		"2024-01-15T10:30:00Z":        time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC),
		"2024-01-15T10:30:00-03:00":   time.Date(2024, 1, 15, 13, 30, 0, 0, time.UTC),
		"2024-01-15T10:30:00.1+01:00": time.Date(2024, 1, 15, 9, 30, 0, 100_000_000, time.UTC),
	}
	for in, want := range cases {
		got, ok := brtime.Parse(in, layouts)
		require.True(t, ok, in)
		assert.True(t, want.Equal(got), "%q: got %s, want %s", in, got, want)
	}
	for _, bad := range []string{"", "15/01/2024", "2024-01-15 10:30:00", "yesterday"} {
		_, ok := brtime.Parse(bad, layouts)
		assert.False(t, ok, "%q", bad)
	}
}
