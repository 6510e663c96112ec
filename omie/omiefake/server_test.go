package omiefake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/brtime"
	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/omie/omiefake"
)

var saoPaulo = brtime.SaoPaulo

func newFake(t *testing.T, opts ...omiefake.Option) (*omiefake.Server, *httptest.Server, *testkit.Clock) {
	t.Helper()
	clk := testkit.NewClock(time.Date(2026, 3, 10, 14, 0, 0, 0, saoPaulo))
	fake := omiefake.New(append([]omiefake.Option{omiefake.WithClock(clk.Now)}, opts...)...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv, clk
}

type answer struct {
	status int
	body   map[string]any
}

func (a answer) faultcode() string { s, _ := a.body["faultcode"].(string); return s }

func post(t *testing.T, srv *httptest.Server, call string, param any) answer {
	t.Helper()
	return postEnvelope(t, srv, map[string]any{
		"call": call, "app_key": omiefake.DefaultAppKey, "app_secret": omiefake.DefaultAppSecret, "param": []any{param},
	})
}

func postEnvelope(t *testing.T, srv *httptest.Server, env any) answer {
	t.Helper()
	body, err := json.Marshal(env)
	require.NoError(t, err)
	resp, err := http.Post(srv.URL+"/api/v1/geral/clientes/", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := answer{status: resp.StatusCode}
	require.NoError(t, json.Unmarshal(data, &out.body), string(data))
	return out
}

func TestFakeRefusesWrongCredentials(t *testing.T) {
	_, srv, _ := newFake(t)
	a := postEnvelope(t, srv, map[string]any{"call": "ListarClientes", "app_key": "x", "app_secret": "y", "param": []any{map[string]any{}}})
	assert.Equal(t, 500, a.status)
	assert.Equal(t, omiefake.CodeCredentials, a.faultcode())
	assert.Contains(t, a.body["faultstring"], "chave de acesso")
}

func TestFakeListsPagesAndAnswers5113PastTheEnd(t *testing.T) {
	fake, srv, _ := newFake(t)
	for i := range 7 {
		fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprintf("C%d", i)})
	}
	a := post(t, srv, "ListarClientes", map[string]any{"pagina": 3, "registros_por_pagina": 3})
	require.Equal(t, 200, a.status)
	assert.EqualValues(t, 3, a.body["total_de_paginas"])
	assert.EqualValues(t, 7, a.body["total_de_registros"])
	assert.EqualValues(t, 1, a.body["registros"])
	a = post(t, srv, "ListarClientes", map[string]any{"pagina": 4, "registros_por_pagina": 3})
	assert.Equal(t, 500, a.status)
	assert.Equal(t, omiefake.CodeEndOfList, a.faultcode())
	assert.Equal(t, "ERROR: Não existem registros para a página [4]!", a.body["faultstring"])
}

func TestFakeRefusesUnknownTagsWith5001(t *testing.T) {
	_, srv, _ := newFake(t)
	cases := map[string]struct {
		call  string
		param map[string]any
		want  string
	}{
		"cadastro": {"IncluirCliente", map[string]any{"razao_social": "A", "nome": "x"}, "Tag [NOME] não faz parte da estrutura do tipo complexo [clientes_cadastro]!"},
		"filter":   {"ListarClientes", map[string]any{"clientesFiltro": map[string]any{"document": "1"}}, "[clientesFiltro]"},
		"list":     {"ListarClientes", map[string]any{"filtrar_por_status": "A"}, "Tag [FILTRAR_POR_STATUS]"},
		"chave":    {"ConsultarCliente", map[string]any{"cnpj_cpf": "1"}, "[clientes_cadastro_chave]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := post(t, srv, tc.call, tc.param)
			assert.Equal(t, 500, a.status)
			assert.Equal(t, omiefake.CodeUnknownTag, a.faultcode())
			assert.Contains(t, a.body["faultstring"], tc.want)
		})
	}
}

func TestFakeRefusesDuplicatesQuotingTheExistingRecord(t *testing.T) {
	fake, srv, _ := newFake(t, omiefake.WithUniqueDocuments(true))
	code := fake.Seed(omiefake.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "AUVO-1", CnpjCpf: "123.456.789-09"})
	a := post(t, srv, "IncluirCliente", map[string]any{"razao_social": "B", "codigo_cliente_integracao": "AUVO-1"})
	assert.Equal(t, omiefake.CodeDuplicate, a.faultcode())
	assert.Equal(t, fmt.Sprintf("ERROR: Cliente já cadastrado para o Código de Integração [AUVO-1] com o nCod [%d] !", code), a.body["faultstring"])
	a = post(t, srv, "IncluirCliente", map[string]any{"razao_social": "B", "cnpj_cpf": "12345678909"})
	assert.Equal(t, omiefake.CodeDuplicate, a.faultcode())
	assert.Contains(t, a.body["faultstring"], fmt.Sprintf("com o Id [%d]", code))
	assert.Equal(t, 1, fake.Len())
}

func TestFakeConsultarSameRecordWithin60sIsRedundant(t *testing.T) {
	fake, srv, clk := newFake(t)
	code := fake.Seed(omiefake.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "X"})
	require.Equal(t, 200, post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_omie": code}).status)
	clk.Advance(20 * time.Second)
	// The same record by its other key is the same ID.
	a := post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_integracao": "X"})
	assert.Equal(t, omiefake.CodeRedundant, a.faultcode())
	assert.Contains(t, a.body["faultstring"], "Aguarde 40 segundos")
	clk.Advance(40 * time.Second)
	assert.Equal(t, 200, post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_integracao": "X"}).status)
	assert.Equal(t, 1, fake.Refused("ConsultarCliente"))

	fake.SetRedundantCheck(false)
	assert.Equal(t, 200, post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_integracao": "X"}).status)
}

func TestFakeIdenticalWriteWithin60sIs8020AfterTheFirstWasApplied(t *testing.T) {
	fake, srv, clk := newFake(t)
	param := map[string]any{"razao_social": "A", "codigo_cliente_integracao": "X"}
	require.Equal(t, 200, post(t, srv, "UpsertCliente", param).status)
	a := post(t, srv, "UpsertCliente", param)
	assert.Equal(t, omiefake.CodeAlreadyProcessed, a.faultcode())
	assert.Contains(t, a.body["faultstring"], "tentar novamente às [14:01:00]")
	assert.Equal(t, 1, fake.Len())
	clk.Advance(time.Minute)
	assert.Equal(t, 200, post(t, srv, "UpsertCliente", param).status)
}

func TestFakeMaintainsInfoDatesInSaoPauloTime(t *testing.T) {
	_, srv, clk := newFake(t)
	a := post(t, srv, "IncluirCliente", map[string]any{"razao_social": "A", "inativo": "N"})
	require.Equal(t, 200, a.status)
	code := int64(a.body["codigo_cliente_omie"].(float64))
	clk.Advance(26 * time.Hour)
	require.Equal(t, 200, post(t, srv, "AlterarCliente", map[string]any{"codigo_cliente_omie": code, "nome_fantasia": "B"}).status)
	got := post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_omie": code})
	info := got.body["info"].(map[string]any)
	assert.Equal(t, "10/03/2026", info["dInc"])
	assert.Equal(t, "14:00:00", info["hInc"])
	assert.Equal(t, "11/03/2026", info["dAlt"])
	assert.Equal(t, "16:00:00", info["hAlt"])
	assert.Equal(t, "S", info["cImpAPI"])
	assert.Equal(t, "A", got.body["razao_social"], "AlterarCliente merges: omitted tags keep their value")
}

func TestFakeWindowFilterIsInclusive(t *testing.T) {
	fake, srv, _ := newFake(t)
	at := func(h, m int) time.Time { return time.Date(2026, 3, 1, h, m, 0, 0, saoPaulo) }
	fake.Seed(omiefake.Cliente{RazaoSocial: "before", Incluido: at(9, 59)})
	fake.Seed(omiefake.Cliente{RazaoSocial: "at-start", Incluido: at(10, 0)})
	fake.Seed(omiefake.Cliente{RazaoSocial: "old-altered", Incluido: at(8, 0), Alterado: at(11, 0)})
	fake.Seed(omiefake.Cliente{RazaoSocial: "new-altered-later", Incluido: at(11, 0), Alterado: at(13, 0)})
	fake.Seed(omiefake.Cliente{RazaoSocial: "at-end", Incluido: at(12, 0)})
	fake.Seed(omiefake.Cliente{RazaoSocial: "after", Incluido: at(12, 1)})
	names := func(param map[string]any) []string {
		a := post(t, srv, "ListarClientes", param)
		if a.faultcode() == omiefake.CodeEndOfList {
			return nil
		}
		var out []string
		for _, c := range a.body["clientes_cadastro"].([]any) {
			out = append(out, c.(map[string]any)["razao_social"].(string))
		}
		return out
	}
	window := map[string]any{"filtrar_por_data_de": "01/03/2026", "filtrar_por_hora_de": "10:00:00",
		"filtrar_por_data_ate": "01/03/2026", "filtrar_por_hora_ate": "12:00:00"}
	// Either timestamp in the window matches; a record never altered has dAlt = dInc.
	assert.Equal(t, []string{"at-start", "old-altered", "new-altered-later", "at-end"}, names(window))
	window["filtrar_apenas_alteracao"] = "S"
	assert.Equal(t, []string{"at-start", "old-altered", "at-end"}, names(window))
	delete(window, "filtrar_apenas_alteracao")
	window["filtrar_apenas_inclusao"] = "S"
	assert.Equal(t, []string{"at-start", "new-altered-later", "at-end"}, names(window))
}

// WithWindowInclusionsOnly: without a flag the window matches inclusions
// only, and filtrar_apenas_alteracao still finds the altered client.
func TestFakeWindowInclusionsOnlyMissesAlteredClientsWithoutTheFlag(t *testing.T) {
	fake, srv, _ := newFake(t, omiefake.WithWindowInclusionsOnly())
	at := func(h int) time.Time { return time.Date(2026, 3, 1, h, 0, 0, 0, saoPaulo) }
	fake.Seed(omiefake.Cliente{RazaoSocial: "old-altered", Incluido: at(8), Alterado: at(11)})
	fake.Seed(omiefake.Cliente{RazaoSocial: "new", Incluido: at(11)})
	names := func(param map[string]any) []string {
		var out []string
		for _, c := range post(t, srv, "ListarClientes", param).body["clientes_cadastro"].([]any) {
			out = append(out, c.(map[string]any)["razao_social"].(string))
		}
		return out
	}
	window := map[string]any{"filtrar_por_data_de": "01/03/2026", "filtrar_por_hora_de": "10:00:00",
		"filtrar_por_data_ate": "01/03/2026", "filtrar_por_hora_ate": "12:00:00"}
	assert.Equal(t, []string{"new"}, names(window))
	window["filtrar_apenas_alteracao"] = "S"
	assert.Equal(t, []string{"old-altered", "new"}, names(window))
}

func TestFakeRateLimitPerMethodAnswers429(t *testing.T) {
	fake, srv, clk := newFake(t, omiefake.WithLimits(omiefake.Limits{Window: time.Minute, PerMethod: 3}))
	fake.Seed(omiefake.Cliente{RazaoSocial: "A"})
	for range 3 {
		require.Equal(t, 200, post(t, srv, "ListarClientes", map[string]any{"pagina": 1}).status)
	}
	a := post(t, srv, "ListarClientes", map[string]any{"pagina": 1})
	assert.Equal(t, http.StatusTooManyRequests, a.status)
	assert.Contains(t, a.body["faultstring"], "Aguarde 60 segundos")
	assert.NotEqual(t, http.StatusTooManyRequests, post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_omie": 1}).status, "another method has its own allowance")
	clk.Advance(61 * time.Second)
	assert.Equal(t, 200, post(t, srv, "ListarClientes", map[string]any{"pagina": 1}).status)
	fake.SetRateLimit(false)
	for range 5 {
		require.Equal(t, 200, post(t, srv, "ListarClientes", map[string]any{"pagina": 1}).status)
	}
}

func TestFakeConcurrencyCapRefusesTheFifthCall(t *testing.T) {
	fake, srv, _ := newFake(t)
	fake.Seed(omiefake.Cliente{RazaoSocial: "A"})
	fake.SetDelay(150 * time.Millisecond)
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Go(func() { statuses[i] = post(t, srv, "ListarClientes", map[string]any{"pagina": 1}).status })
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, s := range statuses {
		switch s {
		case 200:
			ok++
		case http.StatusTooManyRequests:
			refused++
		}
	}
	assert.Equal(t, 4, fake.MaxInFlight("ListarClientes"))
	assert.Equal(t, 8, ok+refused)
	assert.GreaterOrEqual(t, refused, 1)
	assert.Equal(t, refused, fake.Refused("ListarClientes"))
}

func TestFakeBlocksForMisuseAfterRepeatedRefusals(t *testing.T) {
	fake, srv, clk := newFake(t, omiefake.WithMisuseBlock(3, 30*time.Minute))
	code := fake.Seed(omiefake.Cliente{RazaoSocial: "A"})
	post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_omie": code})
	for range 3 {
		assert.Equal(t, omiefake.CodeRedundant, post(t, srv, "ConsultarCliente", map[string]any{"codigo_cliente_omie": code}).faultcode())
	}
	require.True(t, fake.Blocked())
	a := post(t, srv, "ListarClientes", map[string]any{})
	assert.Equal(t, omiefake.CodeMisuse, a.faultcode())
	assert.Equal(t, "ERROR: API bloqueada por consumo indevido. Tente novamente em 1800 segundos.", a.body["faultstring"])
	clk.Advance(30 * time.Minute)
	assert.False(t, fake.Blocked())
}

func TestFakeInjectedFaults(t *testing.T) {
	fake, srv, _ := newFake(t)
	fake.FailNext("IncluirCliente", 1, 200, "SOAP-ENV:Server", "ERROR: boom")
	a := post(t, srv, "IncluirCliente", map[string]any{"razao_social": "A"})
	assert.Equal(t, 200, a.status)
	assert.Equal(t, "SOAP-ENV:Server", a.faultcode())
	assert.Equal(t, 0, fake.Len(), "a plain injected fault does not act")

	fake.FailNextApplied("IncluirCliente", 1, 500, omiefake.CodeAlreadyProcessed, "ERROR: Esta requisição já foi processada")
	a = post(t, srv, "IncluirCliente", map[string]any{"razao_social": "A"})
	assert.Equal(t, omiefake.CodeAlreadyProcessed, a.faultcode())
	assert.Equal(t, 1, fake.Len(), "FailNextApplied acts before failing")
	assert.Equal(t, 2, fake.Calls("IncluirCliente"))
	assert.Equal(t, 2, fake.WriteCalls())
	fake.ResetCalls()
	assert.Zero(t, fake.TotalCalls())
}

func TestFakeUpdateBumpsAlteradoAndReindexes(t *testing.T) {
	fake, _, clk := newFake(t)
	code := fake.Seed(omiefake.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "X", CnpjCpf: "11.222.333/0001-81"})
	clk.Advance(time.Hour)
	require.NoError(t, fake.Update(code, func(c *omiefake.Cliente) { c.CodigoClienteIntegracao = "Y"; c.CnpjCpf = "" }))
	got, ok := fake.Cliente(code)
	require.True(t, ok)
	assert.Equal(t, clk.Now(), got.Alterado)
	_, found := fake.FindByIntegracao("X")
	assert.False(t, found)
	_, found = fake.FindByIntegracao("Y")
	assert.True(t, found)
	assert.Empty(t, fake.FindByDocumento("11222333000181"))
	other := fake.Seed(omiefake.Cliente{RazaoSocial: "B"})
	assert.Error(t, fake.Update(other, func(c *omiefake.Cliente) { c.CodigoClienteIntegracao = "Y" }))
	_, err := fake.TrySeed(omiefake.Cliente{RazaoSocial: "C", CodigoClienteIntegracao: "Y"})
	assert.Error(t, err)
	assert.True(t, fake.Delete(code))
	assert.Equal(t, 1, fake.Len())
}

func BenchmarkFakeListarClientes10k(b *testing.B) {
	fake := omiefake.New(omiefake.WithRateLimit(false), omiefake.WithRedundantCheck(false))
	for i := range 10_000 {
		fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprintf("Cliente %d", i), CodigoClienteIntegracao: fmt.Sprintf("AUVO-%d", i), CnpjCpf: fmt.Sprintf("%011d", i)})
	}
	body, _ := json.Marshal(map[string]any{"call": "ListarClientes", "app_key": omiefake.DefaultAppKey,
		"app_secret": omiefake.DefaultAppSecret, "param": []any{map[string]any{"pagina": 10, "registros_por_pagina": 500}}})
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/geral/clientes/", bytes.NewReader(body))
		w := httptest.NewRecorder()
		fake.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
	}
}
