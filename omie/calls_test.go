package omie_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

var ctx = context.Background()

func TestConsultarClienteReturnsTheRecord(t *testing.T) {
	p := newPair(t, nil)
	code := p.fake.Seed(omiefake.Cliente{
		RazaoSocial: "Padaria Pão Quente LTDA", NomeFantasia: "Pão Quente", CnpjCpf: "11.222.333/0001-81",
		CodigoClienteIntegracao: "AUVO-7", Telefone1DDD: "11", Telefone1Numero: "33334444", Email: "a@b.com",
		Endereco: "Av. Paulista", EnderecoNumero: "1578", Complemento: "sala 2", Bairro: "Bela Vista",
		Cidade: "SAO PAULO (SP)", Estado: "SP", CEP: "01310-200", Tags: []string{"Cliente"}, Observacao: "obs",
		Inativo: true, Incluido: start.Add(-48 * time.Hour),
	})
	got, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: "AUVO-7"})
	require.NoError(t, err)
	assert.Equal(t, omie.Cliente{
		CodigoClienteOmie: code, CodigoClienteIntegracao: "AUVO-7", RazaoSocial: "Padaria Pão Quente LTDA",
		NomeFantasia: "Pão Quente", Document: "11.222.333/0001-81", Telefone1DDD: "11", Telefone1Numero: "33334444",
		Email: "a@b.com", Endereco: "Av. Paulista", EnderecoNumero: "1578", Complemento: "sala 2", Bairro: "Bela Vista",
		Cidade: "SAO PAULO (SP)", Estado: "SP", CEP: "01310-200", Inativo: true, Tags: []string{"Cliente"}, Observacao: "obs",
		Info: omie.Info{Incluido: start.Add(-48 * time.Hour), Alterado: start.Add(-48 * time.Hour)},
	}, got)
}

func TestConsultarClienteNeverRepeatsTheSameCodeWithin60s(t *testing.T) {
	p := newPair(t, nil)
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "X"})
	for range 3 {
		_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code})
		require.NoError(t, err)
	}
	// The cached answer also serves the other key of the same record.
	_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: "X"})
	require.NoError(t, err)
	assert.Equal(t, 1, p.fake.Calls("ConsultarCliente"))

	p.clock.Advance(61 * time.Second)
	require.NoError(t, p.fake.Update(code, func(c *omiefake.Cliente) { c.RazaoSocial = "B" }))
	got, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code})
	require.NoError(t, err)
	assert.Equal(t, "B", got.RazaoSocial, "after 60 s the client asks again")
	assert.Equal(t, 2, p.fake.Calls("ConsultarCliente"))
	assert.Zero(t, p.fake.Refused(""))
}

func TestConsultarClienteConcurrentCallersShareOneRequest(t *testing.T) {
	p := newPair(t, nil)
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A"})
	p.fake.SetDelay(20 * time.Millisecond)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, p.fake.Calls("ConsultarCliente"))
}

func TestConsultarClienteNotFoundIsCachedToo(t *testing.T) {
	p := newPair(t, nil)
	for range 2 {
		_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: "NOPE"})
		require.ErrorIs(t, err, omie.ErrNotFound)
	}
	assert.Equal(t, 1, p.fake.Calls("ConsultarCliente"))
}

// A read after our own write within 60 s must show the write without asking
// Omie again (which would be REDUNDANT).
func TestConsultarClienteAfterOwnWriteReflectsItWithoutRedundant(t *testing.T) {
	p := newPair(t, nil)
	_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: "AUVO-9"})
	require.ErrorIs(t, err, omie.ErrNotFound)

	st, err := p.client.UpsertCliente(ctx, omie.Cliente{CodigoClienteIntegracao: "AUVO-9", RazaoSocial: "Novo", Tags: []string{"Cliente"}})
	require.NoError(t, err)
	got, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: "AUVO-9"})
	require.NoError(t, err)
	assert.Equal(t, "Novo", got.RazaoSocial)
	assert.Equal(t, st.CodigoClienteOmie, got.CodigoClienteOmie)

	p.clock.Advance(10 * time.Second)
	_, err = p.client.AlterarCliente(ctx, omie.Cliente{CodigoClienteOmie: st.CodigoClienteOmie, NomeFantasia: "Fantasia"})
	require.NoError(t, err)
	got, err = p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: st.CodigoClienteOmie})
	require.NoError(t, err)
	assert.Equal(t, "Novo", got.RazaoSocial)
	assert.Equal(t, "Fantasia", got.NomeFantasia)
	assert.Equal(t, []string{"Cliente"}, got.Tags)
	assert.Equal(t, 1, p.fake.Calls("ConsultarCliente"))
	assert.Zero(t, p.fake.Refused(""))

	p.clock.Advance(51 * time.Second)
	got, err = p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: st.CodigoClienteOmie})
	require.NoError(t, err)
	assert.Equal(t, "Fantasia", got.NomeFantasia)
	assert.Equal(t, 2, p.fake.Calls("ConsultarCliente"))
	assert.Zero(t, p.fake.Refused(""))
}

// Another process (no shared cache) asking within 60 s gets REDUNDANT: a read
// refusal, waited out as Omie says and sent again.
func TestConsultarClienteRedundantFromElsewhereIsWaitedOut(t *testing.T) {
	p := newPair(t, nil)
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A"})
	_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code})
	require.NoError(t, err)
	p.clock.Advance(15 * time.Second)
	other := newClient(t, p.srv, p.clock)
	got, err := other.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: code})
	require.NoError(t, err)
	assert.Equal(t, "A", got.RazaoSocial)
	assert.Equal(t, []time.Duration{45 * time.Second}, p.clock.Waits())
	assert.Equal(t, 1, p.fake.Refused("ConsultarCliente"))
}

func TestIncluirClienteCreatesAndSetsInfo(t *testing.T) {
	p := newPair(t, nil)
	st, err := p.client.IncluirCliente(ctx, omie.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "AUVO-1", Document: "12345678909", Tags: []string{"Cliente"}})
	require.NoError(t, err)
	assert.Equal(t, "0", st.CodigoStatus)
	assert.Equal(t, "AUVO-1", st.CodigoClienteIntegracao)
	stored, ok := p.fake.Cliente(st.CodigoClienteOmie)
	require.True(t, ok)
	assert.Equal(t, "A", stored.RazaoSocial)
	assert.Equal(t, []string{"Cliente"}, stored.Tags)
	assert.Equal(t, start, stored.Incluido)
	assert.True(t, stored.ImportadoAPI)
	assert.False(t, stored.Inativo)
}

func TestCreateReturnsTheRecordWithTheCodeOmieAssigned(t *testing.T) {
	p := newPair(t, nil)
	sent := omie.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "AUVO-2", Document: "12345678909", Clear: []omie.Field{omie.FieldEmail}}
	created, err := p.client.Create(ctx, sent)
	require.NoError(t, err)
	require.Positive(t, created.CodigoClienteOmie)
	assert.Equal(t, "AUVO-2", created.CodigoClienteIntegracao)
	assert.Equal(t, "12345678909", created.Document)
	assert.Empty(t, created.Clear)
	stored, ok := p.fake.Cliente(created.CodigoClienteOmie)
	require.True(t, ok)
	assert.Equal(t, "A", stored.RazaoSocial)

	_, err = p.client.Create(ctx, omie.Cliente{CodigoClienteIntegracao: "AUVO-3"})
	assert.ErrorIs(t, err, omie.ErrInvalid, "razao_social is required")
}

func TestIncluirClienteDuplicatesAreTypedWithTheExistingCode(t *testing.T) {
	p := newPair(t, []omiefake.Option{omiefake.WithUniqueDocuments(true)})
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "AUVO-1", CnpjCpf: "123.456.789-09"})
	cases := map[string]omie.Cliente{
		"integration code": {RazaoSocial: "B", CodigoClienteIntegracao: "AUVO-1"},
		"cpf":              {RazaoSocial: "B", Document: "12345678909"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := p.client.IncluirCliente(ctx, c)
			require.ErrorIs(t, err, omie.ErrConflict)
			var f *omie.Fault
			require.ErrorAs(t, err, &f)
			assert.Equal(t, code, f.ExistingCodigoOmie)
			assert.Equal(t, "SOAP-ENV:Client-102", f.Code)
			assert.NotContains(t, err.Error(), "456.789", "the CPF is masked in the error")
			var api *omie.APIError
			assert.ErrorAs(t, err, &api)
		})
	}
	assert.Equal(t, 1, p.fake.Len())
}

func TestUpsertClienteIsIdempotentOnTheIntegrationCode(t *testing.T) {
	p := newPair(t, nil)
	c := omie.Cliente{CodigoClienteIntegracao: "AUVO-42", RazaoSocial: "Primeiro"}
	first, err := p.client.UpsertCliente(ctx, c)
	require.NoError(t, err)
	c.RazaoSocial = "Segundo"
	second, err := p.client.UpsertCliente(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, first.CodigoClienteOmie, second.CodigoClienteOmie)
	assert.Equal(t, 1, p.fake.Len())
	stored, _ := p.fake.FindByIntegracao("AUVO-42")
	assert.Equal(t, "Segundo", stored.RazaoSocial)
}

// The identical upsert within 60 s is answered Client-8020 by Omie; since
// UpsertCliente is idempotent the client waits until the time Omie names
// and sends it again, leaving one record.
func TestUpsertClienteRetriesAfterRedundantWrite(t *testing.T) {
	p := newPair(t, nil)
	c := omie.Cliente{CodigoClienteIntegracao: "AUVO-1", RazaoSocial: "A"}
	_, err := p.client.UpsertCliente(ctx, c)
	require.NoError(t, err)
	p.clock.Advance(20 * time.Second)
	st, err := p.client.UpsertCliente(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, "Cliente alterado com sucesso!", st.DescricaoStatus)
	assert.Equal(t, 1, p.fake.Len())
	assert.Equal(t, 3, p.fake.Calls("UpsertCliente"))
	require.Len(t, p.clock.Waits(), 1)
	assert.InDelta(t, 41, p.clock.Waits()[0].Seconds(), 1)
}

func TestIncluirClienteRedundantIsUncertainAndNeverResent(t *testing.T) {
	p := newPair(t, nil)
	p.fake.FailNextApplied("IncluirCliente", 1, 500, omiefake.CodeAlreadyProcessed,
		"ERROR: Esta requisição já foi processada ou está sendo processada e você pode tentar novamente às [14:01:00]. (1)")
	_, err := p.client.IncluirCliente(ctx, omie.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "AUVO-1"})
	require.Error(t, err)
	assert.ErrorIs(t, err, omie.ErrRedundant)
	assert.NotErrorIs(t, err, omie.ErrRateLimited, "a write answered REDUNDANT may have been applied")
	var f *omie.Fault
	require.ErrorAs(t, err, &f)
	assert.True(t, f.Uncertain)
	assert.Contains(t, err.Error(), "read back")
	assert.Equal(t, 1, p.fake.Calls("IncluirCliente"))
	_, applied := p.fake.FindByIntegracao("AUVO-1")
	assert.True(t, applied, "the fault hid a write that succeeded")
}

func TestAlterarClienteByEitherKey(t *testing.T) {
	p := newPair(t, nil)
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A", CodigoClienteIntegracao: "X", Email: "old@x.com"})
	_, err := p.client.AlterarCliente(ctx, omie.Cliente{CodigoClienteIntegracao: "X", Email: "new@x.com"})
	require.NoError(t, err)
	_, err = p.client.AlterarCliente(ctx, omie.Cliente{CodigoClienteOmie: code, Inativo: true})
	require.NoError(t, err)
	got, _ := p.fake.Cliente(code)
	assert.Equal(t, "new@x.com", got.Email)
	assert.Equal(t, "A", got.RazaoSocial)
	assert.True(t, got.Inativo)

	_, err = p.client.AlterarCliente(ctx, omie.Cliente{CodigoClienteOmie: 99, RazaoSocial: "Z"})
	assert.ErrorIs(t, err, omie.ErrNotFound)
}

func TestUpsertClienteCpfCnpjMatchesTheDocument(t *testing.T) {
	p := newPair(t, nil)
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A", CnpjCpf: "11.222.333/0001-81"})
	st, err := p.client.UpsertClienteCpfCnpj(ctx, omie.Cliente{Document: "11222333000181", RazaoSocial: "A2"})
	require.NoError(t, err)
	assert.Equal(t, code, st.CodigoClienteOmie)
	st, err = p.client.UpsertClienteCpfCnpj(ctx, omie.Cliente{Document: "12345678909", RazaoSocial: "B"})
	require.NoError(t, err)
	assert.NotEqual(t, code, st.CodigoClienteOmie)
	assert.Equal(t, 2, p.fake.Len())
}

func TestAssociarCodIntCliente(t *testing.T) {
	p := newPair(t, nil)
	code := p.fake.Seed(omiefake.Cliente{RazaoSocial: "A"})
	taken := p.fake.Seed(omiefake.Cliente{RazaoSocial: "B", CodigoClienteIntegracao: "TAKEN"})
	st, err := p.client.AssociarCodIntCliente(ctx, code, "AUVO-5")
	require.NoError(t, err)
	assert.Equal(t, code, st.CodigoClienteOmie)
	got, _ := p.fake.FindByIntegracao("AUVO-5")
	assert.Equal(t, code, got.CodigoClienteOmie)

	_, err = p.client.AssociarCodIntCliente(ctx, code+1000, "AUVO-6")
	assert.ErrorIs(t, err, omie.ErrNotFound)
	other := p.fake.Seed(omiefake.Cliente{RazaoSocial: "C"})
	_, err = p.client.AssociarCodIntCliente(ctx, other, "TAKEN")
	require.ErrorIs(t, err, omie.ErrConflict)
	var f *omie.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, taken, f.ExistingCodigoOmie)
}

func TestWritesRefuseInvalidRecordsBeforeSending(t *testing.T) {
	p := newPair(t, nil)
	long := "123456789012345678901234567890123456789012345678901234567890X"
	cases := map[string]func() error{
		"incluir without razao_social": func() error { _, err := p.client.IncluirCliente(ctx, omie.Cliente{}); return err },
		"incluir with omie code": func() error {
			_, err := p.client.IncluirCliente(ctx, omie.Cliente{CodigoClienteOmie: 1, RazaoSocial: "A"})
			return err
		},
		"razao_social too long": func() error { _, err := p.client.IncluirCliente(ctx, omie.Cliente{RazaoSocial: long}); return err },
		"estado longer than 2": func() error {
			_, err := p.client.IncluirCliente(ctx, omie.Cliente{RazaoSocial: "A", Estado: "SPX"})
			return err
		},
		"empty tag": func() error {
			_, err := p.client.IncluirCliente(ctx, omie.Cliente{RazaoSocial: "A", Tags: []string{" "}})
			return err
		},
		"alterar without key":          func() error { _, err := p.client.AlterarCliente(ctx, omie.Cliente{RazaoSocial: "A"}); return err },
		"upsert without integration":   func() error { _, err := p.client.UpsertCliente(ctx, omie.Cliente{RazaoSocial: "A"}); return err },
		"upsert cpf without document":  func() error { _, err := p.client.UpsertClienteCpfCnpj(ctx, omie.Cliente{RazaoSocial: "A"}); return err },
		"associar without code":        func() error { _, err := p.client.AssociarCodIntCliente(ctx, 0, "X"); return err },
		"associar without integration": func() error { _, err := p.client.AssociarCodIntCliente(ctx, 1, ""); return err },
		"consultar without key":        func() error { _, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{}); return err },
		"consultar with a negative key": func() error {
			_, err := p.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: -1})
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			err := call()
			var verr *omie.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.ErrorIs(t, err, omie.ErrInvalid)
		})
	}
	assert.Zero(t, p.fake.TotalCalls())
}

func TestNewRequiresCredentials(t *testing.T) {
	_, err := omie.New()
	assert.ErrorContains(t, err, "app key")
	_, err = omie.New(omie.WithCredentials("k", ""))
	assert.ErrorContains(t, err, "app secret")
	_, err = omie.New(omie.WithCredentials("k", "s"), omie.WithBaseURL("not a url"))
	assert.Error(t, err)
	_, err = omie.New(omie.WithCredentials("k", "s"), omie.WithRateLimit(omie.Limit{Requests: -1}))
	assert.Error(t, err)
	c, err := omie.New(omie.WithCredentials("k", "s"))
	require.NoError(t, err)
	assert.Contains(t, c.String(), omie.DefaultBaseURL)
	assert.True(t, errors.Is(omie.ErrUnauthorized, omie.ErrUnauthorized))
}
