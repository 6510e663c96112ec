package testkit_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func TestClockMovesOnlyWhenTold(t *testing.T) {
	c := testkit.NewClock(t0)
	assert.Equal(t, t0, c.Now())
	c.Advance(time.Minute)
	assert.Equal(t, t0.Add(time.Minute), c.Now())
	require.NoError(t, c.Sleep(t.Context(), 30*time.Second))
	assert.Equal(t, t0.Add(90*time.Second), c.Now(), "Sleep advances instead of waiting")
	assert.Equal(t, []time.Duration{30 * time.Second}, c.Waits())

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, c.Sleep(ctx, time.Second), context.Canceled)
}

func TestClockAndBufferAreSafeForConcurrentUse(t *testing.T) {
	c := testkit.NewClock(t0)
	var b testkit.Buffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			c.Advance(time.Second)
			_ = c.Sleep(t.Context(), time.Second)
			_, _ = fmt.Fprintf(&b, "line %d\n", i)
			_ = c.Now()
		})
	}
	wg.Wait()
	assert.Equal(t, t0.Add(16*time.Second), c.Now())
	assert.Len(t, c.Waits(), 8)
	assert.Equal(t, 8, strings.Count(b.String(), "\n"))
}

// The helpers are for tests: a library user must not get them compiled in.
func TestNotImportedByNonTestCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/auvosync/auvosync/...").Output()
	require.NoError(t, err)
	const self = "github.com/auvosync/auvosync/internal/testkit"
	inKit := func(pkg string) bool { return pkg == self || strings.HasPrefix(pkg, self+"/") }
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if inKit(pkg) {
			continue // the kit's packages build on each other
		}
		for _, imp := range strings.Fields(imports) {
			assert.False(t, inKit(imp), "%s imports %s outside its tests", pkg, imp)
		}
	}
}

func TestClockAfterFiresAtOnceWithTheAdvancedTime(t *testing.T) {
	c := testkit.NewClock(t0)
	var seen []time.Time
	c.OnWait(func(d time.Duration) { seen = append(seen, c.Now()) })
	fired := <-c.After(10 * time.Minute)
	assert.Equal(t, t0.Add(10*time.Minute), fired)
	assert.Equal(t, t0.Add(10*time.Minute), c.Now())
	require.NoError(t, c.Sleep(t.Context(), time.Second))
	assert.Equal(t, []time.Duration{10 * time.Minute, time.Second}, c.Waits(), "After and Sleep record alike")
	assert.Equal(t, []time.Time{t0.Add(10 * time.Minute), t0.Add(10*time.Minute + time.Second)}, seen,
		"OnWait runs at each wait, once the clock has advanced")
}

// A hook that cancels the waiting code's context makes that wait end in
// ctx's error, as a cancelled real wait would.
func TestClockOnWaitMayCancelTheWait(t *testing.T) {
	c := testkit.NewClock(t0)
	ctx, cancel := context.WithCancel(t.Context())
	c.OnWait(func(time.Duration) { cancel() })
	assert.ErrorIs(t, c.Sleep(ctx, time.Second), context.Canceled)
}

func TestWaitsRecordWithoutSleeping(t *testing.T) {
	var w testkit.Waits
	assert.Empty(t, w.All())
	require.NoError(t, w.Wait(t.Context(), time.Hour))
	require.NoError(t, w.Wait(t.Context(), time.Second))
	assert.Equal(t, []time.Duration{time.Hour, time.Second}, w.All())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, w.Wait(ctx, time.Second), context.Canceled)
}

func TestWriteFileWritesANewPrivateFile(t *testing.T) {
	path := testkit.WriteFile(t, "sync.yaml", "state: x\n")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "state: x\n", string(b))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "config files hold secrets")
}

func TestCollectStopsAtTheFirstErrorWithWhatCameBefore(t *testing.T) {
	boom := errors.New("page 2 failed")
	seq := func(yield func(int, error) bool) {
		for _, step := range []struct {
			v   int
			err error
		}{{1, nil}, {2, nil}, {0, boom}, {3, nil}} {
			if !yield(step.v, step.err) {
				return
			}
		}
	}
	got, err := testkit.Collect(seq)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, []int{1, 2}, got)

	all, err := testkit.Collect(func(yield func(string, error) bool) { _ = yield("a", nil) && yield("b", nil) })
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, all)
}
