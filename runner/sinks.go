package runner

import (
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/syncrules"
)

// fanout is the one Sink the flows get: it feeds the report file, the
// metrics, the progress lines and the summary. Connections run in parallel,
// so it locks.
type fanout struct {
	report  flows.Sink // nil without -report (WithReport)
	metrics *metrics
	log     *slog.Logger
	now     func() time.Time

	mu        sync.Mutex
	observers map[string]*connObserver
	done      map[FlowKey]int
	started   map[FlowKey]time.Time
	// keepRecords keeps every report of the current cycle for the summary
	// (the demo prints one line per record).
	keepRecords bool
	records     map[FlowKey][]flows.Report
}

func newFanout(report flows.Sink, m *metrics, log *slog.Logger, keepRecords bool) *fanout {
	return &fanout{
		report: report, metrics: m, log: log, now: time.Now,
		observers: map[string]*connObserver{}, done: map[FlowKey]int{}, started: map[FlowKey]time.Time{},
		keepRecords: keepRecords, records: map[FlowKey][]flows.Report{},
	}
}

func (f *fanout) observe(conn string, o *connObserver) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.observers[conn] = o
}

func (f *fanout) Record(r flows.Report) {
	r.Reason = syncrules.Redact(r.Reason)
	if f.report != nil {
		f.report.Record(r)
	}
	if f.metrics != nil {
		f.metrics.record(r)
	}
	k := FlowKey{r.Connection, r.Flow}
	f.mu.Lock()
	if _, ok := f.started[k]; !ok {
		f.started[k] = f.now()
	}
	f.done[k]++
	if f.keepRecords {
		f.records[k] = append(f.records[k], r)
	}
	f.mu.Unlock()
}

// Progress logs one line per source page, so a long first backfill shows
// how far it is: records done, the listing's size when the vendor says it,
// API calls and rate-limit waits so far.
func (f *fanout) Progress(p flows.Progress) {
	k := FlowKey{p.Connection, p.Flow}
	f.mu.Lock()
	if _, ok := f.started[k]; !ok {
		f.started[k] = f.now()
	}
	started := f.started[k]
	obs := f.observers[p.Connection]
	f.mu.Unlock()
	total := "unknown"
	if p.Total >= 0 {
		total = strconv.Itoa(p.Total)
	}
	attrs := []any{"connection", p.Connection, "flow", string(p.Flow), "page", p.Page,
		"records_done", p.Done, "known_total", total, "elapsed", f.now().Sub(started).Round(time.Second)}
	if obs != nil {
		attrs = append(attrs, "api_calls", obs.requests.Load(), "rate_limit_waits", obs.waits.Load(),
			"waited", time.Duration(obs.waitNanos.Load()).Round(time.Second))
	}
	f.log.Info("progress", attrs...)
}

// takeRecords returns the kept reports of a flow run and forgets them, and
// resets the flow's progress count for the next run.
func (f *fanout) takeRecords(k FlowKey) []flows.Report {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.records[k]
	delete(f.records, k)
	delete(f.done, k)
	delete(f.started, k)
	return r
}
