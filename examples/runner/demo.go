package main

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

// demo is the embedded default: the four vendors' fakes on loopback, one
// Auvo account per connection (an Auvo customer's external code can point
// at one ERP only), seeded customers and a throw-away state file.
type demo struct {
	dir       string
	config    *Config
	servers   []*httptest.Server
	auvo      map[string]*auvofake.Server // by connection
	omie      *omiefake.Server
	contaAzul *contaazulfake.Server
	bling     *blingfake.Server
	seeded    int
}

func (d *demo) serve(h http.Handler) string {
	srv := httptest.NewServer(h)
	d.servers = append(d.servers, srv)
	return srv.URL
}

// Close stops the fakes and deletes the state file.
func (d *demo) Close() {
	for _, s := range d.servers {
		s.Close()
	}
	if d.dir != "" {
		_ = os.RemoveAll(d.dir)
	}
}

func startDemo(ctx context.Context) (*demo, error) {
	dir, err := os.MkdirTemp("", "auvosync-demo-")
	if err != nil {
		return nil, err
	}
	d := &demo{dir: dir, auvo: map[string]*auvofake.Server{}}
	d.omie = omiefake.New(omiefake.WithCredentials(demoOmieKey, demoOmieSecret))
	d.contaAzul = contaazulfake.New(contaazulfake.WithCredentials(demoCAClient, demoCASecret),
		contaazulfake.WithRefreshToken(demoCARefresh))
	d.bling = blingfake.New(blingfake.WithCredentials(demoBlingClient, demoBlingSec),
		blingfake.WithRefreshToken(demoBlingRefresh))
	omieURL := d.serve(d.omie)
	caURL := d.serve(d.contaAzul)
	blingURL := d.serve(d.bling)

	cfg := &Config{State: filepath.Join(dir, "auvosync.db")}
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
		d.auvo[c.name] = fake
		cc := ConnConfig{Name: c.name, Flows: c.flows,
			Auvo: AuvoConfig{BaseURL: d.serve(fake) + "/v2", APIKey: secret(key), APIToken: secret(token)}}
		switch c.name {
		case "acme":
			cc.Omie = &OmieConfig{BaseURL: omieURL + "/api/v1", AppKey: demoOmieKey, AppSecret: demoOmieSecret}
		case "beta":
			cc.ContaAzul = &OAuthConfig{BaseURL: caURL, TokenURL: caURL + "/oauth2/token",
				ClientID: demoCAClient, ClientSecret: demoCASecret, RefreshToken: demoCARefresh}
		case "gamma":
			cc.Bling = &OAuthConfig{BaseURL: blingURL + "/Api/v3", TokenURL: blingURL + "/Api/v3/oauth/token",
				ClientID: demoBlingClient, ClientSecret: demoBlingSec, RefreshToken: demoBlingRefresh}
		}
		cfg.Connections = append(cfg.Connections, cc)
	}
	d.config = cfg

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

func (d *demo) printIntro(w io.Writer, once bool) {
	var conns []string
	for _, c := range d.config.Connections {
		names := make([]string, len(c.Flows))
		for i, f := range c.Flows {
			names[i] = string(f)
		}
		conns = append(conns, fmt.Sprintf("%s (%s)", c.Name, strings.Join(names, ", ")))
	}
	fmt.Fprintf(w, "auvosync demo: no -config, so fake Auvo (one account per connection), Omie, Conta Azul and Bling\n")
	fmt.Fprintf(w, "APIs run in this process on 127.0.0.1, seeded with %d customers that exercise every rule.\n", d.seeded)
	fmt.Fprintf(w, "Connections: %s.\n", strings.Join(conns, "; "))
	fmt.Fprintf(w, "State file: %s (deleted on exit). Documents, e-mails and phones are masked.\n", d.config.State)
	if once {
		fmt.Fprintf(w, "Running one cycle (-once).\n\n")
	} else {
		fmt.Fprintf(w, "Running a cycle now, then every %s; Ctrl-C stops.\n\n", Interval)
	}
}
