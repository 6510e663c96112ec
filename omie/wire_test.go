package omie_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

// seen records the protocol and Content-Type of every request before the
// fake answers it.
type seen struct {
	mu           sync.Mutex
	protos       []int
	contentTypes []string
}

func (s *seen) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.protos = append(s.protos, r.ProtoMajor)
		s.contentTypes = append(s.contentTypes, r.Header.Get("Content-Type"))
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (s *seen) snapshot() ([]int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.protos...), append([]string(nil), s.contentTypes...)
}

// Integrators report Omie answering HTTP/2 and a charset suffix on the
// Content-Type with a bare "Bad Request": the client pins HTTP/1.1 and
// sends exactly application/json, even over a TLS server offering h2.
func TestSpeaksHTTP1WithAPlainJSONContentType(t *testing.T) {
	clk := testkit.NewClock(start)
	fake := omiefake.New(omiefake.WithClock(clk.Now))
	code := fake.Seed(omiefake.Cliente{RazaoSocial: "Ana Ltda", CnpjCpf: "11.222.333/0001-81"})
	var s seen
	srv := httptest.NewUnstartedServer(s.wrap(fake))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)

	// The server does speak HTTP/2 to a client that offers it.
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 2, resp.ProtoMajor, "the test server must offer HTTP/2, or this test proves nothing")

	for name, opt := range map[string]omie.Option{
		"WithHTTPClient":                 omie.WithHTTPClient(srv.Client()),
		"WithHTTPClient, bare transport": omie.WithHTTPClient(&http.Client{Transport: srv.Client().Transport}),
	} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, srv, clk, opt)
			got, err := c.ConsultarCliente(t.Context(), omie.ClienteChave{CodigoClienteOmie: code})
			require.NoError(t, err)
			assert.Equal(t, "Ana Ltda", got.RazaoSocial)
		})
	}
	protos, contentTypes := s.snapshot()
	require.Greater(t, len(protos), 2)
	for i := 1; i < len(protos); i++ { // protos[0] is the probe
		assert.Equal(t, 1, protos[i], "request %d: the Omie client speaks HTTP/1.1", i)
		assert.Equal(t, "application/json", contentTypes[i], "request %d: no charset suffix", i)
	}

	resp, err = srv.Client().Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 2, resp.ProtoMajor, "the caller's client is not changed")
}

// The app key and secret travel in every request body: plain http only to
// loopback, unless a test network is declared with WithInsecureHTTP.
func TestNewRefusesPlainHTTPToARemoteHost(t *testing.T) {
	creds := omie.WithCredentials(omiefake.DefaultAppKey, omiefake.DefaultAppSecret)
	_, err := omie.New(creds, omie.WithBaseURL("http://app.omie.com.br/api/v1"))
	require.ErrorContains(t, err, `omie: base URL must use https`)
	assert.Contains(t, err.Error(), `"app.omie.com.br"`)
	assert.Contains(t, err.Error(), "WithInsecureHTTP()")
	assert.NotContains(t, err.Error(), omiefake.DefaultAppSecret)

	_, err = omie.New(creds, omie.WithBaseURL("http://app.omie.com.br/api/v1"), omie.WithInsecureHTTP())
	require.NoError(t, err, "allowed explicitly, for a test network")
	_, err = omie.New(creds, omie.WithBaseURL("http://127.0.0.1:8080/api/v1"))
	require.NoError(t, err, "loopback needs no option")
}
