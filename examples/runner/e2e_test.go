package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/runner/demo"
	"github.com/auvosync/auvosync/syncrules"
)

// TestMain lets the test binary act as the runner itself, so the tests that
// need a real process (signals, two runners on one state file) need no go
// build.
func TestMain(m *testing.M) {
	if os.Getenv("RUNNER_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	// The end-to-end tests spend their time waiting on the clients' real
	// rate limiters, not on the CPU: let more of them wait at once than the
	// default of GOMAXPROCS, unless -parallel was given.
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		_ = flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe for the runner's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
	var out, errOut syncBuffer
	e.stdout, e.stderr, e.getenv = &out, &errOut, envOf(vars)
	if e.clock == nil {
		e.clock = runner.SystemClock()
	}
	code := run(ctx, args, e)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// world is the demo's fakes and seeds, driven through a config file and a
// state file that outlive one invocation.
type world struct {
	d      *demo.Demo
	config string
	state  string
	vars   map[string]string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	d, err := demo.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(d.Close)
	dir := t.TempDir()
	w := &world{d: d, state: filepath.Join(dir, "state.db"), vars: map[string]string{}}
	// The demo seeded links into its own state file; start from a copy.
	copyFile(t, d.Config.State, w.state)
	var b strings.Builder
	fmt.Fprintf(&b, "state: %s\nconnections:\n", w.state)
	for _, c := range d.Config.Connections {
		up := strings.ToUpper(c.Name)
		w.vars[up+"_AUVO_KEY"], w.vars[up+"_AUVO_TOKEN"] = string(c.Auvo.APIKey), string(c.Auvo.APIToken)
		names := make([]string, len(c.Flows))
		for i, f := range c.Flows {
			names[i] = string(f)
		}
		fmt.Fprintf(&b, "  - name: %s\n    flows: [%s]\n", c.Name, strings.Join(names, ", "))
		fmt.Fprintf(&b, "    auvo:\n      base_url: %s\n      api_key: ${%s_AUVO_KEY}\n      api_token: ${%s_AUVO_TOKEN}\n", c.Auvo.BaseURL, up, up)
		if o := c.Omie; o != nil {
			w.vars["OMIE_KEY"], w.vars["OMIE_SECRET"] = string(o.AppKey), string(o.AppSecret)
			fmt.Fprintf(&b, "    omie:\n      base_url: %s\n      app_key: ${OMIE_KEY}\n      app_secret: ${OMIE_SECRET}\n", o.BaseURL)
		}
		for key, o := range map[string]*runner.OAuthConfig{"contaazul": c.ContaAzul, "bling": c.Bling} {
			if o == nil {
				continue
			}
			v := strings.ToUpper(key)
			w.vars[v+"_ID"], w.vars[v+"_SECRET"], w.vars[v+"_REFRESH"] = string(o.ClientID), string(o.ClientSecret), string(o.RefreshToken)
			fmt.Fprintf(&b, "    %s:\n      base_url: %s\n      token_url: %s\n      client_id: ${%s_ID}\n      client_secret: ${%s_SECRET}\n      refresh_token: ${%s_REFRESH}\n",
				key, o.BaseURL, o.TokenURL, v, v, v)
		}
	}
	w.config = writeFile(t, "sync.yaml", b.String())
	return w
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, 0o600))
}

// personalData lists every document, e-mail and phone the fakes hold, in
// the forms an unmasked leak would take.
func (w *world) personalData() []string {
	var out []string
	add := func(vals ...string) {
		for _, v := range vals {
			if v = strings.TrimSpace(v); len(v) >= 8 {
				out = append(out, v)
				if n := syncrules.NormalizeDocument(v); len(n) >= 11 {
					out = append(out, n)
				}
			}
		}
	}
	for _, a := range w.d.Auvo {
		for _, c := range a.Customers() {
			add(c.CpfCnpj)
			add(c.Emails...)
			add(c.PhoneNumbers...)
		}
	}
	for _, c := range w.d.Omie.Clientes() {
		add(c.CnpjCpf, c.Email, c.Telefone1Numero)
	}
	for _, p := range w.d.ContaAzul.People() {
		add(p.Document, p.Email, p.PhoneMobile, p.PhoneCommercial)
	}
	for _, c := range w.d.Bling.Contacts() {
		add(c.NumeroDocumento, c.Email, c.Celular, c.Telefone)
	}
	return out
}

func assertNoPersonalData(t *testing.T, w *world, outputs ...string) {
	t.Helper()
	data := w.personalData()
	require.NotEmpty(t, data)
	for _, out := range outputs {
		for _, v := range data {
			assert.NotContains(t, out, v, "R-REPORT-2: unmasked personal data in output")
		}
	}
}

func assertNoSecrets(t *testing.T, w *world, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for k, v := range w.vars {
			assert.NotContains(t, out, v, "secret %s in output", k)
		}
	}
}

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
	assertNoPersonalData(t, &world{d: d}, res.stdout, res.stderr)
}

// demoRules are rule IDs the demo's seeds are built to show.
var demoRules = []string{
	"R-OUT-1", "R-OUT-2", "R-OUT-3", "R-IN-2", "R-IN-3", "R-IN-4",
	"R-ELIG-1", "R-ELIG-2", "R-ELIG-3", "R-ADDR-1", "R-TAG-4", "R-PROFILE-2", "R-LOCK-1", "R-UPD-1",
}

func TestOnceEndToEndAllFiveFlowsWithReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	report := filepath.Join(t.TempDir(), "out.jsonl")
	res := runCLI(t, w.vars, "-config", w.config, "-once", "-report", report)
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
	res = runCLI(t, w.vars, "-config", w.config, "-once", "-report", report)
	require.Equal(t, 0, res.code, res.stderr)
	all := readReport(t, report)
	require.Greater(t, len(all), len(lines), "-report appends")
	for _, l := range all[len(lines):] {
		assert.NotEqual(t, "created", l["outcome"], "second cycle created again: %v", l)
	}
	reportText, err := os.ReadFile(report)
	require.NoError(t, err)
	assertNoPersonalData(t, w, res.stdout, res.stderr, string(reportText))
	assertNoSecrets(t, w, res.stdout, res.stderr, string(reportText))
}

func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	before, err := os.ReadFile(w.state)
	require.NoError(t, err)
	report := filepath.Join(t.TempDir(), "dry.jsonl")
	res := runCLI(t, w.vars, "-config", w.config, "-once", "-dry-run", "-report", report)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "dry run")
	for name, a := range w.d.Auvo {
		assert.Zero(t, a.WriteCalls(), "no Auvo writes for %s", name)
	}
	assert.Zero(t, w.d.Omie.WriteCalls())
	assert.Zero(t, w.d.ContaAzul.WriteCalls())
	assert.Zero(t, w.d.Bling.WriteCalls())
	lines := readReport(t, report)
	created := 0
	for _, l := range lines {
		if l["outcome"] == "created" {
			created++
		}
	}
	assert.Positive(t, created, "the report says what would have been created")

	st, err := ledger.Open(context.Background(), w.state)
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
	w := newWorld(t)
	badCreds := strings.Replace(readString(t, w.config), "${ACME_AUVO_TOKEN}", "wrong-token", 1)
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
		{"invalid config", []string{"-config", writeFile(t, "bad.yaml", "connections:\n  - name: acme\n    flows: [nope]\n")}, 2, `config: connection "acme": flows: unknown flow "nope"`},
		{"bad log format", []string{"-log-format", "xml", "-config", w.config}, 2, "-log-format"},
		{"credentials refused", []string{"-once", "-config", writeFile(t, "creds.yaml", badCreds)}, 1, "acme"},
		{"all flows complete", []string{"-once", "-config", w.config}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, w.vars, tc.args...)
			assert.Equal(t, tc.want, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			assert.Contains(t, res.stdout+res.stderr, tc.msg)
			assertNoSecrets(t, w, res.stdout, res.stderr)
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
	res := runCLI(t, nil, "-once", "-config", writeFile(t, "mixed.yaml", y))
	assert.Equal(t, 2, res.code, "an invalid config file exits 2")
	assert.Contains(t, res.stderr, `connection "mixed": flows go to 2 ERPs, omie (auvo-to-omie) and bling (bling-to-auvo)`)
}
