package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit/runnertest"
	"github.com/auvosync/auvosync/ledger"
)

// TestMain lets the test binary act as the runner itself, so the tests
// that need a real process (signals, two runners on one state file, the
// hints the program prints) need no go build. Everything the command does
// in process is tested in package runner/cli.
func TestMain(m *testing.M) {
	if os.Getenv("RUNNER_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// command runs the test binary as the runner in its own process.
func command(t *testing.T, vars map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "RUNNER_TEST_AS_MAIN=1")
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// waitLine reads r until a line contains want, and returns everything read.
func waitLine(t *testing.T, r io.Reader, want string, timeout time.Duration) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), want) {
				found <- b.String()
				_, _ = io.Copy(io.Discard, r)
				return
			}
		}
		found <- b.String()
	}()
	select {
	case s := <-found:
		require.Contains(t, s, want)
		return s
	case <-time.After(timeout):
		t.Fatalf("no %q within %s", want, timeout)
		return ""
	}
}

// SIGTERM between cycles: the runner stops waiting and exits 0.
func TestSignalBetweenCyclesExitsZero(t *testing.T) {
	t.Parallel()
	cmd := command(t, nil) // the demo, every 10 minutes
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	waitLine(t, stdout, "Next cycle at", 60*time.Second)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.Equal(t, 0, exitCode(t, err))
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("runner did not exit after SIGTERM")
	}
}

// SIGINT during a cycle: the record in hand is finished, the runs are
// checkpointed (finished in the ledger, lease released) and the exit is 0.
func TestSignalDuringCycleCheckpointsAndExitsZero(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	for _, a := range w.Demo.Auvo {
		a.SetDelay(40 * time.Millisecond)
	}
	w.Demo.Omie.SetDelay(40 * time.Millisecond)
	w.Demo.ContaAzul.SetDelay(40 * time.Millisecond)
	w.Demo.Bling.SetDelay(40 * time.Millisecond)
	cmd := command(t, w.Vars, "-config", w.Config, "-log-level", "debug")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	waitLine(t, stderr, "msg=record", 30*time.Second) // records are being handled
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.Equal(t, 0, exitCode(t, err))
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("runner did not exit after SIGINT")
	}
	st, err := ledger.Open(context.Background(), w.State)
	require.NoError(t, err)
	defer st.Close()
	runs, err := st.Runs(context.Background(), "", 0)
	require.NoError(t, err)
	require.NotEmpty(t, runs)
	for _, r := range runs {
		assert.True(t, r.Finished(), "run %d of %s/%s was checkpointed", r.ID, r.Conn, r.Flow)
	}
	// The leases were given back: another runner can take them at once.
	for _, c := range []string{"acme", "beta", "gamma"} {
		ok, err := st.AcquireLease(context.Background(), c, ledger.Holder{Run: "test"}, time.Minute, time.Now())
		require.NoError(t, err)
		assert.True(t, ok, "lease of %s released", c)
	}
}

// Two runner processes on one state file never run the same connection at
// the same time: the second waits for the lease.
func TestTwoRunnersNeverRunAConnectionTogether(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	for _, a := range w.Demo.Auvo {
		a.SetDelay(10 * time.Millisecond)
	}
	w.Demo.Omie.SetDelay(10 * time.Millisecond)
	a := command(t, w.Vars, "-config", w.Config, "-once")
	b := command(t, w.Vars, "-config", w.Config, "-once")
	var aErr, bErr strings.Builder
	a.Stderr, b.Stderr = &aErr, &bErr
	require.NoError(t, a.Start())
	require.NoError(t, b.Start())
	assert.Equal(t, 0, exitCode(t, a.Wait()), aErr.String())
	assert.Equal(t, 0, exitCode(t, b.Wait()), bErr.String())

	st, err := ledger.Open(context.Background(), w.State)
	require.NoError(t, err)
	defer st.Close()
	runs, err := st.Runs(context.Background(), "", 0)
	require.NoError(t, err)
	perConn := map[string][]ledger.Run{}
	for _, r := range runs {
		require.True(t, r.Finished())
		perConn[r.Conn] = append(perConn[r.Conn], r)
	}
	require.Len(t, perConn, 3)
	for conn, rs := range perConn {
		assert.Len(t, rs, 2*len(w.FlowsOf(conn)), "both processes ran %s, one after the other", conn)
		// One process runs a connection's flows back to back, so any overlap
		// between two runs of a connection means two lease holders.
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				overlap := rs[i].StartedAt.Before(rs[j].EndedAt) && rs[j].StartedAt.Before(rs[i].EndedAt)
				assert.False(t, overlap, "%s: runs %d and %d overlap", conn, rs[i].ID, rs[j].ID)
			}
		}
	}
	assert.Contains(t, aErr.String()+bErr.String(), "another runner holds this connection's lease")
}

// The release command locks prints works when pasted into a shell: under
// go run (the test binary, like go run's, lives in a go-build directory) it
// starts "go run ./examples/runner", and with that replaced by the binary,
// sh runs it and it releases the record.
func TestLocksPrintsAReleaseCommandTheShellRuns(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	require.NoError(t, command(t, w.Vars, "-config", w.Config, "-once").Run())
	out, err := command(t, w.Vars, "locks", "-config", w.Config).Output()
	require.NoError(t, err)
	var hint string
	for _, line := range strings.Split(string(out), "\n") {
		if after, ok := strings.CutPrefix(strings.TrimSpace(line), "release: "); ok {
			hint = after
			break
		}
	}
	args, ok := strings.CutPrefix(hint, "go run ./examples/runner release ")
	require.True(t, ok, "the program as go run starts it: %q", hint)

	sh := command(t, w.Vars, "-c", `"$RUNNER_BINARY" release `+args)
	sh.Path, sh.Args[0] = "/bin/sh", "sh"
	sh.Env = append(sh.Env, "RUNNER_BINARY="+os.Args[0], "USER=analyst")
	out, err = sh.CombinedOutput()
	require.NoError(t, err, "%s\n%s", hint, out)
	assert.Contains(t, string(out), "(by analyst: ")
	assert.Contains(t, string(out), "Released")
}
