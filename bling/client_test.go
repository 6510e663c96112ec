package bling_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
)

func TestNewRejectsBadConfiguration(t *testing.T) {
	creds := bling.WithCredentials("id", "secret")
	for name, tc := range map[string]struct {
		opts []bling.Option
		want string
	}{
		"no credentials":        {nil, "client id and secret"},
		"blank secret":          {[]bling.Option{bling.WithCredentials("id", " ")}, "client id and secret"},
		"relative base":         {[]bling.Option{creds, bling.WithBaseURL("/Api/v3")}, "not an absolute URL"},
		"plain http remote":     {[]bling.Option{creds, bling.WithBaseURL("http://api.bling.com.br/Api/v3")}, "must use https"},
		"query in base":         {[]bling.Option{creds, bling.WithBaseURL("https://x.test/?a=1")}, "query string"},
		"plain http token URL":  {[]bling.Option{creds, bling.WithTokenURL("http://bling.com.br/oauth/token")}, "must use https"},
		"rate without period":   {[]bling.Option{creds, bling.WithRateLimit(bling.Limit{Requests: 3, Burst: 1})}, "period"},
		"breaker without times": {[]bling.Option{creds, bling.WithCircuitBreaker(5, 0, 0)}, "cool-down"},
		"token calls too many":  {[]bling.Option{creds, bling.WithMaxTokenCalls(30)}, "token calls"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := bling.New(tc.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "secret\"")
		})
	}
	_, err := bling.New(creds)
	require.NoError(t, err, "defaults are valid")
	_, err = bling.New(creds, bling.WithBaseURL("http://127.0.0.1:8080/Api/v3"))
	require.NoError(t, err, "plain http is fine on loopback")
	_, err = bling.New(creds, bling.WithBaseURL("http://localhost:8080"))
	require.NoError(t, err)
}

// The client secret and tokens travel with the requests: plain http to a
// host that is not loopback needs WithInsecureHTTP (test networks).
func TestWithInsecureHTTPAllowsPlainHTTPToATestNetwork(t *testing.T) {
	creds := bling.WithCredentials("id", "secret")
	for name, opt := range map[string]bling.Option{
		"base URL":  bling.WithBaseURL("http://bling.test-network.internal/Api/v3"),
		"token URL": bling.WithTokenURL("http://auth.test-network.internal/oauth/token"),
	} {
		_, err := bling.New(creds, opt)
		require.ErrorContains(t, err, "must use https", name)
		assert.Contains(t, err.Error(), "test-network.internal", name)
		assert.Contains(t, err.Error(), "WithInsecureHTTP()", name)
		_, err = bling.New(creds, opt, bling.WithInsecureHTTP())
		require.NoError(t, err, name)
	}
}

func TestFakeWorksMountedAtTheRootToo(t *testing.T) {
	e := newEnv(t)
	e.base = e.srv.URL
	id := e.fake.Seed(blingfake.Contact{Nome: "Raiz"})
	got, err := e.client(t).Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "Raiz", got.Name)
}

func TestTokenIsRefreshedOnceAndReusedUntilItExpires(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t)
	ctx := context.Background()
	for range 3 {
		_, err := c.Get(ctx, id)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.fake.Calls("POST /oauth/token"))
	saved, err := e.store.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, e.fake.CurrentRefreshToken(), saved.RefreshToken, "the rotated refresh token is saved")
	assert.NotEqual(t, blingfake.DefaultRefreshToken, saved.RefreshToken)

	e.clock.Advance(6 * time.Hour)
	_, err = c.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls("POST /oauth/token"), "a 6-hour token is renewed after it expires")
}

func TestTokenRotationIsSharedByTwoClientsThroughTheStore(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	first, second := e.client(t), e.client(t)
	ctx := context.Background()

	_, err := first.Get(ctx, id)
	require.NoError(t, err)
	_, err = second.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 1, e.fake.Calls("POST /oauth/token"), "the second client uses the saved token")

	for round := range 3 {
		e.clock.Advance(7 * time.Hour)
		a, b := first, second
		if round%2 == 1 {
			a, b = second, first
		}
		_, err = a.Get(ctx, id)
		require.NoError(t, err)
		_, err = b.Get(ctx, id)
		require.NoError(t, err, "round %d: the other client must pick up the rotated token, not reuse the dead one", round)
	}
	assert.Equal(t, 4, e.fake.Calls("POST /oauth/token"))

	// Without a shared store the second client would replay a dead refresh token.
	lonely := e.client(t, bling.WithTokenStore(&bling.MemoryTokenStore{}))
	_, err = lonely.Get(ctx, id)
	assert.ErrorIs(t, err, bling.ErrReauthorize)
}

func TestConcurrentCallsShareOneRefresh(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := c.Get(context.Background(), id)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, e.fake.Calls("POST /oauth/token"))
}

func TestInvalidGrantBecomesAReauthorizeErrorWithoutCallingTheAPI(t *testing.T) {
	e := newEnv(t)
	e.fake.RevokeRefreshTokens()
	c := e.client(t)
	_, err := c.Get(context.Background(), 1)
	require.ErrorIs(t, err, bling.ErrReauthorize)
	var re *bling.ReauthorizeError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), "authorise the app again")
	assert.Zero(t, e.fake.Calls("GET"))
	assert.Equal(t, 1, e.fake.Calls("POST /oauth/token"), "a refused refresh is not retried")
}

func TestA401RefreshesTheTokenAndRetriesOnce(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t)
	ctx := context.Background()
	_, err := c.Get(ctx, id)
	require.NoError(t, err)

	e.fake.ExpireTokens() // Bling stops accepting the token before its 6 hours
	e.fake.ResetCalls()
	_, err = c.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls("GET /contatos/{id}"))
	assert.Equal(t, 1, e.fake.Calls("POST /oauth/token"))

	// A create answered 401 was not carried out, so it is sent again.
	e.fake.ExpireTokens()
	e.fake.ResetCalls()
	created, err := c.Create(ctx, bling.Contact{Name: "B", Type: bling.TypePerson})
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls("POST /contatos"))
	assert.Len(t, e.fake.Contacts(), 2)
	assert.Positive(t, created.ID)

	// Two 401s in a row: ErrUnauthorized, not a loop.
	e.fake.ResetCalls()
	e.fake.FailNext("GET /contatos/{id}", 2, 401, "")
	_, err = c.Get(ctx, id)
	require.ErrorIs(t, err, bling.ErrUnauthorized)
	assert.Equal(t, 2, e.fake.Calls("GET /contatos/{id}"))
	assert.Equal(t, 1, e.fake.Calls("POST /oauth/token"))
}

func TestTokenEndpointCallsStayFarBelowBlingsBlock(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	// Every API call answers 401, so each one asks for a new token.
	e.fake.FailNext("GET /contatos/{id}", 100, 401, "")
	var err error
	for range 20 {
		if _, err = c.Get(ctx, id); errors.Is(err, context.DeadlineExceeded) {
			break
		}
	}
	assert.LessOrEqual(t, e.fake.Calls("POST /oauth/token"), 4, "at most 4 token calls a minute (Bling blocks at 20 in 60 s)")
	assert.False(t, e.fake.Blocked())
}

func TestDailyBudgetCountsRequestsAndRenewsAtSaoPauloMidnight(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t, bling.WithDailyBudget(3))
	ctx := context.Background()
	used, limit := c.Budget()
	assert.Equal(t, 0, used)
	assert.Equal(t, 3, limit)

	e.fake.FailNext("GET /contatos/{id}", 1, 429, "")
	_, err := c.Get(ctx, id) // 429 then success: two requests
	require.NoError(t, err)
	_, err = c.Get(ctx, id)
	require.NoError(t, err)
	used, _ = c.Budget()
	assert.Equal(t, 3, used, "retries count: Bling counts them")

	e.fake.ResetCalls()
	_, err = c.Get(ctx, id)
	require.ErrorIs(t, err, bling.ErrDailyBudgetExhausted)
	var be *bling.BudgetError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, time.Date(2025, 3, 11, 0, 0, 0, 0, saoPaulo), be.ResetAt.In(saoPaulo))
	assert.Zero(t, e.fake.Calls("GET"), "nothing is sent once the budget is spent")

	// 02:59 UTC on the 11th is still the 10th in São Paulo (UTC-3).
	e.clock.Set(time.Date(2025, 3, 11, 2, 59, 0, 0, time.UTC))
	_, err = c.Get(ctx, id)
	require.ErrorIs(t, err, bling.ErrDailyBudgetExhausted)
	e.clock.Set(time.Date(2025, 3, 11, 3, 0, 0, 0, time.UTC))
	_, err = c.Get(ctx, id)
	require.NoError(t, err)
	used, _ = c.Budget()
	assert.Equal(t, 1, used, "a new day starts from zero (token calls are not API requests)")
}

func TestCircuitOpensAfterConsecutiveErrorsAndClosesAfterCoolDown(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t, bling.WithCircuitBreaker(3, 10*time.Second, time.Minute))
	ctx := context.Background()
	for range 3 {
		_, err := c.Get(ctx, id+100)
		require.ErrorIs(t, err, bling.ErrNotFound)
	}
	e.fake.ResetCalls()
	_, err := c.Get(ctx, id)
	require.ErrorIs(t, err, bling.ErrCircuitOpen)
	var ce *bling.CircuitOpenError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, start.Add(time.Minute), ce.Until)
	assert.Zero(t, e.fake.Calls("GET"))

	e.clock.Advance(time.Minute)
	_, err = c.Get(ctx, id+100) // half-open: one more error re-opens at once
	require.ErrorIs(t, err, bling.ErrNotFound)
	_, err = c.Get(ctx, id)
	require.ErrorIs(t, err, bling.ErrCircuitOpen)

	e.clock.Advance(time.Minute)
	_, err = c.Get(ctx, id)
	require.NoError(t, err)
	for range 2 {
		_, err = c.Get(ctx, id+100)
		require.ErrorIs(t, err, bling.ErrNotFound)
	}
	_, err = c.Get(ctx, id)
	require.NoError(t, err, "a success resets the streak")
}

func TestErrorsSpreadOutInTimeDoNotOpenTheCircuit(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, bling.WithCircuitBreaker(3, 10*time.Second, time.Minute))
	for range 6 {
		_, err := c.Get(context.Background(), 42)
		require.ErrorIs(t, err, bling.ErrNotFound)
		e.clock.Advance(6 * time.Second)
	}
}

func TestNoSecretTokenOrDocumentInLogsOrErrors(t *testing.T) {
	const secret = "s3cr3t-client-secret-value"
	const clientID = "client-id-123"
	const initialRefresh = "initial-refresh-token-abc"
	e := newEnv(t, blingfake.WithCredentials(clientID, secret), blingfake.WithRefreshToken(initialRefresh))
	const cpf = "52998224725"
	id := e.fake.Seed(blingfake.Contact{Nome: "Maria", NumeroDocumento: cpf, Email: "maria@example.com"})
	c := e.client(t, bling.WithCredentials(clientID, secret), bling.WithRefreshToken(initialRefresh))
	ctx := context.Background()

	var errs []error
	record := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	_, err := collect(t, c.List(ctx, bling.ListOptions{Document: cpf}))
	record(err)
	e.fake.ExpireTokens()
	_, err = c.Get(ctx, id)
	record(err)
	// Bling echoes the document and e-mail in validation messages.
	_, err = c.Create(ctx, bling.Contact{Name: "X", Type: bling.TypePerson, Document: "529.982.247-2"})
	record(err)
	e.fake.FailNext("GET /contatos/{id}", 1, 400, `{"error":{"type":"VALIDATION_ERROR","message":"E-mail maria@example.com inválido","description":"CPF 529.982.247-25 já existe","fields":[{"code":1,"msg":"O CPF 52998224725 já está cadastrado","element":"numeroDocumento"}]}}`)
	_, err = c.Get(ctx, id)
	record(err)
	e.fake.FailNext("GET /contatos", 5, 500, "")
	_, err = collect(t, c.List(ctx, bling.ListOptions{Document: cpf}))
	record(err)
	e.fake.RevokeRefreshTokens()
	e.fake.ExpireTokens()
	_, err = c.Get(ctx, id)
	record(err)
	require.Len(t, errs, 4)

	saved, _ := e.store.Load(ctx)
	secrets := append([]string{secret, initialRefresh, saved.RefreshToken, e.fake.CurrentRefreshToken(), cpf, "529.982.247", "maria@example.com"},
		e.fake.IssuedAccessTokens()...)
	logs := e.logs.String()
	require.NotEmpty(t, logs)
	for _, s := range secrets {
		assert.NotContains(t, logs, s)
		for _, err := range errs {
			assert.NotContains(t, err.Error(), s)
		}
	}
	assert.Contains(t, strings.Join([]string{errs[1].Error(), errs[2].Error()}, " "), "***")
}

type countingObserver struct {
	mu       sync.Mutex
	requests map[int]int
	waits    int
}

func (o *countingObserver) ObserveRequest(vendor, method string, status int, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if vendor == "bling" {
		o.requests[status]++
	}
}

func (o *countingObserver) ObserveWait(string, time.Duration, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waits++
}

func TestObserverSeesEveryAttempt(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	obs := &countingObserver{requests: map[int]int{}}
	c := e.client(t, bling.WithObserver(obs))
	e.fake.FailNext("GET /contatos/{id}", 1, 429, "")
	_, err := c.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, map[int]int{429: 1, 200: 1}, obs.requests)
	assert.Equal(t, 1, obs.waits)
}
