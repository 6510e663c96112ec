package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the injected "now" of the tests; the store never reads a clock.
var t0 = time.Date(2026, 11, 29, 10, 0, 0, 123456789, time.UTC)

func tempPath(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "auvosync.db")
}

// openAt opens path and closes the store when the test ends (unless the test
// closed it already).
func openAt(t testing.TB, path string, opts ...Option) *SQLite {
	t.Helper()
	s, err := Open(context.Background(), path, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openTemp(t testing.TB) (*SQLite, string) {
	t.Helper()
	path := tempPath(t)
	return openAt(t, path), path
}

func liveLink(auvoID, partnerID string) Link {
	return Link{Conn: "acme", Partner: "omie", AuvoID: auvoID, PartnerID: partnerID, Flow: "auvo-to-omie"}
}
