package bling_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/internal/document"
)

func seedMany(e *env, n int) []int64 {
	ids := make([]int64, n)
	for i := range n {
		ids[i] = e.fake.Seed(blingfake.Contact{
			Nome:            fmt.Sprintf("Cliente %03d", i),
			Codigo:          fmt.Sprintf("C%03d", i),
			NumeroDocumento: fmt.Sprintf("%011d", 10_000_000_000+i),
			Email:           fmt.Sprintf("c%d@example.com", i),
		})
	}
	return ids
}

func TestListPagesThroughEveryContactWithCriterioAll(t *testing.T) {
	e := newEnv(t)
	ids := seedMany(e, 250) // more than the 100 that Bling's default criterio=3 returns
	c := e.client(t)

	got, err := collect(t, c.List(context.Background(), bling.ListOptions{}))
	require.NoError(t, err)
	require.Len(t, got, 250)
	for i, contact := range got {
		assert.Equal(t, ids[i], contact.ID)
		assert.False(t, contact.Detailed, "list items are summaries")
		assert.Empty(t, contact.Email, "list items carry no e-mail")
		assert.Equal(t, fmt.Sprintf("C%03d", i), contact.Code)
	}
	assert.Equal(t, 3, e.fake.Calls("GET /contatos"), "pages of 100, 100 and 50")
}

func TestListWithLatestAddedCriterionShowsWhyCriterioOneIsSent(t *testing.T) {
	e := newEnv(t)
	seedMany(e, 250)
	c := e.client(t)
	got, err := collect(t, c.List(context.Background(), bling.ListOptions{Criterion: bling.CriterionLatestAdded}))
	require.NoError(t, err)
	assert.Len(t, got, blingfake.DefaultLatestAdded)
}

func TestListSmallPagesAndEarlyBreak(t *testing.T) {
	e := newEnv(t)
	seedMany(e, 7)
	c := e.client(t)
	got, err := collect(t, c.List(context.Background(), bling.ListOptions{PageSize: 2}))
	require.NoError(t, err)
	assert.Len(t, got, 7)
	assert.Equal(t, 4, e.fake.Calls("GET /contatos"))

	e.fake.ResetCalls()
	n := 0
	for _, err := range c.List(context.Background(), bling.ListOptions{PageSize: 2}) {
		require.NoError(t, err)
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 2, e.fake.Calls("GET /contatos"), "breaking out stops paging")
}

func TestListIncrementalWindowReturnsOnlyChangedContacts(t *testing.T) {
	e := newEnv(t)
	ids := seedMany(e, 5)
	c := e.client(t)

	e.clock.Advance(2 * time.Hour)
	cursor := e.clock.Now()
	e.clock.Advance(10 * time.Minute)
	e.fake.Update(ids[1], func(c *blingfake.Contact) { c.Telefone = "(11) 3333-4444" })
	e.fake.Update(ids[3], func(c *blingfake.Contact) { c.Situacao = "I" })
	e.clock.Advance(10 * time.Minute)

	got, err := collect(t, c.List(context.Background(), bling.ListOptions{ChangedFrom: cursor}))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, ids[1], got[0].ID)
	assert.Equal(t, "(11) 3333-4444", got[0].Phone)
	assert.Equal(t, ids[3], got[1].ID)
	assert.Equal(t, bling.StatusInactive, got[1].Status)

	// A closed window that ends before the changes sees none of them.
	got, err = collect(t, c.List(context.Background(), bling.ListOptions{ChangedFrom: cursor, ChangedTo: cursor.Add(5 * time.Minute)}))
	require.NoError(t, err)
	assert.Empty(t, got)

	// The client-side status filter keeps only active ones (R-ELIG-1 needs situacao A).
	got, err = collect(t, c.List(context.Background(), bling.ListOptions{ChangedFrom: cursor, Status: bling.StatusActive}))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, ids[1], got[0].ID)
}

func TestListSplitsRangesLongerThanAYear(t *testing.T) {
	e := newEnv(t)
	old := e.fake.Seed(blingfake.Contact{Nome: "Antigo", DataInclusao: start.AddDate(-2, 0, 0).Add(time.Hour)})
	recent := e.fake.Seed(blingfake.Contact{Nome: "Recente"})
	c := e.client(t)

	// The fake, like Bling, answers 400 to one request spanning over a year.
	got, err := collect(t, c.List(context.Background(), bling.ListOptions{ChangedFrom: start.AddDate(-2, 0, 0)}))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, old, got[0].ID)
	assert.Equal(t, recent, got[1].ID)
	assert.Equal(t, 3, e.fake.Calls("GET /contatos"), "two years split into three windows of at most 365 days")
}

func TestListByDocumentIgnoresPunctuation(t *testing.T) {
	e := newEnv(t)
	seedMany(e, 3)
	want := e.fake.Seed(blingfake.Contact{Nome: "Formatado", NumeroDocumento: "529.982.247-25"})
	c := e.client(t)
	got, err := collect(t, c.List(context.Background(), bling.ListOptions{Document: "52998224725"}))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, want, got[0].ID)
	assert.Equal(t, "52998224725", got[0].DocumentDigits())
}

// alphanumericCNPJ is a valid CNPJ with letters (allowed since July 2026),
// its check digits computed by the one document check.
func alphanumericCNPJ(t *testing.T, body string) string {
	t.Helper()
	dv, ok := document.CheckDigits(body)
	require.True(t, ok, body)
	return body + dv
}

// An alphanumeric CNPJ keeps its letters in the numeroDocumento filter and
// in DocumentDigits; a contact whose document has the same digits without
// the letters is another company and does not match.
func TestListByAlphanumericCNPJKeepsItsLetters(t *testing.T) {
	e := newEnv(t)
	seedMany(e, 3)
	cnpj := alphanumericCNPJ(t, "AB12CD340001")
	want := e.fake.Seed(blingfake.Contact{Nome: "Empresa Nova", NumeroDocumento: document.Format(cnpj)})
	sameDigits := strings.Map(func(r rune) rune {
		if r < '0' || r > '9' {
			return -1
		}
		return r
	}, cnpj)
	e.fake.Seed(blingfake.Contact{Nome: "Mesmos dígitos", NumeroDocumento: sameDigits})
	c := e.client(t)
	got, err := collect(t, c.List(context.Background(), bling.ListOptions{Document: strings.ToLower(document.Format(cnpj))}))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, want, got[0].ID)
	assert.Equal(t, cnpj, got[0].DocumentDigits(), "punctuation gone, letters kept")
	stored, ok := e.fake.Contact(want)
	require.True(t, ok)
	assert.Equal(t, "J", stored.Tipo, "the fake takes a 14-character document for a company's")
}

// The fake takes a company's alphanumeric CNPJ as 14 characters, as Bling
// validates a CNPJ, and finds the contact by it afterwards.
func TestCreateACompanyWithAnAlphanumericCNPJ(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	cnpj := alphanumericCNPJ(t, "XY9Z8W760001")
	created, err := c.Create(context.Background(), bling.Contact{Name: "Empresa Nova", Type: bling.TypeCompany, Document: document.Format(cnpj)})
	require.NoError(t, err)
	got, err := collect(t, c.List(context.Background(), bling.ListOptions{Document: cnpj}))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, created.ID, got[0].ID)
}

func TestListRejectsBadOptionsWithoutSending(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	for name, opts := range map[string]bling.ListOptions{
		"page size over 100": {PageSize: 101},
		"negative page size": {PageSize: -1},
		"criterio 5":         {Criterion: 5},
		"status X":           {Status: "X"},
		"document no digits": {Document: "abc"},
		"reversed window":    {ChangedFrom: start, ChangedTo: start.Add(-time.Hour)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := collect(t, c.List(context.Background(), opts))
			require.Error(t, err)
		})
	}
	assert.Zero(t, e.fake.Calls("GET"))
}

func TestGetReturnsTheDetail(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{
		Nome: "Maria Souza", Codigo: "AUVO-7", NumeroDocumento: "529.982.247-25", Telefone: "(11) 3333-4444",
		Celular: "(11) 99999-8888", Email: "maria@example.com", Tipo: "F", IndicadorIE: 9,
		Endereco: blingfake.Endereco{Geral: blingfake.EnderecoDados{
			Endereco: "Rua das Flores", Numero: "100", Complemento: "Ap 3", Bairro: "Centro",
			Municipio: "São Paulo", UF: "SP", CEP: "01001-000"}},
		TiposContato: []blingfake.TipoContato{{ID: 55, Descricao: "Cliente"}},
	})
	c := e.client(t)
	got, err := c.Get(context.Background(), id)
	require.NoError(t, err)
	assert.True(t, got.Detailed)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, "Maria Souza", got.Name)
	assert.Equal(t, "AUVO-7", got.Code)
	assert.Equal(t, bling.StatusActive, got.Status)
	assert.Equal(t, "maria@example.com", got.Email)
	assert.Equal(t, bling.TypePerson, got.Type)
	assert.Equal(t, 9, got.StateRegistrationIndicator)
	assert.Equal(t, bling.Address{Endereco: "Rua das Flores", Numero: "100", Complemento: "Ap 3", Bairro: "Centro",
		Municipio: "São Paulo", UF: "SP", CEP: "01001-000"}, got.Address)
	assert.Equal(t, []bling.ContactType{{ID: 55, Descricao: "Cliente"}}, got.ContactTypes)
	assert.NotContains(t, fmt.Sprint(got), "maria", "printing a contact hides personal data")

	_, err = c.Get(context.Background(), id+1000)
	assert.ErrorIs(t, err, bling.ErrNotFound)
	_, err = c.Get(context.Background(), 0)
	assert.Error(t, err)
}

func TestCreateThenUpdateRoundTripKeepsFieldsTheClientDoesNotModel(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	ctx := context.Background()

	created, err := c.Create(ctx, bling.Contact{
		Name: "Empresa X", Type: bling.TypeCompany, Document: "11222333000181", Email: "x@example.com",
		Address:      bling.Address{Endereco: "Av. Brasil", Numero: "1", Municipio: "Curitiba", UF: "PR", CEP: "80000-000"},
		ContactTypes: []bling.ContactType{{ID: 55}},
	})
	require.NoError(t, err)
	id := created.ID
	stored, ok := e.fake.Contact(id)
	require.True(t, ok)
	assert.Equal(t, "A", stored.Situacao, "status defaults to active")
	assert.Equal(t, "J", stored.Tipo)
	assert.Equal(t, "Av. Brasil", stored.Endereco.Geral.Endereco)

	// A Bling user fills fields this package does not model.
	e.fake.Update(id, func(c *blingfake.Contact) {
		c.Extra = map[string]json.RawMessage{"vendedor": json.RawMessage(`{"id":77}`)}
		c.Endereco.Cobranca = blingfake.EnderecoDados{Endereco: "Rua da Cobrança", UF: "PR"}
	})

	got, err := c.Get(ctx, id)
	require.NoError(t, err)
	got.Phone = "(41) 3000-0000"
	got.Address.Numero = "2"
	e.fake.ResetCalls()
	require.NoError(t, c.Update(ctx, got))
	assert.Equal(t, 1, e.fake.Calls("PUT /contatos/{id}"))
	assert.Zero(t, e.fake.Calls("GET /contatos/{id}"), "a contact from Get is written without reading again")

	stored, _ = e.fake.Contact(id)
	assert.Equal(t, "(41) 3000-0000", stored.Telefone)
	assert.Equal(t, "2", stored.Endereco.Geral.Numero)
	assert.Equal(t, "Av. Brasil", stored.Endereco.Geral.Endereco)
	assert.Equal(t, "x@example.com", stored.Email)
	assert.JSONEq(t, `{"id":77}`, string(stored.Extra["vendedor"]), "PUT replaces the whole contact: unmodelled fields are written back")
	assert.Equal(t, "Rua da Cobrança", stored.Endereco.Cobranca.Endereco)
	assert.Equal(t, []blingfake.TipoContato{{ID: 55}}, stored.TiposContato)
}

func TestUpdateOfASummaryReadsTheDetailFirst(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "Ana", Email: "ana@example.com",
		Extra: map[string]json.RawMessage{"financeiro": json.RawMessage(`{"limiteCredito":500}`)}})
	c := e.client(t)
	ctx := context.Background()
	var summary bling.Contact
	for item, err := range c.List(ctx, bling.ListOptions{}) {
		require.NoError(t, err)
		summary = item
	}
	summary.Type = bling.TypePerson
	summary.Name = "Ana Maria"
	require.NoError(t, c.Update(ctx, summary))
	assert.Equal(t, 1, e.fake.Calls("GET /contatos/{id}"))
	stored, _ := e.fake.Contact(id)
	assert.Equal(t, "Ana Maria", stored.Nome)
	assert.JSONEq(t, `{"limiteCredito":500}`, string(stored.Extra["financeiro"]))
}

func TestModifyReadsMergesAndWrites(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "Ana", Email: "ana@example.com", Telefone: "1"})
	c := e.client(t)
	require.NoError(t, c.Modify(context.Background(), id, func(c *bling.Contact) error {
		c.Email = "ana.maria@example.com"
		return nil
	}))
	stored, _ := e.fake.Contact(id)
	assert.Equal(t, "ana.maria@example.com", stored.Email)
	assert.Equal(t, "1", stored.Telefone)

	stop := errors.New("changed my mind")
	e.fake.ResetCalls()
	assert.ErrorIs(t, c.Modify(context.Background(), id, func(*bling.Contact) error { return stop }), stop)
	assert.Zero(t, e.fake.WriteCalls())
}

func TestSetStatusPatchesSituacoes(t *testing.T) {
	e := newEnv(t)
	id := e.fake.Seed(blingfake.Contact{Nome: "Ana"})
	c := e.client(t)
	e.clock.Advance(time.Minute)
	require.NoError(t, c.SetStatus(context.Background(), id, bling.StatusInactive))
	stored, _ := e.fake.Contact(id)
	assert.Equal(t, "I", stored.Situacao)
	assert.Equal(t, e.clock.Now(), stored.DataAlteracao)
	assert.Equal(t, 1, e.fake.Calls("PATCH /contatos/{id}/situacoes"))

	assert.Error(t, c.SetStatus(context.Background(), id, "X"))
	assert.ErrorIs(t, c.SetStatus(context.Background(), id+1, "A"), bling.ErrNotFound)
	assert.Equal(t, 2, e.fake.WriteCalls(), "the invalid status was refused before sending")
}

func TestWritesRejectInvalidContactsBeforeSending(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	for name, contact := range map[string]bling.Contact{
		"no name":         {Type: "F"},
		"no type":         {Name: "X"},
		"bad type":        {Name: "X", Type: "Q"},
		"bad status":      {Name: "X", Type: "F", Status: "Z"},
		"bad indicadorIe": {Name: "X", Type: "F", StateRegistrationIndicator: 3},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Create(context.Background(), contact)
			require.Error(t, err)
			contact.ID = 1
			require.Error(t, c.Update(context.Background(), contact))
		})
	}
	assert.Zero(t, e.fake.Calls("POST")+e.fake.Calls("PUT")+e.fake.Calls("GET /contatos/{id}"))
}

func TestListReportsPagesWithoutATotalBlingDoesNotGive(t *testing.T) {
	e := newEnv(t)
	seedMany(e, 150)
	var pages []bling.Page
	_, err := collect(t, e.client(t).List(context.Background(), bling.ListOptions{OnPage: func(p bling.Page) { pages = append(pages, p) }}))
	require.NoError(t, err)
	assert.Equal(t, []bling.Page{{Number: 1, Items: 100, Total: -1}, {Number: 2, Items: 50, Total: -1}}, pages)
}

// R-SCHED-3: a resumed listing starts at StartPage and reads on to the end.
func TestListStartsAtStartPage(t *testing.T) {
	e := newEnv(t)
	ids := seedMany(e, 250)
	got, err := collect(t, e.client(t).List(t.Context(), bling.ListOptions{StartPage: 2}))
	require.NoError(t, err)
	require.Len(t, got, 150)
	assert.Equal(t, ids[100], got[0].ID)
	assert.Equal(t, 2, e.fake.Calls("GET /contatos"), "pages 2 and 3 only")

	_, err = collect(t, e.client(t).List(t.Context(), bling.ListOptions{StartPage: -1}))
	assert.ErrorContains(t, err, "start page -1")
}
