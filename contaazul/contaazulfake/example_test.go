package contaazulfake_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

func Example() {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	fake := contaazulfake.New(
		contaazulfake.WithClock(func() time.Time { return now }),
		contaazulfake.WithCredentials("app", "secret"),
		contaazulfake.WithRefreshToken("rt-0"),
	)
	id := fake.Seed(contaazulfake.Person{Name: "Maria", Document: "12345678909", Active: true, Profiles: []string{"Cliente"}})
	srv := httptest.NewServer(fake)
	defer srv.Close()

	// Refresh: the answer carries a new refresh token; "rt-0" is now dead.
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt-0"}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("app", "secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("token:", resp.StatusCode, "rotated:", fake.CurrentRefreshToken() != "rt-0")

	fake.FailNext(contaazulfake.EndpointGet, 1, http.StatusInternalServerError, "")
	get := func() int {
		resp, err := http.Get(srv.URL + "/v1/pessoas/" + id)
		if err != nil {
			return 0
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	fmt.Println("fault, then no token:", get(), get())

	p, _ := fake.Person(id)
	fmt.Println(p.Name, p.PersonType, fake.Calls(contaazulfake.EndpointGet), fake.WriteCalls())
	// Output:
	// token: 200 rotated: true
	// fault, then no token: 500 401
	// Maria Física 2 0
}
