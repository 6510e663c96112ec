package auvo_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

// cannedAfterLogin answers login normally and everything else with handler.
func cannedAfterLogin(t *testing.T, handler http.HandlerFunc, opts ...auvo.Option) *auvo.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/login") {
			fmt.Fprint(w, `{"result":{"authenticated":true,"accessToken":"t"}}`)
			return
		}
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := auvo.New(append([]auvo.Option{auvo.WithBaseURL(srv.URL), auvo.WithCredentials(testKey, testToken),
		auvo.WithRateLimit(), auvo.WithMaxRetries(0)}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestHTMLErrorPageBecomesAShortMessage(t *testing.T) {
	c := cannedAfterLogin(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body>Bad Gateway</body></html>\n<p>"+strings.Repeat("x", 500)+"</p>")
	})
	_, err := c.Get(context.Background(), 1)
	var api *auvo.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "<html><body>Bad Gateway</body></html>", api.Message)
	assert.ErrorIs(t, err, auvo.ErrServer)
}

func TestAnswerWithoutResultEnvelopeIsAnError(t *testing.T) {
	c := cannedAfterLogin(t, func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"id":1,"description":"no envelope"}`)
	})
	_, err := c.Get(context.Background(), 1)
	require.ErrorContains(t, err, "no result")
}

func TestAnswerThatIsNotJSONIsAnError(t *testing.T) {
	c := cannedAfterLogin(t, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `<html>`) })
	_, err := c.Get(context.Background(), 1)
	require.ErrorContains(t, err, "decoding response")
}

type countingObserver struct {
	mu       sync.Mutex
	requests int
	waits    []bool
}

func (o *countingObserver) ObserveRequest(string, string, int, time.Duration) {
	o.mu.Lock()
	o.requests++
	o.mu.Unlock()
}

func (o *countingObserver) ObserveWait(_ string, _ time.Duration, rateLimited bool) {
	o.mu.Lock()
	o.waits = append(o.waits, rateLimited)
	o.mu.Unlock()
}

func TestObserverAndUserAgent(t *testing.T) {
	obs := &countingObserver{}
	e := newEnv(t, nil, auvo.WithObserver(obs), auvo.WithUserAgent("auvosync-test/1"))
	id := e.fake.Seed(auvofake.Customer{Name: "A"})
	e.fake.RateLimitBurst(1)
	_, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)
	obs.mu.Lock()
	defer obs.mu.Unlock()
	assert.Equal(t, 3, obs.requests, "a refused login, the login, the GET")
	assert.Equal(t, []bool{true}, obs.waits)

	var agent string
	c := cannedAfterLogin(t, func(w http.ResponseWriter, r *http.Request) {
		agent = r.UserAgent()
		fmt.Fprint(w, `{"result":{"id":1}}`)
	}, auvo.WithUserAgent("auvosync-test/1"))
	_, err = c.Get(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, "auvosync-test/1", agent)
}
