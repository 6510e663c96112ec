package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func schemaVersion(t *testing.T, s *SQLite) int {
	t.Helper()
	var v int
	require.NoError(t, s.db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&v))
	return v
}

func TestMigrations_OneEntryPerVersion(t *testing.T) {
	assert.Len(t, migrations, SchemaVersion)
}

func TestMigrate_FromAnEmptyFile(t *testing.T) {
	path := tempPath(t)
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	s := openAt(t, path)
	assert.Equal(t, SchemaVersion, schemaVersion(t, s))
	require.NoError(t, s.PutLink(context.Background(), liveLink("A1", "P1"), t0))
}

// v1Schema is the schema a version-1 binary wrote, written out by hand: the
// test must not build the old file with the code under test.
const v1Schema = `
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);
INSERT INTO schema_migrations (version) VALUES (1);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE links (conn TEXT NOT NULL, partner TEXT NOT NULL, auvo_id TEXT NOT NULL, partner_id TEXT NOT NULL,
	doc_hash TEXT NOT NULL DEFAULT '', flow TEXT NOT NULL DEFAULT '', state TEXT NOT NULL,
	linked_at_ns INTEGER NOT NULL, updated_at_ns INTEGER NOT NULL, PRIMARY KEY (conn, partner, auvo_id));
CREATE INDEX links_by_partner_id ON links (conn, partner, partner_id);
CREATE INDEX links_by_doc_hash ON links (conn, partner, doc_hash);
CREATE INDEX links_by_state ON links (state);
CREATE TABLE link_events (id INTEGER PRIMARY KEY, conn TEXT NOT NULL, partner TEXT NOT NULL, auvo_id TEXT NOT NULL,
	partner_id TEXT NOT NULL, doc_hash TEXT NOT NULL DEFAULT '', flow TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,
	state TEXT NOT NULL, who TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '',
	at_ns INTEGER NOT NULL);
CREATE INDEX link_events_by_link ON link_events (conn, partner, auvo_id, id);
CREATE TABLE cursors (conn TEXT NOT NULL, flow TEXT NOT NULL, position_ns INTEGER NOT NULL, PRIMARY KEY (conn, flow));
CREATE TABLE tokens (conn TEXT NOT NULL, vendor TEXT NOT NULL, refresh_token TEXT NOT NULL,
	access_token TEXT NOT NULL DEFAULT '', expiry_ns INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (conn, vendor));
CREATE TABLE leases (conn TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at_ns INTEGER NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY, conn TEXT NOT NULL, flow TEXT NOT NULL, dry_run INTEGER NOT NULL DEFAULT 0,
	started_at_ns INTEGER NOT NULL, ended_at_ns INTEGER NOT NULL DEFAULT 0, counts TEXT NOT NULL DEFAULT '{}',
	error TEXT NOT NULL DEFAULT '');
CREATE INDEX runs_by_flow ON runs (conn, flow, started_at_ns);
CREATE TABLE outcomes (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs (id), conn TEXT NOT NULL,
	flow TEXT NOT NULL, source_id TEXT NOT NULL, target_id TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,
	rule TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', at_ns INTEGER NOT NULL);
CREATE INDEX outcomes_by_run ON outcomes (run_id);
`

// writeRawDB creates a database at path with the given SQL, bypassing Open.
func writeRawDB(t *testing.T, path, script string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(script, args...)
	require.NoError(t, err)
}

func TestMigrate_FromVersion1KeepsDataAndAddsVersion2(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	writeRawDB(t, path, v1Schema+`
		INSERT INTO links VALUES ('acme', 'omie', 'A1', 'P1', 'dochash', 'auvo-to-omie', 'live', ?, ?);
		INSERT INTO links VALUES ('acme', 'omie', 'A2', 'P2', '', 'auvo-to-omie', 'auvo-deleted', ?, ?);
		INSERT INTO link_events (conn, partner, auvo_id, partner_id, kind, state, reason, evidence, at_ns)
			VALUES ('acme', 'omie', 'A2', 'P2', 'locked', 'auvo-deleted', 'auvo-deleted', '404', ?);
		INSERT INTO cursors VALUES ('acme', 'omie-to-auvo', ?);
		INSERT INTO runs (conn, flow, started_at_ns, ended_at_ns) VALUES ('acme', 'auvo-to-omie', ?, ?);
		INSERT INTO outcomes (run_id, conn, flow, source_id, kind, at_ns) VALUES (1, 'acme', 'auvo-to-omie', 'A1', 'linked', ?);
		INSERT INTO leases VALUES ('acme', 'old-runner', `+fmt.Sprint(toNS(t0.Add(time.Minute)))+`);`,
		toNS(t0), toNS(t0), toNS(t0), toNS(t0), toNS(t0), toNS(t0), toNS(t0), toNS(t0.Add(1e9)), toNS(t0))

	s := openAt(t, path)

	assert.Equal(t, SchemaVersion, schemaVersion(t, s), "migrated to the latest version")
	l, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, "dochash", l.DocHash)
	assert.Empty(t, l.AuvoHash, "v2 adds echo hashes, empty for old links")
	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "A1", "P1", "ah", "ph", t0))
	locks, err := s.Locks(ctx, "acme")
	require.NoError(t, err)
	require.Len(t, locks, 1)
	assert.Equal(t, "404", locks[0].History[0].Evidence)
	cur, ok, err := s.Cursor(ctx, "acme", "omie-to-auvo")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, t0, cur)
	explained, err := s.Explain(ctx, "", "A1", 0)
	require.NoError(t, err)
	assert.Len(t, explained, 1)
	_, err = s.BeginIntent(ctx, Intent{Conn: "acme", Flow: "auvo-to-omie", SourceID: "A3", Kind: IntentCreate, CreatedAt: t0})
	require.NoError(t, err, "v2 adds intents")
	ok, err = s.AcquireLease(ctx, "acme", Holder{Host: "h", Run: "new"}, time.Minute, t0)
	require.NoError(t, err)

	assert.False(t, ok, "v3 keeps an old binary's lease until it expires")
	ok, err = s.AcquireLease(ctx, "acme", Holder{Host: "h", Run: "new"}, time.Minute, t0.Add(time.Minute))
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestMigrate_NewerFileFailsNamingBothVersions(t *testing.T) {
	path := tempPath(t)
	writeRawDB(t, path, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);
		INSERT INTO schema_migrations (version) VALUES (1), (2), (3), (99);`)

	s, err := Open(context.Background(), path)
	require.Error(t, err)
	assert.Nil(t, s)
	assert.ErrorIs(t, err, ErrSchemaTooNew)
	var tooNew *SchemaTooNewError
	require.True(t, errors.As(err, &tooNew))
	assert.Equal(t, 99, tooNew.FileVersion)
	assert.Equal(t, SchemaVersion, tooNew.BinaryVersion)
	assert.Contains(t, err.Error(), "schema version 99")
	assert.Contains(t, err.Error(), fmt.Sprintf("up to version %d", SchemaVersion))
}

func TestMigrate_FailedMigrationChangesNothing(t *testing.T) {
	path := tempPath(t)
	// A v1 file whose links table already has the column v2 adds: the v2
	// migration fails, and must leave the file at v1.
	writeRawDB(t, path, v1Schema+`ALTER TABLE links ADD COLUMN auvo_hash TEXT NOT NULL DEFAULT '';`)

	_, err := Open(context.Background(), path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "to version 2")

	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	var v int
	require.NoError(t, db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&v))
	assert.Equal(t, 1, v)
	var intents int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'intents'`).Scan(&intents))
	assert.Zero(t, intents, "the half-applied migration was rolled back")
}
