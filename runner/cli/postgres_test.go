package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/internal/testkit/pgtest"
	"github.com/auvosync/auvosync/internal/testkit/runnertest"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/runner"
)

// A SQLite state moved to PostgreSQL with migrate-state carries on there:
// the analyst's commands read and release on it, and the next cycle (with
// its -report) creates nothing twice, since links, locks and cursors came
// along (CONTRACTS.md §4). Skipped without a PostgreSQL server (pgtest).
func TestMigrateStateToPostgresThenAnalystCommandsAndReport(t *testing.T) {
	t.Parallel()
	pgURL := pgtest.SchemaURL(t)
	w := runnertest.NewWorld(t)
	res := runCLI(t, w.Vars, "-config", w.Config, "-once")
	require.Equal(t, 0, res.code, res.stderr)

	w.Vars["STATE_URL"] = pgURL
	res = runCLI(t, w.Vars, "locks", "-state", pgURL)
	assert.Equal(t, 2, res.code, "an empty database is no state to read: %s", res.stderr)
	assert.Contains(t, res.stderr, "no auvosync state")
	res = runCLI(t, w.Vars, "migrate-state", "-from", w.State, "-to", "${STATE_URL}")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "State copied from "+w.State)
	assert.Regexp(t, `links [1-9]\d*, meta 2, outcomes [1-9]\d*, runs [1-9]\d*, tokens [1-9]\d*`, res.stdout)

	res = runCLI(t, w.Vars, "migrate-state", "-from", w.State, "-to", "${STATE_URL}")
	assert.Equal(t, 2, res.code, "a target that is not empty is refused")
	assert.Contains(t, res.stderr, "not empty")

	config, err := os.ReadFile(w.Config)
	require.NoError(t, err)
	pgConfig := testkit.WriteFile(t, "sync-pg.yaml", strings.Replace(string(config), "state: "+w.State, "state: ${STATE_URL}", 1))

	res = runCLI(t, w.Vars, "locks", "-config", pgConfig)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "3 locked record(s)", "the locks came along (R-LOCK-1)")

	st, err := ledger.OpenPostgres(context.Background(), pgURL)
	require.NoError(t, err)
	locks, err := st.Locks(context.Background(), "gamma")
	require.NoError(t, err)
	st.Close()
	require.Len(t, locks, 1)
	l := locks[0].Link
	res = runCLI(t, w.Vars, "release", "-config", pgConfig, "-connection", "gamma", "-partner", "bling", "-auvo-id", l.AuvoID,
		"-who", "alice", "-why", "customer asked to be integrated again")
	require.Equal(t, 0, res.code, res.stderr)
	res = runCLI(t, w.Vars, "explain", "-config", pgConfig, l.AuvoID)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Regexp(t, `released\s+released\s+`+l.PartnerID+`\s+\S+\s+alice\s+customer asked to be integrated again`, res.stdout,
		"the history from SQLite and the release on PostgreSQL, in one (R-LOCK-3)")

	report := filepath.Join(t.TempDir(), "out.jsonl")
	res = runCLI(t, w.Vars, "-config", pgConfig, "-once", "-report", report)
	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	lines := readReport(t, report)
	require.NotEmpty(t, lines)
	for _, line := range lines {
		assert.NotEqual(t, "created", line["outcome"], "created again after the move: %v", line)
	}

	res = runCLI(t, w.Vars, "runs", "-state", pgURL, "-limit", "3")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Equal(t, 4, strings.Count(strings.TrimSpace(res.stdout), "\n")+1, "a header and three runs")

	backup := filepath.Join(t.TempDir(), "backup.db")
	res = runCLI(t, w.Vars, "backup", "-config", pgConfig, "-to", backup)
	require.Equal(t, 0, res.code, res.stderr)
	bst, err := ledger.Open(context.Background(), backup)
	require.NoError(t, err)
	defer bst.Close()
	pgSt, err := ledger.OpenPostgres(context.Background(), pgURL)
	require.NoError(t, err)
	defer pgSt.Close()
	want, err := ledger.CountRows(context.Background(), pgSt)
	require.NoError(t, err)
	got, err := ledger.CountRows(context.Background(), bst)
	require.NoError(t, err)
	assert.Equal(t, want, got, "a PostgreSQL state's backup is a SQLite file with every row")
	runnertest.AssertNoPersonalData(t, w.Demo, res.stdout)
}

// -once with PostgreSQL joins the current 10-minute slot, exits 0 once every
// connection's run of it has ended, and a second -once in the same slot
// finds those runs done: each connection runs once per slot, whichever
// process asks (CONTRACTS.md §4, R-SCHED-2).
func TestPostgresOnceExitsZeroAfterTheSlotAndRunsEachConnectionOncePerSlot(t *testing.T) {
	t.Parallel()
	pgURL := pgtest.SchemaURL(t)
	w := runnertest.NewWorld(t)
	w.Vars["STATE_URL"] = pgURL
	config, err := os.ReadFile(w.Config)
	require.NoError(t, err)
	pgConfig := testkit.WriteFile(t, "sync-pg.yaml", strings.Replace(string(config), "state: "+w.State, "state: ${STATE_URL}", 1))

	slot := time.Now().Truncate(runner.Interval)
	res := runCLI(t, w.Vars, "-config", pgConfig, "-once")
	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	runs := pgtest.QueryInt(t, pgURL, `SELECT count(*) FROM runs`)
	require.Positive(t, runs)
	assert.Zero(t, pgtest.QueryInt(t, pgURL, `SELECT count(*) FROM runs WHERE ended_at_ns = 0 OR error <> ''`), "every run finished")

	res = runCLI(t, w.Vars, "-config", pgConfig, "-once")
	require.Equal(t, 0, res.code, res.stderr)
	if time.Now().Truncate(runner.Interval).Equal(slot) {
		assert.Equal(t, runs, pgtest.QueryInt(t, pgURL, `SELECT count(*) FROM runs`), "the slot's runs are done; none runs twice")
	}
}
