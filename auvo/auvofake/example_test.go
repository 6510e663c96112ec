package auvofake_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/auvosync/auvosync/auvo/auvofake"
)

func Example() {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	fake := auvofake.New(auvofake.WithClock(func() time.Time { return now }))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	id := fake.Seed(auvofake.Customer{ExternalID: "OMIE:1", Name: "Padaria", AddressComplement: "Loja 1", Active: true})

	login, _ := http.Post(srv.URL+"/v2/login/", "application/json",
		strings.NewReader(`{"apiKey":"fake-api-key","apiToken":"fake-api-token"}`))
	var answer struct {
		Result struct {
			AccessToken string `json:"accessToken"`
		} `json:"result"`
	}
	_ = json.NewDecoder(login.Body).Decode(&answer)
	login.Body.Close()
	token := answer.Result.AccessToken

	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v2/customers/%d", srv.URL, id), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, _ := http.DefaultClient.Do(req)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(body)[:80])

	fake.RateLimitBurst(1)
	resp, _ = http.DefaultClient.Do(req)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(body))
	fmt.Println("GET calls:", fake.Calls(auvofake.EndpointGet), "writes:", fake.WriteCalls())
	// Output:
	// 200 {"result":{"id":1001,"externalId":"OMIE:1","description":"Padaria","cpfCnpj":"",
	// 403 {"error":"Rate limit temporarily exceeded"}
	// GET calls: 2 writes: 0
}
