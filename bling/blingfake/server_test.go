package blingfake_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/internal/brtime"
)

var saoPaulo = brtime.SaoPaulo

var start = time.Date(2025, 3, 10, 12, 0, 0, 0, saoPaulo)

type harness struct {
	t     *testing.T
	fake  *blingfake.Server
	srv   *httptest.Server
	clock *blingfake.Clock
	token string
}

func newHarness(t *testing.T, opts ...blingfake.Option) *harness {
	clock := blingfake.NewClock(start)
	fake := blingfake.New(append([]blingfake.Option{blingfake.WithClock(clock.Now)}, opts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &harness{t: t, fake: fake, srv: srv, clock: clock}
}

type answer struct {
	status int
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(a.body, &m), string(a.body))
	return m
}

func (h *harness) refresh(refreshToken string) answer {
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/Api/v3/oauth/token",
		strings.NewReader(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(blingfake.DefaultClientID, blingfake.DefaultClientSecret)
	return h.send(req)
}

func (h *harness) login() {
	a := h.refresh(h.fake.CurrentRefreshToken())
	require.Equal(h.t, http.StatusOK, a.status)
	h.token = a.json(h.t)["access_token"].(string)
}

func (h *harness) call(method, path, body string) answer {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, h.srv.URL+"/Api/v3"+path, r)
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	return h.send(req)
}

func (h *harness) send(req *http.Request) answer {
	resp, err := h.srv.Client().Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, data}
}

func (h *harness) listIDs(query string) []int64 {
	a := h.call(http.MethodGet, "/contatos?"+query, "")
	require.Equal(h.t, http.StatusOK, a.status, string(a.body))
	var env struct {
		Data []struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	require.NoError(h.t, json.Unmarshal(a.body, &env))
	ids := []int64{}
	for _, d := range env.Data {
		ids = append(ids, d.ID)
	}
	return ids
}

func errorType(t *testing.T, a answer) string {
	t.Helper()
	e, ok := a.json(t)["error"].(map[string]any)
	require.True(t, ok, "Bling error envelope: %s", a.body)
	for _, k := range []string{"type", "message", "description"} {
		assert.Contains(t, e, k)
	}
	return e["type"].(string)
}

func TestTokenEndpointRotatesRefreshTokens(t *testing.T) {
	h := newHarness(t)
	first := h.refresh(blingfake.DefaultRefreshToken)
	require.Equal(t, http.StatusOK, first.status)
	tok := first.json(t)
	assert.EqualValues(t, 21600, tok["expires_in"])
	assert.Equal(t, "Bearer", tok["token_type"])
	assert.NotEqual(t, blingfake.DefaultRefreshToken, tok["refresh_token"])
	assert.Equal(t, tok["refresh_token"], h.fake.CurrentRefreshToken())

	again := h.refresh(blingfake.DefaultRefreshToken)
	assert.Equal(t, http.StatusBadRequest, again.status)
	assert.Equal(t, "invalid_grant", again.json(t)["error"], "a rotated refresh token is dead")

	second := h.refresh(tok["refresh_token"].(string))
	require.Equal(t, http.StatusOK, second.status)

	h.clock.Advance(blingfake.RefreshTokenTTL)
	assert.Equal(t, "invalid_grant", h.refresh(h.fake.CurrentRefreshToken()).json(t)["error"], "refresh tokens last 30 days")
	h.fake.SetRefreshToken("re-authorised")
	assert.Equal(t, http.StatusOK, h.refresh("re-authorised").status)
	h.fake.RevokeRefreshTokens()
	assert.Equal(t, "invalid_grant", h.refresh(h.fake.CurrentRefreshToken()).json(t)["error"])
}

func TestTokenEndpointChecksClientCredentialsAndGrant(t *testing.T) {
	h := newHarness(t, blingfake.WithCredentials("id", "secret"))
	a := h.refresh(blingfake.DefaultRefreshToken) // default credentials are wrong here
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Equal(t, "invalid_client", a.json(t)["error"])

	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/oauth/token", strings.NewReader("grant_type=password"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("id", "secret")
	assert.Equal(t, "unsupported_grant_type", h.send(req).json(t)["error"])
}

func TestMoreThanTwentyTokenCallsInAMinuteBlockTheIPForAnHour(t *testing.T) {
	h := newHarness(t)
	h.login()
	for range 19 {
		h.refresh("wrong")
	}
	a := h.refresh(h.fake.CurrentRefreshToken())
	assert.Equal(t, http.StatusTooManyRequests, a.status)
	assert.True(t, h.fake.Blocked())
	assert.Equal(t, http.StatusTooManyRequests, h.call(http.MethodGet, "/contatos", "").status, "the whole API is blocked")
	h.clock.Advance(time.Hour)
	assert.False(t, h.fake.Blocked())
	assert.Equal(t, http.StatusOK, h.call(http.MethodGet, "/contatos", "").status)
}

func TestAccessTokensExpireAfterSixHours(t *testing.T) {
	h := newHarness(t)
	assert.Equal(t, "UNAUTHORIZED", errorType(t, h.call(http.MethodGet, "/contatos", "")))
	h.login()
	assert.Equal(t, http.StatusOK, h.call(http.MethodGet, "/contatos", "").status)
	h.clock.Advance(blingfake.AccessTokenTTL)
	assert.Equal(t, http.StatusUnauthorized, h.call(http.MethodGet, "/contatos", "").status)
	h.login()
	h.fake.ExpireTokens()
	assert.Equal(t, http.StatusUnauthorized, h.call(http.MethodGet, "/contatos", "").status)
}

func TestListCriterioSemantics(t *testing.T) {
	h := newHarness(t, blingfake.WithLatestAdded(3))
	var ids []int64
	for i := range 6 {
		ids = append(ids, h.fake.Seed(blingfake.Contact{Nome: fmt.Sprint(i), DataInclusao: start.Add(time.Duration(i) * time.Hour)}))
	}
	h.fake.Update(ids[5], func(c *blingfake.Contact) { c.Situacao = "E" })
	h.fake.Update(ids[0], func(c *blingfake.Contact) { c.Situacao = "S" })
	h.fake.Update(ids[1], func(c *blingfake.Contact) { c.Situacao = "I" })
	h.login()
	assert.Equal(t, []int64{ids[2], ids[3], ids[4]}, h.listIDs(""), "default criterio 3: only the latest added")
	assert.Equal(t, []int64{ids[2], ids[3], ids[4]}, h.listIDs("criterio=3"))
	assert.Equal(t, ids[:5], h.listIDs("criterio=1"), "1: all but the excluded")
	assert.Equal(t, []int64{ids[5]}, h.listIDs("criterio=2"), "2: the excluded")
	assert.Equal(t, []int64{ids[0]}, h.listIDs("criterio=4"), "4: without movement")
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodGet, "/contatos?criterio=9", "")))
}

// WithCriterioIgnored: whatever criterio is sent, the listing is the
// default's, the latest added; an old contact changed today is missing
// from the changed-since listing although criterio=1 was asked for.
func TestListWithCriterioIgnoredAnswersTheLatestAddedWhateverIsSent(t *testing.T) {
	h := newHarness(t, blingfake.WithLatestAdded(2), blingfake.WithCriterioIgnored())
	var ids []int64
	for i := range 4 {
		ids = append(ids, h.fake.Seed(blingfake.Contact{Nome: fmt.Sprint(i), DataInclusao: start.Add(time.Duration(i) * time.Hour)}))
	}
	h.clock.Advance(24 * time.Hour)
	h.fake.Update(ids[0], func(c *blingfake.Contact) { c.Nome = "changed" })
	h.login()
	for _, q := range []string{"", "criterio=1", "criterio=3", "criterio=4"} {
		assert.Equal(t, ids[2:], h.listIDs(q), "criterio %q", q)
	}
	since := url.QueryEscape(start.Add(12 * time.Hour).Format("2006-01-02 15:04:05"))
	assert.Empty(t, h.listIDs("criterio=1&dataAlteracaoInicial="+since), "the changed contact is not among the latest added")
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodGet, "/contatos?criterio=9", "")))
}

func TestListItemsAreSummariesAndGetIsTheDetail(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Seed(blingfake.Contact{Nome: "Ana", Codigo: "C1", NumeroDocumento: "529.982.247-25", Telefone: "1", Celular: "2",
		Email: "ana@example.com", Endereco: blingfake.Endereco{Geral: blingfake.EnderecoDados{Municipio: "Recife", UF: "PE"}},
		TiposContato: []blingfake.TipoContato{{ID: 5, Descricao: "Cliente"}},
		Extra:        map[string]json.RawMessage{"vendedor": json.RawMessage(`{"id":9}`)}})
	h.login()
	list := h.call(http.MethodGet, "/contatos?criterio=1", "").json(t)
	items := list["data"].([]any)
	require.Len(t, items, 1)
	var keys []string
	for k := range items[0].(map[string]any) {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"celular", "codigo", "id", "nome", "numeroDocumento", "situacao", "telefone"}, keys)
	assert.IsType(t, float64(0), items[0].(map[string]any)["id"], "ids are integers")

	detail := h.call(http.MethodGet, fmt.Sprintf("/contatos/%d", id), "").json(t)["data"].(map[string]any)
	assert.Equal(t, "ana@example.com", detail["email"])
	assert.Equal(t, "F", detail["tipo"])
	assert.Equal(t, "Recife", detail["endereco"].(map[string]any)["geral"].(map[string]any)["municipio"])
	assert.Equal(t, "Cliente", detail["tiposContato"].([]any)[0].(map[string]any)["descricao"])
	assert.Equal(t, map[string]any{"id": float64(9)}, detail["vendedor"])
	assert.NotContains(t, detail, "observacao", "Bling contacts have no notes")

	assert.Equal(t, "RESOURCE_NOT_FOUND", errorType(t, h.call(http.MethodGet, "/contatos/999", "")))
}

func TestListPaginationAndFilters(t *testing.T) {
	h := newHarness(t)
	for i := range 250 {
		h.fake.Seed(blingfake.Contact{Nome: fmt.Sprint(i), NumeroDocumento: fmt.Sprintf("%011d", i+1)})
	}
	h.login()
	assert.Len(t, h.listIDs("criterio=1&limite=500"), 100, "limite is capped at 100")
	assert.Len(t, h.listIDs("criterio=1&pagina=3"), 50)
	assert.Empty(t, h.listIDs("criterio=1&pagina=4"))
	assert.Len(t, h.listIDs("criterio=1&numeroDocumento=000.000.000-42"), 1)
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodGet, "/contatos?pagina=0", "")))
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodGet, "/contatos?limite=x", "")))
}

func TestListDateFilters(t *testing.T) {
	h := newHarness(t)
	a := h.fake.Seed(blingfake.Contact{Nome: "a"})
	h.clock.Advance(time.Hour)
	b := h.fake.Seed(blingfake.Contact{Nome: "b"})
	h.clock.Advance(time.Hour)
	h.fake.Update(a, func(c *blingfake.Contact) { c.Nome = "a2" })
	h.login()
	q := func(from, to string) string {
		v := url.Values{"criterio": {"1"}, "dataAlteracaoInicial": {from}}
		if to != "" {
			v.Set("dataAlteracaoFinal", to)
		}
		return v.Encode()
	}
	assert.Equal(t, []int64{a, b}, h.listIDs(q("2025-03-10 13:00:00", "")))
	assert.Equal(t, []int64{b}, h.listIDs(q("2025-03-10 13:00:00", "2025-03-10 13:00:00")), "bounds are inclusive")
	assert.Equal(t, []int64{a}, h.listIDs(q("2025-03-10 13:00:01", "")))
	assert.Equal(t, []int64{b}, h.listIDs(url.Values{"criterio": {"1"}, "dataInclusaoInicial": {"2025-03-10 12:30:00"}}.Encode()))

	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodGet, "/contatos?"+q("2025-03-10T13:00:00Z", ""), "")))
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodGet, "/contatos?"+q("2024-01-01 00:00:00", "2025-01-01 00:00:01"), "")), "over a year")
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodGet, "/contatos?"+q("2024-03-10 13:59:59", ""), "")), "an open end counts up to now")
}

func TestWritesFollowBlingsStatusCodesAndValidation(t *testing.T) {
	h := newHarness(t)
	h.login()
	created := h.call(http.MethodPost, "/contatos", `{"nome":"Ana","situacao":"A","tipo":"F","numeroDocumento":"52998224725","vendedor":{"id":3}}`)
	require.Equal(t, http.StatusCreated, created.status, string(created.body))
	id := int64(created.json(t)["data"].(map[string]any)["id"].(float64))
	stored, ok := h.fake.Contact(id)
	require.True(t, ok)
	assert.JSONEq(t, `{"id":3}`, string(stored.Extra["vendedor"]))

	missing := h.call(http.MethodPost, "/contatos", `{"tipo":"F"}`)
	assert.Equal(t, http.StatusBadRequest, missing.status)
	assert.Equal(t, "MISSING_REQUIRED_FIELD_ERROR", errorType(t, missing))
	fields := missing.json(t)["error"].(map[string]any)["fields"].([]any)
	assert.Len(t, fields, 2, "nome and situacao")
	assert.Equal(t, "INVALID_REQUEST_BODY", errorType(t, h.call(http.MethodPost, "/contatos", `[1]`)))
	assert.Equal(t, "EMPTY_REQUEST_BODY", errorType(t, h.call(http.MethodPost, "/contatos", ` `)))
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodPost, "/contatos", `{"nome":"X","situacao":"Q","tipo":"F"}`)))

	h.clock.Advance(time.Minute)
	put := h.call(http.MethodPut, fmt.Sprintf("/contatos/%d", id), `{"nome":"Ana B","situacao":"A","tipo":"F"}`)
	assert.Equal(t, http.StatusNoContent, put.status)
	assert.Empty(t, put.body)
	stored, _ = h.fake.Contact(id)
	assert.Equal(t, "Ana B", stored.Nome)
	assert.Empty(t, stored.NumeroDocumento, "PUT replaces the whole contact")
	assert.Nil(t, stored.Extra)
	assert.Equal(t, start.Add(time.Minute), stored.DataAlteracao)
	assert.Equal(t, start, stored.DataInclusao)
	assert.Equal(t, http.StatusNotFound, h.call(http.MethodPut, "/contatos/1", `{"nome":"x","situacao":"A","tipo":"F"}`).status)

	assert.Equal(t, http.StatusNoContent, h.call(http.MethodPatch, fmt.Sprintf("/contatos/%d/situacoes", id), `{"situacao":"I"}`).status)
	stored, _ = h.fake.Contact(id)
	assert.Equal(t, "I", stored.Situacao)
	assert.Equal(t, "VALIDATION_ERROR", errorType(t, h.call(http.MethodPatch, fmt.Sprintf("/contatos/%d/situacoes", id), `{"situacao":"X"}`)))

	assert.Equal(t, http.StatusNoContent, h.call(http.MethodDelete, fmt.Sprintf("/contatos/%d", id), "").status)
	_, ok = h.fake.Contact(id)
	assert.False(t, ok)
	assert.Equal(t, "METHOD_NOT_ALLOWED", errorType(t, h.call(http.MethodPatch, "/contatos", "")))
	assert.Equal(t, http.StatusNotFound, h.call(http.MethodGet, "/produtos", "").status)

	assert.Equal(t, 5+2+2+1+1, h.fake.WriteCalls(), "token calls are not writes")
	assert.Equal(t, 5, h.fake.Calls("POST /contatos"))
	assert.Equal(t, 1, h.fake.Calls("POST /oauth/token"))
	h.fake.ResetCalls()
	assert.Zero(t, h.fake.Calls("POST"))
}

func TestFaultInjection(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.fake.FailNext("GET /contatos", 1, 503, "")
	h.fake.FailNext("GET /contatos", 1, 418, `{"custom":true}`)
	assert.Equal(t, "SERVER_ERROR", errorType(t, h.call(http.MethodGet, "/contatos", "")))
	custom := h.call(http.MethodGet, "/contatos", "")
	assert.Equal(t, 418, custom.status)
	assert.JSONEq(t, `{"custom":true}`, string(custom.body))
	assert.Equal(t, http.StatusOK, h.call(http.MethodGet, "/contatos", "").status)

	// net/http itself resends a GET on a dropped reused connection, so drop a POST.
	h.fake.FailNext("POST /contatos", 1, 0, "")
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/contatos", strings.NewReader(`{}`))
	_, err := h.srv.Client().Do(req)
	assert.Error(t, err, "status 0 drops the connection")
	assert.Empty(t, h.fake.Contacts())

	h.fake.SetDelay(30 * time.Millisecond)
	began := time.Now()
	h.call(http.MethodGet, "/contatos", "")
	assert.GreaterOrEqual(t, time.Since(began), 30*time.Millisecond)
	h.fake.SetDelay(0)
}

func TestRateLimitIsSwitchable(t *testing.T) {
	h := newHarness(t)
	h.login()
	for range 5 {
		assert.Equal(t, http.StatusOK, h.call(http.MethodGet, "/contatos", "").status, "off by default")
	}
	h.fake.SetRateLimit(true)
	statuses := map[int]int{}
	for range 5 {
		statuses[h.call(http.MethodGet, "/contatos", "").status]++
	}
	assert.Equal(t, map[int]int{200: 3, 429: 2}, statuses)
	assert.Equal(t, 2, h.fake.RateLimited())
	assert.Equal(t, "TOO_MANY_REQUESTS", errorType(t, h.call(http.MethodGet, "/contatos", "")))
}

func TestSeedUpdateAndReadHelpers(t *testing.T) {
	h := newHarness(t)
	late := h.fake.Seed(blingfake.Contact{ID: 500, Nome: "late"})
	early := h.fake.Seed(blingfake.Contact{ID: 100, Nome: "early", NumeroDocumento: "11222333000181"})
	next := h.fake.Seed(blingfake.Contact{Nome: "next"})
	assert.Greater(t, next, late, "new ids keep growing")
	all := h.fake.Contacts()
	require.Len(t, all, 3)
	assert.Equal(t, []int64{early, late, next}, []int64{all[0].ID, all[1].ID, all[2].ID})
	assert.Equal(t, "J", all[0].Tipo, "a 14-digit document seeds a company")
	assert.Equal(t, "A", all[0].Situacao)

	h.clock.Advance(time.Hour)
	assert.NoError(t, h.fake.Update(early, func(c *blingfake.Contact) { c.NumeroDocumento = "52998224725" }))
	assert.ErrorIs(t, h.fake.Update(999, func(*blingfake.Contact) {}), blingfake.ErrNotFound)
	got, _ := h.fake.Contact(early)
	assert.Equal(t, start.Add(time.Hour), got.DataAlteracao)
	h.login()
	assert.Equal(t, []int64{early}, h.listIDs("criterio=1&numeroDocumento=52998224725"), "the document index follows updates")
	assert.Empty(t, h.listIDs("criterio=1&numeroDocumento=11222333000181"))

	got.Nome = "changed outside"
	again, _ := h.fake.Contact(early)
	assert.Equal(t, "early", again.Nome, "reads are copies")
}

func TestConcurrentUseIsSafe(t *testing.T) {
	h := newHarness(t)
	h.login()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				id := h.fake.Seed(blingfake.Contact{Nome: fmt.Sprint(i, j)})
				h.fake.Update(id, func(c *blingfake.Contact) { c.Telefone = "1" })
				h.call(http.MethodGet, "/contatos?criterio=1", "")
			}
		})
	}
	wg.Wait()
	assert.Len(t, h.fake.Contacts(), 160)
}

func BenchmarkListTenThousand(b *testing.B) {
	fake := blingfake.New()
	for i := range 10_000 {
		fake.Seed(blingfake.Contact{Nome: fmt.Sprint(i), NumeroDocumento: fmt.Sprintf("%011d", i)})
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	tok := struct {
		AccessToken string `json:"access_token"`
	}{}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader("grant_type=refresh_token&refresh_token="+blingfake.DefaultRefreshToken))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(blingfake.DefaultClientID, blingfake.DefaultClientSecret)
	resp, err := srv.Client().Do(req)
	require.NoError(b, err)
	require.NoError(b, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	b.ResetTimer()
	for b.Loop() {
		for page := 1; page <= 100; page++ {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/contatos?criterio=1&pagina=%d", srv.URL, page), nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			resp, err := srv.Client().Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
}

func TestWithLimitsScalesTheRateLimit(t *testing.T) {
	h := newHarness(t, blingfake.WithLimits(2, time.Minute))
	h.login()
	statuses := map[int]int{}
	for range 4 {
		statuses[h.call(http.MethodGet, "/contatos", "").status]++
	}
	assert.Equal(t, map[int]int{200: 2, 429: 2}, statuses, "2 a minute, on from the start")
	assert.Equal(t, 2, h.fake.RateLimited())
}
