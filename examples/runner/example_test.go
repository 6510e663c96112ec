package main

import (
	"fmt"
	"os"
)

// A configuration error names the connection and the key at fault; the
// runner prints each problem and exits 2.
func ExampleParseConfig() {
	_, err := ParseConfig([]byte(`
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
`), func(name string) string {
		if name == "OMIE_APP_SECRET" {
			return ""
		}
		return "set"
	})
	fmt.Println(err)
	// Output:
	// config: connection "acme": omie.base_url must use https: plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8, ::1), not "app.omie.com.br", because credentials travel with every request
	// config: connection "acme": omie.app_secret is missing (environment variable OMIE_APP_SECRET is not set)
}

// Documents in the demo are computed, check digits included.
func Example_demoDocuments() {
	fmt.Println(demoCPF(529_982_247), demoCNPJ("AB12CD340001"))
	fmt.Fprintln(os.Stdout, breakCheckDigits(demoCPF(529_982_247)))
	// Output:
	// 529.982.247-25 AB.12C.D34/0001-84
	// 529.982.247-26
}
