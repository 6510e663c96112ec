package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/brtime"
)

func eventKinds(events []LinkEvent) []EventKind {
	kinds := make([]EventKind, len(events))
	for i, e := range events {
		kinds[i] = e.Kind
	}
	return kinds
}

func TestPutLink_NewLinkIsLiveAndRecorded(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l := liveLink("A1", "P1")
	l.DocHash = s.DocumentHash("12345678909")

	require.NoError(t, s.PutLink(ctx, l, t0))

	byAuvo, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, LinkLive, byAuvo.State)
	assert.Equal(t, t0, byAuvo.LinkedAt)
	assert.Equal(t, time.UTC, byAuvo.LinkedAt.Location())
	byPartner, err := s.LinkByPartner(ctx, "acme", "omie", "P1")
	require.NoError(t, err)
	assert.Equal(t, byAuvo, byPartner)
	byDoc, err := s.LinksByDocHash(ctx, "acme", "omie", l.DocHash)
	require.NoError(t, err)
	assert.Equal(t, []Link{byAuvo}, byDoc)

	history, err := s.LinkHistory(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	require.Len(t, history, 1)
	assert.Equal(t, EventLinked, history[0].Kind)
	assert.Equal(t, "P1", history[0].PartnerID)
	assert.Equal(t, "auvo-to-omie", history[0].Flow)
	assert.Equal(t, l.DocHash, history[0].DocHash)
	assert.Equal(t, t0, history[0].At)
}

func TestPutLink_TimesFromAnyZoneComeBackAsTheSameInstantInUTC(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	local := t0.In(brtime.SaoPaulo)

	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), local))

	got, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.True(t, got.LinkedAt.Equal(local))
	assert.Equal(t, time.UTC, got.LinkedAt.Location())
}

func TestPutLink_HistoryRecordsOnlyRealChanges(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l := liveLink("A1", "P1")
	require.NoError(t, s.PutLink(ctx, l, t0))

	require.NoError(t, s.PutLink(ctx, l, t0.Add(time.Minute)), "same link again")
	l.DocHash = "h2"
	require.NoError(t, s.PutLink(ctx, l, t0.Add(2*time.Minute)))
	l.PartnerID = "P9"
	require.NoError(t, s.PutLink(ctx, l, t0.Add(3*time.Minute)))

	history, err := s.LinkHistory(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, []EventKind{EventLinked, EventChanged, EventRelinked}, eventKinds(history))
	got, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, "P9", got.PartnerID)
	assert.Equal(t, t0.Add(3*time.Minute), got.LinkedAt, "a new partner record is a new link")
	_, err = s.LinkByPartner(ctx, "acme", "omie", "P1")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestPutLink_EmptyFieldsKeepStoredValues(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l := liveLink("A1", "P1")
	l.DocHash, l.AuvoHash, l.PartnerHash = "doc", "ah", "ph"
	require.NoError(t, s.PutLink(ctx, l, t0))

	require.NoError(t, s.PutLink(ctx, Link{Conn: "acme", Partner: "omie", AuvoID: "A1", PartnerID: "P1"}, t0.Add(time.Second)))

	got, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, "doc", got.DocHash)
	assert.Equal(t, "auvo-to-omie", got.Flow)
	assert.Equal(t, "ah", got.AuvoHash)
	assert.Equal(t, "ph", got.PartnerHash)
	assert.Equal(t, t0, got.UpdatedAt, "nothing changed")
}

func TestPutLink_RejectsBadInput(t *testing.T) {
	s, _ := openTemp(t)
	tests := []struct {
		name    string
		link    Link
		now     time.Time
		wantErr string
	}{
		{"no conn", Link{Partner: "omie", AuvoID: "A", PartnerID: "P"}, t0, "conn is empty"},
		{"no partner", Link{Conn: "acme", AuvoID: "A", PartnerID: "P"}, t0, "partner is empty"},
		{"no auvo id", Link{Conn: "acme", Partner: "omie", PartnerID: "P"}, t0, "auvo id is empty"},
		{"no partner id", Link{Conn: "acme", Partner: "omie", AuvoID: "A"}, t0, "partner id is empty"},
		{"zero now", liveLink("A", "P"), time.Time{}, "zero time"},
		{"locked state", Link{Conn: "acme", Partner: "omie", AuvoID: "A", PartnerID: "P", State: LinkAuvoDeleted}, t0, "use Lock"},
		{"released state", Link{Conn: "acme", Partner: "omie", AuvoID: "A", PartnerID: "P", State: LinkReleased}, t0, "use Lock or Release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.PutLink(context.Background(), tt.link, tt.now)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	links, err := s.Links(context.Background(), "acme", "omie")
	require.NoError(t, err)
	assert.Empty(t, links)
}

func TestLinks_ScopedByConnectionAndPartner(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, l := range []Link{
		liveLink("A1", "P1"), liveLink("A2", "P2"),
		{Conn: "acme", Partner: "contaazul", AuvoID: "A1", PartnerID: "C1"},
		{Conn: "beta", Partner: "omie", AuvoID: "A1", PartnerID: "P1"},
	} {
		require.NoError(t, s.PutLink(ctx, l, t0))
	}

	links, err := s.Links(ctx, "acme", "omie")
	require.NoError(t, err)
	require.Len(t, links, 2)
	assert.Equal(t, "A1", links[0].AuvoID)
	assert.Equal(t, "A2", links[1].AuvoID)
	got, err := s.LinkByAuvo(ctx, "acme", "contaazul", "A1")
	require.NoError(t, err)
	assert.Equal(t, "C1", got.PartnerID)
	_, err = s.LinkByAuvo(ctx, "gamma", "omie", "A1")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.LinkByPartner(ctx, "acme", "omie", "nope")
	assert.ErrorIs(t, err, ErrNotFound)
	byDoc, err := s.LinksByDocHash(ctx, "acme", "omie", "unknown")
	require.NoError(t, err)
	assert.Empty(t, byDoc)
	_, err = s.LinksByDocHash(ctx, "acme", "omie", "")
	assert.Error(t, err, "an empty hash would match every record without a document")
}

func TestLinkByPartner_PrefersALiveLinkOverAReleasedOne(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A-old", "P1"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A-old", LinkAuvoDeleted, "404", t0))
	got, err := s.LinkByPartner(ctx, "acme", "omie", "P1")
	require.NoError(t, err)
	assert.Equal(t, LinkAuvoDeleted, got.State, "R-LOCK-1: the partner side sees the lock")

	require.NoError(t, s.Release(ctx, "acme", "omie", "A-old", "ana", "customer came back", t0.Add(time.Hour)))
	require.NoError(t, s.PutLink(ctx, liveLink("A-new", "P1"), t0.Add(time.Hour)))
	// The released link is updated later than the new one.
	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "A-old", "P1", "x", "", t0.Add(2*time.Hour)))

	got, err = s.LinkByPartner(ctx, "acme", "omie", "P1")
	require.NoError(t, err)
	assert.Equal(t, "A-new", got.AuvoID)
}

func TestSetEchoHashes_UpdatesOnlyTheGivenSide(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))

	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "A1", "P1", "a1", "p1", t0))
	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "A1", "P1", "", "p2", t0.Add(time.Second)))
	got, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, "a1", got.AuvoHash)
	assert.Equal(t, "p2", got.PartnerHash)
	assert.Equal(t, t0.Add(time.Second), got.UpdatedAt)

	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "A1", "P1", "a2", "", t0.Add(2*time.Second)))
	got, err = s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, "a2", got.AuvoHash)
	assert.Equal(t, "p2", got.PartnerHash)

	history, err := s.LinkHistory(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Len(t, history, 1, "echo hashes change on every write; they are not history")
}

func TestSetEchoHashes_RequiresTheLink(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))

	err := s.SetEchoHashes(ctx, "acme", "omie", "A1", "P-other", "a", "p", t0)
	assert.ErrorIs(t, err, ErrNotFound, "a hash for another partner record must not land on this link")
	err = s.SetEchoHashes(ctx, "acme", "omie", "A-missing", "P1", "a", "p", t0)
	assert.ErrorIs(t, err, ErrNotFound)
	err = s.SetEchoHashes(ctx, "acme", "omie", "A1", "", "a", "p", t0)
	assert.ErrorContains(t, err, "partner id is empty")
}

func TestLinkUpdated_EmptyGivenFieldsKeepTheStoredOnes(t *testing.T) {
	stored := Link{Conn: "acme", Partner: "omie", AuvoID: "A1", PartnerID: "P1", DocHash: "doc", Flow: "auvo-to-omie",
		State: LinkReleased, LinkedAt: t0, AuvoHash: "ah", PartnerHash: "ph"}
	tests := []struct {
		name  string
		given Link
		want  Link
	}{
		{"all empty: only the partner id is taken", Link{PartnerID: "P1"}, stored},
		{"new partner id, hashes kept", Link{PartnerID: "P9"},
			Link{Conn: "acme", Partner: "omie", AuvoID: "A1", PartnerID: "P9", DocHash: "doc", Flow: "auvo-to-omie", State: LinkReleased, LinkedAt: t0, AuvoHash: "ah", PartnerHash: "ph"}},
		{"given values win", Link{PartnerID: "P1", DocHash: "doc2", Flow: "omie-to-auvo", AuvoHash: "ah2", PartnerHash: "ph2"},
			Link{Conn: "acme", Partner: "omie", AuvoID: "A1", PartnerID: "P1", DocHash: "doc2", Flow: "omie-to-auvo", State: LinkReleased, LinkedAt: t0, AuvoHash: "ah2", PartnerHash: "ph2"}},
		{"state and times are the caller's", Link{PartnerID: "P1", State: LinkLive, LinkedAt: t0.Add(time.Hour)}, stored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, stored.Updated(tt.given))
		})
	}
}
