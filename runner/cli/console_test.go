package cli

import (
	"context"
	"io"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/internal/testkit/runnertest"
	"github.com/auvosync/auvosync/runner"
)

// CONTRACTS.md §5: without a password a non-loopback address is a config
// error (exit 2) naming the address.
func TestConsole_NonLoopbackWithoutPasswordIsAConfigError(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	res := runCLI(t, w.Vars, "-config", w.Config, "-once", "-console", "0.0.0.0:0")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, `console address "0.0.0.0:0" is not a loopback address`)

	res = runCLI(t, w.Vars, "console", "-config", w.Config, "-addr", ":8080")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, `console address ":8080"`)

	withPassword := testkit.WriteFile(t, "sync.yaml", readString(t, w.Config)+"console:\n  password: ${CONSOLE_PASSWORD}\n")
	vars := maps.Clone(w.Vars)
	vars["CONSOLE_PASSWORD"] = "pw"
	res = runCLI(t, vars, "console", "-config", withPassword, "-addr", "256.0.0.1:1")
	assert.Equal(t, 1, res.code, "with a password the address is allowed; this one cannot be listened on")
}

func TestConsole_ServedWhileTheRunnerRuns(t *testing.T) {
	t.Parallel()
	var page string
	var status int
	e := &env{clock: runner.SystemClock(), onConsole: func(addr string) {
		status, page = fetch(t, "http://"+addr+"/")
	}}
	res := runnerWith(t, context.Background(), e, nil, "-once", "-console", "127.0.0.1:0")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "Analyst console at http://127.0.0.1:")
	assert.Equal(t, http.StatusOK, status)
	for _, name := range []string{"acme", "beta", "gamma", "auvo-to-omie", "bling-to-auvo"} {
		assert.Contains(t, page, name)
	}
}

// "runner console" reads the state only: it starts without any vendor
// credential in the environment.
func TestConsole_ServedOnItsOwnWithoutVendorCredentials(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	require.Equal(t, 0, runCLI(t, w.Vars, "-config", w.Config, "-once").code)

	ctx, cancel := context.WithCancel(context.Background())
	var overview, locks string
	e := &env{onConsole: func(addr string) {
		defer cancel()
		_, overview = fetch(t, "http://"+addr+"/")
		_, locks = fetch(t, "http://"+addr+"/locks")
	}}
	res := runnerWith(t, ctx, e, nil, "console", "-config", w.Config, "-addr", "127.0.0.1:0")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "Analyst console at http://127.0.0.1:")
	assert.Contains(t, overview, "gamma")
	assert.Contains(t, overview, "ok</span>")
	assert.Contains(t, locks, "Release this record", "the demo's locked records")
}

func TestConsole_OnItsOwnNeedsAConfig(t *testing.T) {
	res := runCLI(t, nil, "console")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "usage: runner console -config")
	res = runCLI(t, nil, "console", "-config", "/no/such/file.yaml")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "reading /no/such/file.yaml")
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if !assert.NoError(t, err) {
		return 0, ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	assert.NoError(t, err)
	return resp.StatusCode, string(b)
}
