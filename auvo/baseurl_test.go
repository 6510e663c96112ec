package auvo_test

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

// The api key and token travel with the login: plain http only to
// loopback, unless a test network is declared with WithInsecureHTTP.
func TestNewRefusesPlainHTTPToARemoteHost(t *testing.T) {
	creds := auvo.WithCredentials(testKey, testToken)
	for _, base := range []string{"http://api.auvo.com.br/v2", "http://10.1.2.3:8080/v2", "http://127.0.0.1.nip.io/v2"} {
		_, err := auvo.New(creds, auvo.WithBaseURL(base))
		require.Error(t, err, base)
		assert.Contains(t, err.Error(), "auvo: base URL must use https", base)
		assert.Contains(t, err.Error(), "WithInsecureHTTP()", base)
		assert.NotContains(t, err.Error(), testKey)
	}
	for _, base := range []string{"http://127.0.0.1:8080/v2", "http://localhost/v2", "http://[::1]:80/v2", auvo.DefaultBaseURL} {
		_, err := auvo.New(creds, auvo.WithBaseURL(base))
		require.NoError(t, err, base)
	}
}

// On a test network the option lets a client talk plain http to a host
// that is not loopback (here a name the dialer maps to the fake).
func TestWithInsecureHTTPTalksPlainHTTPToATestNetworkHost(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana", Active: true})
	dialFake := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, e.srv.Listener.Addr().String())
	}}
	c, err := auvo.New(auvo.WithBaseURL("http://auvo.test-network.internal/v2"), auvo.WithInsecureHTTP(),
		auvo.WithCredentials(testKey, testToken), auvo.WithClock(e.clock.Now), auvo.WithRateLimit(),
		auvo.WithHTTPClient(&http.Client{Transport: dialFake}))
	require.NoError(t, err)
	got, err := c.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, "Ana", got.Name)
}
