package flows_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

const (
	checkpointChildEnv      = "AUVOSYNC_FLOWS_CHECKPOINT_CHILD"
	checkpointChildStateEnv = "AUVOSYNC_FLOWS_CHECKPOINT_STATE"
)

// TestCheckpointChild is the child of the crash test, not a test. Its own
// fakes hold the same 450 Auvo customers every time (same ids). Modes:
//   - kill: run; once page 4's first record is decided, print "holding"
//     and wait to be killed;
//   - resume: run, then print "pages" and the Auvo list pages it asked for.
func TestCheckpointChild(t *testing.T) {
	mode := os.Getenv(checkpointChildEnv)
	if mode == "" {
		t.Skip("runs only as the child of the checkpoint crash test")
	}
	h := newHarness(t)
	store, err := ledger.Open(context.Background(), os.Getenv(checkpointChildStateEnv))
	require.NoError(t, err)
	h.conn.Ledger = store
	for i := range 450 {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %03d", i), validCPF(i)))
	}
	if mode == "kill" {
		var page int
		var once sync.Once
		h.conn.Progress = func(p flows.Progress) { page = p.Page }
		h.conn.Sink = flows.SinkFunc(func(flows.Report) {
			if page == 4 {
				once.Do(func() { fmt.Println("holding") })
				select {}
			}
		})
	}
	sums, err := h.conn.Run(context.Background(), syncrules.AuvoToOmie)
	if err != nil || len(sums) != 1 || !sums[0].Completed() {
		fmt.Println("failed:", err, sums)
		os.Exit(1)
	}
	var pages []string
	for _, r := range h.auvo.Requests() {
		if r.Endpoint == auvofake.EndpointList && !strings.Contains(r.URL, "cpfCnpj") && !strings.Contains(r.URL, "externalId") {
			pages = append(pages, pageOf(r.URL))
		}
	}
	fmt.Println("pages", strings.Join(pages, " "))
	os.Exit(0)
}

// startCheckpointChild starts the child and returns its stdout lines.
func startCheckpointChild(t *testing.T, mode, state string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckpointChild$")
	cmd.Env = append(os.Environ(), checkpointChildEnv+"="+mode, checkpointChildStateEnv+"="+state)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return cmd, lines
}

// nextLine returns the child's next line starting with prefix.
func nextLine(t *testing.T, lines <-chan string, prefix string) string {
	t.Helper()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the child exited without saying %q", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("the child said nothing for 60s")
		}
	}
}

// R-SCHED-3: a runner killed (SIGKILL) mid-way through a backlog resumes
// from its last checkpoint, not from the beginning: the restarted process
// lists from the page before the checkpoint on.
func TestRSCHED3_ARunKilledMidwayResumesFromTheLastCheckpoint(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the dead run's lease is taken over at once on Linux only")
	}
	state := filepath.Join(t.TempDir(), "state.db")
	killed, lines := startCheckpointChild(t, "kill", state)
	nextLine(t, lines, "holding")
	require.NoError(t, killed.Process.Signal(syscall.SIGKILL))
	_ = killed.Wait()

	st, err := ledger.Open(t.Context(), state)
	require.NoError(t, err)
	defer st.Close()
	cp, ok, err := st.Checkpoint(t.Context(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	require.True(t, ok, "the killed run left a checkpoint")
	assert.Equal(t, 4, cp.Page)
	assert.Equal(t, 300, cp.Done)

	_, lines = startCheckpointChild(t, "resume", state)
	assert.Equal(t, "pages 3 4 5", nextLine(t, lines, "pages"))
	runs, err := st.Runs(t.Context(), "acme", 0)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.True(t, runs[0].Finished(), "the resumed run")
	assert.False(t, runs[1].Finished(), "the killed run")
	_, ok, err = st.Checkpoint(t.Context(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	assert.False(t, ok, "the pass is complete")
}
