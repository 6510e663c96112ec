package console

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/auvosync/auvosync/syncrules"
)

// chartRuns is how many recent runs a flow's chart shows.
const chartRuns = 30

// chartView is an SVG of a flow's recent runs, one bar per run, newest on
// the right. Each bar is the run's outcomes as shares of 100%, so a run whose
// failures or skips grew stands out whatever its size; the run's total is
// written above it. It is drawn on the server: no script, no chart library.
type chartView struct {
	Width, Height int
	Bars          []chartBar
	Legend        []legendItem
	Label         string
}

type chartBar struct {
	X, LabelX, Width int
	Total            int
	Href             string
	Title            string
	Segments         []chartSegment
}

type chartSegment struct {
	Kind      string
	Y, Height float64
}

type legendItem struct {
	Kind string
	X    int
}

// Geometry of the chart, in SVG user units.
const (
	chartWidth  = 720
	chartHeight = 170
	plotTop     = 18
	plotBottom  = 140
	slotWidth   = chartWidth / chartRuns
	barWidth    = slotWidth - 6
)

// stackOrder puts failures at the foot of each bar, where they are seen
// first.
var stackOrder = []string{
	string(syncrules.Failed), string(syncrules.Skipped), string(syncrules.Created),
	string(syncrules.Linked), string(syncrules.Updated), string(syncrules.Unchanged),
}

func (h *Handler) chart(r *http.Request, conn string, f syncrules.Flow) (*chartView, error) {
	runs, err := h.store.FlowRuns(r.Context(), conn, string(f), 0, chartRuns)
	if err != nil {
		return nil, err
	}
	counts, err := h.countsOf(r, runs)
	if err != nil {
		return nil, err
	}
	slices.Reverse(runs)
	v := &chartView{Width: chartWidth, Height: chartHeight,
		Label: fmt.Sprintf("Outcomes of the last %d runs of %s, as shares of each run", len(runs), f)}
	// The newest run is always at the right edge.
	offset := (chartRuns - len(runs)) * slotWidth
	for i, run := range runs {
		c := counts[run.ID]
		x := offset + i*slotWidth
		bar := chartBar{X: x + 3, LabelX: x + slotWidth/2, Width: barWidth,
			Href: fmt.Sprintf("/c/%s/runs/%d", url.PathEscape(conn), run.ID)}
		var parts []string
		for _, k := range stackOrder {
			bar.Total += c[k]
			if c[k] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
			}
		}
		bar.Title = fmt.Sprintf("Run %d, %s: %s", run.ID, stamp(run.StartedAt), strings.Join(parts, ", "))
		if bar.Total == 0 {
			bar.Title = fmt.Sprintf("Run %d, %s: no records", run.ID, stamp(run.StartedAt))
		}
		y := float64(plotBottom)
		for _, k := range stackOrder {
			if c[k] == 0 {
				continue
			}
			hgt := float64(plotBottom-plotTop) * float64(c[k]) / float64(bar.Total)
			y -= hgt
			bar.Segments = append(bar.Segments, chartSegment{Kind: k, Y: y, Height: hgt})
		}
		v.Bars = append(v.Bars, bar)
	}
	for i, k := range stackOrder {
		v.Legend = append(v.Legend, legendItem{Kind: k, X: i * 110})
	}
	return v, nil
}
