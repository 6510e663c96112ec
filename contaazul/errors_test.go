package contaazul_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

func TestErrorKinds(t *testing.T) {
	const unknownID = "0f8fad5b-d9cb-469f-a165-70867728950e"
	cases := []struct {
		name     string
		setup    func(e *env) string
		call     func(c *contaazul.Client, id string) error
		sentinel error
		status   int
		check    func(t *testing.T, apiErr *contaazul.APIError)
	}{
		{
			name:  "400 from the fake's validation names the field",
			setup: func(e *env) string { return e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true}) },
			call: func(c *contaazul.Client, id string) error {
				_, err := c.Create(context.Background(), contaazul.NewPerson{Name: "Ana", Document: "12345678909", BirthDate: "15/01/1990"})
				return err
			},
			sentinel: contaazul.ErrInvalid,
			status:   http.StatusBadRequest,
			check: func(t *testing.T, apiErr *contaazul.APIError) {
				assert.Equal(t, "VALIDATION_ERROR", apiErr.Code)
				assert.Contains(t, apiErr.Fields, "data_nascimento")
			},
		},
		{
			name: "400 with an OAuth-style body",
			setup: func(e *env) string {
				e.fake.FailNext(contaazulfake.EndpointList, 1, http.StatusBadRequest, `{"error":"bad_filter","error_description":"filtro inválido"}`)
				return ""
			},
			call: func(c *contaazul.Client, _ string) error {
				for _, err := range c.List(context.Background(), contaazul.ListOptions{}) {
					return err
				}
				return nil
			},
			sentinel: contaazul.ErrInvalid,
			status:   http.StatusBadRequest,
			check: func(t *testing.T, apiErr *contaazul.APIError) {
				assert.Equal(t, "bad_filter", apiErr.Code)
				assert.Equal(t, "filtro inválido", apiErr.Message)
			},
		},
		{
			name:     "404 for an unknown id",
			setup:    func(*env) string { return unknownID },
			call:     func(c *contaazul.Client, id string) error { _, err := c.Get(context.Background(), id); return err },
			sentinel: contaazul.ErrNotFound,
			status:   http.StatusNotFound,
		},
		{
			name:  "404 on patch",
			setup: func(*env) string { return unknownID },
			call: func(c *contaazul.Client, id string) error {
				return c.Patch(context.Background(), id, contaazul.PersonPatch{Note: contaazul.Ptr("x")})
			},
			sentinel: contaazul.ErrNotFound,
			status:   http.StatusNotFound,
		},
		{
			name: "500 after the retries",
			setup: func(e *env) string {
				e.fake.FailNext(contaazulfake.EndpointGet, 10, http.StatusInternalServerError, `{"code":"INTERNAL","message":"erro interno"}`)
				return unknownID
			},
			call:     func(c *contaazul.Client, id string) error { _, err := c.Get(context.Background(), id); return err },
			sentinel: contaazul.ErrServer,
			status:   http.StatusInternalServerError,
			check: func(t *testing.T, apiErr *contaazul.APIError) {
				assert.Equal(t, "erro interno", apiErr.Message)
			},
		},
		{
			name: "401 twice",
			setup: func(e *env) string {
				e.fake.FailNext(contaazulfake.EndpointGet, 2, http.StatusUnauthorized, "")
				return unknownID
			},
			call:     func(c *contaazul.Client, id string) error { _, err := c.Get(context.Background(), id); return err },
			sentinel: contaazul.ErrUnauthorized,
			status:   http.StatusUnauthorized,
		},
		{
			name: "429 after the retries",
			setup: func(e *env) string {
				e.fake.FailNext(contaazulfake.EndpointGet, 10, http.StatusTooManyRequests, "")
				return unknownID
			},
			call:     func(c *contaazul.Client, id string) error { _, err := c.Get(context.Background(), id); return err },
			sentinel: contaazul.ErrRateLimited,
			status:   http.StatusTooManyRequests,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			id := tc.setup(e)
			err := tc.call(e.client(t), id)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var apiErr *contaazul.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.Status)
			assert.Equal(t, contaazul.Vendor, apiErr.Vendor)
			if tc.check != nil {
				tc.check(t, apiErr)
			}
		})
	}
}

func TestRateLimitedReadIsRetriedAfterTheWait(t *testing.T) {
	e := newEnv(t, contaazulfake.WithLimits(2, 0))
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	c := e.client(t)
	for range 3 {
		_, err := c.Get(context.Background(), id)
		require.NoError(t, err)
	}
	assert.Equal(t, 4, e.fake.Calls(contaazulfake.EndpointGet), "the third call met one 429")
	assert.Equal(t, []time.Duration{time.Second}, e.recordedWaits())
}

func TestPersistent429IsARateLimitError(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(contaazulfake.EndpointList, 10, http.StatusTooManyRequests, "")
	c := e.client(t, contaazul.WithMaxRetries(2))
	var err error
	for _, err = range c.List(context.Background(), contaazul.ListOptions{}) {
	}
	var rl *contaazul.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, time.Second, rl.RetryAfter)
	assert.Equal(t, 3, e.fake.Calls(contaazulfake.EndpointList))
}

func TestClientSideThrottleSpacesRequests(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	c := e.client(t, contaazul.WithRateLimit(contaazul.Limit{Requests: 20, Per: time.Second, Burst: 1}))
	ctx := context.Background()
	require.NoError(t, c.Authenticate(ctx))
	start := time.Now()
	for range 11 {
		_, err := c.Get(ctx, id)
		require.NoError(t, err)
	}
	// 11 requests at 20/s need at least 10 gaps of 50 ms.
	assert.GreaterOrEqual(t, time.Since(start), 450*time.Millisecond)
}

func TestContextCancellationStopsTheCall(t *testing.T) {
	e := newEnv(t)
	e.fake.SetDelay(2 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.client(t).Get(ctx, "0f8fad5b-d9cb-469f-a165-70867728950e")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
