// Package runnertest sets up the runner's command as a user meets it: the
// demo's fakes behind a YAML config file whose credentials are ${VAR}s, and
// a state file, both outliving one invocation. The tests of runner/cli (in
// process) and of examples/runner (the real binary) share it.
//
// Only _test.go files import it (testkit's TestNotImportedByNonTestCode
// holds that).
package runnertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/runner/demo"
	"github.com/auvosync/auvosync/syncrules"
)

// World is the demo's fakes and seeds, driven through a config file and a
// state file that outlive one invocation.
type World struct {
	Demo   *demo.Demo
	Config string            // the config file
	State  string            // its state file, a copy of the demo's seeded one
	Vars   map[string]string // the environment the config's ${VAR}s need
}

// NewWorld starts the demo; Cleanup stops it.
func NewWorld(t *testing.T) *World {
	t.Helper()
	d, err := demo.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(d.Close)
	dir := t.TempDir()
	w := &World{Demo: d, State: filepath.Join(dir, "state.db"), Vars: map[string]string{}}
	// The demo seeded links into its own state file; start from a copy.
	CopyFile(t, d.Config.State, w.State)
	var b strings.Builder
	fmt.Fprintf(&b, "state: %s\nconnections:\n", w.State)
	for _, c := range d.Config.Connections {
		up := strings.ToUpper(c.Name)
		w.Vars[up+"_AUVO_KEY"], w.Vars[up+"_AUVO_TOKEN"] = string(c.Auvo.APIKey), string(c.Auvo.APIToken)
		fmt.Fprintf(&b, "  - name: %s\n    flows: [%s]\n", c.Name, strings.Join(flowNames(c), ", "))
		fmt.Fprintf(&b, "    auvo:\n      base_url: %s\n      api_key: ${%s_AUVO_KEY}\n      api_token: ${%s_AUVO_TOKEN}\n", c.Auvo.BaseURL, up, up)
		if o := c.Omie; o != nil {
			w.Vars["OMIE_KEY"], w.Vars["OMIE_SECRET"] = string(o.AppKey), string(o.AppSecret)
			fmt.Fprintf(&b, "    omie:\n      base_url: %s\n      app_key: ${OMIE_KEY}\n      app_secret: ${OMIE_SECRET}\n", o.BaseURL)
		}
		for key, o := range map[string]*runner.OAuthConfig{"contaazul": c.ContaAzul, "bling": c.Bling} {
			if o == nil {
				continue
			}
			v := strings.ToUpper(key)
			w.Vars[v+"_ID"], w.Vars[v+"_SECRET"], w.Vars[v+"_REFRESH"] = string(o.ClientID), string(o.ClientSecret), string(o.RefreshToken)
			fmt.Fprintf(&b, "    %s:\n      base_url: %s\n      token_url: %s\n      client_id: ${%s_ID}\n      client_secret: ${%s_SECRET}\n      refresh_token: ${%s_REFRESH}\n",
				key, o.BaseURL, o.TokenURL, v, v, v)
		}
	}
	w.Config = testkit.WriteFile(t, "sync.yaml", b.String())
	return w
}

// FlowsOf returns the names of a connection's configured flows.
func (w *World) FlowsOf(conn string) []string {
	for _, c := range w.Demo.Config.Connections {
		if c.Name == conn {
			return flowNames(c)
		}
	}
	return nil
}

func flowNames(c runner.ConnConfig) []string {
	out := make([]string, len(c.Flows))
	for i, f := range c.Flows {
		out[i] = string(f)
	}
	return out
}

// CopyFile copies from to to.
func CopyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, 0o600))
}

// personalData lists every document, e-mail and phone the fakes hold, in
// the forms an unmasked leak would take.
func personalData(d *demo.Demo) []string {
	var out []string
	add := func(vals ...string) {
		for _, v := range vals {
			if v = strings.TrimSpace(v); len(v) >= 8 {
				out = append(out, v)
				if n := syncrules.NormalizeDocument(v); len(n) >= 11 {
					out = append(out, n)
				}
			}
		}
	}
	for _, a := range d.Auvo {
		for _, c := range a.Customers() {
			add(c.CpfCnpj)
			add(c.Emails...)
			add(c.PhoneNumbers...)
		}
	}
	for _, c := range d.Omie.Clientes() {
		add(c.CnpjCpf, c.Email, c.Telefone1Numero)
	}
	for _, p := range d.ContaAzul.People() {
		add(p.Document, p.Email, p.PhoneMobile, p.PhoneCommercial)
	}
	for _, c := range d.Bling.Contacts() {
		add(c.NumeroDocumento, c.Email, c.Celular, c.Telefone)
	}
	return out
}

// AssertNoPersonalData fails when an output holds a document, e-mail or
// phone of the demo's fakes unmasked (R-REPORT-2).
func AssertNoPersonalData(t *testing.T, d *demo.Demo, outputs ...string) {
	t.Helper()
	data := personalData(d)
	require.NotEmpty(t, data)
	for _, out := range outputs {
		for _, v := range data {
			assert.NotContains(t, out, v, "R-REPORT-2: unmasked personal data in output")
		}
	}
}

// AssertNoSecrets fails when an output holds one of the world's credentials.
func (w *World) AssertNoSecrets(t *testing.T, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for k, v := range w.Vars {
			assert.NotContains(t, out, v, "secret %s in output", k)
		}
	}
}
