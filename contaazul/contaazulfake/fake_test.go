package contaazulfake_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/internal/brtime"
	"github.com/auvosync/auvosync/internal/testkit"
)

var sp = brtime.SaoPaulo

type harness struct {
	t     *testing.T
	fake  *contaazulfake.Server
	srv   *httptest.Server
	clock *testkit.Clock
	token string
}

func newHarness(t *testing.T, opts ...contaazulfake.Option) *harness {
	t.Helper()
	c := testkit.NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, sp))
	fake := contaazulfake.New(append([]contaazulfake.Option{contaazulfake.WithClock(c.Now)}, opts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &harness{t: t, fake: fake, srv: srv, clock: c}
}

func (h *harness) refresh(refresh, id, secret string) (int, map[string]any) {
	h.t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	require.NoError(h.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(h.t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

// login gets an access token with the current refresh token.
func (h *harness) login() {
	h.t.Helper()
	status, body := h.refresh(h.fake.CurrentRefreshToken(), "fake-client-id", "fake-client-secret")
	require.Equal(h.t, http.StatusOK, status)
	h.token = body["access_token"].(string)
}

func (h *harness) do(method, path, body string) (int, http.Header, []byte) {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	require.NoError(h.t, err)
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return resp.StatusCode, resp.Header, data
}

func TestTokenEndpointRotatesRefreshTokensAndRejectsOldOnes(t *testing.T) {
	h := newHarness(t, contaazulfake.WithRefreshToken("first"))
	status, body := h.refresh("first", "fake-client-id", "fake-client-secret")
	require.Equal(t, http.StatusOK, status)
	assert.EqualValues(t, 3600, body["expires_in"])
	assert.Equal(t, "Bearer", body["token_type"])
	next := body["refresh_token"].(string)
	assert.NotEqual(t, "first", next)
	assert.Equal(t, next, h.fake.CurrentRefreshToken())

	status, body = h.refresh("first", "fake-client-id", "fake-client-secret")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
	assert.NotContains(t, fmt.Sprint(body), "first", "errors never echo the token")

	status, body = h.refresh(next, "fake-client-id", "wrong-secret")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "invalid_client", body["error"])
	assert.Equal(t, 3, h.fake.Calls(contaazulfake.EndpointToken))
}

func TestAccessTokenLastsOneHour(t *testing.T) {
	h := newHarness(t)
	h.login()
	status, _, _ := h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusOK, status)
	h.clock.Advance(59 * time.Minute)
	status, _, _ = h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusOK, status)
	h.clock.Advance(time.Minute)
	status, _, _ = h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusUnauthorized, status)
}

func TestRevokingAndExpiringTokens(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.fake.ExpireTokens()
	status, _, _ := h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	h.login()
	h.fake.RevokeAccessTokens()
	status, _, _ = h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusUnauthorized, status)

	h.fake.RevokeRefreshTokens()
	status, body := h.refresh(h.fake.CurrentRefreshToken(), "fake-client-id", "fake-client-secret")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
	fresh := h.fake.Reauthorize()
	status, _ = h.refresh(fresh, "fake-client-id", "fake-client-secret")
	assert.Equal(t, http.StatusOK, status)
}

func TestListAndDetailShapesDiffer(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Seed(contaazulfake.Person{
		Name: "Maria Souza", Document: "12345678909", Email: "m@example.com",
		PhoneCommercial: "1133334444", PhoneMobile: "11999998888", Note: "obs", Code: "A1",
		Active: true, Profiles: []string{"cliente", "Fornecedor"},
		Addresses: []contaazulfake.Address{{Street: "Rua A", Number: "1", District: "Centro", City: "São Paulo", State: "SP", ZIP: "01000-000", Country: "Brasil"}},
	})
	_, err := uuid.Parse(id)
	require.NoError(t, err, "ids are UUIDs")
	h.login()

	status, _, data := h.do(http.MethodGet, "/v1/pessoas", "")
	require.Equal(t, http.StatusOK, status)
	var list map[string]any
	require.NoError(t, json.Unmarshal(data, &list))
	assert.EqualValues(t, 1, list["totalItems"], "camelCase keys on this resource")
	item := list["items"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{"CLIENTE", "FORNECEDOR"}, item["perfis"])
	assert.Equal(t, "123.456.789-09", item["documento"])
	assert.Equal(t, "1133334444", item["telefone"])
	assert.Nil(t, item["endereco"], "no address without com_endereco")
	assert.Equal(t, "obs", item["observacoes_gerais"])
	assert.Regexp(t, `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$`, item["data_alteracao"])
	assert.NotContains(t, item, "codigo")

	_, _, data = h.do(http.MethodGet, "/v1/pessoas?com_endereco=true", "")
	require.NoError(t, json.Unmarshal(data, &list))
	item = list["items"].([]any)[0].(map[string]any)
	assert.Equal(t, "SP", item["endereco"].(map[string]any)["estado"])

	status, _, data = h.do(http.MethodGet, "/v1/pessoas/"+id, "")
	require.Equal(t, http.StatusOK, status)
	var detail map[string]any
	require.NoError(t, json.Unmarshal(data, &detail))
	assert.Equal(t, "Física", detail["tipo_pessoa"])
	assert.Equal(t, "A1", detail["codigo"])
	assert.Equal(t, "11999998888", detail["telefone_celular"])
	perfis := detail["perfis"].([]any)
	assert.Equal(t, "Cliente", perfis[0].(map[string]any)["tipo_perfil"])
	assert.Len(t, detail["enderecos"], 1)
	assert.Equal(t, "2026-03-10T09:00:00", detail["data_alteracao"])

	status, _, _ = h.do(http.MethodGet, "/v1/pessoas/"+uuid.NewString(), "")
	assert.Equal(t, http.StatusNotFound, status)
}

func TestListRejectsWhatContaAzulRejects(t *testing.T) {
	h := newHarness(t)
	h.login()
	cases := map[string]int{
		"tamanho_pagina=10":                      200,
		"tamanho_pagina=1000":                    200,
		"tamanho_pagina=25":                      400,
		"tamanho_pagina=0":                       400,
		"pagina=0":                               400,
		"tipo_perfil=Cliente":                    200,
		"tipo_perfil=CLIENTE":                    400,
		"com_endereco=sim":                       400,
		"data_alteracao_de=2026-01-01T00:00:00":  400,
		"data_alteracao_ate=2026-01-01T00:00:00": 400,
		"data_alteracao_de=2026-01-01T00:00:00&data_alteracao_ate=2026-03-01T00:00:00":             200,
		"data_alteracao_de=2025-01-01T00:00:00&data_alteracao_ate=2026-01-01T00:00:00":             200,
		"data_alteracao_de=2025-01-01T00:00:00&data_alteracao_ate=2026-01-01T00:00:01":             400,
		"data_alteracao_de=2026-02-01T00:00:00&data_alteracao_ate=2026-01-01T00:00:00":             400,
		"data_alteracao_de=2026-01-01T00:00:00Z&data_alteracao_ate=2026-03-01T00:00:00Z":           400,
		"data_alteracao_de=2026-01-01T00:00:00-03:00&data_alteracao_ate=2026-03-01T00:00:00-03:00": 200,
	}
	for query, want := range cases {
		t.Run(query, func(t *testing.T) {
			status, _, body := h.do(http.MethodGet, "/v1/pessoas?"+query, "")
			assert.Equal(t, want, status, string(body))
		})
	}
}

func TestListPaginatesInNameOrder(t *testing.T) {
	h := newHarness(t)
	for i := range 25 {
		h.fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("Pessoa %02d", 24-i), Document: fmt.Sprintf("%011d", i+1), Active: true})
	}
	h.login()
	var names []string
	for page := 1; page <= 3; page++ {
		_, _, data := h.do(http.MethodGet, fmt.Sprintf("/v1/pessoas?pagina=%d&tamanho_pagina=10", page), "")
		var list struct {
			TotalItems int `json:"totalItems"`
			Items      []struct {
				Nome string `json:"nome"`
			} `json:"items"`
		}
		require.NoError(t, json.Unmarshal(data, &list))
		assert.Equal(t, 25, list.TotalItems)
		for _, it := range list.Items {
			names = append(names, it.Nome)
		}
	}
	require.Len(t, names, 25)
	assert.Equal(t, "Pessoa 00", names[0])
	assert.Equal(t, "Pessoa 24", names[24])
}

func TestCreateTakesCpfOrCnpjAndReadsBackDocumento(t *testing.T) {
	h := newHarness(t)
	h.login()
	status, _, data := h.do(http.MethodPost, "/v1/pessoas",
		`{"nome":"ACME","tipo_pessoa":"Jurídica","cnpj":"11222333000181","perfis":[{"tipo_perfil":"Cliente"}]}`)
	require.Equal(t, http.StatusCreated, status, string(data))
	var created map[string]any
	require.NoError(t, json.Unmarshal(data, &created))
	id := created["id"].(string)
	p, ok := h.fake.Person(id)
	require.True(t, ok)
	assert.True(t, p.Active, "new people are active by default")
	assert.Equal(t, []string{"Cliente"}, p.Profiles)
	_, _, data = h.do(http.MethodGet, "/v1/pessoas/"+id, "")
	assert.Contains(t, string(data), `"documento":"11.222.333/0001-81"`)

	for body, field := range map[string]string{
		`{"nome":"X","tipo_pessoa":"Física","cnpj":"11222333000181"}`:              "cnpj",
		`{"nome":"X","tipo_pessoa":"Fisica","cpf":"12345678909"}`:                  "tipo_pessoa",
		`{"tipo_pessoa":"Física"}`:                                                 "nome",
		`{"nome":"X","tipo_pessoa":"Física","documento":"12345678909"}`:            "body",
		`{"nome":"X","tipo_pessoa":"Física","perfis":[{"tipo_perfil":"CLIENTE"}]}`: "perfis",
		`{"nome":"X","tipo_pessoa":"Física","enderecos":[{"estado":"São Paulo"}]}`: "enderecos[0].estado",
		`{"nome":"X","tipo_pessoa":"Física","codigo":"123456789012345678901"}`:     "codigo",
		`{"nome":"X","tipo_pessoa":"Física","data_nascimento":"15/01/2024"}`:       "data_nascimento",
	} {
		status, _, data := h.do(http.MethodPost, "/v1/pessoas", body)
		assert.Equal(t, http.StatusBadRequest, status, body)
		var e map[string]any
		require.NoError(t, json.Unmarshal(data, &e))
		assert.Equal(t, field, e["field"], body)
	}
	assert.Equal(t, 1, h.fake.Len())
	assert.Equal(t, 9, h.fake.WriteCalls())
}

func TestPatchIs204AndValidatesTheWholeRecord(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Seed(contaazulfake.Person{Name: "Ana", Document: "12345678909", Active: true})
	h.login()
	h.clock.Advance(time.Hour / 2)
	h.login()
	status, _, data := h.do(http.MethodPatch, "/v1/pessoas/"+id, `{"email":"ana@example.com","ativo":false}`)
	require.Equal(t, http.StatusNoContent, status, string(data))
	p, _ := h.fake.Person(id)
	assert.Equal(t, "ana@example.com", p.Email)
	assert.False(t, p.Active)
	assert.Equal(t, h.clock.Now(), p.UpdatedAt, "data_alteracao moves")
	assert.Equal(t, "Ana", p.Name, "untouched fields stay")

	status, _, _ = h.do(http.MethodPatch, "/v1/pessoas/"+id, `{"nome":""}`)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, _ = h.do(http.MethodPatch, "/v1/pessoas/"+id, `{"apelido":"x"}`)
	assert.Equal(t, http.StatusBadRequest, status, "unknown fields are refused")
	status, _, _ = h.do(http.MethodPatch, "/v1/pessoas/"+uuid.NewString(), `{"email":"x@y.z"}`)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestPutNeedsTheDocumentedRequiredFields(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Seed(contaazulfake.Person{Name: "Ana", Document: "12345678909", Active: true, Note: "old",
		Addresses: []contaazulfake.Address{{Street: "Rua A", State: "SP"}}})
	h.login()
	status, _, _ := h.do(http.MethodPut, "/v1/pessoas/"+id, `{"nome":"Ana Maria"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, _ = h.do(http.MethodPut, "/v1/pessoas/"+id,
		`{"nome":"Ana Maria","codigo":"","data_nascimento":null,"email":"","observacao":"","enderecos":[{"id":"`+uuid.NewString()+`","estado":"SP"}]}`)
	assert.Equal(t, http.StatusBadRequest, status, "an address id from elsewhere")
	status, _, data := h.do(http.MethodPut, "/v1/pessoas/"+id,
		`{"nome":"Ana Maria","codigo":"","data_nascimento":null,"email":"","observacao":"","ativo":true,"enderecos":[]}`)
	require.Equal(t, http.StatusNoContent, status, string(data))
	p, _ := h.fake.Person(id)
	assert.Equal(t, "Ana Maria", p.Name)
	assert.Empty(t, p.Note, "PUT replaces the whole record")
	assert.Empty(t, p.Addresses)
	assert.Equal(t, "12345678909", p.Document, "the document stays")
}

func TestRateLimitIsSwitchableAndSaysWhenToRetry(t *testing.T) {
	h := newHarness(t, contaazulfake.WithLimits(2, 0))
	h.login()
	codes := []int{}
	for range 3 {
		status, header, _ := h.do(http.MethodGet, "/v1/pessoas", "")
		codes = append(codes, status)
		if status == http.StatusTooManyRequests {
			assert.Equal(t, "1", header.Get("Retry-After"))
		}
	}
	assert.Equal(t, []int{200, 200, 429}, codes)
	h.clock.Advance(time.Second)
	status, _, _ := h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusOK, status)

	h.fake.SetLimits(0, 3)
	for range 3 {
		status, _, _ = h.do(http.MethodGet, "/v1/pessoas", "")
		assert.Equal(t, http.StatusOK, status)
	}
	status, header, _ := h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "60", header.Get("Retry-After"))
	h.fake.SetLimits(0, 0)
	status, _, _ = h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, 2, h.fake.LimitRefusals(), "the two 429s, for the second and for the minute")
}

func TestFailNextInjectsFaultsPerEndpoint(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	h.login()
	h.fake.FailNext(contaazulfake.EndpointGet, 2, http.StatusInternalServerError, "")
	h.fake.FailNext(contaazulfake.EndpointList, 1, http.StatusBadRequest, `{"message":"boom"}`)
	for _, want := range []int{500, 500, 200} {
		status, _, _ := h.do(http.MethodGet, "/v1/pessoas/"+id, "")
		assert.Equal(t, want, status)
	}
	status, _, data := h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, `{"message":"boom"}`, string(data))
	assert.Equal(t, 3, h.fake.Calls(contaazulfake.EndpointGet))
	assert.Equal(t, 4, h.fake.ReadCalls())

	h.fake.FailNext(contaazulfake.EndpointGet, 1, 0, "")
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/v1/pessoas/"+id, nil)
	// A fresh connection: net/http silently resends a GET that died on a reused one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := fresh.Do(req)
	assert.Error(t, err, "status 0 drops the connection")

	assert.Error(t, h.fake.FailNext("GET /v1/pessoa", 1, 500, ""), "a misspelt endpoint is reported")
	assert.Error(t, h.fake.FailNext(contaazulfake.EndpointGet, 1, 200, ""))
	h.fake.ResetCalls()
	assert.Zero(t, h.fake.Calls(contaazulfake.EndpointGet))
}

func TestUpdateBumpsDataAlteracaoAndReindexes(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Seed(contaazulfake.Person{Name: "Zé", Document: "123.456.789-09", Active: true})
	h.clock.Advance(time.Minute)
	require.NoError(t, h.fake.Update(id, func(p *contaazulfake.Person) {
		p.Name = "Abel"
		p.Document = "98765432100"
	}))
	p, _ := h.fake.Person(id)
	assert.Equal(t, h.clock.Now(), p.UpdatedAt)
	assert.Empty(t, h.fake.PeopleWithDocument("12345678909"))
	assert.Len(t, h.fake.PeopleWithDocument("987.654.321-00"), 1)
	assert.ErrorIs(t, h.fake.Update(uuid.NewString(), func(*contaazulfake.Person) {}), contaazulfake.ErrNotFound)

	h.fake.Seed(contaazulfake.Person{Name: "Bia", Active: true})
	h.login()
	_, _, data := h.do(http.MethodGet, "/v1/pessoas?documentos=987.654.321-00,11111111111", "")
	assert.Contains(t, string(data), `"nome":"Abel"`)
	assert.NotContains(t, string(data), "Bia")
	_, _, data = h.do(http.MethodGet, "/v1/pessoas", "")
	assert.Less(t, strings.Index(string(data), "Abel"), strings.Index(string(data), "Bia"), "renamed people move in the name order")
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	h := newHarness(t)
	h.login()
	status, _, _ := h.do(http.MethodGet, "/v1/vendas", "")
	assert.Equal(t, http.StatusNotFound, status)
	status, _, _ = h.do(http.MethodDelete, "/v1/pessoas/"+uuid.NewString(), "")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
}
