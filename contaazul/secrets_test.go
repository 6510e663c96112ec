package contaazul_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

// TestNoSecretInLogsOrErrors drives every path that touches credentials
// (refresh, rotation, 401 and retry, invalid_grant, invalid_client, server
// and network errors) and then looks for the client secret and every
// access and refresh token in the log output and the error texts.
func TestNoSecretInLogsOrErrors(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Document: "12345678909", Active: true})
	ctx := context.Background()
	c := e.client(t)
	var texts []string
	record := func(err error) {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
		}
	}

	_, err := c.Get(ctx, id)
	require.NoError(t, err)
	e.fake.RevokeAccessTokens()
	_, err = c.Get(ctx, id)
	require.NoError(t, err)
	e.fake.FailNext(contaazulfake.EndpointGet, 2, http.StatusUnauthorized, "")
	_, err = c.Get(ctx, id)
	record(err)
	e.fake.FailNext(contaazulfake.EndpointGet, 10, http.StatusInternalServerError, "")
	_, err = c.Get(ctx, id)
	record(err)
	e.fake.FailNext(contaazulfake.EndpointCreate, 1, 0, "")
	_, err = c.Create(ctx, contaazul.NewPerson{Name: "Bia", Document: "98765432100"})
	record(err)
	_, err = c.Create(ctx, contaazul.NewPerson{Name: "Bia", Document: "98765432100", BirthDate: "ontem"})
	record(err)

	wrong := e.client(t, contaazul.WithCredentials(testClientID, testClientSecret+"-wrong"),
		contaazul.WithTokenStore(&contaazul.MemoryTokenStore{}))
	record(wrong.Authenticate(ctx))

	e.fake.RevokeRefreshTokens()
	e.clock.Advance(2 * 60 * 60 * 1e9)
	_, err = c.Get(ctx, id)
	require.ErrorIs(t, err, contaazul.ErrReauthorize)
	record(err)
	texts = append(texts, fmt.Sprintf("%v %+v %s", c, c, c))
	require.GreaterOrEqual(t, len(texts), 13, strings.Join(texts, "\n"))

	secrets := append(e.store.secrets(), testClientSecret, testRefreshToken)
	logs := e.logs.String()
	require.NotEmpty(t, logs)
	require.Contains(t, logs, "/v1/pessoas", "the log does record the calls")
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		assert.NotContains(t, logs, secret, "log leaks a secret")
		for _, text := range texts {
			assert.NotContains(t, text, secret, "error leaks a secret: %s", text)
		}
	}
	assert.NotContains(t, logs, "12345678909", "no document in logs")
	assert.False(t, strings.Contains(logs, "Bearer"), "no Authorization header in logs")
}
