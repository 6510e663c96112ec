package console

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

func TestRelease_R_LOCK_3_CleansTrimsAndRedactsBeforeRecording(t *testing.T) {
	f := seed(t)
	err := Release(t.Context(), f.store, ReleaseRequest{Conn: " acme ", Partner: syncrules.Omie, AuvoID: " A1 ",
		Who: "  Ana\tSouza ", Why: "doc 529.982.247-25\nchecked"}, t0)
	require.NoError(t, err)
	events, err := f.store.LinkHistory(t.Context(), "acme", "omie", "A1")
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Equal(t, "Ana Souza", last.Who, "control characters become spaces, edges trimmed")
	assert.Equal(t, "doc ***.982.247-** checked", last.Reason, "why is redacted (R-REPORT-2)")
}

func TestRelease_RefusesIncompleteRequests(t *testing.T) {
	f := seed(t)
	good := ReleaseRequest{Conn: "acme", Partner: syncrules.Omie, AuvoID: "A1", Who: "Ana", Why: "checked"}
	for name, change := range map[string]func(*ReleaseRequest){
		"no who":          func(r *ReleaseRequest) { r.Who = " \n " },
		"no why":          func(r *ReleaseRequest) { r.Why = "" },
		"no auvo id":      func(r *ReleaseRequest) { r.AuvoID = "" },
		"no connection":   func(r *ReleaseRequest) { r.Conn = "" },
		"unknown partner": func(r *ReleaseRequest) { r.Partner = "sap" },
	} {
		t.Run(name, func(t *testing.T) {
			r := good
			change(&r)
			err := Release(t.Context(), f.store, r, t0)
			assert.ErrorIs(t, err, ErrBadRelease)
		})
	}
	locks, err := f.store.Locks(t.Context(), "acme")
	require.NoError(t, err)
	assert.Len(t, locks, 1)
}

func TestRelease_KeepsTheStoresErrorKinds(t *testing.T) {
	f := seed(t)
	err := Release(t.Context(), f.store, ReleaseRequest{Conn: "acme", Partner: syncrules.Omie, AuvoID: "A2", Who: "Ana", Why: "x"}, t0)
	assert.ErrorIs(t, err, ledger.ErrNotLocked)
	err = Release(t.Context(), f.store, ReleaseRequest{Conn: "acme", Partner: syncrules.Omie, AuvoID: "A9", Who: "Ana", Why: "x"}, t0)
	assert.ErrorIs(t, err, ledger.ErrNotFound)
}

// The run page over a run of 100,000 outcomes, through the handler: one
// page of a filter plus the run's breakdown (ledger's
// BenchmarkRunOutcomesPage100k times the queries alone).
func BenchmarkRunPage100k(b *testing.B) {
	f := seed(b)
	ctx := b.Context()
	run, err := f.store.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(b, err)
	kinds := []string{ledger.OutcomeUnchanged, ledger.OutcomeUpdated, ledger.OutcomeSkipped, ledger.OutcomeFailed}
	rules := []string{"R-UPD-3", "R-UPD-1", "R-ELIG-2", "R-BAD-1"}
	for from := 0; from < 100_000; from += 1000 {
		outs := make([]ledger.Outcome, 0, 1000)
		for i := from; i < from+1000; i++ {
			outs = append(outs, ledger.Outcome{SourceID: fmt.Sprint("S", i), Kind: kinds[i%4], Rule: rules[i%4], Reason: "reason", At: t0})
		}
		require.NoError(b, f.store.RecordOutcomes(ctx, run, outs))
	}
	h, err := New(f.store, []Connection{acme})
	require.NoError(b, err)
	for name, query := range map[string]string{"first page": "", "failed, deep": "?outcome=failed&after=90000", "by rule": "?rule=R-ELIG-2"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				rec := get(h, fmt.Sprintf("/c/acme/runs/%d%s", run, query))
				if rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
