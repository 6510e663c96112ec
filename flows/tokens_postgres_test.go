package flows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/internal/oauthtoken"
	"github.com/auvosync/auvosync/internal/testkit/pgtest"
	"github.com/auvosync/auvosync/ledger"
)

// singleUseTokenEndpoint rotates refresh tokens that work once, as Conta
// Azul's and Bling's do, and counts the grants it refused.
type singleUseTokenEndpoint struct {
	mu      sync.Mutex
	current string
	issued  int
	refused int
}

func (e *singleUseTokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.FormValue("refresh_token") != e.current {
		e.refused++
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"refresh token already used"}`))
		return
	}
	e.issued++
	e.current = fmt.Sprint("refresh-", e.issued)
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": fmt.Sprint("access-", e.issued),
		"refresh_token": e.current, "token_type": "Bearer", "expires_in": 3600})
}

// Three replicas on one PostgreSQL state need a token at the same moment:
// one refreshes, the others wait for it and use the saved pair, and no
// single-use refresh token is presented twice (CONTRACTS.md §4).
func TestLedgerTokens_ReplicasRefreshingAtOnceSpendTheRefreshTokenOnce_Postgres(t *testing.T) {
	t.Parallel()
	url := pgtest.SchemaURL(t)
	endpoint := &singleUseTokenEndpoint{current: "refresh-0"}
	srv := httptest.NewServer(endpoint)
	t.Cleanup(srv.Close)

	const replicas = 3
	sources := make([]*oauthtoken.Source, replicas)
	for i := range sources {
		st, err := ledger.OpenPostgres(t.Context(), url)
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		sources[i], err = oauthtoken.New(oauthtoken.Config{
			Vendor: "bling", TokenURL: srv.URL, ClientID: "id", ClientSecret: "secret",
			InitialRefreshToken: "refresh-0", Store: flows.LedgerTokens{Store: st, Conn: "acme", Vendor: "bling"},
		})
		require.NoError(t, err)
	}
	tokens := make([]string, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			tok, err := src.Token(context.Background())
			if err == nil {
				tokens[i] = tok.AccessToken
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Zero(t, endpoint.refused, "no refresh token was presented twice")
	assert.Equal(t, 1, endpoint.issued, "one replica refreshed; the others used the pair it saved")
	assert.Equal(t, []string{"access-1", "access-1", "access-1"}, tokens)
}
