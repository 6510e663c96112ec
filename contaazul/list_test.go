package contaazul_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

func TestListWalksEveryPage(t *testing.T) {
	e := newEnv(t)
	for i := range 25 {
		e.fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("Pessoa %02d", i), Document: fmt.Sprintf("%011d", i+1), Active: i%2 == 0})
	}
	c := e.client(t)
	people := collect(t, c.List(context.Background(), contaazul.ListOptions{PageSize: 10}))
	require.Len(t, people, 25)
	assert.Equal(t, 3, e.fake.Calls(contaazulfake.EndpointList))
	assert.Equal(t, "Pessoa 00", people[0].Name)
	assert.Equal(t, "Pessoa 24", people[24].Name)
	assert.True(t, people[0].Active)
	assert.False(t, people[1].Active)
	for _, p := range people {
		assert.True(t, p.Summary)
		assert.NotEmpty(t, p.ID)
	}
}

func TestListStopsOnAnExactlyFullLastPage(t *testing.T) {
	e := newEnv(t)
	for i := range 20 {
		e.fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("P%02d", i), Active: true})
	}
	people := collect(t, e.client(t).List(context.Background(), contaazul.ListOptions{PageSize: 10}))
	assert.Len(t, people, 20)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointList), "totalItems saves the empty third page")
}

func TestListHonoursAConsumerThatStopsEarly(t *testing.T) {
	e := newEnv(t)
	for i := range 35 {
		e.fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("P%02d", i), Active: true})
	}
	n := 0
	for _, err := range e.client(t).List(context.Background(), contaazul.ListOptions{PageSize: 10}) {
		require.NoError(t, err)
		n++
		if n == 12 {
			break
		}
	}
	assert.Equal(t, 12, n)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointList))
}

func TestListItemAndDetailShapesDecodeIntoPerson(t *testing.T) {
	e := newEnv(t)
	created := time.Date(2025, 5, 1, 8, 30, 0, 0, saoPaulo)
	id := e.fake.Seed(contaazulfake.Person{
		Name: "Maria Souza", Document: "12345678909", Email: "m@example.com, n@example.com",
		PhoneCommercial: "1133334444", PhoneMobile: "11999998888", Note: "cliente antigo", Code: "AUVO-7",
		BirthDate: "1980-02-03", Active: true, Profiles: []string{"Cliente", "Transportadora"},
		Addresses: []contaazulfake.Address{
			{Street: "Rua A", Number: "10", Complement: "ap 2", District: "Centro", City: "São Paulo", State: "SP", ZIP: "01000-000", Country: "Brasil"},
			{Street: "Rua B", Number: "20", District: "Vila", City: "Campinas", State: "SP", ZIP: "13000-000", Country: "Brasil"},
		},
		CreatedAt: created, UpdatedAt: created.Add(time.Hour),
	})
	c := e.client(t)
	ctx := context.Background()

	list := collect(t, c.List(ctx, contaazul.ListOptions{WithAddress: true}))
	require.Len(t, list, 1)
	item := list[0]
	assert.Equal(t, id, item.ID)
	assert.True(t, item.Summary)
	assert.Equal(t, contaazul.PersonTypeIndividual, item.PersonType)
	assert.Equal(t, "123.456.789-09", item.Document)
	assert.Equal(t, []string{"Cliente", "Transportadora"}, item.Profiles, "upper-case list profiles normalised (R-PROFILE)")
	assert.True(t, item.HasProfile("CLIENTE"))
	assert.Equal(t, "1133334444", item.Phone)
	assert.Empty(t, item.PhoneMobile, "list items carry one phone")
	assert.Empty(t, item.Code, "list items carry no codigo")
	assert.Equal(t, "cliente antigo", item.Note)
	assert.Equal(t, "m@example.com, n@example.com", item.Email)
	require.Len(t, item.Addresses, 1, "list items carry one address")
	assert.Equal(t, "Rua A", item.Addresses[0].Logradouro)
	assert.True(t, item.UpdatedAt.Equal(created.Add(time.Hour)), item.UpdatedAt)
	assert.True(t, item.CreatedAt.Equal(created))
	assert.NotZero(t, item.LegacyID)

	detail, err := c.Get(ctx, id)
	require.NoError(t, err)
	assert.False(t, detail.Summary)
	assert.Equal(t, "AUVO-7", detail.Code)
	assert.Equal(t, "1133334444", detail.PhoneCommercial)
	assert.Equal(t, "11999998888", detail.PhoneMobile)
	assert.Equal(t, "1980-02-03", detail.BirthDate)
	assert.Equal(t, []string{"Cliente", "Transportadora"}, detail.Profiles)
	require.Len(t, detail.Addresses, 2)
	assert.Equal(t, contaazul.Address{
		ID: detail.Addresses[1].ID, Logradouro: "Rua B", Numero: "20", Bairro: "Vila",
		Cidade: "Campinas", Estado: "SP", CEP: "13000-000", Pais: "Brasil",
	}, detail.Addresses[1])
	assert.NotEmpty(t, detail.Addresses[1].ID)
	assert.True(t, detail.UpdatedAt.Equal(created.Add(time.Hour)))

	withoutAddress := collect(t, c.List(ctx, contaazul.ListOptions{}))
	assert.Empty(t, withoutAddress[0].Addresses, "com_endereco off: no address")
}

func TestListFilters(t *testing.T) {
	e := newEnv(t)
	now := e.clock.Now()
	seed := func(name, doc string, profiles []string, updated time.Time) {
		e.fake.Seed(contaazulfake.Person{Name: name, Document: doc, Active: true, Profiles: profiles, CreatedAt: updated, UpdatedAt: updated})
	}
	seed("Ana Lima", "12345678909", []string{"Cliente"}, now.Add(-2*time.Hour))
	seed("Bruno Dias", "98765432100", []string{"Fornecedor"}, now.Add(-48*time.Hour))
	seed("Carla Ana", "11222333000181", []string{"Fornecedor", "Cliente"}, now.Add(-400*24*time.Hour))
	seed("Duda Reis", "12345678909", []string{"Transportadora"}, now.Add(-10*time.Minute))

	cases := []struct {
		name string
		opts contaazul.ListOptions
		want []string
	}{
		{"no filter", contaazul.ListOptions{}, []string{"Ana Lima", "Bruno Dias", "Carla Ana", "Duda Reis"}},
		{"documents, digits", contaazul.ListOptions{Documents: []string{"12345678909"}}, []string{"Ana Lima", "Duda Reis"}},
		{"documents, formatted, several", contaazul.ListOptions{Documents: []string{"987.654.321-00", "11.222.333/0001-81"}}, []string{"Bruno Dias", "Carla Ana"}},
		{"search by name", contaazul.ListOptions{Search: "ana"}, []string{"Ana Lima", "Carla Ana"}},
		{"search by document", contaazul.ListOptions{Search: "11222333"}, []string{"Carla Ana"}},
		{"profile Cliente", contaazul.ListOptions{Profile: "Cliente"}, []string{"Ana Lima", "Carla Ana"}},
		{"profile in upper case", contaazul.ListOptions{Profile: "FORNECEDOR"}, []string{"Bruno Dias", "Carla Ana"}},
		{"profile Transportadora", contaazul.ListOptions{Profile: "transportadora"}, []string{"Duda Reis"}},
		{"changed in the last day", contaazul.ListOptions{ChangedFrom: now.Add(-24 * time.Hour)}, []string{"Ana Lima", "Duda Reis"}},
		{"changed in a closed window", contaazul.ListOptions{ChangedFrom: now.Add(-72 * time.Hour), ChangedTo: now.Add(-time.Hour)}, []string{"Ana Lima", "Bruno Dias"}},
		// Windows are listed oldest first, each in name order.
		{"changed over two years (split windows)", contaazul.ListOptions{ChangedFrom: now.Add(-800 * 24 * time.Hour)}, []string{"Carla Ana", "Ana Lima", "Bruno Dias", "Duda Reis"}},
		{"filters combine", contaazul.ListOptions{Profile: "Cliente", Search: "ana", ChangedFrom: now.Add(-24 * time.Hour)}, []string{"Ana Lima"}},
		{"page size 1000", contaazul.ListOptions{PageSize: 1000, Profile: "Cliente"}, []string{"Ana Lima", "Carla Ana"}},
	}
	c := e.client(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := collect(t, c.List(context.Background(), tc.opts))
			assert.Equal(t, tc.want, names(got))
		})
	}
}

func TestListRefusesBadOptionsBeforeCallingTheAPI(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	now := e.clock.Now()
	for name, opts := range map[string]contaazul.ListOptions{
		"page size 25":         {PageSize: 25},
		"page size negative":   {PageSize: -10},
		"unknown profile":      {Profile: "Funcionário"},
		"upper bound only":     {ChangedTo: now},
		"bounds reversed":      {ChangedFrom: now, ChangedTo: now.Add(-time.Hour)},
		"comma in a document":  {Documents: []string{"123,456"}},
		"empty document entry": {Documents: []string{""}},
	} {
		t.Run(name, func(t *testing.T) {
			n := 0
			for _, err := range c.List(context.Background(), opts) {
				n++
				assert.ErrorIs(t, err, contaazul.ErrInvalid)
			}
			assert.Equal(t, 1, n)
		})
	}
	assert.Zero(t, e.fake.Calls(contaazulfake.EndpointList))
	assert.Zero(t, e.fake.Calls(contaazulfake.EndpointToken))
}

// recordQueries wraps the fake to see the query strings the client sends.
func recordQueries(e *env) (*httptest.Server, func() []url.Values) {
	var mu sync.Mutex
	var seen []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/pessoas" {
			mu.Lock()
			seen = append(seen, r.URL.Query())
			mu.Unlock()
		}
		e.fake.ServeHTTP(w, r)
	}))
	return srv, func() []url.Values {
		mu.Lock()
		defer mu.Unlock()
		return append([]url.Values(nil), seen...)
	}
}

func TestListSendsSaoPauloLocalTimeInWindowsOfAtMost365Days(t *testing.T) {
	e := newEnv(t)
	srv, queries := recordQueries(e)
	defer srv.Close()
	now := e.clock.Now() // 2026-03-10 09:00 in São Paulo
	boundary := time.Date(2025, 3, 9, 9, 0, 0, 0, saoPaulo)
	e.fake.Seed(contaazulfake.Person{Name: "Na fronteira", Active: true, UpdatedAt: boundary})
	e.fake.Seed(contaazulfake.Person{Name: "Antigo", Active: true, UpdatedAt: now.AddDate(-2, 0, 0).Add(time.Hour)})

	c := e.client(t, contaazul.WithBaseURL(srv.URL))
	from := now.AddDate(-2, 0, -1).UTC() // 731 days; any zone in, São Paulo out
	got := collect(t, c.List(context.Background(), contaazul.ListOptions{ChangedFrom: from, Profile: "Cliente", WithAddress: true, PageSize: 50, Documents: []string{"1", "2"}}))
	assert.Empty(t, got, "no one has the Cliente profile")
	got = collect(t, c.List(context.Background(), contaazul.ListOptions{ChangedFrom: from}))
	assert.Equal(t, []string{"Antigo", "Na fronteira"}, names(got), "a person on a window boundary is yielded once")

	qs := queries()
	require.Len(t, qs, 6, "731 days = 3 windows, each listed by both calls")
	first := qs[0]
	assert.Equal(t, "2024-03-09T09:00:00", first.Get("data_alteracao_de"))
	assert.Equal(t, "2025-03-09T09:00:00", first.Get("data_alteracao_ate"))
	assert.Equal(t, "Cliente", first.Get("tipo_perfil"))
	assert.Equal(t, "true", first.Get("com_endereco"))
	assert.Equal(t, "50", first.Get("tamanho_pagina"))
	assert.Equal(t, "1", first.Get("pagina"))
	assert.Equal(t, "1,2", first.Get("documentos"))
	assert.Equal(t, "2025-03-09T09:00:00", qs[1].Get("data_alteracao_de"))
	assert.Equal(t, "2026-03-09T09:00:00", qs[1].Get("data_alteracao_ate"))
	assert.Equal(t, "2026-03-09T09:00:00", qs[2].Get("data_alteracao_de"))
	assert.Equal(t, "2026-03-10T09:00:00", qs[2].Get("data_alteracao_ate"))
	assert.Equal(t, "100", qs[3].Get("tamanho_pagina"), "default page size")
	assert.False(t, qs[3].Has("com_endereco"))
}

func TestListRoundsWindowBoundsOutwardToWholeSeconds(t *testing.T) {
	e := newEnv(t)
	srv, queries := recordQueries(e)
	defer srv.Close()
	from := time.Date(2026, 1, 1, 10, 0, 0, 700_000_000, saoPaulo)
	to := time.Date(2026, 1, 2, 10, 0, 0, 200_000_000, saoPaulo)
	e.fake.Seed(contaazulfake.Person{Name: "Borda", Active: true, UpdatedAt: to})
	got := collect(t, e.client(t, contaazul.WithBaseURL(srv.URL)).List(context.Background(), contaazul.ListOptions{ChangedFrom: from, ChangedTo: to}))
	assert.Len(t, got, 1)
	q := queries()[0]
	assert.Equal(t, "2026-01-01T10:00:00", q.Get("data_alteracao_de"))
	assert.Equal(t, "2026-01-02T10:00:01", q.Get("data_alteracao_ate"))
}

func TestListReportsEachPageWithTheKnownTotal(t *testing.T) {
	e := newEnv(t)
	for i := range 25 {
		e.fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("Pessoa %02d", i), Document: fmt.Sprintf("%011d", i+1), Active: true})
	}
	var pages []contaazul.Page
	collect(t, e.client(t).List(context.Background(), contaazul.ListOptions{PageSize: 10, OnPage: func(p contaazul.Page) { pages = append(pages, p) }}))
	assert.Equal(t, []contaazul.Page{{Number: 1, Items: 10, Total: 25}, {Number: 2, Items: 10, Total: 25}, {Number: 3, Items: 5, Total: 25}}, pages)
}

// R-SCHED-3: a resumed listing starts at StartPage and reads on to the end.
func TestListStartsAtStartPage(t *testing.T) {
	e := newEnv(t)
	for i := range 25 {
		e.fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("Pessoa %02d", i), Document: fmt.Sprintf("%011d", i+1), Active: true})
	}
	people := collect(t, e.client(t).List(t.Context(), contaazul.ListOptions{PageSize: 10, StartPage: 2}))
	require.Len(t, people, 15)
	assert.Equal(t, "Pessoa 10", people[0].Name)
	assert.Equal(t, 2, e.fake.Calls(contaazulfake.EndpointList), "pages 2 and 3 only")
}

// WithOffsetDates sends the window's bounds with São Paulo's offset, which
// a Conta Azul refusing the offset-less form (contaazulfake.WithOffsetDatesOnly)
// takes; without it that Conta Azul answers 400.
func TestListWithOffsetDatesSendsSaoPauloOffsetAndIsAcceptedWhereLocalTimeIsRefused(t *testing.T) {
	e := newEnv(t, contaazulfake.WithOffsetDatesOnly())
	srv, queries := recordQueries(e)
	defer srv.Close()
	e.fake.Seed(contaazulfake.Person{Name: "Recente", Active: true, UpdatedAt: e.clock.Now().Add(-time.Hour)})
	from := e.clock.Now().Add(-24 * time.Hour)

	var err error
	for _, err = range e.client(t, contaazul.WithBaseURL(srv.URL)).List(context.Background(), contaazul.ListOptions{ChangedFrom: from}) {
		if err != nil {
			break
		}
	}
	require.Error(t, err, "the offset-less form is refused")

	got := collect(t, e.client(t, contaazul.WithBaseURL(srv.URL), contaazul.WithOffsetDates()).List(context.Background(), contaazul.ListOptions{ChangedFrom: from}))
	assert.Equal(t, []string{"Recente"}, names(got))
	qs := queries()
	assert.Equal(t, "2026-03-09T09:00:00-03:00", qs[len(qs)-1].Get("data_alteracao_de"))
}
