package cli

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/runner"
)

func TestMetricsAreServedDuringTheRun(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var addr, body string
	fc := testkit.NewClock(time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC))
	fc.OnWait(func(d time.Duration) {
		// After the first cycle, while waiting for the next: scrape, stop.
		resp, err := http.Get("http://" + addr + "/metrics")
		if assert.NoError(t, err) {
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			body = string(b)
		}
		cancel()
	})
	res := runnerWith(t, ctx, &env{clock: fc, onMetrics: func(a string) { addr = a }}, nil, "-metrics", "127.0.0.1:0")
	require.Equal(t, 0, res.code, "a signal (here: cancel) ends the run with 0; stderr:\n%s", res.stderr)
	for _, want := range []string{
		`auvosync_cycles_total 1`,
		`auvosync_runs_total{connection="acme",flow="auvo-to-omie",result="ok"} 1`,
		`auvosync_records_total{connection="acme",flow="auvo-to-omie",outcome="created"}`,
		`auvosync_records_total{connection="beta",flow="contaazul-to-auvo",outcome="skipped"}`,
		`auvosync_api_requests_total{method="POST",status="200",vendor="omie"}`,
		`auvosync_api_request_duration_seconds_bucket{vendor="bling"`,
		`auvosync_flow_run_duration_seconds_count{connection="gamma",flow="bling-to-auvo"} 1`,
		`auvosync_flow_last_success_timestamp_seconds{connection="beta",flow="auvo-to-contaazul"}`,
	} {
		assert.Contains(t, body, want)
	}
	require.NotEmpty(t, fc.Waits())
	assert.Equal(t, runner.Interval, fc.Waits()[0], "the fake clock did not move during the cycle")
}
