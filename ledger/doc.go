// Package ledger is the durable memory of the sync flows: which records are
// linked (and locked, R-LOCK), how far each flow has read, the echo hashes of
// R-UPD-3, write intents, rotated OAuth tokens, runs and per-record outcomes
// (R-REPORT-1), and the per-connection lease.
//
// The Store interface is what the flows use. Its default implementation,
// SQLite, keeps everything in one file through the pure-Go modernc.org/sqlite
// driver (no cgo, no server), in WAL mode with synchronous=FULL and a busy
// timeout. Postgres (OpenPostgres, jackc/pgx/v5) implements the same
// interfaces on a PostgreSQL database that several runner machines share,
// with its own versioned migrations (postgresMigrations); one conformance
// suite (conformance_test.go) runs every case against both. Copy moves a
// whole state from one store to the other.
//
// # Adding a Store method
//
// Each method is one small method per store over one statement (or one
// transaction) in the file of its area: links.go and postgres_links.go,
// runs.go and postgres_runs.go, and so on. A new column or table is a new
// entry in migrations (SQLite) and in postgresMigrations (PostgreSQL),
// and a line in copyTables, which TestCopyTables_ListEveryTableAndColumn
// checks. Its behaviour is one case func in conformance_cases_test.go,
// named in conformanceCases: both stores then run it.
//
// # The state file
//
// The caller gives the path (the runner's default is ./auvosync.db). Open
// creates it with mode 0600 and applies the schema migrations; a file written
// by a newer binary is refused with a SchemaTooNewError. While open, SQLite
// keeps two companion files beside it, path-wal and path-shm, with the same
// mode.
//
// The file holds IDs, keyed document hashes (HMAC-SHA256; never a plain
// CPF/CNPJ), the document key itself (unless WithDocumentKey is used), echo
// hashes, cursors, runs and outcomes with their masked reasons, and the
// latest OAuth tokens: treat it as a secret.
//
// To back it up while runners work, call Backup (it writes a consistent copy
// with VACUUM INTO), or use the sqlite3 shell: sqlite3 auvosync.db ".backup
// copy.db". Copying the file alone with cp is not safe while it is open,
// since recent commits may still be in the -wal file.
package ledger
