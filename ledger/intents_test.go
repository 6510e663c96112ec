package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func createIntent(sourceID string) Intent {
	return Intent{Conn: "acme", Flow: "auvo-to-omie", SourceID: sourceID, Kind: IntentCreate, TargetKey: "auvo-" + sourceID, CreatedAt: t0}
}

func TestIntents_OpenUntilCompletedOrAbandoned(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	id1, err := s.BeginIntent(ctx, createIntent("A1"))
	require.NoError(t, err)
	id2, err := s.BeginIntent(ctx, createIntent("A2"))
	require.NoError(t, err)
	link := Intent{Conn: "acme", Flow: "auvo-to-omie", SourceID: "A3", Kind: IntentLink, TargetKey: "dochash", CreatedAt: t0}
	id3, err := s.BeginIntent(ctx, link)
	require.NoError(t, err)
	_, err = s.BeginIntent(ctx, Intent{Conn: "acme", Flow: "omie-to-auvo", SourceID: "P1", Kind: IntentCreate, CreatedAt: t0})
	require.NoError(t, err)

	open, err := s.OpenIntents(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.Len(t, open, 3)
	want := createIntent("A1")
	want.ID = id1
	assert.Equal(t, want, open[0])

	require.NoError(t, s.CompleteIntent(ctx, id1, "P1", t0.Add(time.Second)))
	require.NoError(t, s.AbandonIntent(ctx, id3, "read-back found no record", t0.Add(time.Second)))

	open, err = s.OpenIntents(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, id2, open[0].ID)
}

func TestIntents_OpenIntentSurvivesACrashAndIsReportedOnTheNextRun(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	s, err := Open(ctx, path)
	require.NoError(t, err)
	id, err := s.BeginIntent(ctx, createIntent("A1"))
	require.NoError(t, err)
	// The process dies here: the create was sent, its result never recorded.
	require.NoError(t, s.Close())

	s = openAt(t, path)
	open, err := s.OpenIntents(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, id, open[0].ID)
	assert.Equal(t, "auvo-A1", open[0].TargetKey, "what the read-back searches for")
}

func TestCompleteIntent_IsRetrySafeButNotRewritable(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	id, err := s.BeginIntent(ctx, createIntent("A1"))
	require.NoError(t, err)
	require.NoError(t, s.CompleteIntent(ctx, id, "P1", t0))

	require.NoError(t, s.CompleteIntent(ctx, id, "P1", t0.Add(time.Second)), "the same completion again")
	assert.ErrorIs(t, s.CompleteIntent(ctx, id, "P2", t0), ErrIntentClosed)
	assert.ErrorIs(t, s.AbandonIntent(ctx, id, "changed my mind", t0), ErrIntentClosed)
	assert.ErrorIs(t, s.CompleteIntent(ctx, id+100, "P1", t0), ErrNotFound)
}

func TestBeginIntent_RejectsBadInput(t *testing.T) {
	s, _ := openTemp(t)
	tests := []struct {
		name    string
		edit    func(*Intent)
		wantErr string
	}{
		{"no conn", func(i *Intent) { i.Conn = "" }, "conn is empty"},
		{"no flow", func(i *Intent) { i.Flow = "" }, "flow is empty"},
		{"no source", func(i *Intent) { i.SourceID = "" }, "source id is empty"},
		{"unknown kind", func(i *Intent) { i.Kind = "delete" }, `kind "delete"`},
		{"no time", func(i *Intent) { i.CreatedAt = time.Time{} }, "zero time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := createIntent("A1")
			tt.edit(&in)
			_, err := s.BeginIntent(context.Background(), in)
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
	ctx := context.Background()
	id, err := s.BeginIntent(ctx, createIntent("A1"))
	require.NoError(t, err)
	assert.ErrorContains(t, s.CompleteIntent(ctx, id, "", t0), "target id is empty")
	assert.ErrorContains(t, s.AbandonIntent(ctx, id, "", t0), "why is empty")
}
