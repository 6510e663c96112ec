package omie_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

func TestListarClientesPagesThroughThreePages(t *testing.T) {
	p := newPair(t, nil)
	for i := range 7 {
		p.fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprintf("Cliente %d", i), CodigoClienteIntegracao: fmt.Sprintf("A%d", i)})
	}
	got, err := collect(t, p.client.ListarClientes(context.Background(), omie.ListOptions{PageSize: 3}))
	require.NoError(t, err)
	require.Len(t, got, 7)
	for i, c := range got {
		assert.Equal(t, fmt.Sprintf("Cliente %d", i), c.RazaoSocial)
		assert.NotZero(t, c.CodigoClienteOmie)
	}
	assert.Equal(t, 3, p.fake.Calls("ListarClientes"), "stops after total_de_paginas without asking for page 4")
}

func TestListarClientesEndsCleanlyOn5113(t *testing.T) {
	t.Run("empty register answers 5113 on page 1", func(t *testing.T) {
		p := newPair(t, nil)
		got, err := collect(t, p.client.ListarClientes(context.Background(), omie.ListOptions{}))
		require.NoError(t, err)
		assert.Empty(t, got)
	})
	t.Run("records vanishing mid-listing end it on 5113", func(t *testing.T) {
		p := newPair(t, nil)
		var codes []int64
		for i := range 9 {
			codes = append(codes, p.fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprint(i)}))
		}
		n := 0
		for c, err := range p.client.ListarClientes(context.Background(), omie.ListOptions{PageSize: 3}) {
			require.NoError(t, err)
			n++
			if n == 1 {
				for _, code := range codes[3:] {
					p.fake.Delete(code) // page 2 no longer exists
				}
			}
			_ = c
		}
		assert.Equal(t, 3, n)
		assert.Equal(t, 2, p.fake.Calls("ListarClientes"))
	})
}

func TestListarClientesFilters(t *testing.T) {
	p := newPair(t, nil)
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "Ativo", CnpjCpf: "11.222.333/0001-81", CodigoClienteIntegracao: "AUVO-1"})
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "Inativo", CnpjCpf: "123.456.789-09", Inativo: true})
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "Outro"})
	names := func(o omie.ListOptions) []string {
		got, err := collect(t, p.client.ListarClientes(context.Background(), o))
		require.NoError(t, err)
		var out []string
		for _, c := range got {
			out = append(out, c.RazaoSocial)
		}
		return out
	}
	cases := []struct {
		name string
		opts omie.ListOptions
		want []string
	}{
		{"cnpj_cpf", omie.ListOptions{Document: "11222333000181"}, []string{"Ativo"}},
		{"inativo S", omie.ListOptions{Inativo: ptr(true)}, []string{"Inativo"}},
		{"inativo N", omie.ListOptions{Inativo: ptr(false)}, []string{"Ativo", "Outro"}},
		{"integration code", omie.ListOptions{CodigoClienteIntegracao: "AUVO-1"}, []string{"Ativo"}},
		{"no match", omie.ListOptions{Document: "999"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, names(tc.opts)) })
	}
}

func TestListarClientesIncrementalWindow(t *testing.T) {
	p := newPair(t, nil)
	at := func(h, m, s int) time.Time { return time.Date(2026, 3, 9, h, m, s, 0, omie.SaoPaulo) }
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "untouched", Incluido: at(8, 0, 0)})
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "altered", Incluido: at(8, 0, 0), Alterado: at(10, 30, 0)})
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "new", Incluido: at(10, 0, 0)})
	p.fake.Seed(omiefake.Cliente{RazaoSocial: "too late", Incluido: at(11, 0, 1)})
	// The window is given in UTC; Omie must receive São Paulo local time.
	opts := omie.ListOptions{ChangedSince: at(10, 0, 0).UTC(), ChangedUntil: at(11, 0, 0).UTC()}
	got, err := collect(t, p.client.ListarClientes(context.Background(), opts))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "altered", got[0].RazaoSocial)
	assert.Equal(t, at(10, 30, 0), got[0].Info.Alterado.In(omie.SaoPaulo))
	assert.Equal(t, "new", got[1].RazaoSocial)

	opts.OnlyIncluded = true
	got, err = collect(t, p.client.ListarClientes(context.Background(), opts))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "new", got[0].RazaoSocial)
}

func TestListarClientesSendsTheDocumentedRequest(t *testing.T) {
	var param map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var env struct {
			Call  string           `json:"call"`
			Param []map[string]any `json:"param"`
		}
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &env)
		assert.Equal(t, "/api/v1/geral/clientes/", r.URL.Path)
		assert.Equal(t, "ListarClientes", env.Call)
		param = env.Param[0]
		w.WriteHeader(500)
		_, _ = w.Write([]byte(`{"faultstring":"ERROR: Não existem registros para a página [1]!","faultcode":"SOAP-ENV:Client-5113"}`))
	}))
	defer srv.Close()
	c := newClient(t, srv, testkit.NewClock(start))
	since := time.Date(2026, 3, 9, 13, 5, 7, 0, time.UTC) // 10:05:07 in São Paulo
	_, err := collect(t, c.ListarClientes(context.Background(), omie.ListOptions{
		ChangedSince: since, OnlyChanged: true, Inativo: ptr(false), Document: "123", PageSize: 250,
	}))
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"pagina": 1.0, "registros_por_pagina": 250.0, "apenas_importado_api": "N", "exibir_obs": "S",
		"filtrar_por_data_de": "09/03/2026", "filtrar_por_hora_de": "10:05:07", "filtrar_apenas_alteracao": "S",
		"clientesFiltro": map[string]any{"cnpj_cpf": "123", "inativo": "N"},
	}, param)
}

func TestListarClientesRefusesBadOptions(t *testing.T) {
	p := newPair(t, nil)
	cases := map[string]omie.ListOptions{
		"page size over 500":   {PageSize: 501},
		"negative page size":   {PageSize: -1},
		"window upside down":   {ChangedSince: start, ChangedUntil: start.Add(-time.Second)},
		"both only flags":      {ChangedSince: start, OnlyChanged: true, OnlyIncluded: true},
		"only flag, no window": {OnlyChanged: true},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := collect(t, p.client.ListarClientes(context.Background(), opts))
			var verr *omie.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.ErrorIs(t, err, omie.ErrInvalid)
		})
	}
	assert.Zero(t, p.fake.TotalCalls())
}

func TestListarClientesHonoursBreakAndStopsAfterAnError(t *testing.T) {
	p := newPair(t, nil)
	for i := range 6 {
		p.fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprint(i)})
	}
	for range p.client.ListarClientes(context.Background(), omie.ListOptions{PageSize: 2}) {
		break
	}
	assert.Equal(t, 1, p.fake.Calls("ListarClientes"))

	p.fake.ResetCalls()
	p.fake.FailNext("ListarClientes", 1, 500, "SOAP-ENV:Client-105", "ERROR: Valor inválido")
	n, errs := 0, 0
	for _, err := range p.client.ListarClientes(context.Background(), omie.ListOptions{PageSize: 2}) {
		n++
		if err != nil {
			errs++
		}
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, errs)
}

func TestListarClientesReportsEachPageWithTheKnownTotal(t *testing.T) {
	p := newPair(t, nil)
	for i := range 7 {
		p.fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprintf("Cliente %d", i), CodigoClienteIntegracao: fmt.Sprintf("A%d", i)})
	}
	var pages []omie.Page
	_, err := collect(t, p.client.ListarClientes(context.Background(), omie.ListOptions{PageSize: 3, OnPage: func(pg omie.Page) { pages = append(pages, pg) }}))
	require.NoError(t, err)
	assert.Equal(t, []omie.Page{{Number: 1, Items: 3, Total: 7}, {Number: 2, Items: 3, Total: 7}, {Number: 3, Items: 1, Total: 7}}, pages)
}

// R-SCHED-3: a resumed listing starts at StartPage and reads on to the end.
func TestListarClientesStartsAtStartPage(t *testing.T) {
	p := newPair(t, nil)
	for i := range 7 {
		p.fake.Seed(omiefake.Cliente{RazaoSocial: fmt.Sprintf("Cliente %d", i), CodigoClienteIntegracao: fmt.Sprintf("A%d", i)})
	}
	got, err := collect(t, p.client.ListarClientes(t.Context(), omie.ListOptions{PageSize: 3, StartPage: 2}))
	require.NoError(t, err)
	require.Len(t, got, 4)
	assert.Equal(t, "Cliente 3", got[0].RazaoSocial)
	assert.Equal(t, 2, p.fake.Calls("ListarClientes"), "pages 2 and 3 only")

	_, err = collect(t, p.client.ListarClientes(t.Context(), omie.ListOptions{StartPage: -1}))
	assert.ErrorContains(t, err, "StartPage")
}
