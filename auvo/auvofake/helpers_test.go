package auvofake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/internal/testkit"
)

// harness talks raw HTTP to the fake, so the wire format itself is tested.
type harness struct {
	t     *testing.T
	fake  *auvofake.Server
	srv   *httptest.Server
	clock *testkit.Clock
	token string
}

func newHarness(t *testing.T, opts ...auvofake.Option) *harness {
	t.Helper()
	c := testkit.NewClock(time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)) // 12:00 in São Paulo
	fake := auvofake.New(append([]auvofake.Option{auvofake.WithClock(c.Now)}, opts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &harness{t: t, fake: fake, srv: srv, clock: c}
}

type reply struct {
	Status int
	Body   string
	JSON   map[string]any
}

func (h *harness) do(method, path, body string, header ...string) reply {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	require.NoError(h.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if h.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	r := reply{Status: resp.StatusCode, Body: string(data)}
	if len(data) > 0 && data[0] == '{' {
		require.NoError(h.t, json.Unmarshal(data, &r.JSON), string(data))
	}
	return r
}

func (h *harness) login() {
	h.t.Helper()
	r := h.do(http.MethodPost, "/v2/login/", `{"apiKey":"`+auvofake.DefaultAPIKey+`","apiToken":"`+auvofake.DefaultAPIToken+`"}`)
	require.Equal(h.t, http.StatusOK, r.Status, r.Body)
	h.token = result(h.t, r)["accessToken"].(string)
}

func result(t *testing.T, r reply) map[string]any {
	t.Helper()
	res, ok := r.JSON["result"].(map[string]any)
	require.True(t, ok, "no result envelope in %s", r.Body)
	return res
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func decodeToken(tb testing.TB, resp *http.Response, token *string) {
	tb.Helper()
	defer resp.Body.Close()
	var env struct {
		Result struct {
			AccessToken string `json:"accessToken"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Result.AccessToken == "" {
		tb.Fatalf("login failed: %v", err)
	}
	*token = env.Result.AccessToken
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
