package flows_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// The process tests re-execute the test binary as a runner-like child
// (TestLeaseChild, selected by leaseChildEnv): its own fakes, the parent's
// state file, one Run of a connection.
const (
	leaseChildEnv      = "AUVOSYNC_FLOWS_LEASE_CHILD"
	leaseChildStateEnv = "AUVOSYNC_FLOWS_LEASE_STATE"
	childHeld          = 3 // exit status when another run holds the lease
)

// TestLeaseChild is the child, not a test. Modes:
//   - once: run;
//   - hold: run, and on the first record print "holding" and wait to be killed;
//   - race: print "ready", wait for a line on stdin, run, and on the first
//     record print "holding" and wait for stdin to close.
//
// It prints "ran" and exits 0 when its Run completed, or prints "held" and
// exits childHeld when another run held the lease.
func TestLeaseChild(t *testing.T) {
	mode := os.Getenv(leaseChildEnv)
	if mode == "" {
		t.Skip("runs only as the child of the lease process tests")
	}
	h := newHarness(t)
	store, err := ledger.Open(context.Background(), os.Getenv(leaseChildStateEnv))
	require.NoError(t, err)
	h.conn.Ledger = store
	seedAuvo(h, 3)
	stdin := bufio.NewReader(os.Stdin)
	var once sync.Once
	h.conn.Sink = flows.SinkFunc(func(flows.Report) {
		once.Do(func() {
			fmt.Println("holding")
			switch mode {
			case "hold":
				select {}
			case "race":
				_, _ = io.Copy(io.Discard, stdin)
			}
		})
	})
	if mode == "race" {
		fmt.Println("ready")
		_, _ = stdin.ReadString('\n')
	}
	sums, err := h.conn.Run(context.Background(), syncrules.AuvoToOmie)
	switch {
	case errors.Is(err, flows.ErrLeaseHeld):
		fmt.Println("held")
		os.Exit(childHeld)
	case err != nil || len(sums) != 1 || sums[0].Err != nil:
		fmt.Println("failed:", err, sums)
		os.Exit(1)
	}
	fmt.Println("ran")
	os.Exit(0)
}

type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func startChild(t *testing.T, mode, state string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeaseChild$")
	cmd.Env = append(os.Environ(), leaseChildEnv+"="+mode, leaseChildStateEnv+"="+state)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	c := &child{cmd: cmd, stdin: stdin, lines: make(chan string, 16)}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
	}()
	return c
}

// next returns the child's next line of interest ("" once it exited).
func (c *child) next(t *testing.T) string {
	t.Helper()
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				return ""
			}
			switch l {
			case "ready", "holding", "held", "ran":
				return l
			}
		case <-time.After(60 * time.Second):
			t.Fatal("the child said nothing for 60s")
		}
	}
}

func (c *child) exitCode(t *testing.T) int {
	t.Helper()
	err := c.cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// What systemd does after a kill -9: start the runner again at once. The
// new process runs without waiting out the dead one's lease (both children
// run on the same fixed test clock, so the lease cannot have expired).
func TestARunnerRestartedAfterSIGKILLRunsAtOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("process liveness is known on Linux only")
	}
	state := filepath.Join(t.TempDir(), "state.db")
	killed := startChild(t, "hold", state)
	require.Equal(t, "holding", killed.next(t))
	st, err := ledger.Open(t.Context(), state)
	require.NoError(t, err)
	defer st.Close()
	l, held, err := st.Lease(t.Context(), "acme")
	require.NoError(t, err)
	require.True(t, held)
	require.Equal(t, killed.cmd.Process.Pid, l.Holder.PID, "the child holds the lease")

	require.NoError(t, killed.cmd.Process.Signal(syscall.SIGKILL))
	_ = killed.cmd.Wait()
	began := time.Now()
	restarted := startChild(t, "once", state)
	assert.Equal(t, "holding", restarted.next(t))
	assert.Equal(t, "ran", restarted.next(t))
	require.Equal(t, 0, restarted.exitCode(t))
	t.Logf("the restarted runner finished %v after the kill (the lease lasts %v)", time.Since(began).Round(time.Millisecond), flows.LeaseTTL)

	runs, err := st.Runs(t.Context(), "acme", 0)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.True(t, runs[0].Finished(), "the restarted run")
	assert.False(t, runs[1].Finished(), "the killed run")
	_, held, err = st.Lease(t.Context(), "acme")
	require.NoError(t, err)
	assert.False(t, held)
}

// Two runner processes fired at once on one state file: exactly one runs.
func TestTwoProcessesRacingForOneConnectionOnlyOneRuns(t *testing.T) {
	for round := range 3 {
		t.Run(strconv.Itoa(round), func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "state.db")
			// Create the state file first, so the children race for the
			// lease, not for the schema.
			st, err := ledger.Open(t.Context(), state)
			require.NoError(t, err)
			defer st.Close()
			children := []*child{startChild(t, "race", state), startChild(t, "race", state)}
			for _, c := range children {
				require.Equal(t, "ready", c.next(t))
			}
			for _, c := range children {
				_, err := io.WriteString(c.stdin, "go\n")
				require.NoError(t, err)
			}
			said := []string{children[0].next(t), children[1].next(t)}
			require.ElementsMatch(t, []string{"holding", "held"}, said, "exactly one child got the lease")
			winner, loser := children[0], children[1]
			if said[0] == "held" {
				winner, loser = loser, winner
			}
			assert.Equal(t, childHeld, loser.exitCode(t))
			require.NoError(t, winner.stdin.Close())
			assert.Equal(t, "ran", winner.next(t))
			assert.Equal(t, 0, winner.exitCode(t))
			runs, err := st.Runs(t.Context(), "acme", 0)
			require.NoError(t, err)
			assert.Len(t, runs, 1, "the refused process wrote no run")
		})
	}
}
