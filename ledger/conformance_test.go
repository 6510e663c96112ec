package ledger

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit/pgtest"
)

// The conformance suite, after River's riverdrivertest: every case is
// written once against the Store and ReportStore interfaces and runs
// against each store. A store passes when it behaves as the interfaces'
// documentation says, the same way as the others.
//
// Adding a case for a new method: write one func(t *testing.T, h storeHarness)
// in conformance_cases_test.go (or a file of its own) and add it, by name,
// to conformanceCases. Nothing else changes: both stores run it.

// conformingStore is what both stores offer.
type conformingStore interface {
	Store
	ReportStore
	Close() error
}

// storeHarness opens states of one store kind for the cases.
type storeHarness struct {
	name string
	// newState returns the reference of a fresh empty state, removed when
	// the test ends.
	newState func(t *testing.T) string
	// open opens a handle on a state: several handles on one state are
	// several processes or replicas sharing it.
	open func(ctx context.Context, ref string, opts ...Option) (conformingStore, error)
	// exec runs SQL on the state behind the store's back.
	exec func(t *testing.T, ref, sql string)
	// queryInt returns the one integer a query selects.
	queryInt func(t *testing.T, ref, sql string) int
	// schemaVersion is the version this binary writes for the store.
	schemaVersion int
}

// store opens a fresh state and closes it when the test ends.
func (h storeHarness) store(t *testing.T) conformingStore {
	t.Helper()
	return h.openRef(t, h.newState(t))
}

// openRef opens one more handle on ref, closed when the test ends.
func (h storeHarness) openRef(t *testing.T, ref string, opts ...Option) conformingStore {
	t.Helper()
	s, err := h.open(t.Context(), ref, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

type conformanceCase struct {
	name string
	run  func(t *testing.T, h storeHarness)
}

func runConformance(t *testing.T, h storeHarness) {
	for _, c := range conformanceCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, h)
		})
	}
}

var sqliteHarness = storeHarness{
	name:     "sqlite",
	newState: func(t *testing.T) string { return tempPath(t) },
	open: func(ctx context.Context, ref string, opts ...Option) (conformingStore, error) {
		return Open(ctx, ref, opts...)
	},
	exec: func(t *testing.T, ref, query string) {
		db, err := sql.Open("sqlite", ref)
		require.NoError(t, err)
		defer db.Close()
		_, err = db.ExecContext(t.Context(), query)
		require.NoError(t, err)
	},
	queryInt: func(t *testing.T, ref, query string) int {
		db, err := sql.Open("sqlite", ref)
		require.NoError(t, err)
		defer db.Close()
		var n int
		require.NoError(t, db.QueryRowContext(t.Context(), query).Scan(&n))
		return n
	},
	schemaVersion: SchemaVersion,
}

var postgresHarness = storeHarness{
	name:     "postgres",
	newState: func(t *testing.T) string { return pgtest.SchemaURL(t) },
	open: func(ctx context.Context, ref string, opts ...Option) (conformingStore, error) {
		return OpenPostgres(ctx, ref, opts...)
	},
	exec:          func(t *testing.T, ref, query string) { pgtest.Exec(t, ref, query) },
	queryInt:      func(t *testing.T, ref, query string) int { return pgtest.QueryInt(t, ref, query) },
	schemaVersion: PostgresSchemaVersion,
}

func TestConformance_SQLite(t *testing.T) { runConformance(t, sqliteHarness) }

// TestConformance_Postgres skips, saying why, when no PostgreSQL server
// answers (pgtest); .ci/run sets AUVOSYNC_REQUIRE_POSTGRES=1 so it cannot.
func TestConformance_Postgres(t *testing.T) {
	pgtest.ServerURL(t)
	runConformance(t, postgresHarness)
}
