package ledger

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit/pgtest"
)

// fillState writes one of everything a state holds and returns the run's id.
func fillState(t *testing.T, s Store) int64 {
	t.Helper()
	ctx := t.Context()
	l := cfLink("a1", "p1")
	l.DocHash = s.DocumentHash("12345678909")
	require.NoError(t, s.PutLink(ctx, l, t0))
	require.NoError(t, s.PutLink(ctx, cfLink("a1", "p2"), t0.Add(time.Second)))
	require.NoError(t, s.PutLink(ctx, cfLink("a2", "p3"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "a2", LinkAuvoDeleted, "GET 404", t0.Add(time.Minute)))
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(time.Nanosecond)))
	require.NoError(t, s.SaveCheckpoint(ctx, Checkpoint{Conn: "acme", Flow: "omie-to-auvo", Since: t0.Add(-time.Hour),
		Started: t0, Page: 3, Done: 200, Total: 450, LastPage: []string{"p7", "p8"}, At: t0.Add(9 * time.Minute)}))
	require.NoError(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo", Put: []IndexEntry{
		{ID: "a1", DocHash: l.DocHash, ExternalCode: "p2", Created: t0, Modified: t0.Add(time.Nanosecond), Active: true},
		{ID: "a9", DocHash: l.DocHash, Key: "k9", Created: t0, Modified: t0},
	}, State: &IndexState{Through: t0.Add(-time.Second), FullAt: t0.Add(-time.Minute)}}))
	require.NoError(t, s.SaveToken(ctx, "acme", "contaazul", Token{RefreshToken: "r2", AccessToken: "a2", Expiry: t0.Add(time.Hour)}))
	_, err := s.AcquireLease(ctx, "acme", cfHolder("h1", "run-9"), time.Minute, t0)
	require.NoError(t, err)
	_, err = s.BeginIntent(ctx, Intent{Conn: "acme", Flow: "auvo-to-omie", SourceID: "a3", Kind: IntentCreate, CreatedAt: t0})
	require.NoError(t, err)
	dry, err := s.StartRun(ctx, "acme", "auvo-to-omie", true, t0)
	require.NoError(t, err)
	require.NoError(t, s.FinishRun(ctx, dry, t0, nil, ""))
	run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0.Add(time.Minute))
	require.NoError(t, err)
	require.NoError(t, s.RecordOutcomes(ctx, run, []Outcome{
		cfOutcome("a1", OutcomeUpdated, "R-UPD-1", t0.Add(time.Minute)), cfOutcome("a3", OutcomeSkipped, "R-BAD-1", t0.Add(time.Minute)),
	}))
	require.NoError(t, s.StopRun(ctx, run, StoppedTimeBox, 250))
	require.NoError(t, s.FinishRun(ctx, run, t0.Add(2*time.Minute), map[string]int{OutcomeUpdated: 1, OutcomeSkipped: 1}, ""))
	return run
}

// stateView is what a state's reader sees, for comparing two states.
type stateView struct {
	Links      []Link
	History    []LinkEvent
	Locks      []LockedRecord
	Cursor     time.Time
	Checkpoint Checkpoint
	Index      []IndexEntry
	IndexState IndexState
	Token      Token
	Lease      Lease
	Intents    []Intent
	Runs       []Run
	Explain    []Outcome
	Hash       string
	Outcomes   OutcomePage
}

func viewOf(t *testing.T, s conformingStore, run int64) stateView {
	t.Helper()
	ctx := t.Context()
	var v stateView
	var err error
	v.Links, err = s.Links(ctx, "acme", "omie")
	require.NoError(t, err)
	v.History, err = s.LinkHistory(ctx, "acme", "omie", "a1")
	require.NoError(t, err)
	v.Locks, err = s.Locks(ctx, "")
	require.NoError(t, err)
	v.Cursor, _, err = s.Cursor(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	v.Checkpoint, _, err = s.Checkpoint(ctx, "acme", "omie-to-auvo")
	require.NoError(t, err)
	v.Index, err = s.IndexByDocHash(ctx, "acme", "auvo", s.DocumentHash("12345678909"))
	require.NoError(t, err)
	// The index promises no order (the flows sort what they read).
	slices.SortFunc(v.Index, func(a, b IndexEntry) int { return strings.Compare(a.ID, b.ID) })
	v.IndexState, _, err = s.IndexState(ctx, "acme", "auvo")
	require.NoError(t, err)
	v.Token, _, err = s.LoadToken(ctx, "acme", "contaazul")
	require.NoError(t, err)
	v.Lease, _, err = s.Lease(ctx, "acme")
	require.NoError(t, err)
	v.Intents, err = s.OpenIntents(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	v.Runs, err = s.Runs(ctx, "", 0)
	require.NoError(t, err)
	v.Explain, err = s.Explain(ctx, "", "a1", 0)
	require.NoError(t, err)
	v.Outcomes, err = s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Limit: 10})
	require.NoError(t, err)
	v.Hash = s.DocumentHash("12345678909")
	return v
}

func TestCopy_MovesEverythingBetweenStores(t *testing.T) {
	pgtest.ServerURL(t)
	for _, c := range []struct{ from, to storeHarness }{
		{sqliteHarness, postgresHarness},
		{postgresHarness, sqliteHarness},
	} {
		t.Run(c.from.name+"_to_"+c.to.name, func(t *testing.T) {
			src := c.from.store(t)
			run := fillState(t, src)
			want := viewOf(t, src, run)
			require.Len(t, want.Index, 2, "the view holds what it compares")
			require.Equal(t, StoppedTimeBox, want.Runs[0].Stopped)
			require.Equal(t, 3, want.Checkpoint.Page)

			ref := c.to.newState(t)
			dst := c.to.openRef(t, ref)
			counts, err := Copy(t.Context(), src, dst)
			require.NoError(t, err)
			assert.Equal(t, CopyCounts{"meta": 2, "links": 2, "link_events": 4, "cursors": 1, "checkpoints": 1, "tokens": 1,
				"leases": 1, "runs": 2, "outcomes": 2, "intents": 1, "index_entries": 2, "index_sides": 1}, counts)
			assert.Equal(t, src.DocumentHash("52998224725"), dst.DocumentHash("52998224725"),
				"the handle copied into hashes with the copied key at once, not the one it generated")
			assert.Equal(t, want, viewOf(t, dst, run), "read through the same handle")
			require.NoError(t, dst.Close())

			copied := c.to.openRef(t, ref)
			assert.Equal(t, want, viewOf(t, copied, run), "the copy reads as the original, document key included")
			next, err := copied.StartRun(t.Context(), "acme", "f", false, t0)
			require.NoError(t, err)
			assert.Greater(t, next, run, "new ids continue after the copied ones")
			_, err = Copy(t.Context(), src, copied)
			assert.ErrorContains(t, err, "not empty", "a non-empty target is refused")
		})
	}
}

// A migration that adds a table or a column must add it to copyTables, or
// migrate-state would silently leave it behind.
func TestCopyTables_ListEveryTableAndColumn(t *testing.T) {
	for _, c := range []struct {
		h              storeHarness
		tables, column string
	}{
		{sqliteHarness, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'`,
			`SELECT COUNT(*) FROM pragma_table_info('%s')`},
		{postgresHarness, `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'`,
			`SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '%s'`},
	} {
		t.Run(c.h.name, func(t *testing.T) {
			ref := c.h.newState(t)
			c.h.openRef(t, ref)
			assert.Equal(t, len(copyTables), c.h.queryInt(t, ref, c.tables), "tables")
			for _, table := range copyTables {
				assert.Equal(t, len(table.columns), c.h.queryInt(t, ref, fmt.Sprintf(c.column, table.name)), "columns of %s", table.name)
			}
		})
	}
}
