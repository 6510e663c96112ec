// Package demo is auvosync's embedded default: the four vendors' fakes on
// loopback, seeded with customers that exercise every rule, and a
// configuration pointing at them.
//
//	d, err := demo.Start(ctx)
//	if err != nil { ... }
//	defer d.Close()
//	r, err := runner.New(d.Config)
//
// It lives apart from package runner because it imports the fakes, which
// are for demos and tests only (ARCHITECTURE.md): a program that embeds the
// runner does not link them.
package demo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/syncrules"
)

// Demo credentials: the fakes accept exactly these. They are not secrets.
const (
	demoOmieKey, demoOmieSecret   = "demo-omie-app-key", "demo-omie-app-secret"
	demoCAClient, demoCASecret    = "demo-contaazul-client", "demo-contaazul-secret"
	demoCARefresh                 = "demo-contaazul-first-refresh-token"
	demoBlingClient, demoBlingSec = "demo-bling-client", "demo-bling-secret"
	demoBlingRefresh              = "demo-bling-first-refresh-token"
)

// Demo is the four vendors' fakes on loopback, one Auvo account per
// connection (an Auvo customer's external code can point at one ERP only),
// seeded customers and a throw-away state file.
type Demo struct {
	// Config points at the fakes; its state file is the demo's own.
	Config    *runner.Config
	Auvo      map[string]*auvofake.Server // by connection
	Omie      *omiefake.Server
	ContaAzul *contaazulfake.Server
	Bling     *blingfake.Server
	// Seeded is the number of customers seeded into the fakes.
	Seeded int

	dir     string
	servers []*httptest.Server
}

func (d *Demo) serve(h http.Handler) string {
	srv := httptest.NewServer(h)
	d.servers = append(d.servers, srv)
	return srv.URL
}

// Close stops the fakes and deletes the state file.
func (d *Demo) Close() {
	for _, s := range d.servers {
		s.Close()
	}
	if d.dir != "" {
		_ = os.RemoveAll(d.dir)
	}
}

// Start starts the fakes, seeds them and writes the links of an imagined
// earlier run into a new state file. Close stops it all.
func Start(ctx context.Context) (*Demo, error) {
	dir, err := os.MkdirTemp("", "auvosync-demo-")
	if err != nil {
		return nil, err
	}
	d := &Demo{dir: dir, Auvo: map[string]*auvofake.Server{}}
	d.Omie = omiefake.New(omiefake.WithCredentials(demoOmieKey, demoOmieSecret))
	d.ContaAzul = contaazulfake.New(contaazulfake.WithCredentials(demoCAClient, demoCASecret),
		contaazulfake.WithRefreshToken(demoCARefresh))
	d.Bling = blingfake.New(blingfake.WithCredentials(demoBlingClient, demoBlingSec),
		blingfake.WithRefreshToken(demoBlingRefresh))
	omieURL := d.serve(d.Omie)
	caURL := d.serve(d.ContaAzul)
	blingURL := d.serve(d.Bling)

	cfg := &runner.Config{State: filepath.Join(dir, "auvosync.db")}
	for _, c := range []struct {
		name  string
		flows []syncrules.Flow
	}{
		{"acme", []syncrules.Flow{syncrules.AuvoToOmie, syncrules.OmieToAuvo}},
		{"beta", []syncrules.Flow{syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo}},
		{"gamma", []syncrules.Flow{syncrules.BlingToAuvo}},
	} {
		key, token := "demo-auvo-key-"+c.name, "demo-auvo-token-"+c.name
		fake := auvofake.New(auvofake.WithCredentials(key, token))
		d.Auvo[c.name] = fake
		cc := runner.ConnConfig{Name: c.name, Flows: c.flows,
			Auvo: runner.AuvoConfig{BaseURL: d.serve(fake) + "/v2", APIKey: runner.Secret(key), APIToken: runner.Secret(token)}}
		switch c.name {
		case "acme":
			cc.Omie = &runner.OmieConfig{BaseURL: omieURL + "/api/v1", AppKey: demoOmieKey, AppSecret: demoOmieSecret}
		case "beta":
			cc.ContaAzul = &runner.OAuthConfig{BaseURL: caURL, TokenURL: caURL + "/oauth2/token",
				ClientID: demoCAClient, ClientSecret: demoCASecret, RefreshToken: demoCARefresh}
		case "gamma":
			cc.Bling = &runner.OAuthConfig{BaseURL: blingURL + "/Api/v3", TokenURL: blingURL + "/Api/v3/oauth/token",
				ClientID: demoBlingClient, ClientSecret: demoBlingSec, RefreshToken: demoBlingRefresh}
		}
		cfg.Connections = append(cfg.Connections, cc)
	}
	d.Config = cfg

	store, err := ledger.Open(ctx, cfg.State)
	if err != nil {
		d.Close()
		return nil, err
	}
	defer store.Close()
	if err := d.seed(ctx, store); err != nil {
		d.Close()
		return nil, fmt.Errorf("seeding: %w", err)
	}
	return d, nil
}

// PrintIntro says what the demo is, before its first cycle.
func (d *Demo) PrintIntro(w io.Writer, once bool) {
	var conns []string
	for _, c := range d.Config.Connections {
		names := make([]string, len(c.Flows))
		for i, f := range c.Flows {
			names[i] = string(f)
		}
		conns = append(conns, fmt.Sprintf("%s (%s)", c.Name, strings.Join(names, ", ")))
	}
	fmt.Fprintf(w, "auvosync demo: no -config, so fake Auvo (one account per connection), Omie, Conta Azul and Bling\n")
	fmt.Fprintf(w, "APIs run in this process on 127.0.0.1, seeded with %d customers that exercise every rule.\n", d.Seeded)
	fmt.Fprintf(w, "Connections: %s.\n", strings.Join(conns, "; "))
	fmt.Fprintf(w, "State file: %s (deleted on exit). Documents, e-mails and phones are masked.\n", d.Config.State)
	if once {
		fmt.Fprintf(w, "Running one cycle (-once).\n\n")
	} else {
		fmt.Fprintf(w, "Running a cycle now, then every %s; Ctrl-C stops.\n\n", runner.Interval)
	}
}
