package runner

import (
	"log/slog"
	"net/http"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
)

// This file is the one place where vendor clients are made: one function per
// vendor, each given everything a client of any connection shares. A
// process-wide budget per vendor (R-BUDGET-1) joins clientEnv and is handed
// to every client here; "runner doctor" builds its clients through the same
// functions.

const userAgent = "auvosync-runner"

// clientEnv is what every client of one connection gets.
type clientEnv struct {
	logger     *slog.Logger // already carries the connection's name
	observer   *connObserver
	httpClient *http.Client // nil: each client's own
	store      ledger.Store // rotated OAuth tokens
	conn       string
}

func newAuvoClient(c AuvoConfig, e clientEnv) (*auvo.Client, error) {
	opts := []auvo.Option{
		auvo.WithBaseURL(c.BaseURL),
		auvo.WithCredentials(string(c.APIKey), string(c.APIToken)),
		auvo.WithLogger(e.logger),
		auvo.WithObserver(e.observer),
		auvo.WithUserAgent(userAgent),
	}
	if e.httpClient != nil {
		opts = append(opts, auvo.WithHTTPClient(e.httpClient))
	}
	return auvo.New(opts...)
}

func newOmieClient(c OmieConfig, e clientEnv) (*omie.Client, error) {
	opts := []omie.Option{
		omie.WithBaseURL(c.BaseURL),
		omie.WithCredentials(string(c.AppKey), string(c.AppSecret)),
		omie.WithLogger(e.logger),
		omie.WithObserver(e.observer),
	}
	if e.httpClient != nil {
		opts = append(opts, omie.WithHTTPClient(e.httpClient))
	}
	return omie.New(opts...)
}

func newContaAzulClient(c OAuthConfig, e clientEnv) (*contaazul.Client, error) {
	opts := []contaazul.Option{
		contaazul.WithBaseURL(c.BaseURL),
		contaazul.WithTokenURL(c.TokenURL),
		contaazul.WithCredentials(string(c.ClientID), string(c.ClientSecret)),
		contaazul.WithRefreshToken(string(c.RefreshToken)),
		contaazul.WithTokenStore(flows.LedgerTokens{Store: e.store, Conn: e.conn, Vendor: "contaazul"}),
		contaazul.WithLogger(e.logger),
		contaazul.WithObserver(e.observer),
		contaazul.WithUserAgent(userAgent),
	}
	if e.httpClient != nil {
		opts = append(opts, contaazul.WithHTTPClient(e.httpClient))
	}
	return contaazul.New(opts...)
}

func newBlingClient(c OAuthConfig, e clientEnv) (*bling.Client, error) {
	opts := []bling.Option{
		bling.WithBaseURL(c.BaseURL),
		bling.WithTokenURL(c.TokenURL),
		bling.WithCredentials(string(c.ClientID), string(c.ClientSecret)),
		bling.WithRefreshToken(string(c.RefreshToken)),
		bling.WithTokenStore(flows.LedgerTokens{Store: e.store, Conn: e.conn, Vendor: "bling"}),
		bling.WithLogger(e.logger),
		bling.WithObserver(e.observer),
		bling.WithUserAgent(userAgent),
	}
	if e.httpClient != nil {
		opts = append(opts, bling.WithHTTPClient(e.httpClient))
	}
	return bling.New(opts...)
}
