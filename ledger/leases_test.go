package ledger

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/procid"
)

func runner(run string) Holder { return Holder{Host: "host-a", PID: 100, Started: "s100", Run: run} }

func TestAcquireLease_FreeHeldExpired(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	const ttl = 2 * time.Minute
	steps := []struct {
		name   string
		holder Holder
		at     time.Time
		want   bool
	}{
		{"free lease is taken", runner("1"), t0, true},
		{"held lease is refused", runner("2"), t0.Add(time.Minute), false},
		{"holder extends it", runner("1"), t0.Add(time.Minute), true},
		{"still held after the first ttl", runner("2"), t0.Add(ttl), false},
		{"another process with the same run name is another holder", Holder{Host: "host-a", PID: 101, Started: "s101", Run: "1"}, t0.Add(ttl), false},
		{"expired lease is taken over", runner("2"), t0.Add(time.Minute + ttl), true},
		{"old holder lost it", runner("1"), t0.Add(time.Minute + ttl), false},
	}
	for _, step := range steps {
		ok, err := s.AcquireLease(ctx, "acme", step.holder, ttl, step.at)
		require.NoError(t, err, step.name)
		assert.Equal(t, step.want, ok, step.name)
	}
	ok, err := s.AcquireLease(ctx, "beta", runner("1"), ttl, t0)
	require.NoError(t, err)
	assert.True(t, ok, "leases are per connection")
	l, found, err := s.Lease(ctx, "acme")
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, Lease{Conn: "acme", Holder: runner("2"), Expires: t0.Add(time.Minute + 2*ttl)}, l)
}

func TestReleaseLease(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	ok, err := s.AcquireLease(ctx, "acme", runner("1"), time.Minute, t0)
	require.NoError(t, err)
	require.True(t, ok)

	assert.ErrorIs(t, s.ReleaseLease(ctx, "acme", runner("2")), ErrLeaseNotHeld, "only the holder releases")
	require.NoError(t, s.ReleaseLease(ctx, "acme", runner("1")))
	assert.ErrorIs(t, s.ReleaseLease(ctx, "acme", runner("1")), ErrLeaseNotHeld)
	_, found, err := s.Lease(ctx, "acme")
	require.NoError(t, err)
	assert.False(t, found)

	ok, err = s.AcquireLease(ctx, "acme", runner("2"), time.Minute, t0)
	require.NoError(t, err)
	assert.True(t, ok, "a released lease is free at once")
}

func TestRenewLease_ByTheHolderOnly(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	const ttl = 2 * time.Minute
	assert.ErrorIs(t, s.RenewLease(ctx, "acme", runner("1"), ttl, t0), ErrLeaseNotHeld, "a lease never taken is not renewed")

	ok, err := s.AcquireLease(ctx, "acme", runner("1"), ttl, t0)
	require.NoError(t, err)
	require.True(t, ok)
	assert.ErrorIs(t, s.RenewLease(ctx, "acme", runner("2"), ttl, t0), ErrLeaseNotHeld, "another holder cannot renew it")
	require.NoError(t, s.RenewLease(ctx, "acme", runner("1"), ttl, t0.Add(time.Minute)))
	ok, err = s.AcquireLease(ctx, "acme", runner("2"), ttl, t0.Add(ttl+time.Second))
	require.NoError(t, err)
	assert.False(t, ok, "the renewal moved the expiry to t0+1m+ttl")

	require.NoError(t, s.RenewLease(ctx, "acme", runner("1"), ttl, t0.Add(time.Hour)),
		"an expired lease nobody took is still the holder's")
	ok, err = s.AcquireLease(ctx, "acme", runner("2"), ttl, t0.Add(2*time.Hour))
	require.NoError(t, err)
	require.True(t, ok)
	assert.ErrorIs(t, s.RenewLease(ctx, "acme", runner("1"), ttl, t0.Add(2*time.Hour)), ErrLeaseNotHeld,
		"a lost lease is not renewed: the run that lost it must stop")
}

func TestTakeOverLease_OnlyFromTheHolderNamed(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	ok, err := s.TakeOverLease(ctx, "acme", runner("1"), runner("2"), time.Minute, t0)
	require.NoError(t, err)
	assert.False(t, ok, "no lease, nothing to take over")
	ok, err = s.AcquireLease(ctx, "acme", runner("1"), time.Hour, t0)
	require.NoError(t, err)
	require.True(t, ok)

	ok, err = s.TakeOverLease(ctx, "acme", runner("3"), runner("2"), time.Minute, t0)
	require.NoError(t, err)
	assert.False(t, ok, "the lease names another holder")
	ok, err = s.TakeOverLease(ctx, "acme", runner("1"), runner("2"), time.Minute, t0)
	require.NoError(t, err)
	assert.True(t, ok, "taken over before it expired")
	l, _, err := s.Lease(ctx, "acme")
	require.NoError(t, err)
	assert.Equal(t, Lease{Conn: "acme", Holder: runner("2"), Expires: t0.Add(time.Minute)}, l)
	ok, err = s.TakeOverLease(ctx, "acme", runner("1"), runner("3"), time.Minute, t0)
	require.NoError(t, err)
	assert.False(t, ok, "a second taker of the same dead holder loses")
}

func TestLeaseMethods_RejectBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	_, err := s.AcquireLease(ctx, "acme", runner("r"), 0, t0)
	assert.ErrorContains(t, err, "ttl 0s is not positive")
	_, err = s.AcquireLease(ctx, "acme", Holder{Host: "h", PID: 1}, time.Minute, t0)
	assert.ErrorContains(t, err, "holder run is empty")
	_, err = s.AcquireLease(ctx, "acme", runner("r"), time.Minute, time.Time{})
	assert.ErrorContains(t, err, "zero time")
	assert.ErrorContains(t, s.RenewLease(ctx, "", runner("r"), time.Minute, t0), "conn is empty")
	_, err = s.TakeOverLease(ctx, "acme", runner("r"), Holder{}, time.Minute, t0)
	assert.ErrorContains(t, err, "holder run is empty")
	_, _, err = s.Lease(ctx, "")
	assert.ErrorContains(t, err, "conn is empty")
}

func TestAcquireLease_ExactlyOneOfSeveralDatabaseHandlesWins(t *testing.T) {
	path := tempPath(t)
	const contenders = 6
	stores := make([]*SQLite, contenders)
	for i := range stores {
		stores[i] = openAt(t, path)
	}
	for round := range 10 {
		conn := fmt.Sprintf("conn-%d", round)
		won := make([]bool, contenders)
		errs := make([]error, contenders)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Go(func() {
				<-start
				won[i], errs[i] = s.AcquireLease(context.Background(), conn, runner(fmt.Sprint(i)), time.Minute, t0)
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		for i := range stores {
			require.NoError(t, errs[i])
			if won[i] {
				winners++
			}
		}
		assert.Equal(t, 1, winners, "round %d", round)
	}
}

// procGone is the liveness check the flows pass to TakeLease.
func procGone(h Holder) bool {
	return procid.Check(procid.ID{PID: h.PID, Started: h.Started}) == procid.Dead
}

func self(run string) Holder {
	host, _ := os.Hostname()
	id := procid.Self()
	return Holder{Host: host, PID: id.PID, Started: id.Started, Run: run}
}

// exitedPID is the PID of a process that has exited and been reaped.
func exitedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	require.NoError(t, cmd.Run())
	return cmd.Process.Pid
}

func TestTakeLease_DeadLocalHolderAtOnceLiveOneNever(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("process liveness is known on Linux only")
	}
	ctx := context.Background()
	me := self("new-run")
	i := strings.LastIndexByte(me.Started, '/')
	cases := []struct {
		name   string
		holder Holder
		want   bool
	}{
		{"a killed runner on this host", Holder{Host: me.Host, PID: exitedPID(t), Started: me.Started, Run: "crashed"}, true},
		{"a reused pid: same pid, another start time", Holder{Host: me.Host, PID: me.PID, Started: me.Started[:i+1] + "1", Run: "crashed"}, true},
		{"a live run in this very process", self("other-run"), false},
		{"a process on another host, whatever its pid", Holder{Host: "elsewhere", PID: exitedPID(t), Started: me.Started, Run: "remote"}, false},
		{"a holder of an older binary (no host)", Holder{Run: "legacy"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTemp(t)
			ok, err := s.AcquireLease(ctx, "acme", tc.holder, time.Hour, t0)
			require.NoError(t, err)
			require.True(t, ok)
			cur, ok, err := TakeLease(ctx, s, "acme", me, time.Minute, t0.Add(time.Second), procGone)
			require.NoError(t, err)
			assert.Equal(t, tc.want, ok)
			l, _, err := s.Lease(ctx, "acme")
			require.NoError(t, err)
			if tc.want {
				assert.Equal(t, me, l.Holder)
				return
			}
			assert.Equal(t, tc.holder, cur.Holder, "the refusal names the holder")
			assert.Equal(t, tc.holder, l.Holder, "the lease is untouched")
		})
	}
}

func TestTakeLease_AcrossHostsWaitsForExpiry(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	remote := Holder{Host: "host-b", PID: 7, Started: "x", Run: "remote"}
	ok, err := s.AcquireLease(ctx, "acme", remote, 2*time.Minute, t0)
	require.NoError(t, err)
	require.True(t, ok)
	asked := 0
	gone := func(Holder) bool { asked++; return true }
	me := Holder{Host: "host-a", PID: 7, Started: "x", Run: "local"}

	_, ok, err = TakeLease(ctx, s, "acme", me, 2*time.Minute, t0.Add(time.Minute), gone)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Zero(t, asked, "a holder on another host is never judged by this host's processes")
	_, ok, err = TakeLease(ctx, s, "acme", me, 2*time.Minute, t0.Add(2*time.Minute), gone)
	require.NoError(t, err)
	assert.True(t, ok, "taken once expired")
}

func TestTakeLease_TwoTakersOfOneDeadHolderOneWins(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	dead := Holder{Host: "host-a", PID: 9, Started: "old", Run: "crashed"}
	s := openAt(t, path)
	ok, err := s.AcquireLease(ctx, "acme", dead, time.Hour, t0)
	require.NoError(t, err)
	require.True(t, ok)
	gone := func(h Holder) bool { return h == dead }
	for round := range 5 {
		if round > 0 {
			_, err := s.db.Exec(`UPDATE leases SET holder = 'crashed', host = ?, pid = ?, started = ?, run = ?`, dead.Host, dead.PID, dead.Started, dead.Run)
			require.NoError(t, err)
		}
		const takers = 4
		won := make([]bool, takers)
		errs := make([]error, takers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range takers {
			st := openAt(t, path)
			wg.Go(func() {
				<-start
				_, won[i], errs[i] = TakeLease(ctx, st, "acme", Holder{Host: "host-a", PID: 10 + i, Started: "new", Run: "r"}, time.Minute, t0, gone)
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		for i := range takers {
			require.NoError(t, errs[i])
			if won[i] {
				winners++
			}
		}
		assert.Equal(t, 1, winners, "round %d", round)
	}
}
