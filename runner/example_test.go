package runner_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/syncrules"
)

// An embedder runs every configured connection on a scheduler or job queue
// of their own: Connection.Run is one job (one run of the connection's
// flows, under its lease). Here the config points at fake Auvo and Omie APIs.
func Example_embedder() {
	vars, stop := startFakes() // STATE, AUVO and OMIE: a state file and the fakes' URLs
	defer stop()

	cfg, err := runner.ParseConfig([]byte(`
state: ${STATE}
connections:
  - name: acme
    flows: [auvo-to-omie]
    auvo: {base_url: "${AUVO}/v2", api_key: fake-api-key, api_token: fake-api-token}
    omie: {base_url: "${OMIE}/api/v1", app_key: "1234567890123", app_secret: 0123456789abcdef0123456789abcdef}
`), runner.WithEnv(func(k string) string { return vars[k] }))
	if err != nil {
		log.Fatal(err) // a *runner.ConfigError naming the connection and key
	}
	r, err := runner.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for _, c := range r.Connections() {
		// A job of your queue, every 10 minutes: c.Run waits for the lease.
		sums, err := c.Run(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		for _, s := range sums {
			fmt.Printf("%s %s: %d seen, %d created, err=%v\n", s.Connection, s.Flow, s.Seen, s.Counts[syncrules.Created], s.Err)
		}
	}
	// Output:
	// acme auvo-to-omie: 1 seen, 1 created, err=<nil>
}

// A connection built in Go, without a YAML file: New checks and defaults
// the Config the same way ParseConfig does. RunOnce is one cycle of every
// connection.
func Example_configInCode() {
	omie := omiefake.New()
	omie.Seed(omiefake.Cliente{RazaoSocial: "Iris Campos ME", CnpjCpf: "111.444.777-35", Tags: []string{"Cliente"},
		Endereco: "Rua Augusta", EnderecoNumero: "500", Bairro: "Consolação", Cidade: "São Paulo", Estado: "SP", CEP: "01305-000"})
	auvoAPI, omieAPI, dir := fakeAuvo(), httptest.NewServer(omie), tempDir()
	defer auvoAPI.Close()
	defer omieAPI.Close()
	defer os.RemoveAll(dir)

	r, err := runner.New(&runner.Config{
		State: filepath.Join(dir, "auvosync.db"),
		Connections: []runner.ConnConfig{{
			Name:  "acme",
			Flows: []syncrules.Flow{syncrules.OmieToAuvo},
			Auvo:  runner.AuvoConfig{BaseURL: auvoAPI.URL + "/v2", APIKey: auvofake.DefaultAPIKey, APIToken: auvofake.DefaultAPIToken},
			Omie:  &runner.OmieConfig{BaseURL: omieAPI.URL + "/api/v1", AppKey: omiefake.DefaultAppKey, AppSecret: omiefake.DefaultAppSecret},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	cycle := r.RunOnce(context.Background())
	for _, s := range cycle.Summaries {
		fmt.Printf("%s %s: %d seen, %d created\n", s.Connection, s.Flow, s.Seen, s.Counts[syncrules.Created])
	}
	fmt.Println("every flow completed:", cycle.OK())
	// Output:
	// acme omie-to-auvo: 1 seen, 1 created
	// every flow completed: true
}

// A configuration error names the connection and the key at fault; the
// runner prints each problem and exits 2.
func ExampleParseConfig() {
	_, err := runner.ParseConfig([]byte(`
connections:
  - name: acme
    flows: [auvo-to-omie, omie-to-auvo]
    auvo:
      api_key: ${AUVO_API_KEY}
      api_token: ${AUVO_API_TOKEN}
    omie:
      base_url: http://app.omie.com.br/api/v1
      app_key: ${OMIE_APP_KEY}
      app_secret: ${OMIE_APP_SECRET}
`), runner.WithEnv(func(name string) string {
		if name == "OMIE_APP_SECRET" {
			return ""
		}
		return "set"
	}))
	fmt.Println(err)
	// Output:
	// config: connection "acme": omie.base_url must use https: plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8, ::1), not "app.omie.com.br", because credentials travel with every request
	// config: connection "acme": omie.app_secret is missing (environment variable OMIE_APP_SECRET is not set)
}

// startFakes starts fake Auvo and Omie APIs and names a state file for
// them; stop ends it all.
func startFakes() (vars map[string]string, stop func()) {
	auvoAPI, omieAPI, dir := fakeAuvo(), httptest.NewServer(omiefake.New()), tempDir()
	return map[string]string{"STATE": filepath.Join(dir, "auvosync.db"), "AUVO": auvoAPI.URL, "OMIE": omieAPI.URL},
		func() { auvoAPI.Close(); omieAPI.Close(); _ = os.RemoveAll(dir) }
}

// fakeAuvo is a fake Auvo account with one active customer, on loopback.
func fakeAuvo() *httptest.Server {
	auvo := auvofake.New()
	auvo.Seed(auvofake.Customer{Name: "Ana Souza", CpfCnpj: "529.982.247-25", Active: true,
		Address: "Av. Paulista, 1578, Bela Vista - São Paulo - SP"})
	return httptest.NewServer(auvo)
}

func tempDir() string {
	dir, err := os.MkdirTemp("", "auvosync-example-")
	if err != nil {
		log.Fatal(err)
	}
	return dir
}
