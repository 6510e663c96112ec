package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCursor_AbsentUntilAdvanced(t *testing.T) {
	s, _ := openTemp(t)
	_, ok, err := s.Cursor(context.Background(), "acme", "omie-to-auvo")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestAdvanceCursor_NeverMovesBackwards(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	steps := []struct {
		advanceTo time.Time
		want      time.Time
	}{
		{t0, t0},
		{t0.Add(10 * time.Minute), t0.Add(10 * time.Minute)},
		{t0.Add(5 * time.Minute), t0.Add(10 * time.Minute)},
		{t0.Add(10 * time.Minute), t0.Add(10 * time.Minute)},
		{t0.Add(10*time.Minute + time.Nanosecond), t0.Add(10*time.Minute + time.Nanosecond)},
	}
	for i, step := range steps {
		require.NoError(t, s.AdvanceCursor(ctx, "acme", "omie-to-auvo", step.advanceTo))
		got, ok, err := s.Cursor(ctx, "acme", "omie-to-auvo")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, step.want, got, "step %d", i)
	}
}

func TestCursor_OnePerConnectionAndFlow(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "omie-to-auvo", t0))
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(time.Hour)))
	require.NoError(t, s.AdvanceCursor(ctx, "beta", "omie-to-auvo", t0.Add(2*time.Hour)))

	for _, tt := range []struct {
		conn, flow string
		want       time.Time
	}{
		{"acme", "omie-to-auvo", t0},
		{"acme", "auvo-to-omie", t0.Add(time.Hour)},
		{"beta", "omie-to-auvo", t0.Add(2 * time.Hour)},
	} {
		got, ok, err := s.Cursor(ctx, tt.conn, tt.flow)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, tt.want, got, "%s/%s", tt.conn, tt.flow)
	}
}

func TestAdvanceCursor_RejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	assert.ErrorContains(t, s.AdvanceCursor(ctx, "acme", "omie-to-auvo", time.Time{}), "zero time")
	assert.ErrorContains(t, s.AdvanceCursor(ctx, "", "omie-to-auvo", t0), "conn is empty")
	assert.ErrorContains(t, s.AdvanceCursor(ctx, "acme", "", t0), "flow is empty")
	_, _, err := s.Cursor(ctx, "acme", "")
	assert.ErrorContains(t, err, "flow is empty")
}

// R-SCHED-3: a checkpoint reads back as saved, is replaced by the next, and
// goes with the pass when the cursor advances; a reopened file keeps it.
func TestCheckpoint_SavedReplacedAndClearedWhenThePassCompletes(t *testing.T) {
	ctx := t.Context()
	s, path := openTemp(t)
	_, ok, err := s.Checkpoint(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	assert.False(t, ok, "no pass in progress")

	first := Checkpoint{Conn: "acme", Flow: "auvo-to-omie", Started: t0, Page: 2, Done: 100, Total: 250,
		LastPage: []string{"1", "2"}, At: t0.Add(time.Minute)}
	require.NoError(t, s.SaveCheckpoint(ctx, first))
	second := first
	second.Page, second.Done, second.LastPage, second.At = 3, 200, []string{"3"}, t0.Add(11*time.Minute)
	require.NoError(t, s.SaveCheckpoint(ctx, second))
	other := Checkpoint{Conn: "acme", Flow: "omie-to-auvo", Since: t0.Add(-time.Hour), Started: t0, Page: 2, Total: -1, At: t0}
	require.NoError(t, s.SaveCheckpoint(ctx, other))

	require.NoError(t, s.Close())
	s = openAt(t, path)
	got, ok, err := s.Checkpoint(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, second, got)

	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(-5*time.Minute)))
	_, ok, err = s.Checkpoint(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	assert.False(t, ok, "the completed pass's checkpoint is gone")
	got, ok, err = s.Checkpoint(ctx, "acme", "omie-to-auvo")
	require.NoError(t, err)
	require.True(t, ok, "another flow's pass is untouched")
	assert.Equal(t, []string{}, got.LastPage)
	assert.Equal(t, t0.Add(-time.Hour), got.Since)
}

func TestSaveCheckpoint_RefusesWhatCannotBeAResumePoint(t *testing.T) {
	s, _ := openTemp(t)
	good := Checkpoint{Conn: "acme", Flow: "auvo-to-omie", Started: t0, Page: 2, At: t0}
	for name, tc := range map[string]struct {
		change func(*Checkpoint)
		want   string
	}{
		"no connection": {func(c *Checkpoint) { c.Conn = "" }, "conn is empty"},
		"no flow":       {func(c *Checkpoint) { c.Flow = "" }, "flow is empty"},
		"no start":      {func(c *Checkpoint) { c.Started = time.Time{} }, "started is the zero time"},
		"no time":       {func(c *Checkpoint) { c.At = time.Time{} }, "at is the zero time"},
		"page 0":        {func(c *Checkpoint) { c.Page = 0 }, "page 0"},
	} {
		t.Run(name, func(t *testing.T) {
			cp := good
			tc.change(&cp)
			err := s.SaveCheckpoint(t.Context(), cp)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
