package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStore_CancelledContextStopsEveryCall(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	require.NoError(t, s.PutLink(ctx, liveLink("A1", "P1"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A1", LinkAuvoDeleted, "404", t0))
	run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	intent, err := s.BeginIntent(ctx, createIntent("A2"))
	require.NoError(t, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	calls := map[string]func(context.Context) error{
		"PutLink":        func(c context.Context) error { return s.PutLink(c, liveLink("A3", "P3"), t0) },
		"Links":          func(c context.Context) error { _, err := s.Links(c, "acme", "omie"); return err },
		"LinkByAuvo":     func(c context.Context) error { _, err := s.LinkByAuvo(c, "acme", "omie", "A1"); return err },
		"LinkByPartner":  func(c context.Context) error { _, err := s.LinkByPartner(c, "acme", "omie", "P1"); return err },
		"LinksByDocHash": func(c context.Context) error { _, err := s.LinksByDocHash(c, "acme", "omie", "h"); return err },
		"SetEchoHashes":  func(c context.Context) error { return s.SetEchoHashes(c, "acme", "omie", "A1", "P1", "a", "p", t0) },
		"LinkHistory":    func(c context.Context) error { _, err := s.LinkHistory(c, "acme", "omie", "A1"); return err },
		"Lock":           func(c context.Context) error { return s.Lock(c, "acme", "omie", "A1", LinkExternalCodeErased, "x", t0) },
		"Locks":          func(c context.Context) error { _, err := s.Locks(c, ""); return err },
		"Release":        func(c context.Context) error { return s.Release(c, "acme", "omie", "A1", "ana", "ok", t0) },
		"Cursor":         func(c context.Context) error { _, _, err := s.Cursor(c, "acme", "f"); return err },
		"AdvanceCursor":  func(c context.Context) error { return s.AdvanceCursor(c, "acme", "f", t0) },
		"BeginIntent":    func(c context.Context) error { _, err := s.BeginIntent(c, createIntent("A4")); return err },
		"CompleteIntent": func(c context.Context) error { return s.CompleteIntent(c, intent, "P", t0) },
		"AbandonIntent":  func(c context.Context) error { return s.AbandonIntent(c, intent, "gone", t0) },
		"OpenIntents":    func(c context.Context) error { _, err := s.OpenIntents(c, "acme", "auvo-to-omie"); return err },
		"SaveToken":      func(c context.Context) error { return s.SaveToken(c, "acme", "bling", Token{RefreshToken: "r"}) },
		"LoadToken":      func(c context.Context) error { _, _, err := s.LoadToken(c, "acme", "bling"); return err },
		"StartRun":       func(c context.Context) error { _, err := s.StartRun(c, "acme", "f", false, t0); return err },
		"RecordOutcomes": func(c context.Context) error {
			return s.RecordOutcomes(c, run, []Outcome{outcome("A1", OutcomeSkipped, t0)})
		},
		"FinishRun": func(c context.Context) error { return s.FinishRun(c, run, t0, nil, "") },
		"LastSuccessfulRun": func(c context.Context) error {
			_, _, err := s.LastSuccessfulRun(c, "acme", "auvo-to-omie")
			return err
		},
		"Explain": func(c context.Context) error { _, err := s.Explain(c, "", "A1", 0); return err },
		"Runs":    func(c context.Context) error { _, err := s.Runs(c, "", 0); return err },
		"AcquireLease": func(c context.Context) error {
			_, err := s.AcquireLease(c, "acme", Holder{Run: "r"}, time.Minute, t0)
			return err
		},
		"RenewLease": func(c context.Context) error { return s.RenewLease(c, "acme", Holder{Run: "r"}, time.Minute, t0) },
		"TakeOverLease": func(c context.Context) error {
			_, err := s.TakeOverLease(c, "acme", Holder{Run: "r"}, Holder{Run: "s"}, time.Minute, t0)
			return err
		},
		"Lease":        func(c context.Context) error { _, _, err := s.Lease(c, "acme"); return err },
		"ReleaseLease": func(c context.Context) error { return s.ReleaseLease(c, "acme", Holder{Run: "r"}) },
		"Backup":       func(c context.Context) error { return s.Backup(c, tempPath(t)) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(cancelled), context.Canceled)
		})
	}
	// Nothing above changed the store.
	l, err := s.LinkByAuvo(ctx, "acme", "omie", "A1")
	require.NoError(t, err)
	assert.Equal(t, LinkAuvoDeleted, l.State)
	assert.Zero(t, countOutcomes(t, s))
}

func TestReads_RejectEmptyKeys(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	_, err := s.Links(ctx, "acme", "")
	assert.ErrorContains(t, err, "partner is empty")
	_, err = s.LinkByAuvo(ctx, "acme", "omie", "")
	assert.ErrorContains(t, err, "auvo id is empty")
	_, err = s.LinkByPartner(ctx, "", "omie", "P1")
	assert.ErrorContains(t, err, "conn is empty")
	_, err = s.LinkHistory(ctx, "acme", "", "A1")
	assert.ErrorContains(t, err, "partner is empty")
	_, err = s.OpenIntents(ctx, "acme", "")
	assert.ErrorContains(t, err, "flow is empty")
	_, _, err = s.LoadToken(ctx, "acme", "")
	assert.ErrorContains(t, err, "vendor is empty")
	_, _, err = s.LastSuccessfulRun(ctx, "", "f")
	assert.ErrorContains(t, err, "conn is empty")
	_, err = s.Explain(ctx, "acme", "", 1)
	assert.ErrorContains(t, err, "source id is empty")
	assert.ErrorContains(t, s.ReleaseLease(ctx, "acme", Holder{}), "holder run is empty")
}
