package flows

import (
	"context"
	"time"

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
	// Clock stamps each saved token's Saved time (the doctor reports its
	// age); it defaults to time.Now.
	Clock func() time.Time
}

func (t LedgerTokens) now() time.Time {
	if t.Clock != nil {
		return t.Clock()
	}
	return time.Now()
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
		RefreshToken: tok.RefreshToken, AccessToken: tok.AccessToken, Expiry: tok.Expiry, Saved: t.now(),
	}))
}

// Rotate runs next under the ledger's RotateToken when the store offers it
// (ledger.TokenRotator: replicas take turns refreshing), and as Load, next,
// Save otherwise. An error of next (the vendor's answer) comes back as it
// is; only the ledger's own failures stop the run.
func (t LedgerTokens) Rotate(ctx context.Context, next func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	var out *oauth2.Token
	var nextErr error
	call := func(ctx context.Context, saved *oauth2.Token) (*oauth2.Token, error) {
		out, nextErr = next(ctx, saved)
		return out, nextErr
	}
	rot, ok := t.Store.(ledger.TokenRotator)
	if !ok {
		saved, err := t.Load(ctx)
		if err != nil {
			return nil, err
		}
		fresh, err := call(ctx, saved)
		if err != nil {
			return nil, err
		}
		if fresh != saved {
			if err := t.Save(ctx, fresh); err != nil {
				return nil, err
			}
		}
		return fresh, nil
	}
	_, err := rot.RotateToken(ctx, t.Conn, t.Vendor, func(ctx context.Context, stored ledger.Token, found bool) (ledger.Token, error) {
		var saved *oauth2.Token
		if found {
			saved = &oauth2.Token{AccessToken: stored.AccessToken, RefreshToken: stored.RefreshToken, Expiry: stored.Expiry, TokenType: "Bearer"}
		}
		fresh, err := call(ctx, saved)
		if err != nil {
			return ledger.Token{}, err
		}
		if fresh == saved {
			return stored, nil
		}
		return ledger.Token{RefreshToken: fresh.RefreshToken, AccessToken: fresh.AccessToken, Expiry: fresh.Expiry, Saved: t.now()}, nil
	})
	if nextErr != nil {
		return nil, nextErr
	}
	if err != nil {
		return nil, inLedger(err)
	}
	return out, nil
}
