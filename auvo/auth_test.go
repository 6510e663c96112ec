package auvo_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

func TestLoginPostsCredentialsInBodyNeverInURL(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana", Active: true})

	_, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)

	assert.Equal(t, 1, e.fake.Calls(auvofake.EndpointLogin))
	assert.Zero(t, e.fake.Calls(auvofake.EndpointLoginGet), "the GET login form puts secrets in URLs")
	for _, r := range e.fake.Requests() {
		assert.NotContains(t, r.URL, testKey)
		assert.NotContains(t, r.URL, testToken)
	}
}

func TestAccessTokenIsCachedBetweenCalls(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	for range 5 {
		_, err := e.client.Get(context.Background(), id)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.fake.Calls(auvofake.EndpointLogin))
	assert.Equal(t, 5, e.fake.Calls(auvofake.EndpointGet))
}

func TestAccessTokenIsRenewedShortlyBeforeItsThirtyMinutesRunOut(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	ctx := context.Background()

	_, err := e.client.Get(ctx, id)
	require.NoError(t, err)
	e.clock.Advance(27*time.Minute + 59*time.Second)
	_, err = e.client.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 1, e.fake.Calls(auvofake.EndpointLogin), "still two minutes left: no renewal")

	e.clock.Advance(time.Second) // 28 min: inside the renewal margin
	_, err = e.client.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointLogin))
	assert.Equal(t, 3, e.fake.Calls(auvofake.EndpointGet), "no request was refused for an expired token")
}

func TestTokenRefusedWith401IsRenewedOnceAndTheCallResent(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	ctx := context.Background()
	_, err := e.client.Get(ctx, id)
	require.NoError(t, err)

	e.fake.ExpireTokens()
	got, err := e.client.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Ana", got.Name)
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointLogin))
	assert.Equal(t, 3, e.fake.Calls(auvofake.EndpointGet))
}

func TestPersistent401AfterRenewalIsAnUnauthorizedError(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	e.fake.FailNext(auvofake.EndpointGet, 2, http.StatusUnauthorized, `{"message":"Authorization has been denied for this request."}`)

	_, err := e.client.Get(context.Background(), id)
	require.Error(t, err)
	assert.ErrorIs(t, err, auvo.ErrUnauthorized)
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointLogin), "renewed exactly once")
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointGet))
}

func TestConcurrentCallersShareOneLogin(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	e.fake.SetDelay(30 * time.Millisecond) // keep the login in flight while the others arrive

	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 16 {
		wg.Go(func() {
			if _, err := e.client.Get(context.Background(), id); err != nil {
				failures.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Zero(t, failures.Load())
	assert.Equal(t, 1, e.fake.Calls(auvofake.EndpointLogin))
}

func TestConcurrent401sCauseOneRenewal(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	_, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)
	e.fake.ExpireTokens()
	e.fake.SetDelay(20 * time.Millisecond)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := e.client.Get(context.Background(), id)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	// Every caller saw the same refused token; the first to report it
	// renews, the others find the new one already in place.
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointLogin))
}

func TestWaitingForSharedLoginHonoursTheCallersContext(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	e.fake.SetDelay(200 * time.Millisecond)

	go func() { _, _ = e.client.Get(context.Background(), id) }() // the login leader
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := e.client.Get(ctx, id)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestLoginRefusals(t *testing.T) {
	tests := []struct {
		name       string
		key, token string
		fault      func(*auvofake.Server)
		status     int
	}{
		{name: "unknown api key answers 404", key: "other-key", token: testToken, status: http.StatusNotFound},
		{name: "wrong api token answers authenticated false", key: testKey, token: "wrong-token", status: http.StatusOK},
		{name: "malformed credentials answer 400", key: testKey, token: testToken, status: http.StatusBadRequest,
			fault: func(f *auvofake.Server) {
				f.FailNext(auvofake.EndpointLogin, 1, http.StatusBadRequest, `{"apiKey":["The value '`+testKey+`' is not valid."]}`)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			if tt.fault != nil {
				tt.fault(e.fake)
			}
			client, err := auvo.New(auvo.WithBaseURL(e.srv.URL), auvo.WithCredentials(tt.key, tt.token),
				auvo.WithRateLimit(), auvo.WithRetryWait(e.clock.Sleep))
			require.NoError(t, err)

			_, err = client.Get(context.Background(), 1)
			require.Error(t, err)
			assert.ErrorIs(t, err, auvo.ErrUnauthorized)
			var api *auvo.APIError
			require.ErrorAs(t, err, &api)
			assert.Equal(t, tt.status, api.Status)
			assert.NotContains(t, err.Error(), testKey)
			assert.NotContains(t, err.Error(), tt.token)
			assert.Zero(t, e.fake.Calls(auvofake.EndpointGet), "no call leaves without a token")
		})
	}
}

// TestLoginLifetimeComesFromTheAnswersDates uses a canned server: Auvo's
// docs show "yyyy-MM-dd HH:mm:ss" dates, an integrator summary shows ISO
// with Z. Only their difference matters, so the server's clock and zone do
// not.
func TestLoginLifetimeComesFromTheAnswersDates(t *testing.T) {
	for _, dates := range [][2]string{
		{"2019-05-08 16:15:59", "2019-05-08 16:25:59"},
		{"2019-05-08T19:15:59Z", "2019-05-08T19:25:59Z"},
	} {
		t.Run(dates[0], func(t *testing.T) {
			var logins atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if strings.HasPrefix(r.URL.Path, "/login") {
					n := logins.Add(1)
					fmt.Fprintf(w, `{"result":{"authenticated":true,"created":%q,"expiration":%q,"accessToken":"t%d","message":"OK"}}`, dates[0], dates[1], n)
					return
				}
				fmt.Fprint(w, `{"result":{"id":1,"description":"Ana"}}`)
			}))
			defer srv.Close()
			clock := newFakeClock()
			client, err := auvo.New(auvo.WithBaseURL(srv.URL), auvo.WithCredentials(testKey, testToken),
				auvo.WithClock(clock.Now), auvo.WithRateLimit())
			require.NoError(t, err)
			ctx := context.Background()

			_, err = client.Get(ctx, 1)
			require.NoError(t, err)
			clock.Advance(7*time.Minute + 59*time.Second) // a 10-minute token renews 2 minutes early
			_, err = client.Get(ctx, 1)
			require.NoError(t, err)
			assert.Equal(t, int32(1), logins.Load())
			clock.Advance(time.Second)
			_, err = client.Get(ctx, 1)
			require.NoError(t, err)
			assert.Equal(t, int32(2), logins.Load())
		})
	}
}

func TestNewRejectsBadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		opts []auvo.Option
		want string
	}{
		{"no credentials", nil, "missing api key"},
		{"no api token", []auvo.Option{auvo.WithCredentials("k", "")}, "missing api token"},
		{"relative base URL", []auvo.Option{auvo.WithCredentials("k", "t"), auvo.WithBaseURL("api.auvo.com.br")}, "not an absolute URL"},
		{"negative retries", []auvo.Option{auvo.WithCredentials("k", "t"), auvo.WithMaxRetries(-1)}, "WithMaxRetries"},
		{"rate without period", []auvo.Option{auvo.WithCredentials("k", "t"), auvo.WithRateLimit(auvo.Limit{Requests: 10, Burst: 1})}, "WithRateLimit"},
		{"nil http client", []auvo.Option{auvo.WithCredentials("k", "t"), auvo.WithHTTPClient(nil)}, "nil client"},
		{"zero rate-limit wait", []auvo.Option{auvo.WithCredentials("k", "t"), auvo.WithRateLimitWait(0)}, "WithRateLimitWait"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := auvo.New(tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	c, err := auvo.New(auvo.WithCredentials("k", "t"))
	require.NoError(t, err)
	assert.Equal(t, auvo.DefaultBaseURL, c.BaseURL())
}

func TestCredentialsNeverPrint(t *testing.T) {
	creds := auvo.Credentials{APIKey: testKey, APIToken: testToken}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, creds)
		assert.NotContains(t, out, testKey, format)
		assert.NotContains(t, out, testToken, format)
	}
	var buf strings.Builder
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "auvo", creds)
	assert.NotContains(t, buf.String(), testKey)
	assert.NotContains(t, buf.String(), testToken)
}
