package transport

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Credentials travel with every request, so plain http is refused unless
// the host is loopback or the caller opted in for a test network.
func TestCheckBaseURL(t *testing.T) {
	cases := []struct {
		name, raw string
		insecure  bool
		want      string // "" accepts
		plainHTTP bool
	}{
		{"https anywhere", "https://api.auvo.com.br/v2", false, "", false},
		{"http to localhost", "http://localhost:8080/v2", false, "", false},
		{"http to LOCALHOST", "http://LOCALHOST/v2", false, "", false},
		{"http to 127.0.0.1", "http://127.0.0.1:9/api/v1", false, "", false},
		{"http to elsewhere in 127/8", "http://127.1.2.3/api/v1", false, "", false},
		{"http to ::1", "http://[::1]:80/v2", false, "", false},
		{"http to a public host", "http://app.omie.com.br/api/v1", false, `not "app.omie.com.br"`, true},
		{"http to a private address", "http://10.0.0.1/v2", false, `not "10.0.0.1"`, true},
		{"a name that only resolves to loopback", "http://127.0.0.1.nip.io/v2", false, `not "127.0.0.1.nip.io"`, true},
		{"::ffff:127.0.0.1 is loopback", "http://[::ffff:127.0.0.1]/v2", false, "", false},
		{"http to a test network, allowed", "http://fake.test.internal:8080/v2", true, "", false},
		{"allowing http does not allow ftp", "ftp://fake.test.internal/v2", true, `must be an https URL, not "ftp"`, false},
		{"relative", "/v2", false, "is not an absolute URL", false},
		{"no scheme", "api.auvo.com.br/v2", false, "is not an absolute URL", false},
		{"empty", "", false, "is not an absolute URL", false},
		{"opaque", "https:api.auvo.com.br", false, "is not an absolute URL", false},
		{"user info", "https://user:SECRET@api.auvo.com.br/v2", false, "must not carry credentials", false},
		{"query string", "https://api.auvo.com.br/v2?apiKey=SECRET", false, "must not carry a query string", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBaseURL(tc.raw, tc.insecure)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.want)
			assert.NotContains(t, err.Error(), "SECRET")
			assert.Equal(t, tc.plainHTTP, errors.Is(err, ErrPlainHTTP))
			if tc.plainHTTP {
				assert.Contains(t, err.Error(), "must use https", "the fix is named")
			}
		})
	}
}

func TestNewRefusesPlainHTTPToARemoteHostUnlessAllowed(t *testing.T) {
	_, err := New(Config{BaseURL: "http://api.example.com/v2", Policy: Policy{Vendor: "x"}})
	require.ErrorIs(t, err, ErrPlainHTTP)
	assert.Contains(t, err.Error(), `x: base URL must use https`)
	assert.Contains(t, err.Error(), "WithInsecureHTTP()", "the way to lift it on a test network is named")

	c, err := New(Config{BaseURL: "http://api.example.com/v2", Policy: Policy{Vendor: "x"}, AllowInsecureHTTP: true})
	require.NoError(t, err)
	assert.Equal(t, "http://api.example.com/v2", c.BaseURL())
}
