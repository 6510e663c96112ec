package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// outcomeKinds in the order pages list them.
var outcomeKinds = []string{ledger.OutcomeCreated, ledger.OutcomeLinked, ledger.OutcomeUpdated,
	ledger.OutcomeUnchanged, ledger.OutcomeSkipped, ledger.OutcomeFailed}

type overviewView struct {
	Conns []connView
}

type connectionView struct {
	Conn connView
	// OneFlow: a page of one flow's older runs.
	OneFlow bool
}

type connView struct {
	Name   string
	Flows  []flowView
	Locked int
	Next   slotView
	// Budget is nil when no running runner reports one (the console on its
	// own, or a connection that has not called a vendor yet).
	Budget *Budget
}

// slotView is a connection's next 10-minute slot (R-SCHED-1), computed
// from the start of its last cycle.
type slotView struct {
	At      time.Time
	Known   bool
	Overdue bool
}

type flowView struct {
	Conn string
	Flow syncrules.Flow
	Runs []runView
	// Older is the before= of the page of older runs, 0 when there are none.
	Older    int64
	Progress *progressView
	Chart    *chartView
}

type runView struct {
	ID       int64
	Conn     string
	Flow     string
	DryRun   bool
	Started  time.Time
	Ended    time.Time
	Duration string
	// Status: ok, failed, running, unfinished (no end recorded and no
	// progress heard: still running elsewhere, or its process died).
	Status string
	Counts []kindCount
	Total  int
	Error  string
	// Stopped and Remaining: the run stopped at its time box with that many
	// records left (-1: the vendor does not say), R-SCHED-3.
	Stopped   string
	Remaining int
}

type kindCount struct {
	Kind string
	N    int
}

type progressView struct {
	Page, Done, Total int
	HasTotal          bool
	Left              int
	At                time.Time
}

// countsOf returns each run's outcome counts: the summary FinishRun wrote,
// or, for a run that has not finished, the outcomes it has recorded.
func (h *Handler) countsOf(r *http.Request, runs []ledger.Run) (map[int64]map[string]int, error) {
	counts := map[int64]map[string]int{}
	var open []int64
	for _, run := range runs {
		if run.Finished() {
			counts[run.ID] = run.Counts
		} else {
			open = append(open, run.ID)
		}
	}
	live, err := h.store.OutcomeCounts(r.Context(), open)
	if err != nil {
		return nil, err
	}
	for id, c := range live {
		counts[id] = c
	}
	return counts, nil
}

func (h *Handler) runView(run ledger.Run, counts map[string]int, running bool) runView {
	v := runView{ID: run.ID, Conn: run.Conn, Flow: run.Flow, DryRun: run.DryRun, Started: run.StartedAt,
		Ended: run.EndedAt, Error: redact(run.Error), Stopped: run.Stopped, Remaining: run.Remaining}
	for _, k := range outcomeKinds {
		if n := counts[k]; n > 0 {
			v.Counts = append(v.Counts, kindCount{k, n})
			v.Total += n
		}
	}
	switch {
	case run.Error != "":
		v.Status = "failed"
	case !run.Finished() && running:
		v.Status = "running"
	case !run.Finished():
		v.Status = "unfinished"
	default:
		v.Status = "ok"
	}
	if run.Finished() {
		v.Duration = duration(run.EndedAt.Sub(run.StartedAt))
	} else {
		v.Duration = duration(h.set.now().Sub(run.StartedAt)) + " so far"
	}
	return v
}

func (h *Handler) connView(r *http.Request, c Connection, runs int, chart bool) (connView, error) {
	cv := connView{Name: c.Name}
	for _, f := range c.Flows {
		fv, err := h.flowView(r, c, f, 0, runs, chart)
		if err != nil {
			return connView{}, err
		}
		cv.Flows = append(cv.Flows, fv)
	}
	cv.Next = h.nextSlot(cv.Flows)
	if h.set.live != nil {
		if b, ok := h.set.live.Budget(c.Name); ok {
			cv.Budget = &b
		}
	}
	return cv, nil
}

// nextSlot: a cycle starts every interval from the start of the previous
// one (R-SCHED-1), and its first flow starts with it; the cycle's start is
// the earliest start among the flows' latest runs that lie within one
// interval of the newest.
func (h *Handler) nextSlot(flows []flowView) slotView {
	var newest time.Time
	for _, f := range flows {
		if len(f.Runs) > 0 && f.Runs[0].Started.After(newest) {
			newest = f.Runs[0].Started
		}
	}
	if newest.IsZero() {
		return slotView{}
	}
	start := newest
	for _, f := range flows {
		if len(f.Runs) > 0 {
			if t := f.Runs[0].Started; t.Before(start) && newest.Sub(t) < h.set.interval {
				start = t
			}
		}
	}
	next := start.Add(h.set.interval)
	return slotView{At: next, Known: true, Overdue: h.set.now().After(next.Add(h.set.interval))}
}

func (h *Handler) flowView(r *http.Request, c Connection, f syncrules.Flow, before int64, n int, chart bool) (flowView, error) {
	fv := flowView{Conn: c.Name, Flow: f}
	runs, err := h.store.FlowRuns(r.Context(), c.Name, string(f), before, n)
	if err != nil {
		return flowView{}, err
	}
	counts, err := h.countsOf(r, runs)
	if err != nil {
		return flowView{}, err
	}
	var progress Progress
	var hasProgress bool
	if h.set.live != nil && len(runs) > 0 && !runs[0].Finished() {
		progress, hasProgress = h.set.live.Progress(c.Name, f)
		hasProgress = hasProgress && !progress.At.Before(runs[0].StartedAt)
	}
	for i, run := range runs {
		fv.Runs = append(fv.Runs, h.runView(run, counts[run.ID], i == 0 && before == 0 && hasProgress))
	}
	if len(runs) == n {
		fv.Older = runs[n-1].ID
	}
	if hasProgress {
		p := &progressView{Page: progress.Page, Done: progress.Done, Total: progress.Total, At: progress.At}
		if progress.Total >= 0 {
			p.HasTotal, p.Left = true, max(progress.Total-progress.Done, 0)
		}
		fv.Progress = p
	}
	if chart {
		if fv.Chart, err = h.chart(r, c.Name, f); err != nil {
			return flowView{}, err
		}
	}
	return fv, nil
}

// runPage is a run with one page of its outcomes.
type runPage struct {
	Run runView
	// Breakdown counts outcomes by kind and rule; Kinds and Rules feed the
	// filter's choices.
	Breakdown []ledger.OutcomeCount
	Kinds     []string
	Rules     []string
	Kind      string
	Rule      string
	// Matching is how many outcomes the filter selects.
	Matching int
	Outcomes []ledger.RecordedOutcome
	// First and Next are the links to the first and the next page ("" when
	// there is none).
	First, Next string
}

func newRunPage(run runView, breakdown []ledger.OutcomeCount, q ledger.OutcomeQuery, page ledger.OutcomePage) runPage {
	p := runPage{Run: run, Breakdown: breakdown, Kinds: outcomeKinds, Kind: q.Kind, Rule: q.Rule, Outcomes: page.Outcomes}
	for _, b := range breakdown {
		if b.Rule != "" && !slices.Contains(p.Rules, b.Rule) {
			p.Rules = append(p.Rules, b.Rule)
		}
		if (q.Kind == "" || q.Kind == b.Kind) && (q.Rule == "" || q.Rule == b.Rule) {
			p.Matching += b.Count
		}
	}
	base := fmt.Sprintf("/c/%s/runs/%d", url.PathEscape(run.Conn), run.ID)
	values := url.Values{}
	if q.Kind != "" {
		values.Set("outcome", q.Kind)
	}
	if q.Rule != "" {
		values.Set("rule", q.Rule)
	}
	if q.After > 0 {
		p.First = base + "?" + values.Encode()
	}
	if page.Next > 0 {
		values.Set("after", strconv.FormatInt(page.Next, 10))
		p.Next = base + "?" + values.Encode()
	}
	return p
}

// recordView is a record's whole history on one connection: its links
// (with their history) and every outcome a run recorded for it.
type recordView struct {
	Conn, System, ID string
	Links            []linkView
	Outcomes         []ledger.Outcome
	// Truncated: only the newest historyLimit outcomes are shown.
	Truncated bool
	Released  bool
}

func (v recordView) empty() bool { return len(v.Links) == 0 && len(v.Outcomes) == 0 }

type linkView struct {
	Link    ledger.Link
	Locked  bool
	History []ledger.LinkEvent
	// Back is where the release form returns to.
	Back string
}

func (h *Handler) recordView(r *http.Request, c Connection, system, id string) (recordView, error) {
	ctx := r.Context()
	v := recordView{Conn: c.Name, System: system, ID: id}
	for _, p := range partners(c) {
		var l ledger.Link
		var err error
		switch system {
		case "auvo":
			l, err = h.store.LinkByAuvo(ctx, c.Name, string(p), id)
		case string(p):
			l, err = h.store.LinkByPartner(ctx, c.Name, string(p), id)
		default:
			continue
		}
		if errors.Is(err, ledger.ErrNotFound) {
			continue
		}
		if err != nil {
			return recordView{}, err
		}
		history, err := h.store.LinkHistory(ctx, c.Name, string(p), l.AuvoID)
		if err != nil {
			return recordView{}, err
		}
		v.Links = append(v.Links, linkView{Link: l, Locked: l.State.Locked(), History: history,
			Back: recordPath(c.Name, system, id)})
	}
	outs, err := h.store.Explain(ctx, c.Name, id, historyLimit+1)
	if err != nil {
		return recordView{}, err
	}
	if len(outs) > historyLimit {
		outs, v.Truncated = outs[:historyLimit], true
	}
	for _, o := range outs {
		if sourceSystem(syncrules.Flow(o.Flow)) == system {
			v.Outcomes = append(v.Outcomes, o)
		}
	}
	return v, nil
}

// match is one record a search found.
type match struct {
	Conn, System, ID string
	Links            []linkView
	Outcomes         int
}

type matchesView struct {
	Conn string
	// What was looked for, as the page may show it (a document masked).
	What       string
	ByDocument bool
	Matches    []match
}

type locksView struct {
	Conn  string
	Links []linkView
}
