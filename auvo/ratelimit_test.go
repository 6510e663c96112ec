package auvo_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

func TestRateLimit403IsWaitedOutAndResent(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	_, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)

	e.fake.RateLimitBurst(2)
	got, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "Ana", got.Name)
	assert.Equal(t, []time.Duration{15 * time.Second, 15 * time.Second}, e.clock.Waits(), "Auvo sends no Retry-After: the default wait")
	assert.Equal(t, 4, e.fake.Calls(auvofake.EndpointGet))
}

func TestRateLimitRefusalsAreResentEvenForCreates(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.FailNext(auvofake.EndpointCreate, 1, http.StatusForbidden, `{"error":"Rate limit temporarily exceeded"}`)
	_, err := e.client.Create(context.Background(), auvo.Customer{Name: "A"})
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointCreate))
	assert.Equal(t, 1, e.fake.Len(), "refused before acting: resending made one customer")
}

func TestStatus429IsTreatedLike403(t *testing.T) {
	e := newEnv(t, nil, auvo.WithRateLimitWait(5*time.Second))
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	e.fake.FailNext(auvofake.EndpointGet, 1, http.StatusTooManyRequests, "")
	_, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{5 * time.Second}, e.clock.Waits())
}

func TestPersistentRateLimitIsARateLimitError(t *testing.T) {
	e := newEnv(t, nil, auvo.WithMaxRetries(2))
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	_, err := e.client.Get(context.Background(), id) // log in
	require.NoError(t, err)
	e.fake.RateLimitBurst(10)

	_, err = e.client.Get(context.Background(), id)
	require.Error(t, err)
	assert.ErrorIs(t, err, auvo.ErrRateLimited)
	var rl *auvo.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, http.StatusForbidden, rl.Status)
	assert.Equal(t, 15*time.Second, rl.RetryAfter)
	var api *auvo.APIError
	require.ErrorAs(t, err, &api)
	assert.Contains(t, err.Error(), "Rate limit temporarily exceeded")
	assert.Equal(t, 4, e.fake.Calls(auvofake.EndpointGet), "first try plus two retries")
}

func TestForbiddenWithAnotherMessageIsNotARateLimit(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	e.fake.FailNext(auvofake.EndpointGet, 1, http.StatusForbidden, `{"message":"User without permission."}`)
	_, err := e.client.Get(context.Background(), id)
	require.Error(t, err)
	assert.ErrorIs(t, err, auvo.ErrForbidden)
	assert.NotErrorIs(t, err, auvo.ErrRateLimited)
	assert.Equal(t, 1, e.fake.Calls(auvofake.EndpointGet))
}

func TestMessageShapedErrorKeepsMessageAndCode(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.FailNext(auvofake.EndpointList, 1, http.StatusBadRequest,
		`{"message":"The paramFilter is required as ParamUserFilter string json.","target":null,"errorCode":1026,"errors":null}`)
	_, err := collect(t, e.client.List(context.Background(), auvo.ListOptions{}))
	var api *auvo.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "1026", api.Code)
	assert.Equal(t, "The paramFilter is required as ParamUserFilter string json.", api.Message)
}

// TestServerSideWindowIsRespected runs against the fake's per-minute window:
// the retry waits advance the shared clock into the next window.
func TestServerSideWindowIsRespected(t *testing.T) {
	e := newEnv(t, []auvofake.Option{auvofake.WithLimits(4, time.Minute)}, auvo.WithRateLimitWait(20*time.Second))
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	for range 10 {
		_, err := e.client.Get(context.Background(), id)
		require.NoError(t, err)
	}
	assert.NotEmpty(t, e.clock.Waits(), "the fake refused some requests")
	assert.Greater(t, e.fake.Calls(auvofake.EndpointGet), 10, "refused GETs were resent after the wait")
}

// Client-side throttling: the lower bounds below hold however slow the
// machine is, so these are not flaky timing tests.
func TestClientSideThrottleSpacesRequests(t *testing.T) {
	e := newEnv(t, nil, auvo.WithRateLimit(auvo.Limit{Requests: 100, Per: time.Second, Burst: 1})) // one request per 10 ms
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	start := time.Now()
	for range 10 {
		_, err := e.client.Get(context.Background(), id)
		require.NoError(t, err)
	}
	// 11 requests (login + 10) need at least 10 intervals.
	assert.GreaterOrEqual(t, time.Since(start), 95*time.Millisecond)
}

func TestSharedBudgetThrottlesClientsOfTwoConnectionsTogether(t *testing.T) {
	// R-BUDGET-1: Auvo counts per IP, across accounts.
	cfg := auvo.DefaultBudget()
	cfg.PerIP = []auvo.Limit{{Requests: 100, Per: time.Second}}
	shared, err := auvo.NewBudget(cfg)
	require.NoError(t, err)
	a := newEnv(t, nil, auvo.WithBudget(shared.For("a")))
	b := newEnv(t, nil, auvo.WithBudget(shared.For("b")))
	idA := a.fake.Seed(auvofake.Customer{Name: "A"})
	idB := b.fake.Seed(auvofake.Customer{Name: "B"})
	start := time.Now()
	var wg sync.WaitGroup
	for _, run := range []func(){
		func() {
			for range 5 {
				_, err := a.client.Get(context.Background(), idA)
				assert.NoError(t, err)
			}
		},
		func() {
			for range 5 {
				_, err := b.client.Get(context.Background(), idB)
				assert.NoError(t, err)
			}
		},
	} {
		wg.Go(run)
	}
	wg.Wait()
	// 12 requests through one 10 ms gate need at least 11 intervals.
	assert.GreaterOrEqual(t, time.Since(start), 105*time.Millisecond)
}
