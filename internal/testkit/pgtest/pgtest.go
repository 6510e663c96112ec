// Package pgtest gives each test its own empty PostgreSQL schema, on the
// server named by AUVOSYNC_TEST_POSTGRES (default: the local server of the
// project's machines). A test without a server skips with a message saying
// so, unless AUVOSYNC_REQUIRE_POSTGRES=1 (CI) makes it fail: a green CI run
// has then really run the PostgreSQL tests.
//
// Only _test.go files import it (testkit's TestNotImportedByNonTestCode
// holds that).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// EnvURL names the server; the tests create and drop schemas in it.
	EnvURL = "AUVOSYNC_TEST_POSTGRES"
	// EnvRequire=1 turns "no server" from a skip into a failure.
	EnvRequire = "AUVOSYNC_REQUIRE_POSTGRES"
	// DefaultURL is the server of the project's machines and CI.
	DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
)

var (
	probeOnce sync.Once
	probeErr  error
)

// ServerURL returns the test server's URL, or skips (fails under
// EnvRequire=1) when no server answers it. Every schema URL is made from it.
func ServerURL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(EnvURL)
	if raw == "" {
		raw = DefaultURL
	}
	probeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, raw)
		if err != nil {
			probeErr = err
			return
		}
		probeErr = conn.Ping(ctx)
		_ = conn.Close(ctx)
	})
	if probeErr != nil {
		msg := "no PostgreSQL answers at " + redacted(raw) + " (" + probeErr.Error() + "); set " + EnvURL + " to a server's URL to run this test"
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("%s (%s=1: PostgreSQL tests must run here)", msg, EnvRequire)
		}
		t.Skip(msg)
	}
	return raw
}

// SchemaURL creates a fresh schema, dropped when the test ends, and returns
// a URL whose connections use it (search_path), so tests run in parallel
// and leave nothing behind.
func SchemaURL(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "auvosync_test_" + hex.EncodeToString(b[:])
	Exec(t, server, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { Exec(t, server, `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: %s is not a URL: %v", redacted(server), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Exec runs statements on the database at rawURL (a SchemaURL runs them in
// its schema), for tests that set a state up behind the store's back.
func Exec(t testing.TB, rawURL, sql string) {
	t.Helper()
	withConn(t, rawURL, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, sql)
		return err
	}, sql)
}

// withConn runs do on a connection of its own to rawURL, failing the test
// (naming what failed, never the password) when it cannot.
func withConn(t testing.TB, rawURL string, do func(context.Context, *pgx.Conn) error, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", redacted(rawURL), err)
	}
	defer conn.Close(ctx)
	if err := do(ctx, conn); err != nil {
		t.Fatalf("pgtest: %s: %v", what, err)
	}
}

func redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the configured URL"
	}
	return u.Redacted()
}

// QueryInt returns the one integer a query selects, for tests that check
// the state behind the store's back.
func QueryInt(t testing.TB, rawURL, sql string) int {
	t.Helper()
	var n int
	withConn(t, rawURL, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, sql).Scan(&n)
	}, sql)
	return n
}
