package console

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit/pgtest"
	"github.com/auvosync/auvosync/ledger"
)

// The console works the same on a PostgreSQL state (CONTRACTS.md §5): the
// fixture copied into PostgreSQL renders every page as on SQLite, and a
// release through the form is recorded in PostgreSQL.
func TestConsole_PostgresStateShowsWhatSQLiteShowsAndReleases(t *testing.T) {
	dsn := pgtest.SchemaURL(t) // skips, or fails under AUVOSYNC_REQUIRE_POSTGRES, without a server
	f := seed(t)
	empty, err := ledger.OpenPostgres(t.Context(), dsn)
	require.NoError(t, err)
	_, err = ledger.Copy(t.Context(), f.store, empty)
	require.NoError(t, err)
	require.NoError(t, empty.Close())
	pg, err := ledger.OpenPostgres(t.Context(), dsn) // as migrate-state leaves it: with the copied key
	require.NoError(t, err)
	t.Cleanup(func() { _ = pg.Close() })

	lite, post := serve(t, f.store), serve(t, pg)
	// Session cookies and form tokens differ between two servers; the
	// rest of a page must not.
	volatile := regexp.MustCompile(`name="csrf" value="[^"]+"`)
	for _, path := range []string{"/", "/c/acme", fmt.Sprintf("/c/acme/runs/%d", f.runs[0]),
		fmt.Sprintf("/c/acme/runs/%d?outcome=skipped", f.runs[0]), "/c/acme/records/auvo/A1",
		"/c/acme/find?id=A3", "/locks"} {
		want, got := lite.get(t, path), post.get(t, path)
		require.Equal(t, want.status, got.status, path)
		assert.Equal(t, volatile.ReplaceAllString(want.body, ""), volatile.ReplaceAllString(got.body, ""), path)
		assertMasked(t, got.body)
	}

	// A document typed in is found through the state's keyed hash, which
	// the copy kept.
	found := post.post(t, "/c/acme/find", url.Values{"csrf": {post.csrf(t, "/c/acme")}, "document": {lockedDoc}})
	require.Equal(t, http.StatusSeeOther, found.status, found.body)
	assert.Equal(t, "/c/acme/records/auvo/A1", found.header.Get("Location"))

	token := post.csrf(t, "/c/acme/records/auvo/A1")
	r := post.post(t, "/c/acme/release", url.Values{"csrf": {token}, "partner": {"omie"}, "auvo_id": {"A1"},
		"who": {"Ana"}, "why": {"customer asked"}, "back": {"/c/acme/records/auvo/A1"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	events, err := pg.LinkHistory(t.Context(), "acme", "omie", "A1")
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Equal(t, ledger.EventReleased, last.Kind)
	assert.Equal(t, "Ana", last.Who)
	assert.Equal(t, "customer asked", last.Reason)
}
