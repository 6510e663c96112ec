package bling_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
)

func TestEachBlingErrorTypeMapsToATypedError(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		sentinel error
		code     string
		attempts int // GET is retried on 5xx and 429
	}{
		{"validation", 400, `{"error":{"type":"VALIDATION_ERROR","message":"Dados inválidos","description":"Verifique os campos","fields":[{"code":3,"msg":"Nome obrigatório","element":"nome","namespace":"CONTATOS"}]}}`, bling.ErrInvalid, "VALIDATION_ERROR", 1},
		{"missing field", 400, `{"error":{"type":"MISSING_REQUIRED_FIELD_ERROR","message":"Campo obrigatório","description":""}}`, bling.ErrInvalid, "MISSING_REQUIRED_FIELD_ERROR", 1},
		{"unauthorized twice", 401, `{"error":{"type":"UNAUTHORIZED","message":"invalid_token","description":"Token inválido"}}`, bling.ErrUnauthorized, "UNAUTHORIZED", 2},
		{"forbidden scope", 403, `{"error":{"type":"FORBIDDEN","message":"Escopo não autorizado","description":""}}`, bling.ErrForbidden, "FORBIDDEN", 1},
		{"not found", 404, `{"error":{"type":"RESOURCE_NOT_FOUND","message":"Contato não encontrado","description":""}}`, bling.ErrNotFound, "RESOURCE_NOT_FOUND", 1},
		{"server error", 500, `{"error":{"type":"SERVER_ERROR","message":"Erro interno","description":""}}`, bling.ErrServer, "SERVER_ERROR", 5},
		{"rate limited", 429, `{"error":{"type":"TOO_MANY_REQUESTS","message":"Limite atingido","description":""}}`, bling.ErrRateLimited, "TOO_MANY_REQUESTS", 5},
		{"html gateway error", 502, `<html>Bad Gateway</html>`, bling.ErrServer, "", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.fake.Seed(blingfake.Contact{Nome: "A"})
			c := e.client(t)
			e.fake.FailNext("GET /contatos/{id}", 10, tc.status, tc.body)
			_, err := c.Get(context.Background(), id)
			require.ErrorIs(t, err, tc.sentinel)
			var apiErr *bling.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.Status)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Equal(t, tc.attempts, e.fake.Calls("GET /contatos/{id}"))
			assert.NotContains(t, err.Error(), "<html>", "raw bodies stay out of errors")
		})
	}
}

func TestValidationErrorListsFieldMessages(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	e.fake.FailNext("POST /contatos", 1, 400, `{"error":{"type":"VALIDATION_ERROR","message":"Não foi possível salvar o contato","description":"Problemas de validação","fields":[
		{"code":1,"msg":"O nome deve ser informado","element":"nome","namespace":"CONTATOS"},
		{"code":2,"msg":"Tipos inválidos","element":"tiposContato","namespace":"CONTATOS","collection":[{"index":0,"code":12,"msg":"Id do tipo inválido","element":"id","namespace":"CONTATOS"}]},
		{"code":3,"msg":"Erro geral","namespace":"CONTATOS"}]}}`)
	_, err := c.Create(context.Background(), bling.Contact{Name: "X", Type: bling.TypePerson})
	var apiErr *bling.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, map[string][]string{
		"nome":               {"O nome deve ser informado"},
		"tiposContato":       {"Tipos inválidos"},
		"tiposContato[0].id": {"Id do tipo inválido"},
		"contatos":           {"Erro geral"},
	}, apiErr.Fields)
	assert.Equal(t, "Não foi possível salvar o contato (Problemas de validação)", apiErr.Message)
	assert.Contains(t, err.Error(), "nome: O nome deve ser informado")
	assert.Equal(t, 1, e.fake.Calls("POST /contatos"))
}

func TestFakeValidationReachesTheCallerAsFields(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	_, err := c.Create(context.Background(), bling.Contact{Name: "X", Type: bling.TypeCompany, Document: "123"})
	var apiErr *bling.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "VALIDATION_ERROR", apiErr.Code)
	assert.Contains(t, apiErr.Fields, "numeroDocumento")
}

func TestRateLimitIsRetriedAfterAWaitEvenForACreate(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	e.fake.FailNext("POST /contatos", 2, 429, "")
	created, err := c.Create(context.Background(), bling.Contact{Name: "X", Type: bling.TypePerson})
	require.NoError(t, err)
	assert.Positive(t, created.ID)
	assert.Equal(t, 3, e.fake.Calls("POST /contatos"), "a 429 was refused before acting, so the create is resent")
	assert.Len(t, e.fake.Contacts(), 1)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, e.waits.All())
}

func TestRateLimitHonoursRetryAfterAndGivesUpOnLongWaits(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t)
	var calls int
	// Retry-After beyond the 30 s cap: hand back a RateLimitError at once.
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/Api/v3/contatos/1" {
			calls++
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"type":"TOO_MANY_REQUESTS","message":"Limite","description":""}}`))
			return
		}
		e.fake.ServeHTTP(w, r)
	})
	_, err := c.Get(context.Background(), 1)
	var rl *bling.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 2*time.Minute, rl.RetryAfter)
	assert.Equal(t, 1, calls)
	_, err = c.Get(context.Background(), id)
	require.NoError(t, err)
}

func TestServerErrorOnACreateIsNotResent(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	e.fake.FailNext("POST /contatos", 1, 500, "")
	_, err := c.Create(context.Background(), bling.Contact{Name: "X", Type: bling.TypePerson})
	require.ErrorIs(t, err, bling.ErrServer)
	assert.Equal(t, 1, e.fake.Calls("POST /contatos"))

	// An update is idempotent: retried.
	id := e.fake.Seed(blingfake.Contact{Nome: "Y"})
	got, err := c.Get(context.Background(), id)
	require.NoError(t, err)
	e.fake.FailNext("PUT /contatos/{id}", 1, 503, "")
	require.NoError(t, c.Update(context.Background(), got))
	assert.Equal(t, 2, e.fake.Calls("PUT /contatos/{id}"))
	e.fake.FailNext("PATCH /contatos/{id}/situacoes", 1, 500, "")
	require.NoError(t, c.SetStatus(context.Background(), id, bling.StatusInactive))
	assert.Equal(t, 2, e.fake.Calls("PATCH /contatos/{id}/situacoes"))
}

func TestDroppedConnectionOnACreateIsUncertain(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	e.fake.FailNext("POST /contatos", 1, 0, "")
	_, err := c.Create(context.Background(), bling.Contact{Name: "X", Type: bling.TypePerson})
	var ne *bling.NetworkError
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Uncertain, "the create may have happened: read back before resending")
	assert.Equal(t, 1, e.fake.Calls("POST /contatos"))

	// A read is simply retried.
	id := e.fake.Seed(blingfake.Contact{Nome: "Y"})
	e.fake.FailNext("GET /contatos/{id}", 1, 0, "")
	_, err = c.Get(context.Background(), id)
	require.NoError(t, err)
}

func TestSlowAnswersRespectTheContext(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t)
	_, err := c.Get(context.Background(), id) // token first
	require.NoError(t, err)
	e.fake.SetDelay(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Get(ctx, id)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	e.fake.SetDelay(0)
}

func TestClientSideLimiterKeepsUnderTheFakesThreePerSecond(t *testing.T) {
	if testing.Short() {
		t.Skip("spends about a second of real time")
	}
	e := newEnv(t, blingfake.WithRateLimit(true))
	id := e.fake.Seed(blingfake.Contact{Nome: "A"})
	c := e.client(t, bling.WithRateLimit(bling.Limit{Requests: bling.DefaultRequestsPerSecond, Per: time.Second, Burst: 1}))
	began := time.Now()
	for range 4 {
		_, err := c.Get(context.Background(), id)
		require.NoError(t, err)
	}
	// Requests leave at 0, 1/3, 2/3 and 1 s. Network jitter may still put a
	// fourth one inside the fake's sliding second now and then; the retry
	// absorbs it, but it must stay exceptional.
	assert.GreaterOrEqual(t, time.Since(began), 990*time.Millisecond, "paced at 3 per second")
	assert.LessOrEqual(t, e.fake.RateLimited(), 1)

	// Without the client-side limiter the fake's limit bites and the client retries.
	fast := e.client(t, bling.WithCircuitBreaker(0, 0, 0))
	e.fake.ResetCalls()
	for range 6 {
		_, err := fast.Get(context.Background(), id)
		if err != nil {
			require.ErrorIs(t, err, bling.ErrRateLimited)
		}
	}
	assert.Positive(t, e.fake.RateLimited())
}

func TestTransportErrorsCarryNoQueryString(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	e.fake.FailNext("GET /contatos", 10, 500, "")
	_, err := collect(t, c.List(context.Background(), bling.ListOptions{Document: "52998224725"}))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "numeroDocumento")
	assert.False(t, errors.Is(err, bling.ErrNotFound))
}
