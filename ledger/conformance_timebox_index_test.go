package ledger

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Conformance cases of time-boxed runs (checkpoints, StopRun: R-SCHED-3)
// and of the matching index (IndexStore), listed in conformanceCases.

// R-SCHED-3: a checkpoint reads back as saved, is replaced by the next, and
// goes with the pass when the cursor advances; a reopened state keeps it.
func cfCheckpointSavedReplacedCleared(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s, ctx := h.openRef(t, ref), t.Context()
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
	s = h.openRef(t, ref)
	got, ok, err := s.Checkpoint(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, second, got, "the second replaced the first, times to the nanosecond")

	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(-5*time.Minute)))
	_, ok, err = s.Checkpoint(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	assert.False(t, ok, "the completed pass's checkpoint is gone")
	got, ok, err = s.Checkpoint(ctx, "acme", "omie-to-auvo")
	require.NoError(t, err)
	require.True(t, ok, "another flow's pass is untouched")
	assert.Equal(t, []string{}, got.LastPage)
	assert.Equal(t, t0.Add(-time.Hour), got.Since)
	assert.Equal(t, -1, got.Total)
}

// AdvanceCursor and the checkpoint it clears are one transaction: when the
// clearing fails, the cursor has not moved either (R-SCHED-3).
func cfAdvanceCursorClearsTheCheckpointAtomically(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s, ctx := h.openRef(t, ref), t.Context()
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0))
	h.exec(t, ref, `DROP TABLE checkpoints`)
	assert.ErrorContains(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(time.Hour)), "clear checkpoint")
	got, _, err := s.Cursor(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	assert.Equal(t, t0, got, "the failed pass's cursor stayed where it was")
}

func cfSaveCheckpointRefuses(t *testing.T, h storeHarness) {
	s := h.store(t)
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
			_, ok, err := s.Checkpoint(t.Context(), "acme", "auvo-to-omie")
			require.NoError(t, err)
			assert.False(t, ok, "nothing was saved")
		})
	}
}

// R-SCHED-3: a run that stopped at its time box says so in the runs table,
// with what the vendor said was left; others read "" and -1, on every query
// that returns runs.
func cfStopRun(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	boxed, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.StopRun(ctx, boxed, StoppedTimeBox, 150))
	require.NoError(t, s.FinishRun(ctx, boxed, t0.Add(9*time.Minute), nil, ""))
	whole, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0.Add(10*time.Minute))
	require.NoError(t, err)
	require.NoError(t, s.FinishRun(ctx, whole, t0.Add(11*time.Minute), nil, ""))
	unknown, err := s.StartRun(ctx, "acme", "omie-to-auvo", false, t0.Add(-time.Hour))
	require.NoError(t, err)
	require.NoError(t, s.StopRun(ctx, unknown, StoppedTimeBox, -7))

	runs, err := s.Runs(ctx, "acme", 0)
	require.NoError(t, err)
	require.Len(t, runs, 3)
	assert.Equal(t, []string{"", StoppedTimeBox, StoppedTimeBox}, []string{runs[0].Stopped, runs[1].Stopped, runs[2].Stopped})
	assert.Equal(t, []int{-1, 150, -1}, []int{runs[0].Remaining, runs[1].Remaining, runs[2].Remaining},
		"a count the vendor does not give is -1")

	got, err := s.Run(ctx, boxed)
	require.NoError(t, err)
	assert.Equal(t, []any{StoppedTimeBox, 150}, []any{got.Stopped, got.Remaining}, "Run")
	page, err := s.FlowRuns(ctx, "acme", "auvo-to-omie", 0, 10)
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, []any{StoppedTimeBox, 150}, []any{page[1].Stopped, page[1].Remaining}, "FlowRuns")
	last, ok, err := s.LastSuccessfulRun(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, []any{whole, "", -1}, []any{last.ID, last.Stopped, last.Remaining}, "LastSuccessfulRun")

	assert.ErrorIs(t, s.StopRun(ctx, boxed, StoppedTimeBox, 1), ErrNotFound, "a finished run is not changed")
	assert.ErrorIs(t, s.StopRun(ctx, 999999, StoppedTimeBox, 1), ErrNotFound)
	assert.ErrorContains(t, s.StopRun(ctx, whole, "", 1), "stopped is empty")
}

func cfIndexKeepsEntriesByID(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	_, known, err := s.IndexState(ctx, "acme", "auvo")
	require.NoError(t, err)
	assert.False(t, known, "a side never listed has no state")

	a := IndexEntry{ID: "1", DocHash: s.DocumentHash("52998224725"), ExternalCode: "77", Created: t0, Modified: t0, Active: true}
	b := IndexEntry{ID: "2", DocHash: s.DocumentHash("11144477735"), Key: "auvo-9", Created: t0.Add(time.Hour), Modified: t0}
	state := IndexState{Through: t0.Add(-2 * time.Second), FullAt: t0}
	require.NoError(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo", Put: []IndexEntry{a, b}, State: &state}))

	got, err := s.IndexByDocHash(ctx, "acme", "auvo", a.DocHash)
	require.NoError(t, err)
	assert.Equal(t, []IndexEntry{a}, got, "entries come back exactly, times in UTC to the nanosecond")
	got, err = s.IndexByExternalCode(ctx, "acme", "auvo", "77")
	require.NoError(t, err)
	assert.Equal(t, []IndexEntry{a}, got)
	got, err = s.IndexByDocHash(ctx, "acme", "auvo", b.DocHash)
	require.NoError(t, err)
	assert.Equal(t, []IndexEntry{b}, got, "an inactive entry with a key and no external code")
	st, known, err := s.IndexState(ctx, "acme", "auvo")
	require.NoError(t, err)
	require.True(t, known)
	assert.Equal(t, state, st)

	other, err := s.IndexByDocHash(ctx, "acme", "omie", a.DocHash)
	require.NoError(t, err)
	assert.Empty(t, other, "sides are apart")
	other, err = s.IndexByDocHash(ctx, "globex", "auvo", a.DocHash)
	require.NoError(t, err)
	assert.Empty(t, other, "connections are apart")

	a.ExternalCode = "78"
	require.NoError(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo", Put: []IndexEntry{a}, Drop: []string{"2", "404"}}))
	got, err = s.IndexByDocHash(ctx, "acme", "auvo", a.DocHash)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "78", got[0].ExternalCode, "a put replaces the entry")
	gone, err := s.IndexByDocHash(ctx, "acme", "auvo", b.DocHash)
	require.NoError(t, err)
	assert.Empty(t, gone, "a dropped entry is gone; dropping an unknown id is no error")
	st2, _, err := s.IndexState(ctx, "acme", "auvo")
	require.NoError(t, err)
	assert.Equal(t, state, st2, "an update without state keeps it")
	require.NoError(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo"}), "an empty update changes nothing")
}

func cfIndexUpdateAllOrNothing(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s, ctx := h.openRef(t, ref), t.Context()
	state := IndexState{Through: t0}
	err := s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "omie", Put: []IndexEntry{{ID: "1", DocHash: "h"}, {ID: ""}}, State: &state})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "empty id")
	_, known, err := s.IndexState(ctx, "acme", "omie")
	require.NoError(t, err)
	assert.False(t, known)
	got, err := s.IndexByDocHash(ctx, "acme", "omie", "h")
	require.NoError(t, err)
	assert.Empty(t, got)

	// The state's write fails after the entries' did not: neither is kept.
	h.exec(t, ref, `DROP TABLE index_sides`)
	err = s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "omie", Put: []IndexEntry{{ID: "1", DocHash: "h"}}, State: &state})
	require.Error(t, err)
	got, err = s.IndexByDocHash(ctx, "acme", "omie", "h")
	require.NoError(t, err)
	assert.Empty(t, got, "no entry of a failed update is kept")
}

func cfIndexRefusesMissingNames(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	assert.ErrorContains(t, s.UpdateIndex(ctx, IndexUpdate{Side: "auvo"}), "conn is empty")
	assert.ErrorContains(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme"}), "side is empty")
	_, err := s.IndexByDocHash(ctx, "acme", "", "h")
	assert.ErrorContains(t, err, "side is empty")
	_, err = s.IndexByDocHash(ctx, "acme", "auvo", "")
	assert.ErrorContains(t, err, "document hash is empty")
	_, err = s.IndexByExternalCode(ctx, "acme", "auvo", "")
	assert.ErrorContains(t, err, "external code is empty")
	_, _, err = s.IndexState(ctx, "", "auvo")
	assert.ErrorContains(t, err, "conn is empty")
	assert.ErrorContains(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo", State: &IndexState{}}), "zero time")
}
