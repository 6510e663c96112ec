package auvo_test

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/internal/testkit"
)

// TestNoSecretInLogsOrErrors drives login, renewal, refusals, rate limits
// and validation errors, some of which echo the credentials back, and checks
// that neither the api key, the api token nor any access token appears in a
// log line or an error string.
func TestNoSecretInLogsOrErrors(t *testing.T) {
	var logs testkit.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, nil, auvo.WithLogger(logger))
	ctx := context.Background()
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	id := e.fake.Seed(auvofake.Customer{Name: "Ana", CpfCnpj: "52998224725"})
	_, err := e.client.Get(ctx, id)
	require.NoError(t, err)
	e.fake.ExpireTokens() // renewal on 401
	_, err = e.client.Get(ctx, id)
	require.NoError(t, err)
	e.fake.RateLimitBurst(1)
	_, err = e.client.Get(ctx, id)
	require.NoError(t, err)
	_, err = collect(t, e.client.List(ctx, auvo.ListOptions{Document: "52998224725"}))
	require.NoError(t, err)

	// Errors whose bodies echo secrets.
	e.fake.ExpireTokens()
	e.fake.FailNext(auvofake.EndpointLogin, 1, http.StatusBadRequest,
		`{"apiKey":["The value '`+testKey+`' is not valid."],"apiToken":["The value '`+testToken+`' is not valid."]}`)
	_, err = e.client.Get(ctx, id)
	keep(err)
	e.fake.FailNext(auvofake.EndpointGet, 1, http.StatusBadRequest, `{"message":"bad request for `+testKey+`","errorCode":7}`)
	_, err = e.client.Get(ctx, id)
	keep(err)
	e.fake.FailNext(auvofake.EndpointGet, 5, http.StatusForbidden, `{"error":"Rate limit temporarily exceeded for `+testToken+`"}`)
	_, err = e.client.Get(ctx, id)
	keep(err)
	e.fake.FailNext(auvofake.EndpointGet, 2, http.StatusUnauthorized, "")
	_, err = e.client.Get(ctx, id)
	keep(err)
	_, err = e.client.Get(ctx, 424242)
	keep(err)

	// Wrong credentials, on a second client logging to the same place.
	for _, creds := range [][2]string{{testKey, "wrong-" + testToken}, {"wrong-" + testKey, testToken}} {
		c, err := auvo.New(auvo.WithBaseURL(e.srv.URL), auvo.WithCredentials(creds[0], creds[1]),
			auvo.WithLogger(logger), auvo.WithRateLimit())
		require.NoError(t, err)
		_, err = c.Get(ctx, id)
		keep(err)
	}
	require.Len(t, errs, 7)

	accessToken := regexp.MustCompile(`fake\.[0-9a-f]{16,}`)
	texts := []string{logs.String()}
	for _, err := range errs {
		texts = append(texts, err.Error())
	}
	for _, text := range texts {
		assert.NotContains(t, text, testKey)
		assert.NotContains(t, text, testToken)
		assert.False(t, accessToken.MatchString(text), "access token in %q", text)
	}
	assert.Contains(t, errs[0].Error(), "[redacted]", "the echoed key was replaced, not dropped silently")
	assert.NotEmpty(t, logs.String(), "the test did capture log lines")
	for _, r := range e.fake.Requests() {
		assert.NotContains(t, r.URL, testKey)
		assert.NotContains(t, r.URL, testToken)
	}
}
