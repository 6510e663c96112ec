package contaazul_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

func TestCreateThenPatchRoundTrip(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	ctx := context.Background()

	created, err := c.Create(ctx, contaazul.NewPerson{
		Name: " Maria Souza ", Document: "123.456.789-09", Code: "AUVO-42",
		Email: "maria@example.com", PhoneMobile: "11999998888", PhoneCommercial: "1133334444",
		Note: "criada pelo Auvo", Profiles: []string{"cliente"},
		Addresses: []contaazul.Address{{Logradouro: "Av. Paulista", Numero: "1578", Bairro: "Bela Vista", Cidade: "São Paulo", Estado: "sp", CEP: "01310-200"}},
	})
	require.NoError(t, err)
	assert.True(t, created.Summary)
	assert.Equal(t, "Maria Souza", created.Name)
	assert.Equal(t, contaazul.PersonTypeIndividual, created.PersonType, "type inferred from the CPF")
	assert.Equal(t, []string{"Cliente"}, created.Profiles)

	stored, ok := e.fake.Person(created.ID)
	require.True(t, ok)
	assert.Equal(t, "12345678909", stored.Document, "sent as cpf, digits only")
	assert.Equal(t, "SP", stored.Addresses[0].State)
	assert.Equal(t, "Brasil", stored.Addresses[0].Country)

	got, err := c.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "123.456.789-09", got.Document, "read back formatted as documento")
	assert.Equal(t, "AUVO-42", got.Code)
	assert.Equal(t, "11999998888", got.PhoneMobile)
	assert.True(t, got.Active)
	createdAt := got.UpdatedAt

	e.clock.Advance(time.Minute)
	require.NoError(t, c.Patch(ctx, created.ID, contaazul.PersonPatch{
		Email: contaazul.Ptr("maria@novo.com"),
		Note:  contaazul.Ptr("atualizada"),
		Addresses: &[]contaazul.Address{{
			ID: got.Addresses[0].ID, Logradouro: "Av. Paulista", Numero: "2000", Bairro: "Bela Vista",
			Cidade: "São Paulo", Estado: "SP", CEP: "01310-300",
		}},
	}))
	got, err = c.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "maria@novo.com", got.Email)
	assert.Equal(t, "atualizada", got.Note)
	assert.Equal(t, "Maria Souza", got.Name, "unsent fields are kept")
	assert.Equal(t, "2000", got.Addresses[0].Numero)
	assert.True(t, got.UpdatedAt.After(createdAt))

	require.NoError(t, c.Patch(ctx, created.ID, contaazul.PersonPatch{Active: contaazul.Ptr(false), Profiles: &[]string{"Cliente", "Fornecedor"}}))
	got, err = c.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.False(t, got.Active, "ativo=false is sent, not dropped as a zero value")
	assert.Equal(t, []string{"Cliente", "Fornecedor"}, got.Profiles)
	assert.Equal(t, 3, e.fake.WriteCalls())
}

func TestCreateCompanyGoesOutAsCnpj(t *testing.T) {
	e := newEnv(t)
	created, err := e.client(t).Create(context.Background(), contaazul.NewPerson{
		Name: "ACME Ltda", PersonType: "juridica", Document: "11.222.333/0001-81", Active: contaazul.Ptr(true),
	})
	require.NoError(t, err)
	assert.Equal(t, contaazul.PersonTypeCompany, created.PersonType)
	assert.Equal(t, "11.222.333/0001-81", created.Document)
}

func TestPutReplacesTheRecord(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Document: "12345678909", Active: true, Code: "X1",
		BirthDate: "1990-01-02", Profiles: []string{"Cliente"},
		Addresses: []contaazulfake.Address{{Street: "Rua A", Number: "1", State: "SP"}}})
	c := e.client(t)
	ctx := context.Background()
	p, err := c.Get(ctx, id)
	require.NoError(t, err)
	p.Name = "Ana Maria"
	p.Addresses[0].Numero = "2"
	require.NoError(t, c.Put(ctx, id, p))
	stored, _ := e.fake.Person(id)
	assert.Equal(t, "Ana Maria", stored.Name)
	assert.Equal(t, "X1", stored.Code)
	assert.Equal(t, "1990-01-02", stored.BirthDate)
	require.Len(t, stored.Addresses, 1)
	assert.Equal(t, p.Addresses[0].ID, stored.Addresses[0].ID, "the address keeps its id")
	assert.Equal(t, "2", stored.Addresses[0].Number)

	summary := collect(t, c.List(ctx, contaazul.ListOptions{}))[0]
	err = c.Put(ctx, id, summary)
	assert.ErrorIs(t, err, contaazul.ErrInvalid, "a list item would erase fields it lacks")
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointPut))
}

func TestWritesRefuseBadInputBeforeCallingTheAPI(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	ctx := context.Background()
	long := strings.Repeat("x", 21)
	creates := map[string]contaazul.NewPerson{
		"no name":                 {Document: "12345678909"},
		"unknown type":            {Name: "A", PersonType: "PF-ish", Document: "12345678909"},
		"type not inferable":      {Name: "A", Document: "123"},
		"CPF length for Jurídica": {Name: "A", PersonType: contaazul.PersonTypeCompany, Document: "12345678909"},
		"document for foreigner":  {Name: "A", PersonType: contaazul.PersonTypeForeign, Document: "12345678909"},
		"unknown profile":         {Name: "A", Document: "12345678909", Profiles: []string{"Funcionário"}},
		"state not a UF":          {Name: "A", Document: "12345678909", Addresses: []contaazul.Address{{Estado: "São Paulo"}}},
		"code too long":           {Name: "A", Document: "12345678909", Code: long},
		"name too long":           {Name: strings.Repeat("n", 201), Document: "12345678909"},
	}
	for name, n := range creates {
		t.Run("create "+name, func(t *testing.T) {
			_, err := c.Create(ctx, n)
			assert.ErrorIs(t, err, contaazul.ErrInvalid)
		})
	}
	patches := map[string]contaazul.PersonPatch{
		"nothing":         {},
		"emptied name":    {Name: contaazul.Ptr("  ")},
		"code too long":   {Code: &long},
		"unknown profile": {Profiles: &[]string{"Sócio"}},
	}
	for name, p := range patches {
		t.Run("patch "+name, func(t *testing.T) {
			assert.ErrorIs(t, c.Patch(ctx, "9a0c3a55-8a4c-4d7c-9d57-3b8f1f3ad0b1", p), contaazul.ErrInvalid)
		})
	}
	for _, id := range []string{"", "  ", "a/b", "x?y=1"} {
		_, err := c.Get(ctx, id)
		assert.ErrorIs(t, err, contaazul.ErrInvalid, id)
	}
	assert.Zero(t, e.fake.WriteCalls()+e.fake.ReadCalls())
}

func TestCreateIsNotResentAfterAServerError(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(contaazulfake.EndpointCreate, 1, http.StatusInternalServerError, "")
	_, err := e.client(t).Create(context.Background(), contaazul.NewPerson{Name: "Ana", Document: "12345678909"})
	require.Error(t, err)
	assert.ErrorIs(t, err, contaazul.ErrServer)
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointCreate))
}

func TestCreateWithoutAnAnswerIsUncertain(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(contaazulfake.EndpointCreate, 1, 0, "")
	_, err := e.client(t).Create(context.Background(), contaazul.NewPerson{Name: "Ana", Document: "12345678909"})
	require.Error(t, err)
	var netErr *contaazul.NetworkError
	require.ErrorAs(t, err, &netErr)
	assert.True(t, netErr.Uncertain, "read back before creating again")
	assert.Equal(t, 1, e.fake.Calls(contaazulfake.EndpointCreate))
}

func TestCreateIsResentAfterA429(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(contaazulfake.EndpointCreate, 1, http.StatusTooManyRequests, "")
	created, err := e.client(t).Create(context.Background(), contaazul.NewPerson{Name: "Ana", Document: "12345678909"})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointCreate), "429 means refused before acting")
	assert.Equal(t, 1, e.fake.Len())
	assert.Equal(t, []time.Duration{time.Second}, e.recordedWaits(), "Retry-After honoured")
}

func TestPatchIsRetriedAfterAServerError(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(contaazulfake.Person{Name: "Ana", Active: true})
	e.fake.FailNext(contaazulfake.EndpointPatch, 1, http.StatusBadGateway, "")
	require.NoError(t, e.client(t).Patch(context.Background(), id, contaazul.PersonPatch{Note: contaazul.Ptr("x")}))
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointPatch))
	p, _ := e.fake.Person(id)
	assert.Equal(t, "x", p.Note)
}
