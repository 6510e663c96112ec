package ledger

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func outcome(sourceID, kind string, at time.Time) Outcome {
	return Outcome{SourceID: sourceID, Kind: kind, At: at}
}

func countOutcomes(t *testing.T, s *SQLite) int {
	t.Helper()
	var n int
	require.NoError(t, s.db.QueryRow(`SELECT COUNT(*) FROM outcomes`).Scan(&n))
	return n
}

func TestRun_R_REPORT_1_OutcomesExplainARecord(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	run1, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.RecordOutcomes(ctx, run1, []Outcome{
		{SourceID: "A1", Kind: OutcomeSkipped, Rule: "R-ELIG-2", Reason: "no document", At: t0.Add(time.Second)},
		{SourceID: "A2", TargetID: "P2", Kind: OutcomeCreated, Rule: "R-OUT-1", Reason: "no Omie customer with this document", At: t0.Add(time.Second)},
	}))
	require.NoError(t, s.FinishRun(ctx, run1, t0.Add(time.Minute), map[string]int{OutcomeSkipped: 1, OutcomeCreated: 1}, ""))
	run2, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0.Add(10*time.Minute))
	require.NoError(t, err)
	require.NoError(t, s.RecordOutcomes(ctx, run2, []Outcome{
		{RunID: run2, Conn: "acme", Flow: "auvo-to-omie", SourceID: "A1", TargetID: "P1", Kind: OutcomeLinked, Rule: "R-MATCH-1", At: t0.Add(11 * time.Minute)},
	}))
	other, err := s.StartRun(ctx, "beta", "contaazul-to-auvo", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.RecordOutcomes(ctx, other, []Outcome{outcome("A1", OutcomeUnchanged, t0)}))

	got, err := s.Explain(ctx, "acme", "A1", 0)
	require.NoError(t, err)
	assert.Equal(t, []Outcome{
		{RunID: run2, Conn: "acme", Flow: "auvo-to-omie", SourceID: "A1", TargetID: "P1", Kind: OutcomeLinked, Rule: "R-MATCH-1", At: t0.Add(11 * time.Minute)},
		{RunID: run1, Conn: "acme", Flow: "auvo-to-omie", SourceID: "A1", Kind: OutcomeSkipped, Rule: "R-ELIG-2", Reason: "no document", At: t0.Add(time.Second)},
	}, got, "newest first, from the run's connection and flow")

	all, err := s.Explain(ctx, "", "A1", 0)
	require.NoError(t, err)
	assert.Len(t, all, 3)
	limited, err := s.Explain(ctx, "", "A1", 1)
	require.NoError(t, err)
	require.Len(t, limited, 1)
	assert.Equal(t, run2, limited[0].RunID)
	none, err := s.Explain(ctx, "acme", "nope", 5)
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestLastSuccessfulRun_SkipsFailedDryAndUnfinishedRuns(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	_, ok, err := s.LastSuccessfulRun(ctx, "acme", "omie-to-auvo")
	require.NoError(t, err)
	assert.False(t, ok)

	start := func(at time.Time, dry bool) int64 {
		id, err := s.StartRun(ctx, "acme", "omie-to-auvo", dry, at)
		require.NoError(t, err)
		return id
	}
	good := start(t0, false)
	require.NoError(t, s.FinishRun(ctx, good, t0.Add(time.Minute), map[string]int{OutcomeUpdated: 3}, ""))
	failed := start(t0.Add(10*time.Minute), false)
	require.NoError(t, s.FinishRun(ctx, failed, t0.Add(11*time.Minute), nil, "omie: 500 after retries"))
	dry := start(t0.Add(20*time.Minute), true)
	require.NoError(t, s.FinishRun(ctx, dry, t0.Add(21*time.Minute), nil, ""))
	start(t0.Add(30*time.Minute), false) // crashed: never finished

	run, ok, err := s.LastSuccessfulRun(ctx, "acme", "omie-to-auvo")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, Run{ID: good, Conn: "acme", Flow: "omie-to-auvo", StartedAt: t0, EndedAt: t0.Add(time.Minute),
		Counts: map[string]int{OutcomeUpdated: 3}, Remaining: -1}, run)

	runs, err := s.Runs(ctx, "acme", 0)
	require.NoError(t, err)
	require.Len(t, runs, 4)
	assert.False(t, runs[0].Finished())
	assert.Equal(t, "omie: 500 after retries", runs[2].Error)
	assert.True(t, runs[1].DryRun)
	assert.Equal(t, map[string]int{}, runs[2].Counts)
	limited, err := s.Runs(ctx, "", 2)
	require.NoError(t, err)
	assert.Len(t, limited, 2)
}

func TestRecordOutcomes_IsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	batch := make([]Outcome, 50)
	for i := range batch {
		batch[i] = outcome(fmt.Sprint(i), OutcomeUnchanged, t0)
	}
	// Found only inside the transaction, after 40 rows were inserted.
	batch[40].Flow = "omie-to-auvo"

	err = s.RecordOutcomes(ctx, run, batch)
	assert.ErrorContains(t, err, "outcome 40 is for")
	assert.Zero(t, countOutcomes(t, s))
}

func TestRecordOutcomes_RejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	tests := []struct {
		name    string
		runID   int64
		o       Outcome
		wantErr string
	}{
		{"unknown kind", run, outcome("A1", "deleted", t0), `unknown kind "deleted"`},
		{"no source", run, outcome("", OutcomeCreated, t0), "no source id"},
		{"no time", run, outcome("A1", OutcomeCreated, time.Time{}), "no time"},
		{"other run", run, Outcome{RunID: run + 1, SourceID: "A1", Kind: OutcomeCreated, At: t0}, "belongs to run"},
		{"other conn", run, Outcome{Conn: "beta", SourceID: "A1", Kind: OutcomeCreated, At: t0}, "is for beta/"},
		{"unknown run", run + 7, outcome("A1", OutcomeCreated, t0), "no run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorContains(t, s.RecordOutcomes(ctx, tt.runID, []Outcome{tt.o}), tt.wantErr)
		})
	}
	assert.Zero(t, countOutcomes(t, s))
	require.NoError(t, s.RecordOutcomes(ctx, run, nil))
}

func TestFinishRun_OnlyOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	require.NoError(t, s.FinishRun(ctx, run, t0.Add(time.Minute), map[string]int{}, ""))

	assert.ErrorIs(t, s.FinishRun(ctx, run, t0.Add(2*time.Minute), nil, ""), ErrRunFinished)
	assert.ErrorIs(t, s.RecordOutcomes(ctx, run, []Outcome{outcome("A1", OutcomeCreated, t0)}), ErrRunFinished)
	assert.ErrorIs(t, s.FinishRun(ctx, run+1, t0, nil, ""), ErrNotFound)
	assert.ErrorContains(t, s.FinishRun(ctx, run, time.Time{}, nil, ""), "zero time")
	_, err = s.StartRun(ctx, "acme", "", false, t0)
	assert.ErrorContains(t, err, "flow is empty")
}
