package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpen_CreatesStateFileWithMode0600(t *testing.T) {
	s, path := openTemp(t)
	require.NoError(t, s.PutLink(context.Background(), liveLink("1", "10"), t0))

	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	// SQLite copies the database file's mode to its WAL, which holds the
	// same secrets until checkpointed.
	wal, err := os.Stat(path + "-wal")
	require.NoError(t, err, "WAL mode keeps a -wal file while open")
	assert.Equal(t, os.FileMode(0o600), wal.Mode().Perm())
}

func TestOpen_UsesWALAndBusyTimeout(t *testing.T) {
	s, _ := openTemp(t)
	var mode string
	require.NoError(t, s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode)
	var timeout int
	require.NoError(t, s.db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout))
	assert.Equal(t, 5000, timeout)
	var fk int
	require.NoError(t, s.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk))
	assert.Equal(t, 1, fk)
	var synchronous int
	require.NoError(t, s.db.QueryRow(`PRAGMA synchronous`).Scan(&synchronous))
	assert.Equal(t, 2, synchronous, "FULL: a commit (a rotated token) survives power loss")

	short := openAt(t, tempPath(t), WithBusyTimeout(250*time.Millisecond))
	require.NoError(t, short.db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout))
	assert.Equal(t, 250, timeout)
}

func TestOpen_RejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		opts    []Option
		wantErr string
	}{
		{"empty path", "", nil, "path is empty"},
		{"query in path", filepath.Join(dir, "a.db?mode=ro"), nil, "plain file path"},
		{"uri path", "file:" + filepath.Join(dir, "a.db"), nil, "plain file path"},
		{"missing directory", filepath.Join(dir, "nope", "a.db"), nil, "open state file"},
		{"short document key", filepath.Join(dir, "b.db"), []Option{WithDocumentKey([]byte("short"))}, "at least 16"},
		{"negative busy timeout", filepath.Join(dir, "c.db"), []Option{WithBusyTimeout(-1)}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.path, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestOpen_RejectsAFileThatIsNotADatabase(t *testing.T) {
	path := tempPath(t)
	require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("not sqlite ", 200)), 0o600))
	_, err := Open(context.Background(), path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
}

func TestReopen_KeepsEverything(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	s, err := Open(ctx, path)
	require.NoError(t, err)
	doc := s.DocumentHash("12345678909")

	l := liveLink("A1", "P1")
	l.DocHash = doc
	require.NoError(t, s.PutLink(ctx, l, t0))
	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "A1", "P1", "ah", "ph", t0))
	require.NoError(t, s.PutLink(ctx, liveLink("A2", "P2"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A2", LinkAuvoDeleted, "GET /customers/A2: 404", t0))
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "omie-to-auvo", t0))
	intentID, err := s.BeginIntent(ctx, Intent{Conn: "acme", Flow: "auvo-to-omie", SourceID: "A3", Kind: IntentCreate, TargetKey: "auvo-A3", CreatedAt: t0})
	require.NoError(t, err)
	require.NoError(t, s.SaveToken(ctx, "beta", "contaazul", Token{RefreshToken: "r1", AccessToken: "a1", Expiry: t0.Add(3600e9)}))
	runID, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.RecordOutcomes(ctx, runID, []Outcome{{SourceID: "A1", TargetID: "P1", Kind: OutcomeLinked, Rule: "R-MATCH-1", At: t0}}))
	require.NoError(t, s.FinishRun(ctx, runID, t0.Add(1e9), map[string]int{OutcomeLinked: 1}, ""))
	ok, err := s.AcquireLease(ctx, "acme", Holder{Run: "runner-1"}, 3600e9, t0)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, s.Close())

	s = openAt(t, path)
	assert.Equal(t, doc, s.DocumentHash("12345678909"), "the document key is kept in the file")
	got, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, Link{Conn: "acme", Partner: "omie", AuvoID: "A1", PartnerID: "P1", DocHash: doc, Flow: "auvo-to-omie",
		State: LinkLive, LinkedAt: t0, UpdatedAt: t0, AuvoHash: "ah", PartnerHash: "ph"}, got)
	locks, err := s.Locks(ctx, "acme")
	require.NoError(t, err)
	require.Len(t, locks, 1)
	assert.Equal(t, "A2", locks[0].Link.AuvoID)
	cur, ok, err := s.Cursor(ctx, "acme", "omie-to-auvo")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, t0, cur)
	intents, err := s.OpenIntents(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.Len(t, intents, 1)
	assert.Equal(t, intentID, intents[0].ID)
	tok, ok, err := s.LoadToken(ctx, "beta", "contaazul")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "r1", tok.RefreshToken)
	run, ok, err := s.LastSuccessfulRun(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, map[string]int{OutcomeLinked: 1}, run.Counts)
	explained, err := s.Explain(ctx, "acme", "A1", 0)
	require.NoError(t, err)
	require.Len(t, explained, 1)
	ok, err = s.AcquireLease(ctx, "acme", Holder{Run: "runner-2"}, 3600e9, t0.Add(1e9))
	require.NoError(t, err)
	assert.False(t, ok, "the lease survives a restart until it expires")
}

func TestDocumentHash_IsKeyedAndStable(t *testing.T) {
	a, pathA := openTemp(t)
	b, _ := openTemp(t)
	const doc = "12345678909"
	plain := sha256.Sum256([]byte(doc))

	h := a.DocumentHash(doc)
	assert.Len(t, h, 64)
	assert.NotContains(t, h, doc)
	assert.NotEqual(t, hex.EncodeToString(plain[:]), h, "an unkeyed hash of an 11-digit CPF is easy to reverse")
	assert.NotEqual(t, h, b.DocumentHash(doc), "each new state file gets its own random key")
	assert.Equal(t, h, a.DocumentHash(doc))
	assert.NotEqual(t, h, a.DocumentHash("98765432100"))
	assert.Empty(t, a.DocumentHash(""), "records without a document must never compare equal")

	require.NoError(t, a.Close())
	assert.Equal(t, h, openAt(t, pathA).DocumentHash(doc))
}

func TestWithDocumentKey(t *testing.T) {
	ctx := context.Background()
	key := []byte("0123456789abcdef0123456789abcdef")
	other := []byte("fedcba9876543210fedcba9876543210")

	pathA := tempPath(t)
	a := openAt(t, pathA, WithDocumentKey(key))
	b := openAt(t, tempPath(t), WithDocumentKey(key))
	assert.Equal(t, a.DocumentHash("12345678909"), b.DocumentHash("12345678909"), "stores sharing a key agree")
	require.NoError(t, a.Close())

	raw, err := os.ReadFile(pathA)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), hex.EncodeToString(key), "a key given by the caller is not written to the file")

	_, err = Open(ctx, pathA, WithDocumentKey(other))
	assert.ErrorIs(t, err, ErrDocumentKeyMismatch)
	_, err = Open(ctx, pathA)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithDocumentKey")

	_, generatedPath := openTemp(t)
	_, err = Open(ctx, generatedPath, WithDocumentKey(key))
	assert.ErrorIs(t, err, ErrDocumentKeyMismatch, "a file with a generated key refuses a different one")
}

func TestStateFile_HoldsNoPlainDocument(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	const doc = "11222333000181"
	l := liveLink("A1", "P1")
	l.DocHash = s.DocumentHash(doc)
	require.NoError(t, s.PutLink(ctx, l, t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A1", LinkAuvoDeleted, "GET /customers/A1: 404", t0))
	require.NoError(t, s.Close())

	for _, f := range []string{path, path + "-wal"} {
		raw, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		assert.NotContains(t, string(raw), doc)
		assert.Contains(t, string(raw), l.DocHash, "sanity: the hash itself is stored")
	}
}

func TestBackup_WritesAUsableCopy(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))
	require.NoError(t, s.SaveToken(ctx, "beta", "bling", Token{RefreshToken: "r"}))
	dest := filepath.Join(t.TempDir(), "backup.db")

	require.NoError(t, s.Backup(ctx, dest))

	info, err := os.Stat(dest)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the backup holds tokens too")
	b := openAt(t, dest)
	got, err := b.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, "P1", got.PartnerID)
	assert.Equal(t, s.DocumentHash("123"), b.DocumentHash("123"), "the backup keeps the document key")

	err = s.Backup(ctx, dest)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not empty")
	require.Error(t, s.Backup(ctx, ""))
}

func TestOpen_ConcurrentOpensOfAFreshFileAgree(t *testing.T) {
	path := tempPath(t)
	const n = 4
	stores := make([]*SQLite, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), path) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		t.Cleanup(func() { _ = stores[i].Close() })
	}
	for i := 1; i < n; i++ {
		assert.Equal(t, stores[0].DocumentHash("123"), stores[i].DocumentHash("123"), "one key, generated once")
	}
	var versions int
	require.NoError(t, stores[0].db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&versions))
	assert.Equal(t, SchemaVersion, versions, "each migration applied once")
}
