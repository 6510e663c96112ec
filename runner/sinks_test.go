package runner

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/syncrules"
)

func TestFanoutLogsProgressPerPageWithKnownTotalAndRateLimitWaits(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	var report bytes.Buffer
	f := newFanout(flows.NewJSONLines(&report), newMetrics(), log, true)
	obs := &connObserver{}
	f.observe("acme", obs)
	obs.ObserveWait("omie", 0, true)
	for i := range 205 {
		if i%100 == 0 {
			f.Progress(flows.Progress{Connection: "acme", Flow: syncrules.OmieToAuvo, Page: i/100 + 1, Done: i, Total: 205})
		}
		obs.ObserveRequest("omie", "POST", 200, 0)
		f.Record(flows.Report{Connection: "acme", Flow: syncrules.OmieToAuvo, SourceID: string(rune('a' + i%26)),
			Outcome: syncrules.Skipped, Rule: syncrules.RElig2, Reason: "no document for joao@example.com 529.982.247-25"})
	}
	f.Progress(flows.Progress{Connection: "acme", Flow: syncrules.BlingToAuvo, Page: 1, Total: -1})
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 4, "one progress line per page")
	assert.Contains(t, lines[2], "page=3")
	assert.Contains(t, lines[2], "records_done=200")
	assert.Contains(t, lines[2], "known_total=205")
	assert.Contains(t, lines[2], "rate_limit_waits=1")
	assert.Contains(t, lines[2], "api_calls=200")
	assert.Contains(t, lines[3], "known_total=unknown", "Bling does not say")
	assert.NotContains(t, report.String(), "joao@example.com", "R-REPORT-2")
	assert.NotContains(t, report.String(), "529.982.247-25", "R-REPORT-2")
	recs := f.takeRecords(FlowKey{"acme", syncrules.OmieToAuvo})
	assert.Len(t, recs, 205)
	assert.Empty(t, f.takeRecords(FlowKey{"acme", syncrules.OmieToAuvo}), "taken once")
}
