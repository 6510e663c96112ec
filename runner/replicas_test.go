package runner

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/internal/document"
	"github.com/auvosync/auvosync/internal/testkit/pgtest"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// The replica tests re-execute the test binary as a runner replica
// (TestReplicaChild, selected by replicaChildEnv) on the parent's config
// file: the fakes live in the parent, so every replica reaches the same
// ones.
const (
	replicaChildEnv     = "AUVOSYNC_RUNNER_REPLICA_CONFIG"
	replicaChildSlotEnv = "AUVOSYNC_RUNNER_REPLICA_SLOT"
)

// TestReplicaChild is a replica, not a test: Run on the config until
// SIGTERM.
func TestReplicaChild(t *testing.T) {
	path := os.Getenv(replicaChildEnv)
	if path == "" {
		t.Skip("runs only as a replica of the replica tests")
	}
	slot, err := time.ParseDuration(os.Getenv(replicaChildSlotEnv))
	require.NoError(t, err)
	cfg, err := LoadConfig(path)
	require.NoError(t, err)
	logger, err := NewLogger(os.Stderr, "text", "warn")
	require.NoError(t, err)
	// The fakes here enforce no limits and a slot lasts seconds: the
	// vendors' real budgets would stretch each run over minutes. The
	// budgets are tested on their own (budget_test.go).
	r, err := New(cfg, WithSlot(slot), WithLogger(logger), WithBudgets(unlimitedBudgets(t)))
	require.NoError(t, err)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	fmt.Println("started")
	_ = r.Run(ctx)
	require.NoError(t, r.Close())
	os.Exit(0)
}

// replicaFakes is n connections, each with its own fake Auvo account and
// fake Omie (each answering every request after delay, so runs last long
// enough to be killed in the middle), written to a config file whose
// state is the PostgreSQL schema at state.
type replicaFakes struct {
	path  string
	auvos []*auvofake.Server
	omies []*omiefake.Server
	docs  [][]string // seeded CPFs per connection
	seq   int
}

func newReplicaFakes(t *testing.T, n int, state string, delay time.Duration) *replicaFakes {
	t.Helper()
	slow := func(h http.Handler) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay)
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	f := &replicaFakes{docs: make([][]string, n)}
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "state: %q\nconnections:\n", state)
	for i := range n {
		a, o := auvofake.New(), omiefake.New()
		f.auvos, f.omies = append(f.auvos, a), append(f.omies, o)
		fmt.Fprintf(&yaml, "  - name: conn%02d\n    flows: [auvo-to-omie]\n", i)
		fmt.Fprintf(&yaml, "    auvo: {base_url: %q, api_key: %q, api_token: %q}\n", slow(a)+"/v2", auvofake.DefaultAPIKey, auvofake.DefaultAPIToken)
		fmt.Fprintf(&yaml, "    omie: {base_url: %q, app_key: %q, app_secret: %q}\n", slow(o)+"/api/v1", omiefake.DefaultAppKey, omiefake.DefaultAppSecret)
	}
	f.path = filepath.Join(t.TempDir(), "sync.yaml")
	require.NoError(t, os.WriteFile(f.path, []byte(yaml.String()), 0o600))
	return f
}

// seed adds k new customers to every connection's Auvo account.
func (f *replicaFakes) seed(k int) {
	for i, a := range f.auvos {
		for range k {
			f.seq++
			body := fmt.Sprintf("%09d", 300_000_000+f.seq)
			digits, _ := document.CheckDigits(body)
			doc := document.Format(body + digits)
			a.Seed(auvofake.Customer{Name: fmt.Sprintf("Cliente %d", f.seq), CpfCnpj: doc, Active: true,
				Address: "Av. Paulista, 1578, Bela Vista - São Paulo - SP"})
			f.docs[i] = append(f.docs[i], doc)
		}
	}
}

type replica struct {
	cmd     *exec.Cmd
	started chan struct{}
}

func startReplica(t *testing.T, config string, slot time.Duration) *replica {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestReplicaChild$")
	cmd.Env = append(os.Environ(), replicaChildEnv+"="+config, replicaChildSlotEnv+"="+slot.String())
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	rep := &replica{cmd: cmd, started: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stdout)
		var once sync.Once
		for sc.Scan() {
			if sc.Text() == "started" {
				once.Do(func() { close(rep.started) })
			}
		}
	}()
	return rep
}

func waitUntil(t time.Time) { time.Sleep(time.Until(t)) }

// Three replica processes, one PostgreSQL state, 30 connections, slots of
// 3 s; in the fourth slot one replica is SIGKILLed while it holds leases
// (CONTRACTS.md §4, R-SCHED-1, R-SCHED-2): each connection runs exactly
// once in every slot (at most once in the slot of the kill, which loses
// the killed runs), no customer is created twice in Omie, every connection
// converges, and the dead replica's connections run again in the next slot
// on the others.
func TestPostgresThreeReplicasRunEachConnectionOncePerSlotAndSurviveASIGKILL(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the replicas' SIGKILL test needs Linux")
	}
	const conns = 30
	slot := 3 * time.Second
	if raceEnabled {
		slot = 8 * time.Second
	}
	state := pgtest.SchemaURL(t)
	f := newReplicaFakes(t, conns, state, 25*time.Millisecond)
	f.seed(2)

	reps := []*replica{startReplica(t, f.path, slot), startReplica(t, f.path, slot), startReplica(t, f.path, slot)}
	for _, r := range reps {
		select {
		case <-r.started:
		case <-time.After(60 * time.Second):
			t.Fatal("a replica did not start within 60s")
		}
	}
	st, err := ledger.OpenPostgres(t.Context(), state)
	require.NoError(t, err)
	defer st.Close()

	first := slotOf(time.Now(), slot).Add(slot) // the first whole slot
	const killSlot, slots = 3, 6                // slots 0-2 seeded, the kill in 3, 4-5 converge
	for i := range killSlot {
		waitUntil(first.Add(time.Duration(i)*slot + 100*time.Millisecond))
		f.seed(3)
	}

	// The kill: in slot killSlot, as soon as a replica is in the middle of
	// a run of that slot.
	killFrom := first.Add(killSlot * slot)
	waitUntil(killFrom)
	f.seed(3)
	var victim *replica
	var killedAt time.Time
	for deadline := time.Now().Add(slot / 2); victim == nil && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		pid := pgtest.QueryInt(t, state, fmt.Sprintf(`SELECT coalesce(max(l.pid), 0) FROM leases l JOIN runs r ON r.conn = l.conn
			WHERE r.ended_at_ns = 0 AND r.started_at_ns >= %d`, killFrom.UnixNano()))
		for _, r := range reps {
			if r.cmd.Process.Pid == pid {
				require.NoError(t, r.cmd.Process.Signal(syscall.SIGKILL))
				victim, killedAt = r, time.Now()
			}
		}
	}
	require.NotNil(t, victim, "no replica was in the middle of a run in the kill slot")
	_ = victim.cmd.Wait()

	waitUntil(first.Add(slots*slot + slot/2))
	for _, r := range reps {
		if r == victim {
			continue
		}
		require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
		require.NoError(t, r.cmd.Wait(), "a surviving replica stops cleanly on SIGTERM")
	}

	// The runs table: per connection, runs per slot.
	var killedConns []string
	var rerun []time.Duration
	perSlot := map[int]int{} // runs in a slot → how many (connection, slot) pairs
	for i := range conns {
		name := fmt.Sprintf("conn%02d", i)
		runs, err := st.Runs(t.Context(), name, 0)
		require.NoError(t, err)
		count := map[time.Time]int{}
		for _, run := range runs {
			count[slotOf(run.StartedAt, slot)]++
		}
		for s := range slots {
			at := first.Add(time.Duration(s) * slot)
			n := count[at]
			perSlot[n]++
			if s == killSlot {
				assert.LessOrEqual(t, n, 1, "%s ran at most once in the slot of the kill", name)
				continue
			}
			assert.Equal(t, 1, n, "%s ran exactly once in slot %d", name, s)
		}
		for _, run := range runs {
			if !run.Finished() && slotOf(run.StartedAt, slot).Equal(first.Add(killSlot*slot)) {
				killedConns = append(killedConns, name)
				next := first.Add((killSlot + 1) * slot)
				for _, later := range runs {
					if slotOf(later.StartedAt, slot).Equal(next) {
						rerun = append(rerun, later.StartedAt.Sub(killedAt))
						assert.True(t, later.Finished(), "%s's next run finished", name)
					}
				}
			}
		}
		// No customer created twice; every one converged.
		for _, doc := range f.docs[i] {
			assert.Len(t, f.omies[i].FindByDocumento(doc), 1, "%s: customer %s is in Omie exactly once", name, syncrules.MaskDocument(doc))
		}
	}
	assert.NotEmpty(t, killedConns, "the kill interrupted some run")
	assert.Len(t, rerun, len(killedConns), "every killed connection ran in the next slot")
	t.Logf("runs per (connection, slot) over %d slots × %d connections: %v; killed runs: %d (%v); killed connections ran again %v after the kill",
		slots, conns, perSlot, len(killedConns), killedConns, rerun)
}

// -once with PostgreSQL joins the slot and returns when every connection's
// run of it has ended, with every flow completed (exit status 0).
func TestPostgresOnceJoinsTheSlotAndReturnsWhenEveryConnectionRan(t *testing.T) {
	slot := 3 * time.Second
	if raceEnabled {
		slot = 8 * time.Second
	}
	state := pgtest.SchemaURL(t)
	f := newReplicaFakes(t, 4, state, 0)
	f.seed(2)
	cfg, err := LoadConfig(f.path)
	require.NoError(t, err)
	r, err := New(cfg, WithSlot(slot), WithBudgets(unlimitedBudgets(t))) // fakes without limits, slots of seconds
	require.NoError(t, err)
	defer r.Close()
	// Join at a slot's start, so that the slot has time for the runs.
	waitUntil(slotOf(time.Now(), slot).Add(slot + 50*time.Millisecond))
	began := time.Now()
	c := r.RunOnce(t.Context())
	assert.True(t, c.OK(), "problems: %v", c.Problems)
	_, grace := riverTimeouts(slot)
	assert.Less(t, time.Since(began), grace+time.Second, "it did not wait past the slot")
	for i := range 4 {
		runs, err := r.Store().Runs(t.Context(), fmt.Sprintf("conn%02d", i), 0)
		require.NoError(t, err)
		require.Len(t, runs, 1)
		assert.True(t, runs[0].Finished())
		for _, doc := range f.docs[i] {
			assert.Len(t, f.omies[i].FindByDocumento(doc), 1)
		}
	}
	// A second -once in the same slot finds the slot's runs done and runs
	// nothing again.
	if slotOf(time.Now(), slot).Equal(slotOf(began, slot)) {
		c2 := r.RunOnce(t.Context())
		assert.True(t, c2.OK())
		runs, err := r.Store().Runs(t.Context(), "conn00", 0)
		require.NoError(t, err)
		assert.Len(t, runs, 1, "the slot's job is unique: not run twice")
	}
}

// The slots are the wall clock's multiples of the interval, so every
// replica agrees on them (R-SCHED-1).
func TestSlotsAreAlignedToTheWallClock(t *testing.T) {
	at := time.Date(2026, 12, 4, 20, 17, 42, 0, time.UTC)
	assert.Equal(t, time.Date(2026, 12, 4, 20, 10, 0, 0, time.UTC), slotOf(at, Interval))
	assert.Equal(t, time.Date(2026, 12, 4, 20, 20, 0, 0, time.UTC), slotSchedule{Interval}.Next(at))
	assert.Equal(t, time.Date(2026, 12, 4, 20, 30, 0, 0, time.UTC), slotSchedule{Interval}.Next(time.Date(2026, 12, 4, 20, 20, 0, 0, time.UTC)))
	jobTimeout, rescue := riverTimeouts(Interval)
	assert.Equal(t, 11*time.Minute, jobTimeout)
	assert.Equal(t, 15*time.Minute, rescue)
}

// unlimitedBudgets are budgets without limits, for fakes that enforce none.
func unlimitedBudgets(t testing.TB) Budgets {
	t.Helper()
	a, err := auvo.NewBudget(auvo.BudgetConfig{})
	require.NoError(t, err)
	o, err := omie.NewBudget(omie.BudgetConfig{})
	require.NoError(t, err)
	c, err := contaazul.NewBudget(contaazul.BudgetConfig{})
	require.NoError(t, err)
	b, err := bling.NewBudget(bling.BudgetConfig{})
	require.NoError(t, err)
	return Budgets{Auvo: a, Omie: o, ContaAzul: c, Bling: b}
}

func TestReplicaWorkersAreTheReplicasShareOfTheConnections(t *testing.T) {
	for _, tc := range []struct {
		conns int
		share float64
		want  int
	}{
		{30, 1, 30}, {30, 0, 30}, {30, 0.34, 11}, {30, 0.5, 15}, {1, 0.1, 1}, {0, 1, 1},
	} {
		assert.Equal(t, tc.want, replicaWorkers(tc.conns, tc.share), "%d connections at %v", tc.conns, tc.share)
	}
}
