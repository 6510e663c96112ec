package flows

import (
	"context"

	"golang.org/x/oauth2"

	"github.com/auvosync/auvosync/ledger"
)

// LedgerTokens keeps one connection's OAuth tokens for one vendor in the
// ledger, so rotated refresh tokens survive restarts. It satisfies the
// TokenStore of the contaazul and bling packages.
type LedgerTokens struct {
	Store  ledger.TokenStore
	Conn   string
	Vendor string
}

// Load returns the saved token, or nil when none is saved yet.
func (t LedgerTokens) Load(ctx context.Context) (*oauth2.Token, error) {
	tok, ok, err := t.Store.LoadToken(ctx, t.Conn, t.Vendor)
	if err != nil || !ok {
		return nil, inLedger(err) // the ledger failing stops the run, not just the record
	}
	return &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry, TokenType: "Bearer"}, nil
}

// Save stores tok durably before the caller may use it.
func (t LedgerTokens) Save(ctx context.Context, tok *oauth2.Token) error {
	return inLedger(t.Store.SaveToken(ctx, t.Conn, t.Vendor, ledger.Token{
		RefreshToken: tok.RefreshToken, AccessToken: tok.AccessToken, Expiry: tok.Expiry,
	}))
}
