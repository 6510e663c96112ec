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

	"github.com/auvosync/auvosync/ledger"
)

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
	w := newWorld(t)
	for _, a := range w.d.Auvo {
		a.SetDelay(40 * time.Millisecond)
	}
	w.d.Omie.SetDelay(40 * time.Millisecond)
	w.d.ContaAzul.SetDelay(40 * time.Millisecond)
	w.d.Bling.SetDelay(40 * time.Millisecond)
	cmd := command(t, w.vars, "-config", w.config, "-log-level", "debug")
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
	st, err := ledger.Open(context.Background(), w.state)
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
	w := newWorld(t)
	for _, a := range w.d.Auvo {
		a.SetDelay(10 * time.Millisecond)
	}
	w.d.Omie.SetDelay(10 * time.Millisecond)
	a := command(t, w.vars, "-config", w.config, "-once")
	b := command(t, w.vars, "-config", w.config, "-once")
	var aErr, bErr strings.Builder
	a.Stderr, b.Stderr = &aErr, &bErr
	require.NoError(t, a.Start())
	require.NoError(t, b.Start())
	assert.Equal(t, 0, exitCode(t, a.Wait()), aErr.String())
	assert.Equal(t, 0, exitCode(t, b.Wait()), bErr.String())

	st, err := ledger.Open(context.Background(), w.state)
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
		assert.Len(t, rs, 2*len(flowsOf(w, conn)), "both processes ran %s, one after the other", conn)
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

func flowsOf(w *world, conn string) []string {
	for _, c := range w.d.Config.Connections {
		if c.Name == conn {
			out := make([]string, len(c.Flows))
			for i, f := range c.Flows {
				out[i] = string(f)
			}
			return out
		}
	}
	return nil
}
