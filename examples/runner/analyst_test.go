package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/ledger"
)

// R-LOCK-3: the analyst sees every locked record with its history, and
// releases one explicitly; the release is recorded.
func TestAnalystListsReleasesAndExplains_RLOCK3(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	res := runner(t, w.vars, "-config", w.config, "-once")
	require.Equal(t, 0, res.code, res.stderr)

	res = runner(t, w.vars, "locks", "-config", w.config)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "3 locked record(s)")
	for _, c := range []string{"acme · omie", "beta · contaazul", "gamma · bling"} {
		assert.Contains(t, res.stdout, c)
	}
	assert.Contains(t, res.stdout, "locked")

	st, err := ledger.Open(context.Background(), w.state)
	require.NoError(t, err)
	locks, err := st.Locks(context.Background(), "gamma")
	require.NoError(t, err)
	require.NoError(t, st.Close())
	require.Len(t, locks, 1)
	l := locks[0].Link

	res = runner(t, w.vars, "release", "-state", w.state, "-connection", "gamma", "-partner", "bling", "-auvo-id", l.AuvoID,
		"-who", "alice", "-why", "customer asked to be integrated again")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "Released")

	res = runner(t, w.vars, "locks", "-state", w.state)
	require.Equal(t, 0, res.code)
	assert.Contains(t, res.stdout, "2 locked record(s)")
	assert.NotContains(t, res.stdout, "gamma · bling")

	st, err = ledger.Open(context.Background(), w.state)
	require.NoError(t, err)
	hist, err := st.LinkHistory(context.Background(), "gamma", "bling", l.AuvoID)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	last := hist[len(hist)-1]
	assert.Equal(t, ledger.EventReleased, last.Kind)
	assert.Equal(t, "alice", last.Who)

	// Releasing again: it is no longer locked.
	res = runner(t, w.vars, "release", "-state", w.state, "-connection", "gamma", "-partner", "bling", "-auvo-id", l.AuvoID, "-who", "a", "-why", "b")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "is not locked")

	res = runner(t, w.vars, "explain", "-state", w.state, "-connection", "gamma", l.PartnerID)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "R-LOCK-1")
	assert.Contains(t, res.stdout, "bling-to-auvo")

	res = runner(t, w.vars, "runs", "-state", w.state, "-limit", "3")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Equal(t, 4, strings.Count(strings.TrimSpace(res.stdout), "\n")+1, "a header and three runs")

	backup := filepath.Join(t.TempDir(), "backup.db")
	res = runner(t, w.vars, "backup", "-state", w.state, "-to", backup)
	require.Equal(t, 0, res.code, res.stderr)
	bst, err := ledger.Open(context.Background(), backup)
	require.NoError(t, err)
	defer bst.Close()
	runs, err := bst.Runs(context.Background(), "", 0)
	require.NoError(t, err)
	assert.NotEmpty(t, runs)
	assertNoPersonalData(t, w, res.stdout)
}

func TestAnalystUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.db")
	cases := []struct {
		args []string
		want int
		msg  string
	}{
		{[]string{"release", "-state", missing, "-connection", "a"}, 2, "missing -partner, -auvo-id, -who, -why"},
		{[]string{"release", "-state", missing, "-connection", "a", "-partner", "sap", "-auvo-id", "1", "-who", "a", "-why", "b"}, 2, `-partner "sap"`},
		{[]string{"explain", "-state", missing}, 2, "exactly one SOURCE_ID"},
		{[]string{"locks", "-state", missing}, 2, "state file"},
		{[]string{"backup", "-state", missing}, 2, "-to FILE is required"},
		{[]string{"locks", "-h"}, 0, "Analyst commands"},
	}
	for _, tc := range cases {
		res := runner(t, nil, tc.args...)
		assert.Equal(t, tc.want, res.code, "%v: %s", tc.args, res.stderr)
		assert.Contains(t, res.stderr, tc.msg, tc.args)
	}
}

// After a re-authorisation the analyst stores the new first refresh token;
// the next cycle uses it instead of the rotated-out one.
func TestReauthorizeStoresANewRefreshToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	require.Equal(t, 0, runner(t, w.vars, "-config", w.config, "-once").code)

	w.d.bling.SetRefreshToken("re-authorised-token")
	w.d.bling.ExpireTokens()
	res := runner(t, w.vars, "-config", w.config, "-once")
	require.Equal(t, 1, res.code, "the stored token no longer works: %s", res.stdout)
	assert.Contains(t, res.stdout, "gamma · bling-to-auvo")

	e := &env{stdin: strings.NewReader("re-authorised-token\n")}
	res = runnerWith(t, context.Background(), e, w.vars, "reauthorize", "-config", w.config, "-connection", "gamma", "-vendor", "bling")
	require.Equal(t, 0, res.code, res.stderr)
	assert.NotContains(t, res.stdout+res.stderr, "re-authorised-token", "the token is not echoed")

	res = runner(t, w.vars, "-config", w.config, "-once")
	assert.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
}
