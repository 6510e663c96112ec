package omie_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

// The app secret travels in every body: no log line, error or printed
// client may carry it (nor the app key, nor a CPF from a fault).
func TestNoSecretInLogsOrErrors(t *testing.T) {
	const key, secret = "4455667788990", "s3cr3t-0f-the-app-d0-not-leak-it"
	var logs testkit.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p := newPair(t, []omiefake.Option{omiefake.WithCredentials(key, secret), omiefake.WithUniqueDocuments(true)})
	good := newClient(t, p.srv, p.clock, omie.WithCredentials(key, secret), omie.WithLogger(logger))
	bad := newClient(t, p.srv, p.clock, omie.WithCredentials(key, secret+"x"), omie.WithLogger(logger))
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A", CnpjCpf: "123.456.789-09", CodigoClienteIntegracao: "X"})

	var errs []error
	keep := func(_ any, err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	keep(good.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code}))
	keep(bad.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code}))
	keep(good.IncluirCliente(ctx, omie.Cliente{RazaoSocial: "B", Document: "12345678909"}))
	// A fault that echoes the credentials (Omie does not, but a proxy might).
	p.fake.FailNext("ListarClientes", 10, 500, "SOAP-ENV:Client-101", "ERROR: chave de acesso ["+key+"/"+secret+"] inválida")
	_, err := collect(t, good.ListarClientes(ctx, omie.ListOptions{}))
	keep(nil, err)
	p.fake.FailNext("UpsertCliente", 10, 500, "SOAP-ENV:Server", "ERROR: falha "+secret)
	keep(good.UpsertCliente(ctx, omie.Cliente{RazaoSocial: "C", CodigoClienteIntegracao: "Y"}))
	p.srv.Close()
	keep(good.AlterarCliente(ctx, omie.Cliente{CodigoClienteOmie: code, RazaoSocial: "D"}))

	require.Len(t, errs, 5)
	assert.NotEmpty(t, logs.String())
	for _, text := range append([]string{logs.String(), fmt.Sprintf("%v %+v %#v %s", good, good, good, good)}, errorStrings(errs)...) {
		assert.NotContains(t, text, secret)
		assert.NotContains(t, text, key)
		assert.NotContains(t, text, "456.789")
	}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).Info("client", "omie", good)
	assert.NotContains(t, out.String(), secret)
}

func errorStrings(errs []error) []string {
	var out []string
	for _, err := range errs {
		out = append(out, err.Error(), fmt.Sprintf("%+v", err))
	}
	return out
}
