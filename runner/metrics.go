package runner

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/auvosync/auvosync/flows"
)

// metrics are the runner's Prometheus series, on a registry of its own so
// that tests (and embedding programs) never collide on the global one.
type metrics struct {
	reg         *prometheus.Registry
	cycles      prometheus.Counter
	runs        *prometheus.CounterVec
	records     *prometheus.CounterVec
	apiRequests *prometheus.CounterVec
	apiLatency  *prometheus.HistogramVec
	waits       *prometheus.CounterVec
	waitSeconds *prometheus.CounterVec
	runDuration *prometheus.HistogramVec
	lastSuccess *prometheus.GaugeVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		cycles: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "auvosync_cycles_total", Help: "Sync cycles started (one every 10 minutes).",
		}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auvosync_runs_total", Help: "Flow runs by connection, flow and result (ok, failed).",
		}, []string{"connection", "flow", "result"}),
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auvosync_records_total", Help: "Record outcomes by connection, flow and outcome (R-REPORT-1).",
		}, []string{"connection", "flow", "outcome"}),
		apiRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auvosync_api_requests_total", Help: "HTTP attempts to vendor APIs by vendor, method and status (\"error\" when no answer came).",
		}, []string{"vendor", "method", "status"}),
		apiLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "auvosync_api_request_duration_seconds", Help: "Latency of vendor API attempts.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"vendor"}),
		waits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auvosync_rate_limit_waits_total", Help: "Waits before vendor calls: reason \"rate_limited\" (the vendor refused) or \"throttle\" (our own limiter).",
		}, []string{"vendor", "reason"}),
		waitSeconds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auvosync_rate_limit_wait_seconds_total", Help: "Time spent waiting before vendor calls.",
		}, []string{"vendor"}),
		runDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "auvosync_flow_run_duration_seconds", Help: "Duration of flow runs.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600},
		}, []string{"connection", "flow"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "auvosync_flow_last_success_timestamp_seconds", Help: "End time (Unix) of the last run of a flow that processed its whole listing (dry runs excluded).",
		}, []string{"connection", "flow"}),
	}
	m.reg.MustRegister(m.cycles, m.runs, m.records, m.apiRequests, m.apiLatency, m.waits, m.waitSeconds,
		m.runDuration, m.lastSuccess,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// countRefusals exposes auvosync_budget_refusals_total per vendor: the
// vendor's refusals for a limit of requests sent under the budgets. Our
// pacing should never cause one (R-BUDGET-1), so any is a defect to alert
// on: the budget's model of the vendor is wrong.
func (m *metrics) countRefusals(budgets []*vendorBudget) {
	byVendor := map[string][]*vendorBudget{}
	for _, b := range budgets {
		byVendor[b.Vendor()] = append(byVendor[b.Vendor()], b)
	}
	for vendor, bs := range byVendor {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "auvosync_budget_refusals_total",
			Help:        "Vendor refusals for a limit (403/429) of requests our budgets paced (R-BUDGET-1): each one means the budget model is wrong.",
			ConstLabels: prometheus.Labels{"vendor": vendor},
		}, func() float64 {
			var n int64
			for _, b := range bs {
				n += b.Refusals()
			}
			return float64(n)
		}))
	}
}

func (m *metrics) record(r flows.Report) {
	m.records.WithLabelValues(r.Connection, string(r.Flow), string(r.Outcome)).Inc()
}

func (m *metrics) summary(s flows.Summary) {
	result := "ok"
	if s.Err != nil {
		result = "failed"
	}
	m.runs.WithLabelValues(s.Connection, string(s.Flow), result).Inc()
	if !s.Ended.IsZero() {
		m.runDuration.WithLabelValues(s.Connection, string(s.Flow)).Observe(s.Ended.Sub(s.Started).Seconds())
	}
	if s.Completed() && !s.DryRun {
		m.lastSuccess.WithLabelValues(s.Connection, string(s.Flow)).Set(float64(s.Ended.Unix()))
	}
}

// connObserver receives the transport's per-attempt facts for one
// connection's clients: it feeds the vendor metrics and keeps the counts
// that progress lines show.
type connObserver struct {
	metrics   *metrics
	requests  atomic.Int64
	waits     atomic.Int64
	waitNanos atomic.Int64
}

func (o *connObserver) ObserveRequest(vendor, method string, status int, elapsed time.Duration) {
	o.requests.Add(1)
	if o.metrics == nil {
		return
	}
	code := "error"
	if status > 0 {
		code = strconv.Itoa(status)
	}
	o.metrics.apiRequests.WithLabelValues(vendor, method, code).Inc()
	o.metrics.apiLatency.WithLabelValues(vendor).Observe(elapsed.Seconds())
}

func (o *connObserver) ObserveWait(vendor string, wait time.Duration, rateLimited bool) {
	o.waits.Add(1)
	o.waitNanos.Add(int64(wait))
	if o.metrics == nil {
		return
	}
	reason := "throttle"
	if rateLimited {
		reason = "rate_limited"
	}
	o.metrics.waits.WithLabelValues(vendor, reason).Inc()
	o.metrics.waitSeconds.WithLabelValues(vendor).Add(wait.Seconds())
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
