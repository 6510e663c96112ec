package procid

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseStat(t *testing.T) {
	fields := func(comm string) []byte {
		// pid (comm) state, then fields 4..21 and the start time (22).
		return []byte("4242 (" + comm + ") S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 23 24\n")
	}
	for _, comm := range []string{"runner", "a b) c (d", ")"} {
		start, state, err := parseStat(fields(comm))
		require.NoError(t, err, comm)
		assert.Equal(t, "987654", start, comm)
		assert.Equal(t, byte('S'), state, comm)
	}
	for _, bad := range []string{"", "4242 runner S 1", "4242 (runner) S 1 2 3", "4242 (r) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 x 23"} {
		_, _, err := parseStat([]byte(bad))
		assert.ErrorIs(t, err, errBadStat, "%q", bad)
	}
}
