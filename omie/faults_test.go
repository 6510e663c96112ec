package omie_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/omie"
)

// Each fault kind Omie answers maps to a typed error; the table says which
// sentinels match and how many requests the client sent.
func TestFaultKinds(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		code, msg   string
		raw         string // non-JSON body instead of a fault
		is          []error
		isNot       []error
		wantCalls   int
		wantWait    time.Duration
		rateLimited bool
	}{
		{name: "invalid credentials (500)", status: 500, code: "SOAP-ENV:Client-101", msg: "ERROR: A chave de acesso não está preenchida ou não é válida!",
			is: []error{omie.ErrUnauthorized}, isNot: []error{omie.ErrRateLimited}, wantCalls: 1},
		{name: "invalid credentials (403, Server code)", status: 403, code: "SOAP-ENV:Server", msg: "A chave de acesso não está preenchida ou não é válida.",
			is: []error{omie.ErrUnauthorized}, wantCalls: 1},
		{name: "fault with HTTP 200", status: 200, code: "SOAP-ENV:Client-101", msg: "A chave de acesso não é válida.",
			is: []error{omie.ErrUnauthorized}, wantCalls: 1},
		{name: "not found", status: 500, code: "SOAP-ENV:Client-103", msg: "ERROR: Cliente não cadastrado para o Código [1] !",
			is: []error{omie.ErrNotFound}, wantCalls: 1},
		{name: "unknown tag", status: 500, code: "SOAP-ENV:Client-5001", msg: "ERROR: Tag [X] não faz parte da estrutura do tipo complexo [clientes_list_request]!",
			is: []error{omie.ErrInvalid}, wantCalls: 1},
		{name: "misuse block is never retried", status: 500, code: "MISUSE_API_PROCESS", msg: "ERROR: API bloqueada por consumo indevido. Tente novamente em 1723 segundos.",
			is: []error{omie.ErrBlocked, omie.ErrRateLimited}, wantCalls: 1, wantWait: 1723 * time.Second, rateLimited: true},
		{name: "redundant read waits and retries", status: 500, code: "SOAP-ENV:Client-6", msg: "ERROR: Consumo redundante detectado. Aguarde 30 segundos",
			is: []error{omie.ErrRedundant, omie.ErrRateLimited}, wantCalls: 4, wantWait: 30 * time.Second, rateLimited: true},
		{name: "429 waits and retries", status: 429, code: "TOO_MANY_REQUESTS", msg: "ERROR: 429: Too many Requests. Aguarde 12 segundos.",
			is: []error{omie.ErrRateLimited}, wantCalls: 4, wantWait: 12 * time.Second, rateLimited: true},
		{name: "method still running (1880)", status: 500, code: "SOAP-ENV:Client-1880", msg: "ERROR: Já existe uma requisição desse método sendo executada.",
			is: []error{omie.ErrRateLimited}, wantCalls: 4, rateLimited: true},
		{name: "html error page", status: 502, raw: "<html>Bad Gateway</html>",
			is: []error{omie.ErrServer}, wantCalls: 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newPair(t, nil)
			if tc.raw != "" {
				p.fake.FailNextRaw("ListarClientes", 10, tc.status, "text/html", tc.raw)
			} else {
				p.fake.FailNext("ListarClientes", 10, tc.status, tc.code, tc.msg)
			}
			_, err := collect(t, p.client.ListarClientes(ctx, omie.ListOptions{}))
			require.Error(t, err)
			for _, want := range tc.is {
				assert.ErrorIs(t, err, want)
			}
			for _, not := range tc.isNot {
				assert.NotErrorIs(t, err, not)
			}
			var api *omie.APIError
			require.ErrorAs(t, err, &api)
			var rl *omie.RateLimitError
			assert.Equal(t, tc.rateLimited, errors.As(err, &rl))
			var f *omie.Fault
			require.ErrorAs(t, err, &f)
			assert.Equal(t, "ListarClientes", f.Call)
			assert.Equal(t, tc.status, f.Status)
			if tc.wantWait > 0 {
				assert.Equal(t, tc.wantWait, f.Wait)
			}
			assert.Equal(t, tc.wantCalls, p.fake.Calls("ListarClientes"))
		})
	}
}

func TestBlockedKeyStopsTheRunAtOnce(t *testing.T) {
	p := newPair(t, nil)
	p.fake.Block(30 * time.Minute)
	_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: 1})
	require.ErrorIs(t, err, omie.ErrBlocked)
	var rl *omie.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 1800*time.Second, rl.RetryAfter)
	assert.Equal(t, 1, p.fake.TotalCalls())
	assert.Empty(t, p.clock.Waits())
}

func TestServerFaultOnANonIdempotentWriteIsNotResent(t *testing.T) {
	p := newPair(t, nil)
	p.fake.FailNext("IncluirCliente", 3, http.StatusInternalServerError, "SOAP-ENV:Server", "SOAP-ERROR: Broken response from Application Server (4)")
	_, err := p.client.IncluirCliente(ctx, omie.Cliente{RazaoSocial: "A"})
	require.ErrorIs(t, err, omie.ErrServer)
	assert.Equal(t, 1, p.fake.Calls("IncluirCliente"))

	p.fake.FailNext("UpsertCliente", 1, http.StatusInternalServerError, "SOAP-ENV:Server", "SOAP-ERROR: Broken response from Application Server (4)")
	_, err = p.client.UpsertCliente(ctx, omie.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "X"})
	require.NoError(t, err, "the idempotent upsert is resent")
	assert.Equal(t, 2, p.fake.Calls("UpsertCliente"))
}

func TestDuplicateMessageParsing(t *testing.T) {
	cases := map[string]int64{
		"ERROR: Cliente já cadastrado para o Código de Integração [7325099098244] com o nCod [2274524288] !":                         2274524288,
		"ERROR: Cliente já cadastrado para o CPF/CNPJ [456.487.238-90] com o Id [11474590160] e código de integração [f5f6] ! (add)": 11474590160,
		"ERROR: Cliente já cadastrado para o Código de Integração [KR3]":                                                             0,
	}
	for msg, want := range cases {
		p := newPair(t, nil)
		p.fake.FailNext("IncluirCliente", 1, 500, "SOAP-ENV:Client-102", msg)
		_, err := p.client.IncluirCliente(ctx, omie.Cliente{RazaoSocial: "A"})
		var f *omie.Fault
		require.ErrorAs(t, err, &f)
		assert.ErrorIs(t, err, omie.ErrConflict)
		assert.Equal(t, want, f.ExistingCodigoOmie, msg)
	}
}
