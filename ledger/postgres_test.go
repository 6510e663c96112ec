package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No server is needed: each URL fails before or at connecting, and the
// error must name the database without the password (CONTRACTS.md §4).
func TestOpenPostgres_ErrorsNeverShowThePassword(t *testing.T) {
	const password = "s3cr3t-p4ss"
	for _, raw := range []string{
		"postgres://auvosync:" + password + "@127.0.0.1:1/auvosync?sslmode=disable&connect_timeout=1",
		"postgresql://auvosync:" + password + "@127.0.0.1:notaport/auvosync",
		"postgres://auvosync:" + password + "@127.0.0.1:1/auvosync?sslmode=bogus",
		"postgres://auvosync:" + password + "@[::1/auvosync",
	} {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		_, err := OpenPostgres(ctx, raw)
		cancel()
		require.Error(t, err, raw)
		assert.NotContains(t, err.Error(), password)
		assert.Contains(t, err.Error(), "ledger:")
	}
}

func TestRedactPostgresURL(t *testing.T) {
	for raw, want := range map[string]string{
		"postgres://u:pw@h:5432/db?sslmode=require": "postgres://u:xxxxx@h:5432/db?sslmode=require",
		"postgresql://u@h/db":                       "postgresql://u@h/db",
		"postgres://u:pw@[::1/db":                   "postgres://…",
	} {
		assert.Equal(t, want, RedactPostgresURL(raw), raw)
	}
}

func TestIsPostgresURL(t *testing.T) {
	assert.True(t, IsPostgresURL("postgres://h/db"))
	assert.True(t, IsPostgresURL("postgresql://h/db"))
	assert.False(t, IsPostgresURL("./auvosync.db"))
	assert.False(t, IsPostgresURL("postgres.db"))
}
