package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit/runnertest"
	"github.com/auvosync/auvosync/ledger"
)

// R-LOCK-3: the analyst sees every locked record with its history, and
// releases one explicitly; the release is recorded.
func TestAnalystListsReleasesAndExplains_RLOCK3(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	res := runCLI(t, w.Vars, "-config", w.Config, "-once")
	require.Equal(t, 0, res.code, res.stderr)

	res = runCLI(t, w.Vars, "locks", "-config", w.Config)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "3 locked record(s)")
	for _, c := range []string{"acme · omie", "beta · contaazul", "gamma · bling"} {
		assert.Contains(t, res.stdout, c)
	}
	assert.Contains(t, res.stdout, "locked")

	st, err := ledger.Open(context.Background(), w.State)
	require.NoError(t, err)
	locks, err := st.Locks(context.Background(), "gamma")
	require.NoError(t, err)
	require.NoError(t, st.Close())
	require.Len(t, locks, 1)
	l := locks[0].Link

	res = runCLI(t, w.Vars, "release", "-state", w.State, "-connection", "gamma", "-partner", "bling", "-auvo-id", l.AuvoID,
		"-who", "alice", "-why", "customer asked to be integrated again")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "Released")

	res = runCLI(t, w.Vars, "locks", "-state", w.State)
	require.Equal(t, 0, res.code)
	assert.Contains(t, res.stdout, "2 locked record(s)")
	assert.NotContains(t, res.stdout, "gamma · bling")

	st, err = ledger.Open(context.Background(), w.State)
	require.NoError(t, err)
	hist, err := st.LinkHistory(context.Background(), "gamma", "bling", l.AuvoID)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	last := hist[len(hist)-1]
	assert.Equal(t, ledger.EventReleased, last.Kind)
	assert.Equal(t, "alice", last.Who)

	// Releasing again: it is no longer locked.
	res = runCLI(t, w.Vars, "release", "-state", w.State, "-connection", "gamma", "-partner", "bling", "-auvo-id", l.AuvoID, "-who", "a", "-why", "b")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "is not locked")

	res = runCLI(t, w.Vars, "explain", "-state", w.State, "-connection", "gamma", l.PartnerID)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "R-LOCK-1")
	assert.Contains(t, res.stdout, "bling-to-auvo")
	// The link's history, release included, with who and why (R-LOCK-3).
	for _, id := range []string{l.PartnerID, l.AuvoID} {
		res = runCLI(t, w.Vars, "explain", "-config", w.Config, id)
		require.Equal(t, 0, res.code, res.stderr)
		assert.Contains(t, res.stdout, "Link gamma · bling  auvo "+l.AuvoID+" ↔ bling "+l.PartnerID+"  state released", id)
		assert.Regexp(t, `released\s+released\s+`+l.PartnerID+`\s+\S+\s+alice\s+customer asked to be integrated again`, res.stdout, id)
		assert.Contains(t, res.stdout, "locked", id)
	}

	res = runCLI(t, w.Vars, "runs", "-state", w.State, "-limit", "3")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Equal(t, 4, strings.Count(strings.TrimSpace(res.stdout), "\n")+1, "a header and three runs")

	backup := filepath.Join(t.TempDir(), "backup.db")
	res = runCLI(t, w.Vars, "backup", "-state", w.State, "-to", backup)
	require.Equal(t, 0, res.code, res.stderr)
	bst, err := ledger.Open(context.Background(), backup)
	require.NoError(t, err)
	defer bst.Close()
	runs, err := bst.Runs(context.Background(), "", 0)
	require.NoError(t, err)
	assert.NotEmpty(t, runs)
	runnertest.AssertNoPersonalData(t, w.Demo, res.stdout)
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
		res := runCLI(t, nil, tc.args...)
		assert.Equal(t, tc.want, res.code, "%v: %s", tc.args, res.stderr)
		assert.Contains(t, res.stderr, tc.msg, tc.args)
	}
}

// After a re-authorisation the analyst stores the new first refresh token;
// the next cycle uses it instead of the rotated-out one.
func TestReauthorizeStoresANewRefreshToken(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	require.Equal(t, 0, runCLI(t, w.Vars, "-config", w.Config, "-once").code)

	w.Demo.Bling.SetRefreshToken("re-authorised-token")
	w.Demo.Bling.ExpireTokens()
	res := runCLI(t, w.Vars, "-config", w.Config, "-once")
	require.Equal(t, 1, res.code, "the stored token no longer works: %s", res.stdout)
	assert.Contains(t, res.stdout, "gamma · bling-to-auvo")

	e := &env{stdin: strings.NewReader("re-authorised-token\n")}
	res = runnerWith(t, context.Background(), e, w.Vars, "reauthorize", "-config", w.Config, "-connection", "gamma", "-vendor", "bling")
	require.Equal(t, 0, res.code, res.stderr)
	assert.NotContains(t, res.stdout+res.stderr, "re-authorised-token", "the token is not echoed")

	res = runCLI(t, w.Vars, "-config", w.Config, "-once")
	assert.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
}

// A typo in a connection, partner or id must say so (exit 2), not read as
// "nothing there" or store a token nobody will use.
func TestAnalystCommandsRefuseWhatDoesNotExist(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	require.Equal(t, 0, runCLI(t, w.Vars, "-config", w.Config, "-once").code)
	storedTokens := func() map[string]bool {
		st, err := ledger.Open(context.Background(), w.State)
		require.NoError(t, err)
		defer st.Close()
		got := map[string]bool{}
		for _, conn := range []string{"acme", "acmee", "beta", "gamma"} {
			for _, vendor := range []string{"contaazul", "bling"} {
				tok, ok, err := st.LoadToken(context.Background(), conn, vendor)
				require.NoError(t, err)
				if ok {
					got[conn+"/"+vendor] = true
					got[conn+"/"+vendor+"="+tok.RefreshToken] = true
				}
			}
		}
		return got
	}
	before := storedTokens()
	byConfig, byState := []string{"-config", w.Config}, []string{"-state", w.State}
	cases := []struct {
		name string
		args []string
		msg  string
		// byState, when set, is the message with only -state: the state
		// file does not know a connection's ERPs.
		byState string
	}{
		{"locks", []string{"locks", "-connection", "acmee"}, `connection "acmee" is not in`, ""},
		{"runs", []string{"runs", "-connection", "acmee"}, `connection "acmee" is not in`, ""},
		{"explain", []string{"explain", "-connection", "acmee", "1001"}, `connection "acmee" is not in`, ""},
		{"release", []string{"release", "-connection", "acmee", "-partner", "omie", "-auvo-id", "1001", "-who", "a", "-why", "b"}, `connection "acmee" is not in`, ""},
		{"reauthorize", []string{"reauthorize", "-connection", "acmee", "-vendor", "bling"}, `connection "acmee" is not in`, ""},
		{"release, partner the connection lacks", []string{"release", "-connection", "acme", "-partner", "bling", "-auvo-id", "1001", "-who", "a", "-why", "b"}, `connection "acme" has no bling in`,
			`no link for auvo id 1001 with bling in connection "acme"`},
		{"release, an id never linked", []string{"release", "-connection", "acme", "-partner", "omie", "-auvo-id", "999999", "-who", "a", "-why", "b"}, `no link for auvo id 999999 with omie in connection "acme"`, ""},
		{"explain, an id nobody has", []string{"explain", "-connection", "acme", "999999"}, "no record with id 999999", ""},
	}
	for _, tc := range cases {
		for _, src := range [][]string{byConfig, byState} {
			args := append(append([]string{tc.args[0]}, src...), tc.args[1:]...)
			e := &env{stdin: strings.NewReader("a-new-refresh-token\n")}
			res := runnerWith(t, context.Background(), e, w.Vars, args...)
			assert.Equal(t, 2, res.code, "%s %v: %s", tc.name, src, res.stderr)
			msg := tc.msg
			if tc.byState != "" && src[0] == "-state" {
				msg = tc.byState
			}
			assert.Contains(t, res.stderr, msg, "%s %v", tc.name, src)
			if strings.Contains(tc.msg, "is not in") {
				assert.Contains(t, res.stderr, "known: acme, beta, gamma", "%s %v: the known names are listed", tc.name, src)
			}
		}
	}

	// reauthorize for a connection without that OAuth vendor stores nothing.
	for _, src := range [][]string{byConfig, byState} {
		e := &env{stdin: strings.NewReader("a-new-refresh-token\n")}
		res := runnerWith(t, context.Background(), e, w.Vars, append(append([]string{"reauthorize"}, src...), "-connection", "acme", "-vendor", "bling")...)
		assert.Equal(t, 2, res.code, "%v: %s", src, res.stderr)
		assert.Contains(t, res.stderr, "nothing stored", src)
	}
	assert.Equal(t, before, storedTokens(), "no token was stored or replaced")
}

// The release command locks prints under each record works when pasted:
// it is split the way a shell splits it and run through the same
// dispatcher.
func TestLocksPrintsAReleaseCommandThatWorksAsPrinted(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	require.Equal(t, 0, runCLI(t, w.Vars, "-config", w.Config, "-once").code)
	// A path with a space and a quote, so the hint must quote it.
	odd := filepath.Join(t.TempDir(), "it's a dir", "state.db")
	require.NoError(t, os.MkdirAll(filepath.Dir(odd), 0o700))
	runnertest.CopyFile(t, w.State, odd)

	countLocks := func(path string) string {
		res := runCLI(t, w.Vars, "locks", "-state", path)
		require.Equal(t, 0, res.code, res.stderr)
		return strings.SplitN(res.stdout, " ", 2)[0]
	}
	for _, tc := range []struct {
		src               []string
		wantOdd, wantMain string
	}{
		{[]string{"-state", odd}, "2", "3"},
		{[]string{"-config", w.Config}, "2", "2"},
	} {
		src := tc.src
		e := &env{invocation: "go run ./examples/runner"}
		res := runnerWith(t, context.Background(), e, w.Vars, append([]string{"locks"}, src...)...)
		require.Equal(t, 0, res.code, res.stderr)
		var hint string
		for _, line := range strings.Split(res.stdout, "\n") {
			if after, ok := strings.CutPrefix(strings.TrimSpace(line), "release: "); ok {
				hint = after
				break
			}
		}
		require.NotEmpty(t, hint, res.stdout)
		words := shellWords(t, hint)
		i := slices.Index(words, "release")
		require.Positive(t, i, hint)
		assert.Equal(t, "go run ./examples/runner", strings.Join(words[:i], " "), "the program as WithInvocation names it")
		res = runCLI(t, w.Vars, words[i:]...)
		require.Equal(t, 0, res.code, "%s\n%s", hint, res.stderr)
		assert.Contains(t, res.stdout, "Released")
		assert.Equal(t, tc.wantOdd, countLocks(odd), "%v: the hint acts on the file locks read", src)
		assert.Equal(t, tc.wantMain, countLocks(w.State), "%v: the hint acts on the file locks read", src)
	}
}

// Without WithInvocation the hint names the program by the path it was
// started by, quoted for the shell.
func TestReleaseHintDefaultsToTheProgramPath(t *testing.T) {
	c := newAnalystCmd("locks", &env{})
	hint := c.releaseHint(ledger.Link{Conn: "acme", Partner: "omie", AuvoID: "1001"})
	words := shellWords(t, hint)
	require.GreaterOrEqual(t, len(words), 2, hint)
	assert.Equal(t, []string{os.Args[0], "release"}, words[:2])
}

// shellWords splits a command line as a POSIX shell would, for the quoting
// shellQuote produces ('...', "...", backslash); nothing is expanded.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case '\'', '"':
			j := strings.IndexByte(line[i+1:], c)
			require.GreaterOrEqual(t, j, 0, "unterminated quote in %q", line)
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case '\\':
			require.Less(t, i+1, len(line))
			cur.WriteByte(line[i+1])
			i++
			inWord = true
		case ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"gamma": "gamma", "./s.db": "./s.db", "": "''", "a b": "'a b'", "it's": `'it'\''s'`, "$HOME": "'$HOME'",
	} {
		assert.Equal(t, want, shellQuote(in), in)
		assert.Equal(t, []string{in}, shellWords(t, shellQuote(in)), in)
	}
}

// R-SCHED-3: a run that stopped at its time box says so in `runs`, with
// what its listing still held.
func TestRunsShowsARunStoppedAtItsTimeBox_RSCHED3(t *testing.T) {
	ctx := t.Context()
	state := filepath.Join(t.TempDir(), "state.db")
	st, err := ledger.Open(ctx, state)
	require.NoError(t, err)
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	id, err := st.StartRun(ctx, "acme", "auvo-to-omie", false, start)
	require.NoError(t, err)
	require.NoError(t, st.StopRun(ctx, id, ledger.StoppedTimeBox, 41_200))
	require.NoError(t, st.FinishRun(ctx, id, start.Add(9*time.Minute), map[string]int{"created": 800}, ""))
	require.NoError(t, st.Close())

	res := runCLI(t, nil, "runs", "-state", state)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "9m0s (stopped at its time box, 41200 left, resumes next slot)")
	assert.Contains(t, res.stdout, "created=800")
}
