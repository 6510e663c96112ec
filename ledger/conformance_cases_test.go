package ledger

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// conformanceCases run against every store (conformance_test.go). One entry
// per behaviour; a new Store method adds its case here.
var conformanceCases = []conformanceCase{
	{"PutLink_InsertsUpdatesAndKeepsHistory", cfPutLinkHistory},
	{"PutLink_RefusesLockedAndNonLiveLinks_RLOCK1", cfPutLinkRefusesLocked},
	{"LinkByPartner_PrefersLiveOverReleased", cfLinkByPartnerPrefersLive},
	{"Links_ByConnectionAndDocumentHash", cfLinksQueries},
	{"SetEchoHashes_UpdatesOneSide_RUPD3", cfSetEchoHashes},
	{"DocumentKey_GeneratedOnceAndKept", cfDocumentKeyKept},
	{"DocumentKey_OtherKeyRefused", cfDocumentKeyMismatch},
	{"LockAndRelease_RecordWhoAndWhy_RLOCK1to3", cfLockRelease},
	{"Cursor_NeverMovesBack", cfCursorNeverBack},
	{"Cursor_ConcurrentAdvancesKeepTheLatest", cfCursorConcurrent},
	{"Checkpoint_SavedReplacedAndClearedWhenThePassCompletes_RSCHED3", cfCheckpointSavedReplacedCleared},
	{"Checkpoint_ClearedInTheCursorsTransaction_RSCHED3", cfAdvanceCursorClearsTheCheckpointAtomically},
	{"SaveCheckpoint_RefusesWhatCannotBeAResumePoint", cfSaveCheckpointRefuses},
	{"Intents_OpenCompleteAbandonSurviveReopen", cfIntents},
	{"Token_SavedAndKeptAcrossReopen", cfTokenKept},
	{"Token_SavedTimeKeptAcrossReopenAndCopy", cfTokenSavedTime},
	{"Token_ConcurrentRotationsLeaveOneWholeToken", cfTokenConcurrent},
	{"Token_ReplicasRefreshingAtOnceNeverSpendARefreshTokenTwice", cfTokenRotation},
	{"Runs_RecordOutcomesAllOrNone_RREPORT1", cfRecordOutcomesAllOrNone},
	{"Runs_FinishAndLastSuccessful", cfLastSuccessfulRun},
	{"Runs_NewestFirstWithLimit", cfRunsNewestFirst},
	{"StopRun_RecordsTheTimeBoxAndWhatIsLeft_RSCHED3", cfStopRun},
	{"Explain_NewestFirstAcrossConnections", cfExplain},
	{"Report_RunAndFlowRunsPages", cfFlowRuns},
	{"Report_RunOutcomesPagesByKindAndRule", cfRunOutcomes},
	{"Report_BreakdownAndCounts", cfBreakdownCounts},
	{"Index_StartsUnknownAndKeepsEntriesByID", cfIndexKeepsEntriesByID},
	{"Index_UpdateIsAllOrNothing", cfIndexUpdateAllOrNothing},
	{"Index_RefusesMissingNames", cfIndexRefusesMissingNames},
	{"Lease_AcquireRenewRelease", cfLeaseBasics},
	{"Lease_TakeOverOnlyFromTheHolderNamed", cfLeaseTakeOver},
	{"Lease_TakeLeaseTakesADeadLocalHolderAtOnce", cfTakeLeaseRules},
	{"Lease_ExactlyOneOfSeveralReplicasWins", cfLeaseRace},
	{"Lease_ExactlyOneOfSeveralTakersOfADeadHolderWins", cfTakeOverRace},
	{"Crash_KilledWhileRecordingBatchesKeepsWholeBatches", cfCrashBatches},
	{"Crash_RotatedTokenIsSavedBeforeItIsUsed", cfCrashToken},
	{"Crash_ExactlyOneOfSeveralProcessesWinsALease", cfProcessLeaseRace},
	{"Migrate_ConcurrentOpenersMigrateOnceWithOneKey", cfConcurrentOpeners},
	{"Migrate_NewerSchemaRefusedNamingBothVersions", cfSchemaTooNew},
}

func cfLink(auvoID, partnerID string) Link {
	return Link{Conn: "acme", Partner: "omie", AuvoID: auvoID, PartnerID: partnerID, Flow: "auvo-to-omie"}
}

func cfHolder(host, run string) Holder { return Holder{Host: host, PID: 42, Started: "s1", Run: run} }

func cfPutLinkHistory(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	l := cfLink("a1", "p1")
	l.DocHash = s.DocumentHash("12345678909")
	require.NoError(t, s.PutLink(ctx, l, t0))
	require.NoError(t, s.PutLink(ctx, l, t0.Add(time.Second)), "the same link again changes nothing")
	require.NoError(t, s.PutLink(ctx, Link{Conn: "acme", Partner: "omie", AuvoID: "a1", PartnerID: "p1", Flow: "omie-to-auvo"}, t0.Add(2*time.Second)))
	require.NoError(t, s.PutLink(ctx, cfLink("a1", "p2"), t0.Add(3*time.Second)))

	got, err := s.LinkByAuvo(ctx, "acme", "omie", "a1")
	require.NoError(t, err)
	assert.Equal(t, Link{Conn: "acme", Partner: "omie", AuvoID: "a1", PartnerID: "p2", DocHash: l.DocHash,
		Flow: "auvo-to-omie", State: LinkLive, LinkedAt: t0.Add(3 * time.Second), UpdatedAt: t0.Add(3 * time.Second)}, got,
		"an empty document hash keeps the stored one; times come back exactly, in UTC")

	history, err := s.LinkHistory(ctx, "acme", "omie", "a1")
	require.NoError(t, err)
	var kinds []EventKind
	for _, e := range history {
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []EventKind{EventLinked, EventChanged, EventRelinked}, kinds)
	assert.Equal(t, "p1", history[0].PartnerID)
	assert.Equal(t, t0, history[0].At)

	_, err = s.LinkByAuvo(ctx, "acme", "omie", "nope")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Error(t, s.PutLink(ctx, Link{Conn: "acme", Partner: "omie", AuvoID: "a2"}, t0), "partner id is required")
}

func cfPutLinkRefusesLocked(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	require.NoError(t, s.PutLink(ctx, cfLink("a1", "p1"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "a1", LinkAuvoDeleted, "GET 404", t0))
	assert.ErrorIs(t, s.PutLink(ctx, cfLink("a1", "p9"), t0), ErrLocked)
	locked := cfLink("a2", "p2")
	locked.State = LinkAuvoDeleted
	assert.Error(t, s.PutLink(ctx, locked, t0), "PutLink writes live links only")

	require.NoError(t, s.Release(ctx, "acme", "omie", "a1", "ana", "restored in Auvo", t0.Add(time.Minute)))
	require.NoError(t, s.PutLink(ctx, cfLink("a1", "p9"), t0.Add(2*time.Minute)), "a released record links again")
	got, err := s.LinkByAuvo(ctx, "acme", "omie", "a1")
	require.NoError(t, err)
	assert.Equal(t, LinkLive, got.State)
	assert.Equal(t, "p9", got.PartnerID)
}

func cfLinkByPartnerPrefersLive(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	require.NoError(t, s.PutLink(ctx, cfLink("old", "p1"), t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "old", LinkExternalCodeErased, "code erased", t0))
	require.NoError(t, s.Release(ctx, "acme", "omie", "old", "ana", "merged", t0.Add(time.Hour)))
	require.NoError(t, s.PutLink(ctx, cfLink("new", "p1"), t0.Add(time.Minute)))

	got, err := s.LinkByPartner(ctx, "acme", "omie", "p1")
	require.NoError(t, err)
	assert.Equal(t, "new", got.AuvoID, "live beats released even when the released one was updated later")
	_, err = s.LinkByPartner(ctx, "acme", "omie", "p404")
	assert.ErrorIs(t, err, ErrNotFound)
}

func cfLinksQueries(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	doc := s.DocumentHash("11222333000181")
	for _, id := range []string{"b", "a", "c"} {
		l := cfLink(id, "p"+id)
		if id != "c" {
			l.DocHash = doc
		}
		require.NoError(t, s.PutLink(ctx, l, t0))
	}
	other := cfLink("z", "pz")
	other.Conn = "globex"
	require.NoError(t, s.PutLink(ctx, other, t0))

	all, err := s.Links(ctx, "acme", "omie")
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, []string{"a", "b", "c"}, []string{all[0].AuvoID, all[1].AuvoID, all[2].AuvoID}, "ordered by auvo id")

	byDoc, err := s.LinksByDocHash(ctx, "acme", "omie", doc)
	require.NoError(t, err)
	require.Len(t, byDoc, 2)
	assert.Equal(t, "a", byDoc[0].AuvoID)
	none, err := s.Links(ctx, "acme", "bling")
	require.NoError(t, err)
	assert.Empty(t, none)
}

func cfSetEchoHashes(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	require.NoError(t, s.PutLink(ctx, cfLink("a1", "p1"), t0))
	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "a1", "p1", "ha", "hp", t0.Add(time.Second)))
	require.NoError(t, s.SetEchoHashes(ctx, "acme", "omie", "a1", "p1", "", "hp2", t0.Add(2*time.Second)))
	got, err := s.LinkByAuvo(ctx, "acme", "omie", "a1")
	require.NoError(t, err)
	assert.Equal(t, "ha", got.AuvoHash, "an empty hash leaves that side")
	assert.Equal(t, "hp2", got.PartnerHash)
	assert.Equal(t, t0.Add(2*time.Second), got.UpdatedAt)
	assert.ErrorIs(t, s.SetEchoHashes(ctx, "acme", "omie", "a1", "other", "x", "", t0), ErrNotFound,
		"the link must still name that partner record")
}

func cfDocumentKeyKept(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	first := h.openRef(t, ref)
	hash := first.DocumentHash("12345678909")
	require.NoError(t, first.Close())
	again := h.openRef(t, ref)
	assert.Equal(t, hash, again.DocumentHash("12345678909"), "the key generated on first open is kept in the state")
	assert.Len(t, hash, 64)
	assert.NotContains(t, hash, "12345678909")
	assert.Empty(t, again.DocumentHash(""))
	other := h.store(t)
	assert.NotEqual(t, hash, other.DocumentHash("12345678909"), "another state has another key")
}

func cfDocumentKeyMismatch(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	key := []byte("0123456789abcdef0123")
	s := h.openRef(t, ref, WithDocumentKey(key))
	require.NoError(t, s.Close())
	_, err := h.open(t.Context(), ref, WithDocumentKey([]byte("another key of 16 bytes")))
	assert.ErrorIs(t, err, ErrDocumentKeyMismatch)
	_, err = h.open(t.Context(), ref)
	assert.ErrorContains(t, err, "WithDocumentKey", "a key kept outside the state must be given")
	assert.NotEmpty(t, h.openRef(t, ref, WithDocumentKey(key)).DocumentHash("1"))
}

func cfLockRelease(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	require.NoError(t, s.PutLink(ctx, cfLink("a1", "p1"), t0))
	require.NoError(t, s.PutLink(ctx, cfLink("a2", "p2"), t0))
	assert.ErrorIs(t, s.Lock(ctx, "acme", "omie", "a404", LinkAuvoDeleted, "GET 404", t0), ErrNotFound)
	assert.Error(t, s.Lock(ctx, "acme", "omie", "a1", LinkReleased, "x", t0), "released is not a lock reason")
	assert.ErrorIs(t, s.Release(ctx, "acme", "omie", "a1", "ana", "why", t0), ErrNotLocked)

	require.NoError(t, s.Lock(ctx, "acme", "omie", "a1", LinkAuvoDeleted, "GET 404", t0.Add(time.Minute)))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "a1", LinkAuvoDeleted, "GET 404 again", t0.Add(2*time.Minute)),
		"locking again for the same reason changes nothing")
	locks, err := s.Locks(ctx, "")
	require.NoError(t, err)
	require.Len(t, locks, 1)
	assert.Equal(t, LinkAuvoDeleted, locks[0].Link.State)
	require.Len(t, locks[0].History, 2)
	assert.Equal(t, "GET 404", locks[0].History[1].Evidence)
	counts, err := s.LockCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"acme": 1}, counts)
	other, err := s.Locks(ctx, "globex")
	require.NoError(t, err)
	assert.Empty(t, other)

	assert.Error(t, s.Release(ctx, "acme", "omie", "a1", "", "why", t0), "who is required")
	require.NoError(t, s.Release(ctx, "acme", "omie", "a1", "ana", "restored", t0.Add(time.Hour)))
	history, err := s.LinkHistory(ctx, "acme", "omie", "a1")
	require.NoError(t, err)
	last := history[len(history)-1]
	assert.Equal(t, EventReleased, last.Kind)
	assert.Equal(t, "ana", last.Who)
	assert.Equal(t, "restored", last.Reason)
	locks, err = s.Locks(ctx, "acme")
	require.NoError(t, err)
	assert.Empty(t, locks)
}

func cfCursorNeverBack(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	_, ok, err := s.Cursor(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	assert.False(t, ok)
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0))
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(-time.Nanosecond)))
	got, ok, err := s.Cursor(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, t0, got, "a cursor never moves back, to the nanosecond")
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(time.Nanosecond)))
	got, _, err = s.Cursor(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	assert.Equal(t, t0.Add(time.Nanosecond), got)
	assert.Error(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", time.Time{}))
}

func cfCursorConcurrent(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	stores := []conformingStore{h.openRef(t, ref), h.openRef(t, ref), h.openRef(t, ref)}
	var wg sync.WaitGroup
	errs := make([]error, 30)
	for i := range errs {
		wg.Go(func() {
			errs[i] = stores[i%len(stores)].AdvanceCursor(t.Context(), "acme", "f", t0.Add(time.Duration(i)*time.Second))
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	got, _, err := stores[0].Cursor(t.Context(), "acme", "f")
	require.NoError(t, err)
	assert.Equal(t, t0.Add(29*time.Second), got)
}

func cfIntents(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s, ctx := h.openRef(t, ref), t.Context()
	in := Intent{Conn: "acme", Flow: "auvo-to-omie", SourceID: "a1", Kind: IntentCreate, TargetKey: "code-a1", CreatedAt: t0}
	done, err := s.BeginIntent(ctx, in)
	require.NoError(t, err)
	in.SourceID = "a2"
	dropped, err := s.BeginIntent(ctx, in)
	require.NoError(t, err)
	in.SourceID, in.CreatedAt = "a3", t0.Add(time.Second)
	open, err := s.BeginIntent(ctx, in)
	require.NoError(t, err)
	_, err = s.BeginIntent(ctx, Intent{Conn: "acme", Flow: "f", SourceID: "x", Kind: "delete", CreatedAt: t0})
	assert.Error(t, err, "unknown kind")

	require.NoError(t, s.CompleteIntent(ctx, done, "p1", t0))
	require.NoError(t, s.CompleteIntent(ctx, done, "p1", t0), "a retried completion is harmless")
	assert.ErrorIs(t, s.CompleteIntent(ctx, done, "p2", t0), ErrIntentClosed)
	require.NoError(t, s.AbandonIntent(ctx, dropped, "read-back found nothing", t0))
	assert.ErrorIs(t, s.CompleteIntent(ctx, dropped, "p1", t0), ErrIntentClosed)
	assert.ErrorIs(t, s.CompleteIntent(ctx, 999999, "p1", t0), ErrNotFound)
	require.NoError(t, s.Close())

	// A process that died between sending and recording: the next one sees
	// the open intent.
	after := h.openRef(t, ref)
	intents, err := after.OpenIntents(ctx, "acme", "auvo-to-omie")
	require.NoError(t, err)
	require.Len(t, intents, 1)
	assert.Equal(t, Intent{ID: open, Conn: "acme", Flow: "auvo-to-omie", SourceID: "a3", Kind: IntentCreate,
		TargetKey: "code-a1", CreatedAt: t0.Add(time.Second)}, intents[0])
}

func cfTokenKept(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s, ctx := h.openRef(t, ref), t.Context()
	_, ok, err := s.LoadToken(ctx, "acme", "omie")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Error(t, s.SaveToken(ctx, "acme", "omie", Token{AccessToken: "a"}), "a token without refresh token is refused")
	require.NoError(t, s.SaveToken(ctx, "acme", "omie", Token{RefreshToken: "r1", AccessToken: "a1", Expiry: t0}))
	require.NoError(t, s.SaveToken(ctx, "acme", "omie", Token{RefreshToken: "r2", AccessToken: "a2", Expiry: t0.Add(time.Hour)}))
	require.NoError(t, s.Close())
	got, ok, err := h.openRef(t, ref).LoadToken(ctx, "acme", "omie")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, Token{RefreshToken: "r2", AccessToken: "a2", Expiry: t0.Add(time.Hour)}, got,
		"the rotated token, saved before use, is the one a restart finds")
}

// The doctor reports a stored token's age from Saved, which the caller
// gives (the ledger reads no clock): a save replaces it, a reopen and a
// Copy (migrate-state) keep it.
func cfTokenSavedTime(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s, ctx := h.openRef(t, ref), t.Context()
	require.NoError(t, s.SaveToken(ctx, "acme", "bling", Token{RefreshToken: "r1", Saved: t0}))
	rotated := Token{RefreshToken: "r2", AccessToken: "a2", Expiry: t0.Add(7 * time.Hour), Saved: t0.Add(time.Hour)}
	require.NoError(t, s.SaveToken(ctx, "acme", "bling", rotated))
	require.NoError(t, s.SaveToken(ctx, "acme", "omie", Token{RefreshToken: "r0"}))
	require.NoError(t, s.Close())

	reopened := h.openRef(t, ref)
	got, ok, err := reopened.LoadToken(ctx, "acme", "bling")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, rotated, got, "the latest save's time, not the first one's")
	unknown, ok, err := reopened.LoadToken(ctx, "acme", "omie")
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, unknown.Saved.IsZero(), "a token saved without a time reads back without one")

	dst := h.store(t)
	_, err = Copy(ctx, reopened, dst)
	require.NoError(t, err)
	copied, ok, err := dst.LoadToken(ctx, "acme", "bling")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, rotated, copied, "migrate-state keeps when the token was saved")
}

// Two replicas saving rotated pairs at once: the state ends with one of the
// pairs whole, never one's refresh token with the other's access token.
func cfTokenConcurrent(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	a, b := h.openRef(t, ref), h.openRef(t, ref)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			errs[i] = s.SaveToken(t.Context(), "acme", "contaazul",
				Token{RefreshToken: fmt.Sprint("r", i), AccessToken: fmt.Sprint("a", i), Expiry: t0.Add(time.Duration(i) * time.Minute)})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	got, ok, err := a.LoadToken(t.Context(), "acme", "contaazul")
	require.NoError(t, err)
	require.True(t, ok)
	var i int
	_, err = fmt.Sscanf(got.RefreshToken, "r%d", &i)
	require.NoError(t, err)
	assert.Equal(t, Token{RefreshToken: fmt.Sprint("r", i), AccessToken: fmt.Sprint("a", i), Expiry: t0.Add(time.Duration(i) * time.Minute)}, got)
}

func cfOutcome(source, kind, rule string, at time.Time) Outcome {
	return Outcome{SourceID: source, Kind: kind, Rule: rule, At: at}
}

func cfRecordOutcomesAllOrNone(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.RecordOutcomes(ctx, run, nil))
	bad := []Outcome{cfOutcome("a1", OutcomeCreated, "R-NEW-1", t0), cfOutcome("a2", "exploded", "", t0)}
	assert.Error(t, s.RecordOutcomes(ctx, run, bad))
	wrongConn := []Outcome{cfOutcome("a1", OutcomeCreated, "", t0), {Conn: "globex", SourceID: "a2", Kind: OutcomeSkipped, At: t0}}
	assert.Error(t, s.RecordOutcomes(ctx, run, wrongConn))
	assert.ErrorIs(t, s.RecordOutcomes(ctx, 999999, []Outcome{cfOutcome("a1", OutcomeCreated, "", t0)}), ErrNotFound)
	explained, err := s.Explain(ctx, "", "a1", 0)
	require.NoError(t, err)
	assert.Empty(t, explained, "a refused batch writes nothing")

	require.NoError(t, s.RecordOutcomes(ctx, run, []Outcome{cfOutcome("a1", OutcomeCreated, "R-NEW-1", t0)}))
	require.NoError(t, s.FinishRun(ctx, run, t0.Add(time.Minute), map[string]int{OutcomeCreated: 1}, ""))
	assert.ErrorIs(t, s.RecordOutcomes(ctx, run, []Outcome{cfOutcome("a2", OutcomeCreated, "", t0)}), ErrRunFinished)
	assert.ErrorIs(t, s.FinishRun(ctx, run, t0.Add(time.Minute), nil, ""), ErrRunFinished)
	explained, err = s.Explain(ctx, "acme", "a1", 0)
	require.NoError(t, err)
	require.Len(t, explained, 1)
	assert.Equal(t, Outcome{RunID: run, Conn: "acme", Flow: "auvo-to-omie", SourceID: "a1", Kind: OutcomeCreated, Rule: "R-NEW-1", At: t0}, explained[0])
}

func cfLastSuccessfulRun(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	_, ok, err := s.LastSuccessfulRun(ctx, "acme", "f")
	require.NoError(t, err)
	assert.False(t, ok)
	good, err := s.StartRun(ctx, "acme", "f", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.FinishRun(ctx, good, t0.Add(time.Minute), map[string]int{OutcomeUpdated: 2}, ""))
	dry, err := s.StartRun(ctx, "acme", "f", true, t0.Add(time.Hour))
	require.NoError(t, err)
	require.NoError(t, s.FinishRun(ctx, dry, t0.Add(time.Hour), nil, ""))
	failed, err := s.StartRun(ctx, "acme", "f", false, t0.Add(2*time.Hour))
	require.NoError(t, err)
	require.NoError(t, s.FinishRun(ctx, failed, t0.Add(2*time.Hour), nil, "omie: 500"))
	_, err = s.StartRun(ctx, "acme", "f", false, t0.Add(3*time.Hour)) // still running
	require.NoError(t, err)

	last, ok, err := s.LastSuccessfulRun(ctx, "acme", "f")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, Run{ID: good, Conn: "acme", Flow: "f", StartedAt: t0, EndedAt: t0.Add(time.Minute),
		Counts: map[string]int{OutcomeUpdated: 2}, Remaining: -1}, last)
	got, err := s.Run(ctx, dry)
	require.NoError(t, err)
	assert.True(t, got.DryRun)
	assert.True(t, got.Finished())
	_, err = s.Run(ctx, 999999)
	assert.ErrorIs(t, err, ErrNotFound)
}

func cfRunsNewestFirst(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	var ids []int64
	for i, conn := range []string{"acme", "globex", "acme"} {
		id, err := s.StartRun(ctx, conn, "f", false, t0.Add(time.Duration(i)*time.Minute))
		require.NoError(t, err)
		ids = append(ids, id)
	}
	all, err := s.Runs(ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, []int64{ids[2], ids[1], ids[0]}, []int64{all[0].ID, all[1].ID, all[2].ID})
	acme, err := s.Runs(ctx, "acme", 1)
	require.NoError(t, err)
	require.Len(t, acme, 1)
	assert.Equal(t, ids[2], acme[0].ID)
	assert.False(t, acme[0].Finished())
}

func cfExplain(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	for i, conn := range []string{"acme", "globex", "acme"} {
		run, err := s.StartRun(ctx, conn, "f", false, t0)
		require.NoError(t, err)
		require.NoError(t, s.RecordOutcomes(ctx, run, []Outcome{cfOutcome("a1", OutcomeSkipped, fmt.Sprint("R-", i), t0.Add(time.Duration(i)*time.Second))}))
	}
	all, err := s.Explain(ctx, "", "a1", 0)
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, []string{"R-2", "R-1", "R-0"}, []string{all[0].Rule, all[1].Rule, all[2].Rule})
	acme, err := s.Explain(ctx, "acme", "a1", 1)
	require.NoError(t, err)
	require.Len(t, acme, 1)
	assert.Equal(t, "R-2", acme[0].Rule)
	_, err = s.Explain(ctx, "", "", 0)
	assert.Error(t, err)
}

func cfFlowRuns(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	var ids []int64
	for i := range 5 {
		id, err := s.StartRun(ctx, "acme", "f", false, t0.Add(time.Duration(i)*time.Minute))
		require.NoError(t, err)
		ids = append(ids, id)
	}
	_, err := s.StartRun(ctx, "acme", "other", false, t0)
	require.NoError(t, err)
	page, err := s.FlowRuns(ctx, "acme", "f", 0, 2)
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, []int64{ids[4], ids[3]}, []int64{page[0].ID, page[1].ID})
	page, err = s.FlowRuns(ctx, "acme", "f", ids[3], 10)
	require.NoError(t, err)
	require.Len(t, page, 3)
	assert.Equal(t, ids[2], page[0].ID)
	_, err = s.FlowRuns(ctx, "acme", "f", 0, MaxPage+1)
	assert.Error(t, err)
}

func cfRunOutcomes(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	run, err := s.StartRun(ctx, "acme", "f", false, t0)
	require.NoError(t, err)
	var batch []Outcome
	for i := range 7 {
		kind, rule := OutcomeCreated, "R-NEW-1"
		if i%2 == 1 {
			kind, rule = OutcomeSkipped, "R-BAD-1"
		}
		batch = append(batch, cfOutcome(fmt.Sprint("a", i), kind, rule, t0))
	}
	require.NoError(t, s.RecordOutcomes(ctx, run, batch))

	var sources []string
	q := OutcomeQuery{RunID: run, Limit: 3}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		page, err := s.RunOutcomes(ctx, q)
		require.NoError(t, err)
		for _, o := range page.Outcomes {
			sources = append(sources, o.SourceID)
		}
		if page.Next == 0 {
			break
		}
		q.After = page.Next
	}
	assert.Equal(t, []string{"a0", "a1", "a2", "a3", "a4", "a5", "a6"}, sources, "pages in recorded order, none lost or repeated")

	skipped, err := s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Kind: OutcomeSkipped, Limit: 10})
	require.NoError(t, err)
	assert.Len(t, skipped.Outcomes, 3)
	assert.Zero(t, skipped.Next)
	byRule, err := s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Rule: "R-NEW-1", Limit: 10})
	require.NoError(t, err)
	assert.Len(t, byRule.Outcomes, 4)
	_, err = s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Kind: "exploded", Limit: 10})
	assert.Error(t, err)
	_, err = s.RunOutcomes(ctx, OutcomeQuery{RunID: run})
	assert.Error(t, err, "limit 0 is refused")
}

func cfBreakdownCounts(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	first, err := s.StartRun(ctx, "acme", "f", false, t0)
	require.NoError(t, err)
	second, err := s.StartRun(ctx, "acme", "f", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.RecordOutcomes(ctx, first, []Outcome{
		cfOutcome("a1", OutcomeSkipped, "R-BAD-1", t0), cfOutcome("a2", OutcomeSkipped, "R-BAD-1", t0),
		cfOutcome("a3", OutcomeCreated, "R-NEW-1", t0),
	}))
	breakdown, err := s.RunBreakdown(ctx, first)
	require.NoError(t, err)
	assert.Equal(t, []OutcomeCount{{OutcomeSkipped, "R-BAD-1", 2}, {OutcomeCreated, "R-NEW-1", 1}}, breakdown)
	counts, err := s.OutcomeCounts(ctx, []int64{first, second})
	require.NoError(t, err)
	assert.Equal(t, map[int64]map[string]int{first: {OutcomeSkipped: 2, OutcomeCreated: 1}, second: {}}, counts)
	empty, err := s.OutcomeCounts(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func cfLeaseBasics(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	me, other := cfHolder("h1", "run-1"), cfHolder("h2", "run-2")
	ok, err := s.AcquireLease(ctx, "acme", me, time.Minute, t0)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = s.AcquireLease(ctx, "acme", other, time.Minute, t0.Add(30*time.Second))
	require.NoError(t, err)
	assert.False(t, ok, "held and not expired")
	require.NoError(t, s.RenewLease(ctx, "acme", me, time.Minute, t0.Add(50*time.Second)))
	assert.ErrorIs(t, s.RenewLease(ctx, "acme", other, time.Minute, t0), ErrLeaseNotHeld)
	lease, found, err := s.Lease(ctx, "acme")
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, Lease{Conn: "acme", Holder: me, Expires: t0.Add(110 * time.Second)}, lease)

	ok, err = s.AcquireLease(ctx, "acme", other, time.Minute, t0.Add(110*time.Second))
	require.NoError(t, err)
	assert.True(t, ok, "an expired lease is taken")
	assert.ErrorIs(t, s.RenewLease(ctx, "acme", me, time.Minute, t0.Add(2*time.Minute)), ErrLeaseNotHeld,
		"a lost lease is never renewed")
	assert.ErrorIs(t, s.ReleaseLease(ctx, "acme", me), ErrLeaseNotHeld)
	require.NoError(t, s.ReleaseLease(ctx, "acme", other))
	_, found, err = s.Lease(ctx, "acme")
	require.NoError(t, err)
	assert.False(t, found)
	_, err = s.AcquireLease(ctx, "acme", me, 0, t0)
	assert.Error(t, err, "ttl must be positive")
}

func cfLeaseTakeOver(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	dead, me, third := cfHolder("h1", "run-1"), cfHolder("h1", "run-2"), cfHolder("h1", "run-3")
	ok, err := s.AcquireLease(ctx, "acme", dead, time.Hour, t0)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = s.TakeOverLease(ctx, "acme", third, me, time.Minute, t0)
	require.NoError(t, err)
	assert.False(t, ok, "the lease does not name third")
	ok, err = s.TakeOverLease(ctx, "acme", dead, me, time.Minute, t0)
	require.NoError(t, err)
	assert.True(t, ok, "taken over before it expired")
	lease, _, err := s.Lease(ctx, "acme")
	require.NoError(t, err)
	assert.Equal(t, me, lease.Holder)
}

func cfTakeLeaseRules(t *testing.T, h storeHarness) {
	s, ctx := h.store(t), t.Context()
	deadHere, liveHere, elsewhere := cfHolder("h1", "dead"), cfHolder("h1", "live"), cfHolder("h2", "far")
	me := cfHolder("h1", "me")
	gone := func(h Holder) bool { return h.Run == "dead" || h.Run == "far" }
	for conn, holder := range map[string]Holder{"c-dead": deadHere, "c-live": liveHere, "c-far": elsewhere} {
		ok, err := s.AcquireLease(ctx, conn, holder, time.Hour, t0)
		require.NoError(t, err)
		require.True(t, ok)
	}
	_, ok, err := TakeLease(ctx, s, "c-dead", me, time.Minute, t0, gone)
	require.NoError(t, err)
	assert.True(t, ok, "a gone holder on my host is taken over at once")
	cur, ok, err := TakeLease(ctx, s, "c-live", me, time.Minute, t0, gone)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, liveHere, cur.Holder)
	cur, ok, err = TakeLease(ctx, s, "c-far", me, time.Minute, t0, gone)
	require.NoError(t, err)
	assert.False(t, ok, "a holder on another host is never judged")
	assert.Equal(t, elsewhere, cur.Holder)
	_, ok, err = TakeLease(ctx, s, "c-far", me, time.Minute, t0.Add(time.Hour), gone)
	require.NoError(t, err)
	assert.True(t, ok, "once it expires")
}

// Several replicas (store handles) race for each free lease: exactly one
// wins each round.
func cfLeaseRace(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	const replicas = 5
	stores := make([]conformingStore, replicas)
	for i := range stores {
		stores[i] = h.openRef(t, ref)
	}
	for round := range 8 {
		conn := fmt.Sprint("conn-", round)
		won := make([]bool, replicas)
		errs := make([]error, replicas)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Go(func() {
				<-start
				won[i], errs[i] = s.AcquireLease(t.Context(), conn, cfHolder(fmt.Sprint("host-", i), "r"), time.Minute, t0)
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

func cfTakeOverRace(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	dead := cfHolder("h1", "dead")
	first := h.openRef(t, ref)
	ok, err := first.AcquireLease(t.Context(), "acme", dead, time.Hour, t0)
	require.NoError(t, err)
	require.True(t, ok)
	const takers = 4
	won := make([]bool, takers)
	errs := make([]error, takers)
	stores := make([]conformingStore, takers)
	for i := range stores {
		stores[i] = h.openRef(t, ref)
	}
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			_, won[i], errs[i] = TakeLease(t.Context(), s, "acme", cfHolder("h1", fmt.Sprint("taker-", i)), time.Minute, t0,
				func(h Holder) bool { return h.Run == "dead" })
		})
	}
	wg.Wait()
	winners := 0
	for i := range won {
		require.NoError(t, errs[i])
		if won[i] {
			winners++
		}
	}
	assert.Equal(t, 1, winners)
}

func cfConcurrentOpeners(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	const n = 4
	stores := make([]conformingStore, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = h.open(t.Context(), ref) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		t.Cleanup(func() { _ = stores[i].Close() })
	}
	for i := 1; i < n; i++ {
		assert.Equal(t, stores[0].DocumentHash("123"), stores[i].DocumentHash("123"), "one key, generated once")
	}
	assert.Equal(t, h.schemaVersion, h.queryInt(t, ref, `SELECT COUNT(*) FROM schema_migrations`), "each migration applied once")
	assert.Equal(t, 2, h.queryInt(t, ref, `SELECT COUNT(*) FROM meta WHERE key IN ('document_key', 'document_key_check')`))
}

func cfSchemaTooNew(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s := h.openRef(t, ref)
	require.NoError(t, s.PutLink(t.Context(), cfLink("a1", "p1"), t0))
	require.NoError(t, s.Close())
	newer := h.schemaVersion + 3
	h.exec(t, ref, fmt.Sprintf(`INSERT INTO schema_migrations (version) VALUES (%d)`, newer))
	_, err := h.open(t.Context(), ref)
	require.ErrorIs(t, err, ErrSchemaTooNew)
	assert.ErrorContains(t, err, fmt.Sprintf("schema version %d", newer))
	assert.ErrorContains(t, err, fmt.Sprintf("up to version %d", h.schemaVersion))
}

// singleUseVendor is a token endpoint whose refresh tokens work once, as
// Conta Azul's and Bling's rotate.
type singleUseVendor struct {
	mu      sync.Mutex
	current string
	issued  int
	spent   []string // refresh tokens presented after they were used
}

func (v *singleUseVendor) refresh(stored Token) (Token, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if stored.RefreshToken != v.current {
		v.spent = append(v.spent, stored.RefreshToken)
		return Token{}, fmt.Errorf("invalid_grant: %s was already used", stored.RefreshToken)
	}
	v.issued++
	v.current = fmt.Sprint("r", v.issued)
	return Token{RefreshToken: v.current, AccessToken: fmt.Sprint("a", v.issued), Expiry: t0.Add(time.Hour)}, nil
}

func cfTokenRotation(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	replicas := []conformingStore{h.openRef(t, ref), h.openRef(t, ref), h.openRef(t, ref)}
	vendor := &singleUseVendor{current: "r0"}
	require.NoError(t, replicas[0].SaveToken(t.Context(), "acme", "bling", Token{RefreshToken: "r0"}))
	const refreshes = 12
	var wg sync.WaitGroup
	used := make([]Token, refreshes)
	errs := make([]error, refreshes)
	for i := range refreshes {
		rot := replicas[i%len(replicas)].(TokenRotator)
		wg.Go(func() {
			used[i], errs[i] = rot.RotateToken(t.Context(), "acme", "bling", func(_ context.Context, stored Token, found bool) (Token, error) {
				if !found {
					return Token{}, fmt.Errorf("no token stored")
				}
				return vendor.refresh(stored)
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Empty(t, vendor.spent, "no refresh token was presented twice")
	assert.Equal(t, refreshes, vendor.issued)
	got, _, err := replicas[1].LoadToken(t.Context(), "acme", "bling")
	require.NoError(t, err)
	assert.Equal(t, vendor.current, got.RefreshToken, "the state holds the one refresh token still valid")

	// A token still good is handed back without a write; a failed refresh
	// saves nothing.
	kept, err := replicas[2].(TokenRotator).RotateToken(t.Context(), "acme", "bling", func(_ context.Context, stored Token, _ bool) (Token, error) {
		return stored, nil
	})
	require.NoError(t, err)
	assert.Equal(t, got, kept)
	_, err = replicas[2].(TokenRotator).RotateToken(t.Context(), "acme", "bling", func(context.Context, Token, bool) (Token, error) {
		return Token{}, fmt.Errorf("token endpoint down")
	})
	assert.ErrorContains(t, err, "token endpoint down")
	after, _, err := replicas[0].LoadToken(t.Context(), "acme", "bling")
	require.NoError(t, err)
	assert.Equal(t, got, after)
}

// The crash cases run a helper process on the state (crash_test.go) and
// kill it with SIGKILL: no Close, no deferred function.
func cfCrashBatches(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	h.openRef(t, ref) // migrated before the helper starts
	helper := startHelper(t, "batches", ref, "")
	var confirmed int
	for range 5 {
		n, err := strconv.Atoi(helper.line(t))
		require.NoError(t, err)
		confirmed = n
	}
	helper.kill(t)
	h.openRef(t, ref)
	n := h.queryInt(t, ref, `SELECT COUNT(*) FROM outcomes`)
	assert.GreaterOrEqual(t, n, confirmed, "every batch reported as recorded is kept")
	assert.Zero(t, n%crashBatch, "no batch is half recorded: %d outcomes", n)
}

func cfCrashToken(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	require.NoError(t, h.openRef(t, ref).SaveToken(t.Context(), "beta", "contaazul", Token{RefreshToken: "refresh-1"}))
	helper := startHelper(t, "token", ref, "refresh-2")
	require.Equal(t, "using refresh-2", helper.line(t))
	helper.kill(t)
	tok, ok, err := h.openRef(t, ref).LoadToken(t.Context(), "beta", "contaazul")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "refresh-2", tok.RefreshToken, "the vendor already invalidated refresh-1")
}

func cfProcessLeaseRace(t *testing.T, h storeHarness) {
	ref := h.newState(t)
	s := h.openRef(t, ref)
	helpers := make([]*helper, 3)
	for i := range helpers {
		helpers[i] = startHelper(t, "lease", ref, "")
	}
	for _, hp := range helpers {
		require.Equal(t, "ready", hp.line(t))
	}
	for _, hp := range helpers {
		_, err := io.WriteString(hp.stdin, "go\n")
		require.NoError(t, err)
	}
	winners := 0
	for _, hp := range helpers {
		line := hp.line(t)
		require.True(t, strings.HasPrefix(line, "won: "), line)
		if line == "won: true" {
			winners++
		}
		require.NoError(t, hp.cmd.Wait())
	}
	assert.Equal(t, 1, winners)
	ok, err := s.AcquireLease(t.Context(), "acme", Holder{Run: "parent"}, time.Minute, t0)
	require.NoError(t, err)
	assert.False(t, ok)
}
