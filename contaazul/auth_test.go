package contaazul_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

func TestNewRequiresCredentials(t *testing.T) {
	for name, opts := range map[string][]contaazul.Option{
		"none":          nil,
		"no secret":     {contaazul.WithCredentials("id", "")},
		"blank id":      {contaazul.WithCredentials("  ", "secret")},
		"nil store":     {contaazul.WithCredentials("id", "s"), contaazul.WithTokenStore(nil)},
		"bad base URL":  {contaazul.WithCredentials("id", "s"), contaazul.WithBaseURL("not a url")},
		"bad token URL": {contaazul.WithCredentials("id", "s"), contaazul.WithTokenURL("/oauth2/token")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := contaazul.New(opts...)
			require.Error(t, err)
		})
	}
}

func TestRotatedRefreshTokenIsSavedAndReusedAcrossClients(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	first, second := e.client(t), e.client(t)
	ctx := context.Background()

	_, err := first.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointToken))
	saved, err := e.store.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, e.fake.CurrentRefreshToken(), saved.RefreshToken, "the rotated refresh token is stored")
	assert.NotEqual(t, testRefreshToken, saved.RefreshToken)

	// The second instance finds a valid access token in the store.
	_, err = second.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointToken))

	// After the hour, the second instance refreshes with the stored
	// (rotated) refresh token, not the dead initial one...
	e.clock.Advance(61 * time.Minute)
	_, err = second.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointToken))
	saved2, _ := e.store.Load(ctx)
	assert.Equal(t, e.fake.CurrentRefreshToken(), saved2.RefreshToken)
	assert.NotEqual(t, saved.RefreshToken, saved2.RefreshToken)

	// ...and the first picks up the second's token instead of refreshing
	// with the refresh token it holds, which is dead now.
	_, err = first.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointToken))

	// A client with its own empty store only has the initial token: refused.
	other := e.client(t, contaazul.WithTokenStore(&contaazul.MemoryTokenStore{}))
	_, err = other.Get(ctx, id)
	assert.ErrorIs(t, err, contaazul.ErrReauthorize)
}

func TestAccessTokenIsReusedWithinTheHourAndRenewedAfter(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	ctx := context.Background()
	require.NoError(t, c.Authenticate(ctx))
	e.clock.Advance(30 * time.Minute)
	require.NoError(t, c.Authenticate(ctx))
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointToken))
	e.clock.Advance(30 * time.Minute)
	require.NoError(t, c.Authenticate(ctx))
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointToken))
}

func TestConcurrentCallsShareOneRefresh(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	c := e.client(t)
	run := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Go(func() {
				_, err := c.Get(context.Background(), id)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	}
	run()
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointToken), "one refresh for 20 goroutines")
	e.clock.Advance(2 * time.Hour)
	run()
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointToken), "and one again after expiry")
	assert.Equal(t, 40, e.fake.Calls(contaazulfake.EndpointGet))
}

func TestRefusedRefreshTokenAsksForReauthorisationWithoutRetrying(t *testing.T) {
	e := newEnv(t)
	e.fake.RevokeRefreshTokens()
	c := e.client(t)
	for p, err := range c.List(context.Background(), contaazul.ListOptions{}) {
		require.Error(t, err)
		assert.Empty(t, p.ID)
		assert.ErrorIs(t, err, contaazul.ErrReauthorize)
		var re *contaazul.ReauthorizeError
		require.ErrorAs(t, err, &re)
		assert.Contains(t, err.Error(), "authorise the app again")
	}
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointToken), "invalid_grant is not retried")
	assert.Zero(t, e.fake.ReadCalls())

	// After the operator re-authorises and seeds the new token, it works.
	fresh := e.fake.Reauthorize()
	c2 := e.client(t, contaazul.WithRefreshToken(fresh))
	require.NoError(t, c2.Authenticate(context.Background()))
}

func TestNewAccessTokenIsNotUsedUntilTheRefreshTokenIsSaved(t *testing.T) {
	e := newEnv(t)
	e.store.failing = true
	c := e.client(t)
	_, err := c.Get(context.Background(), "9a0c3a55-8a4c-4d7c-9d57-3b8f1f3ad0b1")
	require.Error(t, err)
	assert.ErrorIs(t, err, errSaveFailed)
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointToken))
	assert.Zero(t, e.fake.ReadCalls(), "the API is not called with an unsaved rotation")
}

func TestA401RefreshesAndRetriesOnce(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	c := e.client(t)
	ctx := context.Background()
	_, err := c.Get(ctx, id)
	require.NoError(t, err)

	e.fake.RevokeAccessTokens()
	p, err := c.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Ana", p.Name)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointToken))
	assert.Equal(t, 3, e.fake.Calls(contaazulfake.EndpointGet))
}

func TestASecond401IsReturned(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	c := e.client(t)
	e.fake.FailNext(contaazulfake.EndpointGet, 2, http.StatusUnauthorized, "")
	_, err := c.Get(context.Background(), id)
	require.Error(t, err)
	assert.ErrorIs(t, err, contaazul.ErrUnauthorized)
	var apiErr *contaazul.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.Status)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointGet), "one retry, no loop")
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointToken))
}

func TestWrongClientSecretIsNotAReauthorisation(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, contaazul.WithCredentials(testClientID, "wrong-secret-Pq55"))
	err := c.Authenticate(context.Background())
	require.Error(t, err)
	assert.False(t, errors.Is(err, contaazul.ErrReauthorize))
	assert.Contains(t, err.Error(), "invalid_client")
}
