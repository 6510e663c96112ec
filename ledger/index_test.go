package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIndexStartsUnknownAndKeepsEntriesByID(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	_, known, err := s.IndexState(ctx, "acme", "auvo")
	require.NoError(t, err)
	assert.False(t, known, "a side never listed has no state")

	a := IndexEntry{ID: "1", DocHash: s.DocumentHash("52998224725"), ExternalCode: "77", Created: t0, Modified: t0, Active: true}
	b := IndexEntry{ID: "2", DocHash: s.DocumentHash("11144477735"), Key: "auvo-9", Created: t0.Add(time.Hour), Modified: t0}
	state := IndexState{Through: t0.Add(-2 * time.Second), FullAt: t0}
	require.NoError(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo", Put: []IndexEntry{a, b}, State: &state}))

	got, err := s.IndexByDocHash(ctx, "acme", "auvo", a.DocHash)
	require.NoError(t, err)
	want := a
	want.Created, want.Modified = want.Created.UTC(), want.Modified.UTC()
	assert.Equal(t, []IndexEntry{want}, got)
	got, err = s.IndexByExternalCode(ctx, "acme", "auvo", "77")
	require.NoError(t, err)
	assert.Equal(t, []IndexEntry{want}, got)
	st, known, err := s.IndexState(ctx, "acme", "auvo")
	require.NoError(t, err)
	require.True(t, known)
	assert.True(t, st.Through.Equal(state.Through))
	assert.True(t, st.FullAt.Equal(state.FullAt))

	other, err := s.IndexByDocHash(ctx, "acme", "omie", a.DocHash)
	require.NoError(t, err)
	assert.Empty(t, other, "sides are apart")

	a.ExternalCode = "78"
	require.NoError(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo", Put: []IndexEntry{a}, Drop: []string{"2"}}))
	got, err = s.IndexByDocHash(ctx, "acme", "auvo", a.DocHash)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "78", got[0].ExternalCode, "a put replaces the entry")
	gone, err := s.IndexByDocHash(ctx, "acme", "auvo", b.DocHash)
	require.NoError(t, err)
	assert.Empty(t, gone, "a dropped entry is gone")
	st2, _, err := s.IndexState(ctx, "acme", "auvo")
	require.NoError(t, err)
	assert.True(t, st2.Through.Equal(state.Through), "an update without state keeps it")
}

func TestIndexUpdateIsAllOrNothing(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	state := IndexState{Through: t0}
	err := s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "omie", Put: []IndexEntry{{ID: "1"}, {ID: ""}}, State: &state})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "empty id")
	_, known, err := s.IndexState(ctx, "acme", "omie")
	require.NoError(t, err)
	assert.False(t, known)
	got, err := s.IndexByDocHash(ctx, "acme", "omie", "h")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestIndexRefusesMissingNames(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	assert.ErrorContains(t, s.UpdateIndex(ctx, IndexUpdate{Side: "auvo"}), "conn is empty")
	_, err := s.IndexByDocHash(ctx, "acme", "", "h")
	assert.ErrorContains(t, err, "side is empty")
	assert.ErrorContains(t, s.UpdateIndex(ctx, IndexUpdate{Conn: "acme", Side: "auvo", State: &IndexState{}}), "zero time")
}
