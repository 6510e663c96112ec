package oauthtoken

import "github.com/auvosync/auvosync/internal/transport"

// App is what the OAuth vendors' options (WithTokenURL, WithCredentials,
// WithRefreshToken, WithTokenStore) set: the app a client authenticates as
// and the account's tokens. bling's and contaazul's configs embed it next
// to transport.Settings.
type App struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	RefreshToken string // the first one; a token in Store wins
	Store        Store
}

// Config is the token source's Config for vendor's app, talking through the
// client's own HTTP client and clock, under its InsecureHTTP setting.
func (a App) Config(vendor string, s *transport.Settings) Config {
	return Config{
		Vendor:              vendor,
		TokenURL:            a.TokenURL,
		ClientID:            a.ClientID,
		ClientSecret:        a.ClientSecret,
		InitialRefreshToken: a.RefreshToken,
		Store:               a.Store,
		HTTPClient:          s.HTTPClient,
		Clock:               s.Clock,
		AllowInsecureHTTP:   s.InsecureHTTP,
	}
}
