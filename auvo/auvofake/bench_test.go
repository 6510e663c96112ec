package auvofake_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/auvosync/auvosync/auvo/auvofake"
)

func seeded(b *testing.B, n int) (*auvofake.Server, *httptest.Server, string) {
	b.Helper()
	fake := auvofake.New()
	for i := range n {
		fake.Seed(auvofake.Customer{Name: fmt.Sprintf("C%d", i), ExternalID: fmt.Sprintf("E%d", i),
			CpfCnpj: fmt.Sprintf("%011d", i), Active: i%3 != 0})
	}
	srv := httptest.NewServer(fake)
	b.Cleanup(srv.Close)
	resp, err := http.Post(srv.URL+"/login/", "application/json",
		stringsReader(`{"apiKey":"`+auvofake.DefaultAPIKey+`","apiToken":"`+auvofake.DefaultAPIToken+`"}`))
	if err != nil {
		b.Fatal(err)
	}
	var token string
	decodeToken(b, resp, &token)
	return fake, srv, token
}

// BenchmarkListTenThousand pages through 10,000 customers, 100 per page, as
// a full Auvo read does.
func BenchmarkListTenThousand(b *testing.B) {
	_, srv, token := seeded(b, 10000)
	for b.Loop() {
		for page := 1; ; page++ {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/customers/?page=%d&pageSize=100&paramFilter=%s",
				srv.URL, page, url.QueryEscape(`{"active":true}`)), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			drain(resp)
			if resp.StatusCode == http.StatusNotFound {
				break
			}
		}
	}
}

// BenchmarkLookupByDocumentAmongTenThousand is the flows' per-record match.
func BenchmarkLookupByDocumentAmongTenThousand(b *testing.B) {
	_, srv, token := seeded(b, 10000)
	i := 0
	for b.Loop() {
		i++
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/customers/?paramFilter="+
			url.QueryEscape(fmt.Sprintf(`{"cpfCnpj":"%011d"}`, i%10000)), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		drain(resp)
	}
}

func BenchmarkSeedTenThousand(b *testing.B) {
	for b.Loop() {
		fake := auvofake.New()
		for i := range 10000 {
			fake.Seed(auvofake.Customer{Name: "C", ExternalID: fmt.Sprintf("E%d", i), CpfCnpj: fmt.Sprintf("%011d", i)})
		}
	}
}
