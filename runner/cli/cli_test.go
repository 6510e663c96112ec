package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/internal/testkit/runnertest"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/runner/demo"
	"github.com/auvosync/auvosync/syncrules"
)

// TestMain lets more end-to-end tests run at once than the default of
// GOMAXPROCS, unless -parallel was given: they spend their time waiting on
// the clients' real rate limiters, not on the CPU.
func TestMain(m *testing.M) {
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		_ = flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}

type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command in-process.
func runCLI(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	return runnerWith(t, context.Background(), &env{clock: runner.SystemClock()}, vars, args...)
}

func runnerWith(t *testing.T, ctx context.Context, e *env, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errOut testkit.Buffer
	e.stdout, e.stderr, e.getenv = &out, &errOut, envOf(vars)
	if e.clock == nil {
		e.clock = runner.SystemClock()
	}
	code := run(ctx, args, e)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var reportKeys = []string{"connection", "flow", "outcome", "reason", "rule", "source_id", "target_id", "time"}

func readReport(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var lines []map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]string
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		require.Equal(t, reportKeys, keys, "R-REPORT-1: the contract's exact keys")
		require.True(t, syncrules.OutcomeKind(m["outcome"]).Valid(), m["outcome"])
		require.True(t, syncrules.Rule(m["rule"]).Valid(), "rule %q is a RULES.md ID", m["rule"])
		_, err := time.Parse(time.RFC3339, m["time"])
		require.NoError(t, err)
		lines = append(lines, m)
	}
	require.NoError(t, sc.Err())
	return lines
}

func TestDemoRunsToCompletion(t *testing.T) {
	t.Parallel()
	var d *demo.Demo
	res := runnerWith(t, context.Background(), &env{onDemo: func(x *demo.Demo) { d = x }}, nil, "-once")
	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	require.NotNil(t, d)
	assert.GreaterOrEqual(t, d.Seeded, 55, "about 60 demo customers")
	assert.Contains(t, res.stdout, "Cycle 1")
	for _, f := range []string{"acme · auvo-to-omie", "acme · omie-to-auvo", "beta · auvo-to-contaazul", "beta · contaazul-to-auvo", "gamma · bling-to-auvo"} {
		assert.Contains(t, res.stdout, "== "+f)
	}
	assert.NotContains(t, res.stdout, "STOPPED")
	assert.NotContains(t, res.stdout, "did not run")
	for _, rule := range demoRules {
		assert.Regexp(t, regexp.MustCompile(`\s`+regexp.QuoteMeta(rule)+`\s`), res.stdout, "the demo shows %s", rule)
	}
	_, err := os.Stat(d.Config.State)
	assert.True(t, os.IsNotExist(err), "the demo's state file is removed on exit")
	runnertest.AssertNoPersonalData(t, d, res.stdout, res.stderr)
}

// demoRules are rule IDs the demo's seeds are built to show.
var demoRules = []string{
	"R-OUT-1", "R-OUT-2", "R-OUT-3", "R-IN-2", "R-IN-3", "R-IN-4",
	"R-ELIG-1", "R-ELIG-2", "R-ELIG-3", "R-ADDR-1", "R-TAG-4", "R-PROFILE-2", "R-LOCK-1", "R-UPD-1",
}

func TestOnceEndToEndAllFiveFlowsWithReport(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	report := filepath.Join(t.TempDir(), "out.jsonl")
	res := runCLI(t, w.Vars, "-config", w.Config, "-once", "-report", report)
	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	lines := readReport(t, report)
	flowsSeen := map[string]bool{}
	outcomes := map[string]int{}
	for _, l := range lines {
		flowsSeen[l["flow"]] = true
		outcomes[l["outcome"]]++
	}
	for _, f := range syncrules.AllFlows() {
		assert.True(t, flowsSeen[string(f)], "report has records of %s", f)
	}
	assert.Positive(t, outcomes["created"])
	assert.Positive(t, outcomes["linked"])
	assert.Positive(t, outcomes["skipped"])
	info, err := os.Stat(report)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	// A second -once is the next cycle: the report grows, nothing is
	// created twice.
	res = runCLI(t, w.Vars, "-config", w.Config, "-once", "-report", report)
	require.Equal(t, 0, res.code, res.stderr)
	all := readReport(t, report)
	require.Greater(t, len(all), len(lines), "-report appends")
	for _, l := range all[len(lines):] {
		assert.NotEqual(t, "created", l["outcome"], "second cycle created again: %v", l)
	}
	reportText, err := os.ReadFile(report)
	require.NoError(t, err)
	runnertest.AssertNoPersonalData(t, w.Demo, res.stdout, res.stderr, string(reportText))
	w.AssertNoSecrets(t, res.stdout, res.stderr, string(reportText))
}

func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	before, err := os.ReadFile(w.State)
	require.NoError(t, err)
	report := filepath.Join(t.TempDir(), "dry.jsonl")
	res := runCLI(t, w.Vars, "-config", w.Config, "-once", "-dry-run", "-report", report)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "dry run")
	for name, a := range w.Demo.Auvo {
		assert.Zero(t, a.WriteCalls(), "no Auvo writes for %s", name)
	}
	assert.Zero(t, w.Demo.Omie.WriteCalls())
	assert.Zero(t, w.Demo.ContaAzul.WriteCalls())
	assert.Zero(t, w.Demo.Bling.WriteCalls())
	lines := readReport(t, report)
	created := 0
	for _, l := range lines {
		if l["outcome"] == "created" {
			created++
		}
	}
	assert.Positive(t, created, "the report says what would have been created")

	st, err := ledger.Open(context.Background(), w.State)
	require.NoError(t, err)
	defer st.Close()
	locks, err := st.Locks(context.Background(), "")
	require.NoError(t, err)
	assert.Empty(t, locks, "a dry run records no lock")
	runs, err := st.Runs(context.Background(), "", 0)
	require.NoError(t, err)
	for _, r := range runs {
		assert.True(t, r.DryRun, "no real run recorded")
	}
	_ = before
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	badCreds := strings.Replace(readString(t, w.Config), "${ACME_AUVO_TOKEN}", "wrong-token", 1)
	cases := []struct {
		name string
		args []string
		want int
		msg  string
	}{
		{"help", []string{"-h"}, 0, "usage:"},
		{"unknown flag", []string{"-bogus"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"now"}, 2, `unexpected argument "now"`},
		{"missing config file", []string{"-config", filepath.Join(t.TempDir(), "nope.yaml")}, 2, "config: reading"},
		{"invalid config", []string{"-config", testkit.WriteFile(t, "bad.yaml", "connections:\n  - name: acme\n    flows: [nope]\n")}, 2, `config: connection "acme": flows: unknown flow "nope"`},
		{"bad log format", []string{"-log-format", "xml", "-config", w.Config}, 2, "-log-format"},
		{"credentials refused", []string{"-once", "-config", testkit.WriteFile(t, "creds.yaml", badCreds)}, 1, "acme"},
		{"all flows complete", []string{"-once", "-config", w.Config}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, w.Vars, tc.args...)
			assert.Equal(t, tc.want, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			assert.Contains(t, res.stdout+res.stderr, tc.msg)
			w.AssertNoSecrets(t, res.stdout, res.stderr)
		})
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// Auvo's external code holds one ERP's id per customer: a connection whose
// flows go to two ERPs is an invalid config file (exit 2).
func TestAConnectionWithFlowsOfTwoERPsExitsTwo(t *testing.T) {
	y := "connections:\n  - name: mixed\n    flows: [auvo-to-omie, bling-to-auvo, omie-to-auvo]\n    auvo: {api_key: k, api_token: t}\n" +
		"    omie: {app_key: k, app_secret: s}\n    bling: {client_id: a, client_secret: b, refresh_token: c}\n"
	res := runCLI(t, nil, "-once", "-config", testkit.WriteFile(t, "mixed.yaml", y))
	assert.Equal(t, 2, res.code, "an invalid config file exits 2")
	assert.Contains(t, res.stderr, `connection "mixed": flows go to 2 ERPs, omie (auvo-to-omie) and bling (bling-to-auvo)`)
}
