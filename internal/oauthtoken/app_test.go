package oauthtoken

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/internal/transport"
)

// The token source talks through the client's own HTTP client and clock,
// and refuses plain http unless the client was told it may.
func TestAppConfigCarriesTheAppAndTheClientsTransportSettings(t *testing.T) {
	store := &MemoryStore{}
	at := time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC)
	s := transport.Settings{HTTPClient: &http.Client{}, Clock: func() time.Time { return at }, InsecureHTTP: true}
	app := App{TokenURL: "https://auth.example/token", ClientID: "id", ClientSecret: "secret", RefreshToken: "r1", Store: store}

	cfg := app.Config("bling", &s)
	assert.Equal(t, "bling", cfg.Vendor)
	assert.Equal(t, "https://auth.example/token", cfg.TokenURL)
	assert.Equal(t, "id", cfg.ClientID)
	assert.Equal(t, "secret", cfg.ClientSecret)
	assert.Equal(t, "r1", cfg.InitialRefreshToken)
	assert.Same(t, store, cfg.Store)
	assert.Same(t, s.HTTPClient, cfg.HTTPClient)
	assert.Equal(t, at, cfg.Clock())
	assert.True(t, cfg.AllowInsecureHTTP)
}
