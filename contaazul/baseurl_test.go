package contaazul_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

// Credentials for a proxy or a fake must not go to the production auth
// host: without WithTokenURL the token endpoint follows the base URL.
func TestTokenURLFollowsTheBaseURL(t *testing.T) {
	e := newEnv(t)
	c, err := contaazul.New(
		contaazul.WithBaseURL(e.srv.URL),
		contaazul.WithCredentials(testClientID, testClientSecret),
		contaazul.WithRefreshToken(testRefreshToken),
		contaazul.WithHTTPClient(e.srv.Client()),
		contaazul.WithClock(e.clock.Now),
	)
	require.NoError(t, err)
	require.NoError(t, c.Authenticate(t.Context()))
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointToken), "the token came from {base}/oauth2/token")
}

func TestWithTokenURLWinsOverTheBaseURL(t *testing.T) {
	e := newEnv(t)
	var hits atomic.Int32
	auth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		e.fake.ServeHTTP(w, r)
	}))
	t.Cleanup(auth.Close)
	c := e.client(t, contaazul.WithTokenURL(auth.URL+"/oauth2/token"))
	require.NoError(t, c.Authenticate(t.Context()))
	assert.Equal(t, int32(1), hits.Load())
}

func TestTokenURLFor(t *testing.T) {
	for base, want := range map[string]string{
		contaazul.DefaultBaseURL:               contaazul.DefaultTokenURL,
		contaazul.DefaultBaseURL + "/":         contaazul.DefaultTokenURL,
		"http://127.0.0.1:8080":                "http://127.0.0.1:8080/oauth2/token",
		"https://proxy.example.com/contaazul/": "https://proxy.example.com/contaazul/oauth2/token",
	} {
		assert.Equal(t, want, contaazul.TokenURLFor(base), base)
	}
}

// The client secret and tokens travel with the requests: plain http only
// to loopback, unless a test network is declared with WithInsecureHTTP.
func TestNewRefusesPlainHTTPToARemoteHost(t *testing.T) {
	creds := contaazul.WithCredentials("id", "secret")
	for name, tc := range map[string]struct {
		opts []contaazul.Option
		want string
	}{
		"base URL":           {[]contaazul.Option{creds, contaazul.WithBaseURL("http://api.example.com"), contaazul.WithTokenURL("https://auth.example.com/oauth2/token")}, `base URL must use https`},
		"derived token URL":  {[]contaazul.Option{creds, contaazul.WithBaseURL("http://api.example.com")}, `must use https`},
		"explicit token URL": {[]contaazul.Option{creds, contaazul.WithTokenURL("http://auth.example.com/oauth2/token")}, `token URL must use https`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := contaazul.New(tc.opts...)
			require.ErrorContains(t, err, tc.want)
			assert.Contains(t, err.Error(), "example.com", "the host is named")
			assert.Contains(t, err.Error(), "WithInsecureHTTP()")
			assert.NotContains(t, err.Error(), "secret")

			_, err = contaazul.New(append(tc.opts, contaazul.WithInsecureHTTP())...)
			require.NoError(t, err, "allowed explicitly, for a test network")
		})
	}
}
