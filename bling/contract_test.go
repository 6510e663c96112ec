package bling_test

// Contract tests: facts checked against Bling's OpenAPI spec (paths
// /contatos, /contatos/{idContato}, /contatos/{idContato}/situacoes; schemas
// ContatosDadosBaseDTO, ContatosDadosDTO, ContatosEnderecoDadosDTO,
// BasePostResponse, ErrorResponse) and the reference notes §2, encoded here
// so the tests need nothing outside the repository.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/bling"
)

// Query parameters of GET /contatos in the spec.
var specListParams = []string{"pagina", "limite", "pesquisa", "criterio", "dataInclusaoInicial", "dataInclusaoFinal",
	"dataAlteracaoInicial", "dataAlteracaoFinal", "idTipoContato", "idVendedor", "uf", "telefone", "idsContatos[]",
	"numeroDocumento", "tipoPessoa"}

// Properties of ContatosDadosBaseDTO + ContatosDadosDTO.
var specContactFields = []string{"id", "nome", "codigo", "situacao", "numeroDocumento", "telefone", "celular",
	"fantasia", "tipo", "indicadorIe", "ie", "rg", "inscricaoMunicipal", "orgaoEmissor", "email", "emailNotaFiscal",
	"orgaoPublico", "endereco", "vendedor", "dadosAdicionais", "financeiro", "pais", "tiposContato", "pessoasContato"}

// Properties of ContatosEnderecoDadosDTO.
var specAddressFields = []string{"endereco", "cep", "bairro", "municipio", "uf", "numero", "complemento"}

// A detail shaped like the spec's examples.
const specDetail = `{"data":{"id":12345678,"nome":"Contato","codigo":"ASD001","situacao":"A",
"numeroDocumento":"12345678910","telefone":"(54) 3333-4444","celular":"(54) 99999-8888","fantasia":"Nome fantasia",
"tipo":"J","indicadorIe":1,"ie":"123.456.789.101","rg":"1234567890","inscricaoMunicipal":"123456789012",
"orgaoEmissor":"1234567890","email":"contato@email.com","emailNotaFiscal":"fiscal@email.com","orgaoPublico":"N",
"endereco":{"geral":{"endereco":"R. Olavo Bilac","cep":"95702-000","bairro":"Imigrante","municipio":"Bento Gonçalves","uf":"RS","numero":"914","complemento":"Sede 101"},
"cobranca":{"endereco":"R. Olavo Bilac","cep":"95702-000","bairro":"Imigrante","municipio":"Bento Gonçalves","uf":"RS","numero":"914","complemento":"Sede 101"}},
"vendedor":{"id":12345678},"dadosAdicionais":{"dataNascimento":"1990-08-24","sexo":"M","naturalidade":"Brasileira"},
"financeiro":{"limiteCredito":0,"condicaoPagamento":"30","categoria":{"id":12345678}},"pais":{"nome":"ESTADOS UNIDOS"},
"tiposContato":[{"id":12345678,"descricao":"Fornecedor"}],"pessoasContato":[{"id":12345678,"descricao":"Fornecedor Fulano"}]}}`

type captured struct {
	method, path, auth, contentType string
	query                           url.Values
	body                            []byte
}

// canned answers like Bling and records what the client sent.
type canned struct {
	mu   sync.Mutex
	reqs []captured
}

func (c *canned) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.reqs = append(c.reqs, captured{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.URL.Query(), body})
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/Api/v3/oauth/token":
		_, _ = w.Write([]byte(`{"access_token":"acc-1","expires_in":21600,"token_type":"Bearer","scope":"98309 318257583","refresh_token":"ref-2"}`))
	case r.Method == http.MethodGet && r.URL.Path == "/Api/v3/contatos":
		_, _ = w.Write([]byte(`{"data":[{"id":12345678,"nome":"Contato","codigo":"ASD001","situacao":"A","numeroDocumento":"123.456.789-10","telefone":"(54) 3333-4444","celular":"(54) 99999-8888"}]}`))
	case r.Method == http.MethodGet:
		_, _ = w.Write([]byte(specDetail))
	case r.Method == http.MethodPost:
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"data":{"id":12345678}}`))
	default: // PUT, PATCH: 204 No Content
		w.WriteHeader(http.StatusNoContent)
	}
}

func (c *canned) last(method, suffix string) captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.reqs) - 1; i >= 0; i-- {
		if c.reqs[i].method == method && strings.HasSuffix(c.reqs[i].path, suffix) {
			return c.reqs[i]
		}
	}
	return captured{}
}

func newCanned(t *testing.T) (*canned, *bling.Client) {
	t.Helper()
	h := &canned{}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := bling.New(bling.WithBaseURL(srv.URL+"/Api/v3"), bling.WithCredentials("app-id", "app-secret"),
		bling.WithRefreshToken("ref-1"), bling.WithRateLimit(), bling.WithClock(func() time.Time { return start }))
	require.NoError(t, err)
	return h, c
}

func TestContractTokenRefreshUsesBasicCredentialsAndTheRefreshGrant(t *testing.T) {
	h, c := newCanned(t)
	_, err := c.Get(context.Background(), 12345678)
	require.NoError(t, err)
	tok := h.last(http.MethodPost, "/oauth/token")
	assert.Equal(t, "/Api/v3/oauth/token", tok.path, "token endpoint defaults to {base}/oauth/token")
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("app-id:app-secret")), tok.auth)
	form, err := url.ParseQuery(string(tok.body))
	require.NoError(t, err)
	assert.Equal(t, "refresh_token", form.Get("grant_type"))
	assert.Equal(t, "ref-1", form.Get("refresh_token"))
	assert.Empty(t, form.Get("client_secret"), "credentials go in the header, not the form")
	assert.Equal(t, "Bearer acc-1", h.last(http.MethodGet, "/contatos/12345678").auth)
}

func TestContractListQuery(t *testing.T) {
	h, c := newCanned(t)
	items, err := collect(t, c.List(context.Background(), bling.ListOptions{
		Document:    "123.456.789-10",
		ChangedFrom: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
		ChangedTo:   time.Date(2025, 3, 2, 12, 0, 0, 500_000_000, time.UTC),
		PageSize:    50,
	}))
	require.NoError(t, err)
	require.Len(t, items, 1)
	assert.Equal(t, bling.Contact{ID: 12345678, Name: "Contato", Code: "ASD001", Status: "A",
		Document: "123.456.789-10", Phone: "(54) 3333-4444", Mobile: "(54) 99999-8888"}, items[0])

	q := h.last(http.MethodGet, "/contatos").query
	for name := range q {
		assert.Contains(t, specListParams, name)
	}
	assert.Equal(t, "1", q.Get("pagina"))
	assert.Equal(t, "50", q.Get("limite"))
	assert.Equal(t, "1", q.Get("criterio"), "criterio=1 always: Bling's default 3 returns only the latest added")
	assert.Equal(t, "12345678910", q.Get("numeroDocumento"), "CPF/CNPJ without punctuation")
	assert.Equal(t, "2025-03-01 09:00:00", q.Get("dataAlteracaoInicial"), "YYYY-MM-DD HH:MM:SS, São Paulo time")
	assert.Equal(t, "2025-03-02 09:00:01", q.Get("dataAlteracaoFinal"), "an inclusive end rounds a fraction up")
}

// An alphanumeric CNPJ goes out as Bling's filter wants a CPF/CNPJ,
// "desconsiderando a pontuação": its letters are not punctuation.
func TestContractListQueryKeepsAnAlphanumericCNPJsLetters(t *testing.T) {
	h, c := newCanned(t)
	_, err := collect(t, c.List(context.Background(), bling.ListOptions{Document: "12.abc.345/01de-35"}))
	require.NoError(t, err)
	assert.Equal(t, "12ABC34501DE35", h.last(http.MethodGet, "/contatos").query.Get("numeroDocumento"))
}

func TestContractDetailDecodesTheSpecExample(t *testing.T) {
	_, c := newCanned(t)
	got, err := c.Get(context.Background(), 12345678)
	require.NoError(t, err)
	assert.Equal(t, int64(12345678), got.ID)
	assert.Equal(t, "Nome fantasia", got.TradeName)
	assert.Equal(t, bling.TypeCompany, got.Type)
	assert.Equal(t, "contato@email.com", got.Email)
	assert.Equal(t, "fiscal@email.com", got.InvoiceEmail)
	assert.Equal(t, "123.456.789.101", got.StateRegistration)
	assert.Equal(t, 1, got.StateRegistrationIndicator)
	assert.Equal(t, bling.Address{Endereco: "R. Olavo Bilac", Numero: "914", Complemento: "Sede 101", Bairro: "Imigrante",
		Municipio: "Bento Gonçalves", UF: "RS", CEP: "95702-000"}, got.Address)
	assert.Equal(t, []bling.ContactType{{ID: 12345678, Descricao: "Fornecedor"}}, got.ContactTypes)
}

func TestContractWriteBodiesUseSpecFieldNames(t *testing.T) {
	h, c := newCanned(t)
	ctx := context.Background()
	created, err := c.Create(ctx, bling.Contact{Name: "Contato", Type: bling.TypePerson, Document: "12345678910",
		Email: "a@b.c", Phone: "1", Mobile: "2", Code: "X", TradeName: "F", InvoiceEmail: "n@b.c", StateRegistration: "ISENTO",
		StateRegistrationIndicator: 9, Address: bling.Address{Endereco: "R", Numero: "1", Complemento: "c", Bairro: "b", Municipio: "m", UF: "RS", CEP: "1"},
		ContactTypes: []bling.ContactType{{ID: 7}}})
	require.NoError(t, err)
	assert.Equal(t, int64(12345678), created.ID, "201 {data:{id}}")

	post := h.last(http.MethodPost, "/contatos")
	assert.Equal(t, "application/json", post.contentType)
	checkSpecKeys(t, post.body)
	var sent map[string]any
	require.NoError(t, json.Unmarshal(post.body, &sent))
	assert.Equal(t, "A", sent["situacao"], "required by the spec; defaults to active")
	assert.Equal(t, "F", sent["tipo"])
	assert.NotContains(t, sent, "id", "id is read-only")

	got, err := c.Get(ctx, 12345678)
	require.NoError(t, err)
	got.Phone = "(54) 0000-0000"
	require.NoError(t, c.Update(ctx, got))
	put := h.last(http.MethodPut, "/contatos/12345678")
	checkSpecKeys(t, put.body)
	var replaced map[string]any
	require.NoError(t, json.Unmarshal(put.body, &replaced))
	assert.Equal(t, "(54) 0000-0000", replaced["telefone"])
	for _, kept := range []string{"vendedor", "dadosAdicionais", "financeiro", "pais", "pessoasContato", "rg", "orgaoPublico"} {
		assert.Contains(t, replaced, kept, "PUT replaces the whole contact, so %s is written back", kept)
	}
	assert.Contains(t, replaced["endereco"], "cobranca")

	require.NoError(t, c.SetStatus(ctx, 12345678, bling.StatusInactive))
	patch := h.last(http.MethodPatch, "/contatos/12345678/situacoes")
	assert.JSONEq(t, `{"situacao":"I"}`, string(patch.body))
}

func checkSpecKeys(t *testing.T, body []byte) {
	t.Helper()
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &fields))
	for k := range fields {
		assert.True(t, slices.Contains(specContactFields, k), "field %q is not in the spec", k)
	}
	var endereco map[string]map[string]any
	require.NoError(t, json.Unmarshal(fields["endereco"], &endereco))
	for group, addr := range endereco {
		assert.Contains(t, []string{"geral", "cobranca"}, group)
		for k := range addr {
			assert.Contains(t, specAddressFields, k)
		}
	}
	assert.Len(t, endereco["geral"], len(specAddressFields))
}
