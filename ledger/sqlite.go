package ledger

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite" // registers the pure-Go "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite is the Store on one embedded SQLite file (pure Go, no cgo, no server).
type SQLite struct {
	db   *sql.DB
	path string
	key  []byte

	// Prepared once: flows look links and the index up once per record.
	linkByAuvo    *sql.Stmt
	linkByPartner *sql.Stmt
	indexByDoc    *sql.Stmt
	indexByCode   *sql.Stmt
}

var _ Store = (*SQLite)(nil)

// Option configures Open.
type Option func(*options)

type options struct {
	documentKey []byte
	busyTimeout time.Duration
	mustExist   bool // OpenExistingPostgres
}

// WithDocumentKey sets the HMAC key of DocumentHash (at least 16 bytes), for
// keeping the key out of the state file or sharing it between stores. Without
// it a random key is generated on first open and kept in the file. Open fails
// with ErrDocumentKeyMismatch if the file's hashes were made with another key.
func WithDocumentKey(key []byte) Option {
	return func(o *options) { o.documentKey = append([]byte(nil), key...) }
}

// WithBusyTimeout sets how long a write waits for another writer (default 5 s).
func WithBusyTimeout(d time.Duration) Option {
	return func(o *options) { o.busyTimeout = d }
}

const minDocumentKeyLen = 16

// Open opens (creating it with mode 0600 if needed) the state file at path
// and applies pending schema migrations.
func Open(ctx context.Context, path string, opts ...Option) (*SQLite, error) {
	o := options{busyTimeout: 5 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, errors.New("ledger: state file path is empty")
	}
	// The driver reads everything after '?' as options and a "file:" prefix
	// as a URI; a plain path must contain neither.
	if strings.ContainsRune(path, '?') || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("ledger: state file path %q must be a plain file path (no '?', no \"file:\" prefix)", path)
	}
	if o.documentKey != nil && len(o.documentKey) < minDocumentKeyLen {
		return nil, fmt.Errorf("ledger: document key has %d bytes, need at least %d", len(o.documentKey), minDocumentKeyLen)
	}
	if o.busyTimeout < 0 {
		return nil, fmt.Errorf("ledger: busy timeout %v is negative", o.busyTimeout)
	}
	// Create the file ourselves so it gets 0600 (it holds OAuth tokens);
	// SQLite gives its -wal and -shm files the database file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger: open state file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("ledger: open state file: %w", err)
	}

	// synchronous(FULL): in WAL mode NORMAL may lose the last commits on
	// power loss, and SaveToken promises durability on return.
	// _txlock=immediate: a write transaction takes the write lock at BEGIN,
	// so it waits (busy_timeout) instead of failing on a lock upgrade.
	dsn := fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate",
		path, o.busyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("ledger: open %s: %w", path, err)
	}
	s := &SQLite{db: db, path: path}
	if err := s.setUp(ctx, o); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// openRetryPause is the pause between attempts when a concurrent Open holds
// the file: SQLite reports SQLITE_BUSY without calling the busy handler when
// two connections switch a fresh file to WAL at the same moment.
const openRetryPause = 20 * time.Millisecond

func (s *SQLite) setUp(ctx context.Context, o options) error {
	attempts := int(o.busyTimeout/openRetryPause) + 1
	for i := 1; ; i++ {
		err := s.setUpOnce(ctx, o)
		if err == nil || !isBusy(err) || i >= attempts {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("ledger: open %s: %w", s.path, ctx.Err())
		case <-time.After(openRetryPause):
		}
	}
}

func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

func (s *SQLite) setUpOnce(ctx context.Context, o options) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ledger: open %s: %w", s.path, err)
	}
	if err := migrate(ctx, s.db, s.path); err != nil {
		return err
	}
	key, err := loadDocumentKey(ctx, s.db, o.documentKey)
	if err != nil {
		return err
	}
	s.key = key
	return nil
}

func (s *SQLite) prepare(ctx context.Context) error {
	var err error
	if s.linkByAuvo, err = s.db.PrepareContext(ctx, selectLink+` WHERE conn = ? AND partner = ? AND auvo_id = ?`); err != nil {
		return fmt.Errorf("ledger: prepare: %w", err)
	}
	if s.linkByPartner, err = s.db.PrepareContext(ctx, selectLink+` WHERE conn = ? AND partner = ? AND partner_id = ?
		ORDER BY CASE WHEN state = 'released' THEN 1 ELSE 0 END, updated_at_ns DESC LIMIT 1`); err != nil {
		return fmt.Errorf("ledger: prepare: %w", err)
	}
	if s.indexByDoc, err = s.db.PrepareContext(ctx, selectIndex+` AND doc_hash = ?`); err != nil {
		return fmt.Errorf("ledger: prepare: %w", err)
	}
	if s.indexByCode, err = s.db.PrepareContext(ctx, selectIndex+` AND external_code = ?`); err != nil {
		return fmt.Errorf("ledger: prepare: %w", err)
	}
	return nil
}

// Close closes the state file. The store must not be used afterwards.
func (s *SQLite) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.linkByAuvo, s.linkByPartner, s.indexByDoc, s.indexByCode} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

// Backup writes a consistent copy of the whole state file to destPath
// (mode 0600), while other connections keep working. destPath must not
// exist, or be an empty file.
func (s *SQLite) Backup(ctx context.Context, destPath string) error {
	if destPath == "" {
		return errors.New("ledger: backup path is empty")
	}
	f, err := os.OpenFile(destPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("ledger: backup: %w", err)
	}
	info, err := f.Stat()
	_ = f.Close()
	if err != nil {
		return fmt.Errorf("ledger: backup: %w", err)
	}
	if info.Size() > 0 {
		return fmt.Errorf("ledger: backup: %s already exists and is not empty", destPath)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, destPath); err != nil {
		_ = os.Remove(destPath)
		return fmt.Errorf("ledger: backup to %s: %w", destPath, err)
	}
	return nil
}

// DocumentHash returns HMAC-SHA256(key, doc) in hex; "" for an empty doc so
// that records without a document never compare equal.
func (s *SQLite) DocumentHash(doc string) string {
	if doc == "" {
		return ""
	}
	return hmacHex(s.key, doc)
}

func hmacHex(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// keyCheckMessage is hashed with the document key and kept in the file, so a
// different key given later is caught instead of silently breaking matches.
const keyCheckMessage = "auvosync ledger document key check"

func loadDocumentKey(ctx context.Context, db *sql.DB, given []byte) ([]byte, error) {
	var key []byte
	err := inTx(ctx, db, func(tx *sql.Tx) error {
		stored, err := metaValue(ctx, tx, "document_key")
		if err != nil {
			return err
		}
		check, err := metaValue(ctx, tx, "document_key_check")
		if err != nil {
			return err
		}
		k, writeKey, writeCheck, err := documentKey(given, stored, check)
		if err != nil {
			return err
		}
		key = k
		if writeKey != "" {
			if err := setMeta(ctx, tx, "document_key", writeKey); err != nil {
				return err
			}
		}
		if writeCheck != "" {
			return setMeta(ctx, tx, "document_key_check", writeCheck)
		}
		return nil
	})
	return key, err
}

func metaValue(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("ledger: read meta %s: %w", key, err)
	}
	return v, nil
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("ledger: write meta %s: %w", key, err)
	}
	return nil
}

// inTx runs fn in one transaction (BEGIN IMMEDIATE, see the DSN) and
// commits it, or rolls it back when fn or the commit fails.
func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("ledger: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("ledger: commit: %w", err)
	}
	return nil
}
