package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLock_R_LOCK_1_LockedRecordCannotBeRelinked(t *testing.T) {
	for _, reason := range []LinkState{LinkAuvoDeleted, LinkExternalCodeErased} {
		t.Run(string(reason), func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTemp(t)
			require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))

			require.NoError(t, s.Lock(ctx, "acme", "omie", "A1", reason, "seen at run 7", t0.Add(time.Minute)))

			got, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
			require.NoError(t, err)
			assert.Equal(t, reason, got.State)
			assert.True(t, got.State.Locked())
			err = s.PutLink(ctx, liveLink("A1", "P1"), t0.Add(2*time.Minute))
			assert.ErrorIs(t, err, ErrLocked)
			assert.ErrorContains(t, err, "release it")
		})
	}
}

func TestLocks_R_LOCK_3_ListsLockedRecordsWithHistory(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))
	require.NoError(t, s.PutLink(ctx, liveLink("A2", "P2"), t0))
	require.NoError(t, s.PutLink(ctx, Link{Conn: "beta", Partner: "bling", AuvoID: "B1", PartnerID: "X1"}, t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A2", LinkExternalCodeErased, "externalId empty in GET /customers/A2", t0.Add(time.Minute)))
	require.NoError(t, s.Lock(ctx, "beta", "bling", "B1", LinkAuvoDeleted, "404", t0.Add(time.Minute)))
	// Locking again for the same reason (the next run sees it again) adds nothing.
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A2", LinkExternalCodeErased, "seen again", t0.Add(2*time.Minute)))

	locks, err := s.Locks(ctx, "acme")
	require.NoError(t, err)
	require.Len(t, locks, 1)
	assert.Equal(t, "A2", locks[0].Link.AuvoID)
	require.Len(t, locks[0].History, 2)
	assert.Equal(t, EventLinked, locks[0].History[0].Kind)
	lockEvent := locks[0].History[1]
	assert.Equal(t, EventLocked, lockEvent.Kind)
	assert.Equal(t, LinkExternalCodeErased, lockEvent.State)
	assert.Equal(t, string(LinkExternalCodeErased), lockEvent.Reason)
	assert.Equal(t, "externalId empty in GET /customers/A2", lockEvent.Evidence)
	assert.Equal(t, t0.Add(time.Minute), lockEvent.At)

	all, err := s.Locks(ctx, "")
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

func TestRelease_R_LOCK_3_IsRecordedAndAllowsRelinking(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A1", LinkAuvoDeleted, "404", t0.Add(time.Minute)))

	require.NoError(t, s.Release(ctx, "acme", "omie", "A1", "ana@acme", "customer re-registered on purpose", t0.Add(time.Hour)))

	locks, err := s.Locks(ctx, "acme")
	require.NoError(t, err)
	assert.Empty(t, locks)
	got, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, LinkReleased, got.State)
	history, err := s.LinkHistory(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	require.Equal(t, []EventKind{EventLinked, EventLocked, EventReleased}, eventKinds(history))
	assert.Equal(t, "ana@acme", history[2].Who)
	assert.Equal(t, "customer re-registered on purpose", history[2].Reason)
	assert.Equal(t, t0.Add(time.Hour), history[2].At)

	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0.Add(2*time.Hour)))
	got, err = s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, LinkLive, got.State)
	history, err = s.LinkHistory(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, EventRelinked, history[len(history)-1].Kind)
}

func TestRelease_RefusedWhenNotLockedOrUnexplained(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))
	require.NoError(t, s.PutLink(ctx, liveLink("A2", "P2"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A2", LinkAuvoDeleted, "404", t0))

	tests := []struct {
		name     string
		auvoID   string
		who, why string
		wantIs   error
		wantText string
	}{
		{"live record", "A1", "ana", "why not", ErrNotLocked, "is live"},
		{"never linked", "A9", "ana", "why not", ErrNotFound, "never linked"},
		{"no who", "A2", "", "because", nil, "who is empty"},
		{"no why", "A2", "ana", "", nil, "why is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Release(ctx, "acme", "omie", tt.auvoID, tt.who, tt.why, t0)
			require.Error(t, err)
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
			assert.ErrorContains(t, err, tt.wantText)
		})
	}
	got, err := s.LinkByAuvo(ctx, "acme", "omie", "A2")
	require.NoError(t, err)
	assert.Equal(t, LinkAuvoDeleted, got.State, "a refused release changes nothing")

	require.NoError(t, s.Release(ctx, "acme", "omie", "A2", "ana", "ok", t0))
	assert.ErrorIs(t, s.Release(ctx, "acme", "omie", "A2", "ana", "again", t0), ErrNotLocked)
}

func TestLock_RejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))

	assert.ErrorIs(t, s.Lock(ctx, "acme", "omie", "A9", LinkAuvoDeleted, "404", t0), ErrNotFound)
	assert.ErrorContains(t, s.Lock(ctx, "acme", "omie", "A1", LinkReleased, "x", t0), "not a lock reason")
	assert.ErrorContains(t, s.Lock(ctx, "acme", "omie", "A1", LinkLive, "x", t0), "not a lock reason")
	assert.ErrorContains(t, s.Lock(ctx, "acme", "omie", "A1", LinkAuvoDeleted, "", t0), "evidence is empty")
	assert.ErrorContains(t, s.Lock(ctx, "acme", "omie", "A1", LinkAuvoDeleted, "404", time.Time{}), "zero time")
}
