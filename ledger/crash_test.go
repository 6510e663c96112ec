package ledger

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash tests re-execute the test binary as a helper process (selected
// by helperEnv), let it work on a state file, and kill it with SIGKILL: no
// deferred function, no Close, exactly what a crash or an OOM kill does.
const (
	helperEnv     = "AUVOSYNC_LEDGER_HELPER"
	helperPathEnv = "AUVOSYNC_LEDGER_HELPER_PATH"
	helperArgEnv  = "AUVOSYNC_LEDGER_HELPER_ARG"
	crashBatch    = 200
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		if err := runHelper(mode, os.Getenv(helperPathEnv), os.Getenv(helperArgEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runHelper works on the state at path: a SQLite file, or a PostgreSQL
// URL for the conformance suite's crash cases (every mode but hold-tx).
func runHelper(mode, path, arg string) error {
	ctx := context.Background()
	var s conformingStore
	var err error
	if IsPostgresURL(path) {
		s, err = OpenPostgres(ctx, path)
	} else {
		s, err = Open(ctx, path)
	}
	if err != nil {
		return err
	}
	switch mode {
	case "hold-tx":
		// Begin a write transaction, change rows in it, and wait to be killed.
		run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
		if err != nil {
			return err
		}
		tx, err := s.(*SQLite).db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		// Enough data to overflow SQLite's page cache, so uncommitted pages
		// are already in the WAL file when the process dies.
		filler := strings.Repeat("x", 1000)
		for i := range 6000 {
			if _, err := tx.Exec(`INSERT INTO outcomes (run_id, conn, flow, source_id, kind, reason, at_ns) VALUES (?, 'acme', 'auvo-to-omie', ?, 'created', ?, 1)`,
				run, strconv.Itoa(i), filler); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`UPDATE links SET state = 'released', partner_id = 'torn'`); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE cursors SET position_ns = 1`); err != nil {
			return err
		}
		fmt.Println("in-tx")
	case "batches":
		run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
		if err != nil {
			return err
		}
		for n := 0; ; {
			batch := make([]Outcome, crashBatch)
			for i := range batch {
				batch[i] = Outcome{SourceID: strconv.Itoa(n + i), Kind: OutcomeUnchanged, At: t0}
			}
			if err := s.RecordOutcomes(ctx, run, batch); err != nil {
				return err
			}
			n += crashBatch
			fmt.Println(n)
		}
	case "token":
		// Rotate: the new refresh token is saved, then "used" (printed).
		if err := s.SaveToken(ctx, "beta", "contaazul", Token{RefreshToken: arg, AccessToken: "access-" + arg}); err != nil {
			return err
		}
		fmt.Println("using", arg)
	case "lease":
		fmt.Println("ready")
		// Wait for the parent's signal so all helpers race at once.
		if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
			return err
		}
		ok, err := s.AcquireLease(ctx, "acme", Holder{PID: os.Getpid(), Run: "helper"}, time.Hour, t0)
		if err != nil {
			return err
		}
		fmt.Println("won:", ok)
		return s.Close()
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	select {} // wait to be killed
}

type helper struct {
	cmd   *exec.Cmd
	out   *bufio.Scanner
	stdin io.WriteCloser
}

func startHelper(t *testing.T, mode, path, arg string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperPathEnv+"="+path, helperArgEnv+"="+arg)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return &helper{cmd: cmd, out: bufio.NewScanner(stdout), stdin: stdin}
}

func (h *helper) line(t *testing.T) string {
	t.Helper()
	require.True(t, h.out.Scan(), "helper exited early: %v", h.out.Err())
	return h.out.Text()
}

func (h *helper) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, h.cmd.Process.Kill())
	_ = h.cmd.Wait()
}

func assertIntegrity(t *testing.T, s *SQLite) {
	t.Helper()
	var result string
	require.NoError(t, s.db.QueryRow(`PRAGMA integrity_check`).Scan(&result))
	assert.Equal(t, "ok", result)
	rows, err := s.db.Query(`PRAGMA foreign_key_check`)
	require.NoError(t, err)
	defer rows.Close()
	assert.False(t, rows.Next(), "no dangling foreign keys")
}

func TestCrash_KilledMidTransactionLeavesTheCommittedState(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	s, err := Open(ctx, path)
	require.NoError(t, err)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0))
	require.NoError(t, s.Close())

	h := startHelper(t, "hold-tx", path, "")
	require.Equal(t, "in-tx", h.line(t))
	wal, err := os.Stat(path + "-wal")
	require.NoError(t, err)
	require.Greater(t, wal.Size(), int64(3<<20), "uncommitted pages reached the disk")
	h.kill(t)

	s = openAt(t, path)
	assertIntegrity(t, s)
	l, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, LinkLive, l.State)
	assert.Equal(t, "P1", l.PartnerID)
	cur, _, err := s.Cursor(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	assert.Equal(t, t0, cur)
	assert.Zero(t, countOutcomes(t, s), "none of the uncommitted outcomes")
	runs, err := s.Runs(ctx, "acme", 0)
	require.NoError(t, err)
	assert.Len(t, runs, 1, "the run row committed before the transaction is kept")
	// The dead writer's lock is gone: writing works at once.
	require.NoError(t, s.PutLink(ctx, liveLink("A2", "P2"), t0))
}

func TestCrash_KilledWhileRecordingBatchesKeepsWholeBatches(t *testing.T) {
	path := tempPath(t)
	h := startHelper(t, "batches", path, "")
	var confirmed int
	for range 5 {
		n, err := strconv.Atoi(h.line(t))
		require.NoError(t, err)
		confirmed = n
	}
	h.kill(t)

	s := openAt(t, path)
	assertIntegrity(t, s)
	n := countOutcomes(t, s)
	assert.GreaterOrEqual(t, n, confirmed, "every batch reported as recorded is on disk")
	assert.Zero(t, n%crashBatch, "no batch is half recorded: %d outcomes", n)
}

func TestCrash_RotatedTokenIsSavedBeforeItIsUsed(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	s, err := Open(ctx, path)
	require.NoError(t, err)
	require.NoError(t, s.SaveToken(ctx, "beta", "contaazul", Token{RefreshToken: "refresh-1"}))
	require.NoError(t, s.Close())

	h := startHelper(t, "token", path, "refresh-2")
	require.Equal(t, "using refresh-2", h.line(t))
	h.kill(t)

	s = openAt(t, path)
	assertIntegrity(t, s)
	tok, ok, err := s.LoadToken(ctx, "beta", "contaazul")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "refresh-2", tok.RefreshToken, "the vendor already invalidated refresh-1")
}

func TestLease_ExactlyOneOfSeveralProcessesWins(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path) // creates and migrates the file before the race
	helpers := make([]*helper, 3)
	for i := range helpers {
		helpers[i] = startHelper(t, "lease", path, "")
	}
	for _, h := range helpers {
		require.Equal(t, "ready", h.line(t))
	}
	for _, h := range helpers {
		_, err := io.WriteString(h.stdin, "go\n")
		require.NoError(t, err)
	}
	winners := 0
	for _, h := range helpers {
		line := h.line(t)
		require.True(t, strings.HasPrefix(line, "won: "), line)
		if line == "won: true" {
			winners++
		}
		require.NoError(t, h.cmd.Wait())
	}
	assert.Equal(t, 1, winners)
	ok, err := s.AcquireLease(context.Background(), "acme", Holder{Run: "parent"}, time.Minute, t0)
	require.NoError(t, err)
	assert.False(t, ok)
}
