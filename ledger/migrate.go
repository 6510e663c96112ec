package ledger

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] brings the schema from version i to version i+1. Released
// entries are never edited: a change is a new entry.
var migrations = []string{
	// v1: links with history, locks, cursors, tokens, leases, runs, outcomes.
	`CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);
	CREATE TABLE links (
		conn          TEXT NOT NULL,
		partner       TEXT NOT NULL,
		auvo_id       TEXT NOT NULL,
		partner_id    TEXT NOT NULL,
		doc_hash      TEXT NOT NULL DEFAULT '',
		flow          TEXT NOT NULL DEFAULT '',
		state         TEXT NOT NULL,
		linked_at_ns  INTEGER NOT NULL,
		updated_at_ns INTEGER NOT NULL,
		PRIMARY KEY (conn, partner, auvo_id)
	);
	CREATE INDEX links_by_partner_id ON links (conn, partner, partner_id);
	CREATE INDEX links_by_doc_hash ON links (conn, partner, doc_hash);
	CREATE INDEX links_by_state ON links (state);
	CREATE TABLE link_events (
		id         INTEGER PRIMARY KEY,
		conn       TEXT NOT NULL,
		partner    TEXT NOT NULL,
		auvo_id    TEXT NOT NULL,
		partner_id TEXT NOT NULL,
		doc_hash   TEXT NOT NULL DEFAULT '',
		flow       TEXT NOT NULL DEFAULT '',
		kind       TEXT NOT NULL,
		state      TEXT NOT NULL,
		who        TEXT NOT NULL DEFAULT '',
		reason     TEXT NOT NULL DEFAULT '',
		evidence   TEXT NOT NULL DEFAULT '',
		at_ns      INTEGER NOT NULL
	);
	CREATE INDEX link_events_by_link ON link_events (conn, partner, auvo_id, id);
	CREATE TABLE cursors (
		conn        TEXT NOT NULL,
		flow        TEXT NOT NULL,
		position_ns INTEGER NOT NULL,
		PRIMARY KEY (conn, flow)
	);
	CREATE TABLE tokens (
		conn          TEXT NOT NULL,
		vendor        TEXT NOT NULL,
		refresh_token TEXT NOT NULL,
		access_token  TEXT NOT NULL DEFAULT '',
		expiry_ns     INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (conn, vendor)
	);
	CREATE TABLE leases (
		conn          TEXT PRIMARY KEY,
		holder        TEXT NOT NULL,
		expires_at_ns INTEGER NOT NULL
	);
	CREATE TABLE runs (
		id            INTEGER PRIMARY KEY,
		conn          TEXT NOT NULL,
		flow          TEXT NOT NULL,
		dry_run       INTEGER NOT NULL DEFAULT 0,
		started_at_ns INTEGER NOT NULL,
		ended_at_ns   INTEGER NOT NULL DEFAULT 0,
		counts        TEXT NOT NULL DEFAULT '{}',
		error         TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX runs_by_flow ON runs (conn, flow, started_at_ns);
	CREATE TABLE outcomes (
		id        INTEGER PRIMARY KEY,
		run_id    INTEGER NOT NULL REFERENCES runs (id),
		conn      TEXT NOT NULL,
		flow      TEXT NOT NULL,
		source_id TEXT NOT NULL,
		target_id TEXT NOT NULL DEFAULT '',
		kind      TEXT NOT NULL,
		rule      TEXT NOT NULL DEFAULT '',
		reason    TEXT NOT NULL DEFAULT '',
		at_ns     INTEGER NOT NULL
	);
	CREATE INDEX outcomes_by_run ON outcomes (run_id);`,

	// v2: echo hashes (R-UPD-3), write intents, outcomes by source id.
	`ALTER TABLE links ADD COLUMN auvo_hash TEXT NOT NULL DEFAULT '';
	ALTER TABLE links ADD COLUMN partner_hash TEXT NOT NULL DEFAULT '';
	CREATE TABLE intents (
		id            INTEGER PRIMARY KEY,
		conn          TEXT NOT NULL,
		flow          TEXT NOT NULL,
		source_id     TEXT NOT NULL,
		kind          TEXT NOT NULL,
		target_key    TEXT NOT NULL DEFAULT '',
		created_at_ns INTEGER NOT NULL,
		status        TEXT NOT NULL DEFAULT 'open',
		target_id     TEXT NOT NULL DEFAULT '',
		note          TEXT NOT NULL DEFAULT '',
		closed_at_ns  INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX intents_by_status ON intents (conn, flow, status);
	CREATE INDEX outcomes_by_source ON outcomes (source_id, at_ns);`,

	// v3: lease holders as host, process (pid and start token) and run, so
	// a dead holder on the same host can be recognised and taken over.
	// Rows of older binaries have run '' and simply expire.
	`ALTER TABLE leases ADD COLUMN host TEXT NOT NULL DEFAULT '';
	ALTER TABLE leases ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE leases ADD COLUMN started TEXT NOT NULL DEFAULT '';
	ALTER TABLE leases ADD COLUMN run TEXT NOT NULL DEFAULT '';`,

	// v4: the analyst console's pages (ReportStore): a run's outcomes by
	// outcome kind and by rule in recorded order, runs of a flow by id, and
	// locked links by connection.
	`CREATE INDEX outcomes_by_run_kind ON outcomes (run_id, kind, rule, id);
	CREATE INDEX outcomes_by_run_rule ON outcomes (run_id, rule, id);
	CREATE INDEX runs_by_flow_id ON runs (conn, flow, id);
	CREATE INDEX links_by_conn_state ON links (conn, state);`,

	// v5: time-boxed runs (R-SCHED-3): where a flow's listing stopped, and
	// why a run stopped before the end of its listing and how much was left.
	`CREATE TABLE checkpoints (
		conn       TEXT NOT NULL,
		flow       TEXT NOT NULL,
		since_ns   INTEGER NOT NULL,
		started_ns INTEGER NOT NULL,
		page       INTEGER NOT NULL,
		done       INTEGER NOT NULL,
		total      INTEGER NOT NULL,
		last_page  TEXT NOT NULL DEFAULT '[]',
		at_ns      INTEGER NOT NULL,
		PRIMARY KEY (conn, flow)
	);
	ALTER TABLE runs ADD COLUMN stopped TEXT NOT NULL DEFAULT '';
	ALTER TABLE runs ADD COLUMN remaining INTEGER NOT NULL DEFAULT -1;`,

	// v6: the matching index (IndexStore): what matching needs of each
	// side's records, and how far each side is known to be complete.
	`CREATE TABLE index_entries (
		conn            TEXT NOT NULL,
		side            TEXT NOT NULL,
		id              TEXT NOT NULL,
		doc_hash        TEXT NOT NULL DEFAULT '',
		external_code   TEXT NOT NULL DEFAULT '',
		integration_key TEXT NOT NULL DEFAULT '',
		created_at_ns   INTEGER NOT NULL DEFAULT 0,
		modified_at_ns  INTEGER NOT NULL DEFAULT 0,
		active          BOOLEAN NOT NULL DEFAULT FALSE,
		PRIMARY KEY (conn, side, id)
	);
	CREATE INDEX index_entries_by_doc_hash ON index_entries (conn, side, doc_hash);
	CREATE INDEX index_entries_by_external_code ON index_entries (conn, side, external_code);
	CREATE TABLE index_sides (
		conn       TEXT NOT NULL,
		side       TEXT NOT NULL,
		through_ns INTEGER NOT NULL,
		full_at_ns INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (conn, side)
	);`,
	// v7: when each token was saved, so the doctor can report its age
	// (0: saved before this version).
	`ALTER TABLE tokens ADD COLUMN saved_ns INTEGER NOT NULL DEFAULT 0;`,
}

// SchemaVersion is the schema version this binary writes: len(migrations).
const SchemaVersion = 7

// migrate applies the pending migrations in one transaction. BEGIN IMMEDIATE
// makes two processes opening a fresh file take turns: the second sees the
// first one's work.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	return inTx(ctx, db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
			return fmt.Errorf("ledger: migrate %s: %w", path, err)
		}
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
			return fmt.Errorf("ledger: migrate %s: read version: %w", path, err)
		}
		if current > SchemaVersion {
			return &SchemaTooNewError{Path: path, FileVersion: current, BinaryVersion: SchemaVersion}
		}
		for v := current; v < SchemaVersion; v++ {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("ledger: migrate %s to version %d: %w", path, v+1, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, v+1); err != nil {
				return fmt.Errorf("ledger: migrate %s to version %d: %w", path, v+1, err)
			}
		}
		return nil
	})
}
