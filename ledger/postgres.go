package ledger

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the Store on a PostgreSQL database, shared by several runner
// machines. It uses pgxpool directly rather than database/sql: the SQL has
// to differ from SQLite's anyway ($n placeholders, identity columns,
// advisory locks), and pgx gives typed errors (pgconn.PgError) and
// row-affected counts without a second driver layer.
//
// Times are stored as UTC unix nanoseconds in BIGINT columns, as in SQLite:
// timestamptz keeps only microseconds, and a cursor or lease compared after a
// round trip must equal what the caller passed.
type Postgres struct {
	pool *pgxpool.Pool
	// where names the database in errors, without the password.
	where    string
	password string
	key      []byte
}

var (
	_ Store       = (*Postgres)(nil)
	_ ReportStore = (*Postgres)(nil)
)

// IsPostgresURL reports whether a state reference names a PostgreSQL
// database (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgresURL(ref string) bool {
	return strings.HasPrefix(ref, "postgres://") || strings.HasPrefix(ref, "postgresql://")
}

// RedactPostgresURL returns the URL with its password replaced by "xxxxx",
// for errors and logs.
func RedactPostgresURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		// Not parseable: show only the scheme, since the password may be
		// anywhere in it.
		if i := strings.Index(raw, "://"); i >= 0 {
			return raw[:i+3] + "…"
		}
		return "postgres URL"
	}
	return u.Redacted()
}

// OpenPostgres connects to the database at url (postgres:// or
// postgresql://, as libpq takes it) and applies pending schema migrations
// under an advisory lock, so several replicas starting at once migrate
// once. Only WithDocumentKey applies among the options.
func OpenPostgres(ctx context.Context, rawURL string, opts ...Option) (*Postgres, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if !IsPostgresURL(rawURL) {
		return nil, fmt.Errorf("ledger: %s is not a postgres:// or postgresql:// URL", RedactPostgresURL(rawURL))
	}
	if o.documentKey != nil && len(o.documentKey) < minDocumentKeyLen {
		return nil, fmt.Errorf("ledger: document key has %d bytes, need at least %d", len(o.documentKey), minDocumentKeyLen)
	}
	s := &Postgres{where: RedactPostgresURL(rawURL)}
	if u, err := url.Parse(rawURL); err == nil && u.User != nil {
		s.password, _ = u.User.Password()
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, s.errorf("open %s: %w", s.where, err)
	}
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, s.errorf("open %s: %w", s.where, err)
	}
	if err := s.setUp(ctx, o); err != nil {
		s.pool.Close()
		return nil, err
	}
	return s, nil
}

// ErrNoState: OpenExistingPostgres found no auvosync state in the database
// (a wrong database name or search_path, most likely).
var ErrNoState = errors.New("ledger: no auvosync state here")

// OpenExistingPostgres is OpenPostgres for a state that must exist already
// (readers such as the analyst's commands): it returns ErrNoState, creating
// nothing, when the database or schema holds no state.
func OpenExistingPostgres(ctx context.Context, rawURL string, opts ...Option) (*Postgres, error) {
	return OpenPostgres(ctx, rawURL, append(opts, func(o *options) { o.mustExist = true })...)
}

func (s *Postgres) setUp(ctx context.Context, o options) error {
	if err := s.pool.Ping(ctx); err != nil {
		return s.errorf("open %s: %w", s.where, err)
	}
	if o.mustExist {
		var found bool
		if err := s.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&found); err != nil {
			return s.errorf("open %s: %w", s.where, err)
		}
		if !found {
			return fmt.Errorf("%w: %s has no schema_migrations table in its search_path", ErrNoState, s.where)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// The migration lock also keeps two first openers from generating
		// two keys.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, postgresSetupLock); err != nil {
			return s.errorf("lock for the document key: %w", err)
		}
		stored, err := s.metaValue(ctx, tx, "document_key")
		if err != nil {
			return err
		}
		check, err := s.metaValue(ctx, tx, "document_key_check")
		if err != nil {
			return err
		}
		key, writeKey, writeCheck, err := documentKey(o.documentKey, stored, check)
		if err != nil {
			return err
		}
		s.key = key
		for k, v := range map[string]string{"document_key": writeKey, "document_key_check": writeCheck} {
			if v == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return s.errorf("write meta %s: %w", k, err)
			}
		}
		return nil
	})
}

func (s *Postgres) metaValue(ctx context.Context, tx pgx.Tx, key string) (string, error) {
	var v string
	err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", s.errorf("read meta %s: %w", key, err)
	}
	return v, nil
}

// Close closes the pool. The store must not be used afterwards.
func (s *Postgres) Close() error {
	s.pool.Close()
	return nil
}

// Where names the database without its password.
func (s *Postgres) Where() string { return s.where }

func (s *Postgres) DocumentHash(doc string) string {
	if doc == "" {
		return ""
	}
	return hmacHex(s.key, doc)
}

// errorf formats a ledger error and removes the password from it, whatever
// the driver put in its cause.
func (s *Postgres) errorf(format string, args ...any) error {
	err := fmt.Errorf("ledger: "+format, args...)
	if s.password == "" || !strings.Contains(err.Error(), s.password) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), s.password, "xxxxx"), cause: err}
}

// redactedError shows a message without the password but keeps the cause
// for errors.Is (ErrNotFound and the like).
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return errors.Unwrap(e.cause) }

// inTx runs fn in one transaction and commits it, or rolls it back when fn
// or the commit fails. Errors fn returns are passed on as they are.
func (s *Postgres) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return s.errorf("commit: %w", err)
	}
	return nil
}

// affected reports whether a statement changed exactly one row.
func (s *Postgres) affected(tag pgconn.CommandTag, err error, op, conn string) (bool, error) {
	if err != nil {
		return false, s.errorf("%s %s: %w", op, conn, err)
	}
	return tag.RowsAffected() == 1, nil
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
