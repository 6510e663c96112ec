// Package testkit holds the helpers that the project's tests share: a fake
// clock and a log buffer, both safe for concurrent use because clients,
// fakes and slog handlers call them from several goroutines, a writer
// of temporary files, and the property the vendors' write-validation fuzz
// targets share (CheckRefusal, CheckLetThrough, CheckSent).
//
// Only _test.go files import it (TestNotImportedByNonTestCode holds that).
package testkit

import (
	"bytes"
	"context"
	"iter"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Clock is a fake clock that moves only when told to. Pass its Now method
// where a package takes a clock, and its Sleep method where it takes a wait
// (the Clock itself where a package selects on After, as runner.Clock
// does), so tests never sleep through a real limit.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	waits  Waits
	onWait func(time.Duration)
}

// NewClock returns a clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleep records the wait and advances the clock by d instead of sleeping.
// It returns ctx's error, as a cancelled wait would.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.wait(d)
	return c.waits.Wait(ctx, d)
}

// After is Sleep for code that selects on a timer (runner.Clock): it
// records the wait, advances the clock by d and returns a channel that has
// already fired with the new time.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	now := c.wait(d)
	_ = c.waits.Wait(context.Background(), d)
	ch := make(chan time.Time, 1)
	ch <- now
	return ch
}

// OnWait sets f to run at each wait (Sleep or After) after the clock has
// advanced: a test acts there between a wait's start and its end, or
// cancels the waiting code's context.
func (c *Clock) OnWait(f func(d time.Duration)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onWait = f
}

// wait advances the clock by d, runs the OnWait hook and returns the time
// the wait ends at.
func (c *Clock) wait(d time.Duration) time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now, hook := c.now, c.onWait
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
	return now
}

// Waits returns the durations passed to Sleep, in order.
func (c *Clock) Waits() []time.Duration { return c.waits.All() }

// Waits records waits instead of sleeping, where the test does not drive
// the waiting code's clock. The zero value is ready to use.
type Waits struct {
	mu sync.Mutex
	d  []time.Duration
}

// Wait records d and returns ctx's error, as a cancelled wait would.
func (w *Waits) Wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

// All returns the recorded waits, in order.
func (w *Waits) All() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// Buffer collects log output written from several goroutines.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// WriteFile writes content to a new file name in a temporary directory of
// t and returns its path (config files, mostly).
func WriteFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Collect reads a listing to its end or its first error, returning what
// came before the error with it.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}
