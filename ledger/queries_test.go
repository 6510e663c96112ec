package ledger

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedRun records a run of n outcomes whose kind and rule cycle through
// kinds and rules, so filters have something to select.
func seedRun(t testing.TB, s *SQLite, conn, flow string, start time.Time, n int, finish bool) int64 {
	t.Helper()
	ctx := context.Background()
	run, err := s.StartRun(ctx, conn, flow, false, start)
	require.NoError(t, err)
	kinds := []string{OutcomeCreated, OutcomeUnchanged, OutcomeSkipped, OutcomeFailed}
	rules := []string{"R-OUT-1", "R-UPD-3", "R-ELIG-2", "R-BAD-1"}
	const batch = 500
	counts := map[string]int{}
	for from := 0; from < n; from += batch {
		var outs []Outcome
		for i := from; i < min(from+batch, n); i++ {
			k := kinds[i%len(kinds)]
			counts[k]++
			outs = append(outs, Outcome{SourceID: strconv.Itoa(i), Kind: k, Rule: rules[i%len(rules)], At: start.Add(time.Second)})
		}
		require.NoError(t, s.RecordOutcomes(ctx, run, outs))
	}
	if finish {
		require.NoError(t, s.FinishRun(ctx, run, start.Add(time.Minute), counts, ""))
	}
	return run
}

func TestReport_RunOutcomesPagesByKeyAndFilters(t *testing.T) {
	ctx := t.Context()
	s, _ := openTemp(t)
	run := seedRun(t, s, "acme", "auvo-to-omie", t0, 10, true)
	seedRun(t, s, "acme", "auvo-to-omie", t0.Add(10*time.Minute), 3, true)

	first, err := s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Limit: 4})
	require.NoError(t, err)
	require.Len(t, first.Outcomes, 4)
	assert.Equal(t, first.Outcomes[3].ID, first.Next)
	var seen []string
	page := first
	for {
		for _, o := range page.Outcomes {
			assert.Equal(t, run, o.RunID)
			seen = append(seen, o.SourceID)
		}
		if page.Next == 0 {
			break
		}
		page, err = s.RunOutcomes(ctx, OutcomeQuery{RunID: run, After: page.Next, Limit: 4})
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, seen, "every outcome once, in recorded order")

	skipped, err := s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Kind: OutcomeSkipped, Limit: 100})
	require.NoError(t, err)
	assert.Equal(t, []string{"2", "6"}, sourceIDs(skipped.Outcomes))
	assert.Zero(t, skipped.Next, "last page")

	byRule, err := s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Rule: "R-UPD-3", Limit: 100})
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "5", "9"}, sourceIDs(byRule.Outcomes))

	none, err := s.RunOutcomes(ctx, OutcomeQuery{RunID: run, Kind: OutcomeSkipped, Rule: "R-UPD-3", Limit: 100})
	require.NoError(t, err)
	assert.Empty(t, none.Outcomes)
}

func sourceIDs(outs []RecordedOutcome) []string {
	ids := []string{}
	for _, o := range outs {
		ids = append(ids, o.SourceID)
	}
	return ids
}

func TestReport_RunOutcomesRefusesBadQueries(t *testing.T) {
	s, _ := openTemp(t)
	for name, q := range map[string]OutcomeQuery{
		"zero limit":   {RunID: 1},
		"huge limit":   {RunID: 1, Limit: MaxPage + 1},
		"unknown kind": {RunID: 1, Kind: "deleted", Limit: 10},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.RunOutcomes(t.Context(), q)
			assert.Error(t, err)
		})
	}
}

func TestReport_FlowRunsNewestFirstBeforeAnID(t *testing.T) {
	ctx := t.Context()
	s, _ := openTemp(t)
	var ids []int64
	for i := range 5 {
		ids = append(ids, seedRun(t, s, "acme", "auvo-to-omie", t0.Add(time.Duration(i)*10*time.Minute), 1, true))
	}
	seedRun(t, s, "acme", "omie-to-auvo", t0, 1, true)
	seedRun(t, s, "beta", "auvo-to-omie", t0, 1, true)

	newest, err := s.FlowRuns(ctx, "acme", "auvo-to-omie", 0, 2)
	require.NoError(t, err)
	assert.Equal(t, []int64{ids[4], ids[3]}, runIDs(newest))
	older, err := s.FlowRuns(ctx, "acme", "auvo-to-omie", ids[3], 10)
	require.NoError(t, err)
	assert.Equal(t, []int64{ids[2], ids[1], ids[0]}, runIDs(older))
	assert.Equal(t, 1, older[0].Counts[OutcomeCreated])

	_, err = s.FlowRuns(ctx, "acme", "", 0, 10)
	assert.ErrorContains(t, err, "flow is empty")
	_, err = s.FlowRuns(ctx, "acme", "auvo-to-omie", 0, 0)
	assert.ErrorContains(t, err, "limit 0")
}

func runIDs(runs []Run) []int64 {
	ids := []int64{}
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestReport_RunByIDOrNotFound(t *testing.T) {
	s, _ := openTemp(t)
	id := seedRun(t, s, "acme", "auvo-to-omie", t0, 2, true)
	r, err := s.Run(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, "acme", r.Conn)
	assert.True(t, r.Finished())
	_, err = s.Run(t.Context(), id+100)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestReport_BreakdownAndCountsIncludeUnfinishedRuns(t *testing.T) {
	ctx := t.Context()
	s, _ := openTemp(t)
	done := seedRun(t, s, "acme", "auvo-to-omie", t0, 8, true)
	running := seedRun(t, s, "acme", "auvo-to-omie", t0.Add(10*time.Minute), 5, false)

	breakdown, err := s.RunBreakdown(ctx, running)
	require.NoError(t, err)
	assert.Equal(t, []OutcomeCount{
		{Kind: OutcomeCreated, Rule: "R-OUT-1", Count: 2},
		{Kind: OutcomeFailed, Rule: "R-BAD-1", Count: 1},
		{Kind: OutcomeSkipped, Rule: "R-ELIG-2", Count: 1},
		{Kind: OutcomeUnchanged, Rule: "R-UPD-3", Count: 1},
	}, breakdown, "most frequent first, then by kind")

	counts, err := s.OutcomeCounts(ctx, []int64{done, running, running + 50})
	require.NoError(t, err)
	assert.Equal(t, map[int64]map[string]int{
		done:         {OutcomeCreated: 2, OutcomeUnchanged: 2, OutcomeSkipped: 2, OutcomeFailed: 2},
		running:      {OutcomeCreated: 2, OutcomeUnchanged: 1, OutcomeSkipped: 1, OutcomeFailed: 1},
		running + 50: {},
	}, counts)
	empty, err := s.OutcomeCounts(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func TestReport_R_LOCK_1_LockCountsPerConnection(t *testing.T) {
	ctx := t.Context()
	s, _ := openTemp(t)
	for _, id := range []string{"A1", "A2", "A3"} {
		require.NoError(t, s.PutLink(ctx, liveLink(id, "P"+id), t0))
	}
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A1", LinkAuvoDeleted, "404", t0))
	require.NoError(t, s.Lock(ctx, "acme", "omie", "A2", LinkExternalCodeErased, "externalId empty", t0))
	require.NoError(t, s.Release(ctx, "acme", "omie", "A2", "ana", "checked", t0))
	counts, err := s.LockCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"acme": 1}, counts, "a released record is no longer locked")
}

// The console's run page reads one page of a 100,000-outcome run, filtered
// by kind or rule, plus the run's breakdown (R-REPORT-1).
func BenchmarkRunOutcomesPage100k(b *testing.B) {
	s := openAt(b, tempPath(b))
	run := seedRun(b, s, "acme", "auvo-to-omie", t0, 100_000, true)
	ctx := context.Background()
	cases := map[string]OutcomeQuery{
		"first page":            {RunID: run, Limit: 100},
		"deep page":             {RunID: run, After: 90_000, Limit: 100},
		"by kind":               {RunID: run, Kind: OutcomeFailed, After: 50_000, Limit: 100},
		"by rule":               {RunID: run, Rule: "R-ELIG-2", Limit: 100},
		"by kind and rule none": {RunID: run, Kind: OutcomeFailed, Rule: "R-ELIG-2", Limit: 100},
	}
	for name, q := range cases {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.RunOutcomes(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("breakdown", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.RunBreakdown(ctx, run); err != nil {
				b.Fatal(err)
			}
		}
	})
}
