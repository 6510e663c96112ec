package contaazulfake_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

// BenchmarkServe10k measures the fake's paging and document look-ups with
// 10,000 people (handler called directly, no network).
func BenchmarkServe10k(b *testing.B) {
	fake := contaazulfake.New()
	for i := range 10_000 {
		fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("Pessoa %05d", i), Document: fmt.Sprintf("%011d", i), Active: true})
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {fake.CurrentRefreshToken()}}
	treq := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader(form.Encode()))
	treq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	treq.SetBasicAuth("fake-client-id", "fake-client-secret")
	trec := httptest.NewRecorder()
	fake.ServeHTTP(trec, treq)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(trec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		b.Fatal("no token", trec.Body.String())
	}
	for name, query := range map[string]string{
		"page 50 of 100": "pagina=50&tamanho_pagina=100",
		"by document":    "documentos=00000004242",
		"by search":      "busca=04242",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/v1/pessoas?"+query, nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				rec := httptest.NewRecorder()
				fake.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
		})
	}
}
