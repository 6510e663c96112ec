package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
)

const userAgent = "auvosync-runner"

// wiring is what every connection of one process shares.
type wiring struct {
	store    ledger.Store
	logger   *slog.Logger
	metrics  *metrics
	sink     flows.Sink
	progress func(flows.Progress)
	dryRun   bool
}

// connRuntime is one configured connection, built once: its clients (one
// per vendor, shared by its flows, so their rate limiters are shared) live
// as long as the process.
type connRuntime struct {
	cfg      ConnConfig
	conn     *flows.Connection
	observer *connObserver
}

// build makes the clients and the flows.Connection of one configuration.
// Errors are configuration errors (exit 2).
func (w wiring) build(ctx context.Context, cc ConnConfig) (*connRuntime, error) {
	log := w.logger.With("connection", cc.Name)
	obs := &connObserver{metrics: w.metrics}
	label := fmt.Sprintf("connection %q", cc.Name)
	bad := func(key string, err error) error {
		return &ConfigError{Problems: []string{fmt.Sprintf("%s: %s: %v", label, key, err)}}
	}

	ac, err := auvo.New(
		auvo.WithBaseURL(cc.Auvo.BaseURL),
		auvo.WithCredentials(string(cc.Auvo.APIKey), string(cc.Auvo.APIToken)),
		auvo.WithLogger(log),
		auvo.WithObserver(obs),
		auvo.WithUserAgent(userAgent),
	)
	if err != nil {
		return nil, bad("auvo", err)
	}
	conn := &flows.Connection{
		Name:     cc.Name,
		Auvo:     flows.NewAuvo(ac),
		Ledger:   w.store,
		Sink:     w.sink,
		Progress: w.progress,
		Logger:   w.logger,
		DryRun:   w.dryRun,
	}
	if o := cc.Omie; o != nil {
		oc, err := omie.New(
			omie.WithBaseURL(o.BaseURL),
			omie.WithCredentials(string(o.AppKey), string(o.AppSecret)),
			omie.WithLogger(log),
			omie.WithObserver(obs),
		)
		if err != nil {
			return nil, bad("omie", err)
		}
		conn.Omie = flows.NewOmie(oc)
	}
	if o := cc.ContaAzul; o != nil {
		if err := w.checkRefreshToken(ctx, cc.Name, "contaazul", o); err != nil {
			return nil, err
		}
		cac, err := contaazul.New(
			contaazul.WithBaseURL(o.BaseURL),
			contaazul.WithTokenURL(o.TokenURL),
			contaazul.WithCredentials(string(o.ClientID), string(o.ClientSecret)),
			contaazul.WithRefreshToken(string(o.RefreshToken)),
			contaazul.WithTokenStore(flows.LedgerTokens{Store: w.store, Conn: cc.Name, Vendor: "contaazul"}),
			contaazul.WithLogger(log),
			contaazul.WithObserver(obs),
			contaazul.WithUserAgent(userAgent),
		)
		if err != nil {
			return nil, bad("contaazul", err)
		}
		conn.ContaAzul = flows.NewContaAzul(cac)
	}
	if o := cc.Bling; o != nil {
		if err := w.checkRefreshToken(ctx, cc.Name, "bling", o); err != nil {
			return nil, err
		}
		bc, err := bling.New(
			bling.WithBaseURL(o.BaseURL),
			bling.WithTokenURL(o.TokenURL),
			bling.WithCredentials(string(o.ClientID), string(o.ClientSecret)),
			bling.WithRefreshToken(string(o.RefreshToken)),
			bling.WithTokenStore(flows.LedgerTokens{Store: w.store, Conn: cc.Name, Vendor: "bling"}),
			bling.WithLogger(log),
			bling.WithObserver(obs),
			bling.WithUserAgent(userAgent),
		)
		if err != nil {
			return nil, bad("bling", err)
		}
		conn.Bling = flows.NewBling(bc)
	}
	if err := conn.Validate(cc.Flows); err != nil {
		return nil, &ConfigError{Problems: []string{err.Error()}}
	}
	return &connRuntime{cfg: cc, conn: conn, observer: obs}, nil
}

// checkRefreshToken: the file's refresh token only seeds the first
// authorisation; after that the rotated one in the state file is used. With
// neither, no call could ever succeed, so it is a configuration error.
func (w wiring) checkRefreshToken(ctx context.Context, conn, vendor string, o *OAuthConfig) error {
	if o.RefreshToken != "" {
		return nil
	}
	_, ok, err := w.store.LoadToken(ctx, conn, vendor)
	if err != nil {
		return fmt.Errorf("reading the %s token of connection %q from the state file: %w", vendor, conn, err)
	}
	if !ok {
		return &ConfigError{Problems: []string{fmt.Sprintf(
			"connection %q: %s.refresh_token is missing and the state file holds no %s token yet", conn, vendor, vendor)}}
	}
	return nil
}
