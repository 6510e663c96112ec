package omie_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

// A token bucket lets through its burst plus a window's refill in any
// window: the defaults must add up to Omie's numbers, never more.
func TestDefaultLimitsNeverExceedOmiesPerMinuteNumbers(t *testing.T) {
	overall, perMethod := omie.DefaultLimits()
	assert.Equal(t, time.Minute, overall.Per)
	assert.Equal(t, time.Minute, perMethod.Per)
	assert.LessOrEqual(t, overall.Requests+overall.Burst, 960)
	assert.LessOrEqual(t, perMethod.Requests+perMethod.Burst, 240)
	assert.Equal(t, 4, perMethod.Concurrency)
}

func TestConcurrencyCapHoldsUnderParallelCallers(t *testing.T) {
	run := func(t *testing.T, perMethod omie.Limit) *pair {
		p := newPair(t, []omiefake.Option{omiefake.WithMisuseBlock(0, 0)}, omie.WithRateLimit(), omie.WithMethodRateLimit(perMethod), omie.WithMaxRetries(0))
		var codes []int64
		for i := range 16 {
			codes = append(codes, p.fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprint(i)}))
		}
		p.fake.SetDelay(30 * time.Millisecond)
		var wg sync.WaitGroup
		for _, code := range codes {
			wg.Go(func() { _, _ = p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code}) })
		}
		wg.Wait()
		return p
	}
	t.Run("the default cap of 4 per method is never passed", func(t *testing.T) {
		_, def := omie.DefaultLimits()
		p := run(t, omie.Limit{Concurrency: def.Concurrency})
		assert.Equal(t, 4, p.fake.MaxInFlight("ConsultarCliente"))
		assert.Zero(t, p.fake.Refused(""))
		assert.Equal(t, 16, p.fake.Calls("ConsultarCliente"))
	})
	t.Run("without the cap the fake refuses (the test can fail)", func(t *testing.T) {
		p := run(t, omie.Limit{})
		assert.Positive(t, p.fake.Refused("ConsultarCliente"))
	})
}

func TestWritesRunOneAtATimePerMethod(t *testing.T) {
	p := newPair(t, nil)
	p.fake.SetDelay(20 * time.Millisecond)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			_, err := p.client.UpsertCliente(ctx, omie.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: fmt.Sprint("W", i)})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, p.fake.MaxInFlight("UpsertCliente"))
	assert.Equal(t, 6, p.fake.Len())
}

// Scaled down (a 250 ms window) so the real-time limiter is exercised fast:
// the client's bucket (burst 1 + 7 per window) stays under the fake's 10.
func TestClientSideRateLimitKeepsUnderOmiesLimit(t *testing.T) {
	window := 250 * time.Millisecond
	fakeLimits := omiefake.Limits{Window: window, PerMethod: 10, Overall: 20, Concurrency: 4}
	fake := omiefake.New(omiefake.WithLimits(fakeLimits), omiefake.WithRedundantCheck(false))
	srv := newServer(t, fake)
	code := fake.Seed(omiefake.Cliente{RazaoSocial: "A"})

	limited := newClient(t, srv, testkit.NewClock(start), omie.WithRateLimit(omie.Limit{Requests: 15, Per: window, Burst: 1}),
		omie.WithMethodRateLimit(omie.Limit{Requests: 7, Per: window, Burst: 1, Concurrency: 4}), omie.WithMaxRetries(0))
	for i := range 24 {
		_, err := collect(t, limited.ListarClientes(ctx, omie.ListOptions{PageSize: 100 + i}))
		require.NoError(t, err)
	}
	assert.Zero(t, fake.Refused(""))

	fake.ResetCalls()
	unlimited := newClient(t, srv, testkit.NewClock(start), omie.WithRateLimit(), omie.WithMethodRateLimit(), omie.WithMaxRetries(0))
	var lastErr error
	for range 24 {
		if _, err := collect(t, unlimited.ListarClientes(ctx, omie.ListOptions{})); err != nil {
			lastErr = err
		}
	}
	assert.ErrorIs(t, lastErr, omie.ErrRateLimited)
	assert.Positive(t, fake.Refused("ListarClientes"))
	_ = code
}

// A run against Omie's real numbers (fake on a frozen clock, so nothing
// expires) must not trip REDUNDANT, the limits or the misuse block.
func TestARealisticRunNeverTripsTheMisuseBlock(t *testing.T) {
	overall, perMethod := omie.DefaultLimits()
	p := newPair(t, nil, omie.WithRateLimit(overall), omie.WithMethodRateLimit(perMethod))
	const n = 12 // within the per-method burst, so the test does not wait for tokens
	for i := range n {
		p.fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprint(i), CodigoClienteIntegracao: fmt.Sprint("A", i)})
	}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := range n {
				_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: fmt.Sprint("A", (i+w)%n)})
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	for i := range 5 {
		_, err := p.client.UpsertCliente(ctx, omie.Cliente{RazaoSocial: "novo", CodigoClienteIntegracao: fmt.Sprint("A", i)})
		require.NoError(t, err)
		_, err = p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: fmt.Sprint("A", i)})
		require.NoError(t, err)
	}
	assert.Zero(t, p.fake.Refused(""))
	assert.False(t, p.fake.Blocked())
	assert.Equal(t, n, p.fake.Calls("ConsultarCliente"))
}
