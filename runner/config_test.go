package runner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/syncrules"
)

const contractConfig = `
state: ./auvosync.db
connections:
  - name: acme
    flows: [auvo-to-omie, omie-to-auvo]
    auvo:
      base_url: https://api.auvo.com.br/v2
      api_key: ${AUVO_API_KEY}
      api_token: ${AUVO_API_TOKEN}
    omie:
      base_url: https://app.omie.com.br/api/v1
      app_key: ${OMIE_APP_KEY}
      app_secret: ${OMIE_APP_SECRET}
  - name: beta
    flows: [auvo-to-contaazul, contaazul-to-auvo]
    auvo: {api_key: k2, api_token: t2}
    contaazul:
      base_url: https://api-v2.contaazul.com
      token_url: https://auth.contaazul.com/oauth2/token
      client_id: cid
      client_secret: csecret
      refresh_token: first-refresh
  - name: gamma
    flows: [bling-to-auvo]
    auvo: {api_key: k3, api_token: t3}
    bling:
      client_id: bid
      client_secret: bsecret
      refresh_token: bling-refresh
`

var contractEnv = map[string]string{
	"AUVO_API_KEY": "auvo-key-SECRET1", "AUVO_API_TOKEN": "auvo-token-SECRET2",
	"OMIE_APP_KEY": "omie-key-SECRET3", "OMIE_APP_SECRET": "omie-secret-SECRET4",
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseConfigAcceptsTheContractExample(t *testing.T) {
	cfg, err := ParseConfig([]byte(contractConfig), WithEnv(envOf(contractEnv)))
	require.NoError(t, err)
	assert.Equal(t, "./auvosync.db", cfg.State)
	require.Len(t, cfg.Connections, 3)
	acme := cfg.Connections[0]
	assert.Equal(t, []syncrules.Flow{syncrules.AuvoToOmie, syncrules.OmieToAuvo}, acme.Flows)
	assert.Equal(t, Secret("auvo-key-SECRET1"), acme.Auvo.APIKey, "${VAR} is expanded")
	assert.Equal(t, Secret("omie-secret-SECRET4"), acme.Omie.AppSecret)
	assert.Equal(t, defaultAuvoBaseURL, cfg.Connections[1].Auvo.BaseURL, "base_url defaults")
	assert.Equal(t, defaultBlingBaseURL, cfg.Connections[2].Bling.BaseURL)
	assert.Equal(t, defaultBlingTokenURL, cfg.Connections[2].Bling.TokenURL)
	assert.Nil(t, acme.ContaAzul)
}

func TestSecretsPrintRedacted(t *testing.T) {
	cfg, err := ParseConfig([]byte(contractConfig), WithEnv(envOf(contractEnv)))
	require.NoError(t, err)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, cfg)
		for _, v := range contractEnv {
			assert.NotContains(t, out, v, format)
		}
	}
}

// The table of config validation: each bad file exits 2 with a message that
// names the connection and the key at fault.
func TestParseConfigNamesConnectionAndKey(t *testing.T) {
	acme := func(body string) string {
		return "connections:\n  - name: acme\n" + body
	}
	auvo := "    auvo: {api_key: k, api_token: t}\n"
	omie := "    omie: {app_key: k, app_secret: s}\n"
	cases := []struct {
		name string
		yaml string
		env  map[string]string
		want []string
	}{
		{"unknown flow", acme("    flows: [auvo-to-sap]\n" + auvo),
			nil, []string{`connection "acme": flows: unknown flow "auvo-to-sap"`}},
		{"missing credential from unset variable", acme("    flows: [auvo-to-omie]\n" + auvo + "    omie:\n      app_key: k\n      app_secret: ${OMIE_APP_SECRET}\n"),
			nil, []string{`connection "acme": omie.app_secret is missing (environment variable OMIE_APP_SECRET is not set)`}},
		{"missing credential key", acme("    flows: [auvo-to-omie]\n    auvo: {api_key: k}\n" + omie),
			nil, []string{`connection "acme": auvo.api_token is missing`}},
		{"plain http to a real host", acme("    flows: [auvo-to-omie]\n" + auvo + "    omie: {base_url: http://app.omie.com.br/api/v1, app_key: k, app_secret: s}\n"),
			nil, []string{`connection "acme": omie.base_url must use https`}},
		{"token url not https", acme("    flows: [bling-to-auvo]\n" + auvo + "    bling: {token_url: ftp://x.example/t, client_id: a, client_secret: b, refresh_token: c}\n"),
			nil, []string{`connection "acme": bling.token_url must be an https URL`}},
		{"partner block missing", acme("    flows: [bling-to-auvo]\n" + auvo),
			nil, []string{`connection "acme": flow bling-to-auvo needs a "bling" block, which is missing`}},
		{"auvo block missing", acme("    flows: [auvo-to-omie]\n" + omie),
			nil, []string{`connection "acme": the auvo block is missing`}},
		{"misspelt key", acme("    flows: [auvo-to-omie]\n" + auvo + "    omie: {app_key: k, app_secert: s}\n"),
			nil, []string{`connection "acme": unknown key "omie.app_secert"`}},
		{"unknown connection key", acme("    flow: [auvo-to-omie]\n" + auvo),
			nil, []string{`connection "acme": unknown key "flow"`}},
		{"no flows", acme(auvo), nil, []string{`connection "acme": flows is empty`}},
		{"flow twice", acme("    flows: [bling-to-auvo, BLING-TO-AUVO]\n" + auvo + "    bling: {client_id: a, client_secret: b}\n"),
			nil, []string{`connection "acme": flows: bling-to-auvo is listed twice`}},
		{"no name", "connections:\n  - flows: [auvo-to-omie]\n" + auvo + omie,
			nil, []string{`connection #1: name is missing`}},
		{"duplicate names", acme("    flows: [auvo-to-omie]\n"+auvo+omie) + "  - name: acme\n    flows: [auvo-to-omie]\n" + auvo + omie,
			nil, []string{`connection "acme": name is used by another connection`}},
		{"no connections", "state: x.db\n", nil, []string{"no connections"}},
		{"empty file", "", nil, []string{"the file is empty"}},
		{"not yaml", "connections: [", nil, []string{"not valid YAML"}},
		{"not a mapping", "- a\n- b\n", nil, []string{"must be a mapping"}},
		{"several problems at once", acme("    flows: [auvo-to-omie, nope]\n    auvo: {api_key: k}\n"),
			nil, []string{`auvo.api_token is missing`, `unknown flow "nope"`, `needs a "omie" block`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml), WithEnv(envOf(tc.env)))
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestParseConfigAllowsPlainHTTPOnlyOnLoopback(t *testing.T) {
	for _, host := range []string{"127.0.0.1:8080", "localhost:9", "[::1]:80", "127.1.2.3"} {
		y := fmt.Sprintf("connections:\n  - name: t\n    flows: [auvo-to-omie]\n    auvo: {base_url: 'http://%s/v2', api_key: k, api_token: t}\n    omie: {base_url: 'http://%s/api/v1', app_key: k, app_secret: s}\n", host, host)
		cfg, err := ParseConfig([]byte(y))
		require.NoError(t, err, host)
		assert.Equal(t, "http://"+host+"/v2", cfg.Connections[0].Auvo.BaseURL)
	}
	for _, host := range []string{"10.0.0.1", "example.com", "127.0.0.1.nip.io"} {
		y := fmt.Sprintf("connections:\n  - name: t\n    flows: [auvo-to-omie]\n    auvo: {base_url: http://%s/v2, api_key: k, api_token: t}\n    omie: {app_key: k, app_secret: s}\n", host)
		_, err := ParseConfig([]byte(y))
		require.Error(t, err, host)
		assert.Contains(t, err.Error(), "auvo.base_url must use https")
	}
}

func TestConfigErrorsNeverEchoSecrets(t *testing.T) {
	y := "connections:\n  - name: acme\n    flows: [auvo-to-omie]\n" +
		"    auvo: {base_url: 'http://user:${PASS}@api.example.com/v2', api_key: '${KEY}', api_token: t}\n" +
		"    omie: {base_url: 'ftp://${KEY}.example.com', app_key: k, app_secret: s}\n"
	_, err := ParseConfig([]byte(y), WithEnv(envOf(map[string]string{"PASS": "hunter2-pass", "KEY": "topsecretkey"})))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "auvo.base_url must not carry credentials")
	assert.NotContains(t, err.Error(), "hunter2-pass")
	assert.NotContains(t, err.Error(), "topsecretkey")
}

func TestExpandLeavesALoneDollarAlone(t *testing.T) {
	out, unset := expand("a$b${X}c${MISSING}", envOf(map[string]string{"X": "x"}))
	assert.Equal(t, "a$bxc", out)
	assert.Equal(t, []string{"MISSING"}, unset)
}

func TestStatePathOfReadsOnlyTheStateKey(t *testing.T) {
	path := testkit.WriteFile(t, "c.yaml", "state: ${DIR}/s.db\nconnections:\n  - name: a\n    flows: [auvo-to-omie]\n    auvo:\n      api_key: ${UNSET}\n")
	got, err := StatePath(path, WithEnv(envOf(map[string]string{"DIR": "/tmp/x"})))
	require.NoError(t, err)
	assert.Equal(t, "/tmp/x/s.db", got)
	assert.True(t, strings.HasSuffix(got, "s.db"))
}

// Auvo's external code holds one ERP's id per customer: a connection whose
// flows go to two ERPs would have each overwrite the other's (exit 2).
func TestParseConfigRefusesAConnectionWithFlowsOfTwoERPs(t *testing.T) {
	y := "connections:\n  - name: mixed\n    flows: [auvo-to-omie, bling-to-auvo, omie-to-auvo]\n    auvo: {api_key: k, api_token: t}\n" +
		"    omie: {app_key: k, app_secret: s}\n    bling: {client_id: a, client_secret: b, refresh_token: c}\n"
	_, err := ParseConfig([]byte(y))
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, err.Error(), `connection "mixed": flows go to 2 ERPs, omie (auvo-to-omie) and bling (bling-to-auvo)`)
	assert.Contains(t, err.Error(), "one connection per ERP")

	y = "connections:\n  - name: one\n    flows: [auvo-to-contaazul, contaazul-to-auvo]\n    auvo: {api_key: k, api_token: t}\n" +
		"    contaazul: {client_id: a, client_secret: b, refresh_token: c}\n"
	_, err = ParseConfig([]byte(y))
	require.NoError(t, err, "both directions with one ERP are fine")
}

// Credentials meant for a proxy or a fake must not go to Conta Azul's
// production auth host: token_url follows base_url unless given.
func TestContaAzulTokenURLFollowsItsBaseURL(t *testing.T) {
	conn := func(block string) string {
		return "connections:\n  - name: b\n    flows: [contaazul-to-auvo]\n    auvo: {api_key: k, api_token: t}\n" +
			"    contaazul: {" + block + "client_id: a, client_secret: b, refresh_token: c}\n"
	}
	for name, tc := range map[string]struct{ block, want string }{
		"default":        {"", "https://auth.contaazul.com/oauth2/token"},
		"default base":   {"base_url: 'https://api-v2.contaazul.com/', ", "https://auth.contaazul.com/oauth2/token"},
		"a fake":         {"base_url: 'http://127.0.0.1:9', ", "http://127.0.0.1:9/oauth2/token"},
		"a proxy":        {"base_url: 'https://proxy.example.com/ca', ", "https://proxy.example.com/ca/oauth2/token"},
		"token_url wins": {"base_url: 'https://proxy.example.com/ca', token_url: 'https://auth.example.com/t', ", "https://auth.example.com/t"},
	} {
		cfg, err := ParseConfig([]byte(conn(tc.block)))
		require.NoError(t, err, name)
		assert.Equal(t, tc.want, cfg.Connections[0].ContaAzul.TokenURL, name)
	}
}

func TestBlingTokenURLFollowsItsBaseURL(t *testing.T) {
	y := "connections:\n  - name: g\n    flows: [bling-to-auvo]\n    auvo: {api_key: k, api_token: t}\n" +
		"    bling: {base_url: 'http://127.0.0.1:9/Api/v3', client_id: a, client_secret: b, refresh_token: c}\n"
	cfg, err := ParseConfig([]byte(y))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9/Api/v3/oauth/token", cfg.Connections[0].Bling.TokenURL)

	y = "connections:\n  - name: g\n    flows: [bling-to-auvo]\n    auvo: {api_key: k, api_token: t}\n" +
		"    bling: {client_id: a, client_secret: b, refresh_token: c}\n"
	cfg, err = ParseConfig([]byte(y))
	require.NoError(t, err)
	assert.Equal(t, "https://api.bling.com.br/Api/v3/oauth/token", cfg.Connections[0].Bling.TokenURL)
}

// CONTRACTS.md §4: budget_share, a replica's share of the per-IP budgets
// (R-BUDGET-1), top level, default 1, 0 < share <= 1.
func TestBudgetShareDefaultsToOneAndMustBeAShare(t *testing.T) {
	conn := "connections:\n  - name: acme\n    flows: [auvo-to-omie]\n    auvo: {api_key: k, api_token: t}\n    omie: {app_key: k, app_secret: s}\n"
	for name, tc := range map[string]struct {
		line    string
		want    float64
		problem string
	}{
		"absent: the only process": {line: "", want: 1},
		"half: two replicas":       {line: "budget_share: 0.5\n", want: 0.5},
		"one":                      {line: "budget_share: 1\n", want: 1},
		"zero":                     {line: "budget_share: 0\n", problem: `budget_share: "0" is not a share`},
		"above one":                {line: "budget_share: 2\n", problem: `budget_share: "2" is not a share`},
		"negative":                 {line: "budget_share: -0.5\n", problem: `budget_share: "-0.5" is not a share`},
		"not a number":             {line: "budget_share: half\n", problem: `budget_share: "half" is not a share`},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tc.line + conn))
			if tc.problem != "" {
				var ce *ConfigError
				require.ErrorAs(t, err, &ce)
				assert.Contains(t, err.Error(), tc.problem)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, cfg.BudgetShare)
		})
	}
	t.Run("a Config built in Go is checked alike", func(t *testing.T) {
		cfg, err := ParseConfig([]byte(conn))
		require.NoError(t, err)
		cfg.BudgetShare = 1.5
		_, err = checkConfig(cfg)
		require.ErrorContains(t, err, `budget_share: "1.5" is not a share`)
	})
}

// The assume: block ("runner doctor" says what to set) is validated like
// every other key, and reaches the connection.
func TestParseConfigReadsTheAssumeBlock(t *testing.T) {
	const base = `
connections:
  - name: acme
    flows: [auvo-to-omie]
    auvo: {api_key: k, api_token: t}
    omie: {app_key: k, app_secret: s}
`
	cfg, err := ParseConfig([]byte(base + "    assume: {auvo_date_filter: after, omie_window: both}\n"))
	require.NoError(t, err)
	assert.Equal(t, Assumptions{AuvoDateFilterAfter: true, OmieWindowBoth: true}, cfg.Connections[0].Assume)

	cfg, err = ParseConfig([]byte(base + "    assume: {auvo_date_filter: at_or_after, omie_window: any}\n"))
	require.NoError(t, err)
	assert.Equal(t, Assumptions{}, cfg.Connections[0].Assume)

	_, err = ParseConfig([]byte(base + "    assume: {auvo_date_filter: later, omie_window: twice}\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `connection "acme": assume.auvo_date_filter: "later" is not one of at_or_after, after`)
	assert.Contains(t, err.Error(), `connection "acme": assume.omie_window: "twice" is not one of any, both`)

	_, err = ParseConfig([]byte(base + "    assume: {omie_windows: both}\n"))
	assert.ErrorContains(t, err, "omie_windows", "a misspelt key is refused")
}
