package auvo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

func seedN(f *auvofake.Server, n int) []int64 {
	ids := make([]int64, n)
	for i := range n {
		ids[i] = f.Seed(auvofake.Customer{ExternalID: fmt.Sprintf("E%d", i), Name: fmt.Sprintf("Customer %03d", i), Active: true})
	}
	return ids
}

func ids(list []auvo.Customer) []int64 {
	out := make([]int64, len(list))
	for i, c := range list {
		out[i] = c.ID
	}
	return out
}

func TestListPaginatesAcrossPages(t *testing.T) {
	tests := []struct {
		name      string
		seeded    int
		pageSize  int
		pageMax   int
		wantCalls int
	}{
		{"three pages ending on a short page", 250, 100, 100, 3},
		{"exact multiple ends on the 404 past the last page", 200, 100, 100, 3},
		{"small pages", 7, 2, 100, 4},
		{"default page size is 100", 150, 0, 100, 2},
		{"server serving fewer than asked is not mistaken for the end", 100, 100, 40, 3},
		{"empty account answers 404 on page 1", 0, 100, 100, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, []auvofake.Option{auvofake.WithPageSizeMax(tt.pageMax)})
			want := seedN(e.fake, tt.seeded)
			got, err := collect(t, e.client.List(context.Background(), auvo.ListOptions{PageSize: tt.pageSize}))
			require.NoError(t, err)
			assert.Equal(t, len(want), len(got))
			if len(want) > 0 {
				assert.Equal(t, want, ids(got), "every customer once, in order")
			}
			assert.Equal(t, tt.wantCalls, e.fake.Calls(auvofake.EndpointList))
		})
	}
}

func TestListFilters(t *testing.T) {
	e := newEnv(t, nil)
	base := e.clock.Now()
	old := base.Add(-48 * time.Hour)
	a := e.fake.Seed(auvofake.Customer{ExternalID: "OMIE:1", Name: "Padaria Pão Quente", CpfCnpj: "11.222.333/0001-81", Active: true, DateLastUpdate: old})
	b := e.fake.Seed(auvofake.Customer{ExternalID: "OMIE:2", Name: "Oficina do Zé", CpfCnpj: "52998224725", Active: false, DateLastUpdate: old})
	c := e.fake.Seed(auvofake.Customer{ExternalID: "BLING:3", Name: "Padaria Central", CpfCnpj: "529.982.247-25", Active: true, DateLastUpdate: base})
	d := e.fake.Seed(auvofake.Customer{Name: "Sem código", Active: true, DateLastUpdate: base.Add(time.Hour)})

	tests := []struct {
		name string
		opts auvo.ListOptions
		want []int64
	}{
		{"no filter", auvo.ListOptions{}, []int64{a, b, c, d}},
		{"active", auvo.ListOptions{Active: ptr(true)}, []int64{a, c, d}},
		{"inactive", auvo.ListOptions{Active: ptr(false)}, []int64{b}},
		{"external id list", auvo.ListOptions{ExternalIDs: []string{"OMIE:2", "BLING:3", "NOPE"}}, []int64{b, c}},
		{"one external id", auvo.ListOptions{ExternalIDs: []string{"OMIE:1"}}, []int64{a}},
		{"updated since is on or after", auvo.ListOptions{UpdatedSince: base}, []int64{c, d}},
		{"updated since drops sub-second part", auvo.ListOptions{UpdatedSince: base.Add(999 * time.Millisecond)}, []int64{c, d}},
		{"updated since later", auvo.ListOptions{UpdatedSince: base.Add(time.Second)}, []int64{d}},
		{"description is a partial match", auvo.ListOptions{Description: "padaria"}, []int64{a, c}},
		{"cpf with punctuation", auvo.ListOptions{Document: "529.982.247-25"}, []int64{b, c}},
		{"cnpj digits only", auvo.ListOptions{Document: "11222333000181"}, []int64{a}},
		{"filters combine", auvo.ListOptions{Document: "52998224725", Active: ptr(true)}, []int64{c}},
		{"nothing matches", auvo.ListOptions{ExternalIDs: []string{"NOPE"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := collect(t, e.client.List(context.Background(), tt.opts))
			require.NoError(t, err)
			if tt.want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tt.want, ids(got))
		})
	}
}

func TestListSendsDocumentedParamFilter(t *testing.T) {
	e := newEnv(t, nil)
	since := time.Date(2026, 3, 10, 12, 30, 15, 500, time.UTC)
	_, err := collect(t, e.client.List(context.Background(), auvo.ListOptions{
		Active: ptr(true), ExternalIDs: []string{"A", " B "}, UpdatedSince: since, Description: "x", Document: "1", PageSize: 50,
	}))
	require.NoError(t, err)

	var listURL string
	for _, r := range e.fake.Requests() {
		if r.Endpoint == auvofake.EndpointList {
			listURL = r.URL
		}
	}
	u, err := url.Parse(listURL)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, "1", q.Get("page"))
	assert.Equal(t, "50", q.Get("pageSize"))
	assert.Equal(t, "asc", q.Get("order"))
	var filter map[string]any
	require.NoError(t, json.Unmarshal([]byte(q.Get("paramFilter")), &filter))
	assert.Equal(t, map[string]any{
		"active": true, "externalId": "A,B", "description": "x", "cpfCnpj": "1",
		"dateLastUpdate": "2026-03-10T09:30:15", // São Paulo is UTC-3
	}, filter)
}

func TestListRejectsBadOptionsWithoutCallingAuvo(t *testing.T) {
	e := newEnv(t, nil)
	for name, opts := range map[string]auvo.ListOptions{
		"page size above 100":   {PageSize: 101},
		"negative page size":    {PageSize: -1},
		"comma in external id":  {ExternalIDs: []string{"a,b"}},
		"only empty externalId": {ExternalIDs: []string{" "}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := collect(t, e.client.List(context.Background(), opts))
			require.Error(t, err)
			assert.Empty(t, got)
		})
	}
	assert.Zero(t, e.fake.Calls(auvofake.EndpointList))
}

func TestListStopsFetchingWhenTheConsumerBreaks(t *testing.T) {
	e := newEnv(t, nil)
	seedN(e.fake, 250)
	n := 0
	for _, err := range e.client.List(context.Background(), auvo.ListOptions{}) {
		require.NoError(t, err)
		n++
		if n == 10 {
			break
		}
	}
	assert.Equal(t, 1, e.fake.Calls(auvofake.EndpointList))
}

func TestListYieldsAnErrorAndStops(t *testing.T) {
	e := newEnv(t, nil)
	seedN(e.fake, 250)
	var got []auvo.Customer
	var errs []error
	for c, err := range e.client.List(context.Background(), auvo.ListOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, c)
		if len(got) == 100 { // page 2 will fail
			e.fake.FailNext(auvofake.EndpointList, 1, http.StatusBadRequest, `{"pageSize":["The value 'x' is not valid."]}`)
		}
	}
	assert.Len(t, got, 100)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], auvo.ErrInvalid)
	assert.Contains(t, errs[0].Error(), "page 2")
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointList))
}

func TestListResendsAPageAfterAServerError(t *testing.T) {
	e := newEnv(t, nil)
	seedN(e.fake, 150)
	e.fake.FailNext(auvofake.EndpointList, 1, http.StatusServiceUnavailable, "")
	got, err := collect(t, e.client.List(context.Background(), auvo.ListOptions{}))
	require.NoError(t, err)
	assert.Len(t, got, 150)
}

func TestListUpdatedSinceFindsRecordsEditedInAuvo(t *testing.T) {
	e := newEnv(t, nil)
	ids := seedN(e.fake, 120)
	since := e.clock.Now()
	e.clock.Advance(time.Minute)
	e.fake.Update(ids[5], func(c *auvofake.Customer) { c.Note = "changed" })
	e.fake.Update(ids[110], func(c *auvofake.Customer) { c.Note = "changed" })
	got, err := collect(t, e.client.List(context.Background(), auvo.ListOptions{UpdatedSince: since.Add(time.Second)}))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "changed", got[1].Note)
}

// A canned server that ignores "page" would make a naive loop spin forever.
func TestListDetectsAServerThatIgnoresPaging(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/login") {
			fmt.Fprint(w, `{"result":{"authenticated":true,"accessToken":"t"}}`)
			return
		}
		fmt.Fprint(w, `{"result":{"entityList":[{"id":1,"description":"A"},{"id":2,"description":"B"}],"pagedSearchReturnData":{"pageSize":2}}}`)
	}))
	defer srv.Close()
	client, err := auvo.New(auvo.WithBaseURL(srv.URL), auvo.WithCredentials(testKey, testToken), auvo.WithRateLimit())
	require.NoError(t, err)
	got, err := collect(t, client.List(context.Background(), auvo.ListOptions{PageSize: 2}))
	require.ErrorContains(t, err, "ignores paging")
	assert.Len(t, got, 2)
}

func TestListHonoursCancellation(t *testing.T) {
	e := newEnv(t, nil)
	seedN(e.fake, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := collect(t, e.client.List(ctx, auvo.ListOptions{}))
	assert.ErrorIs(t, err, context.Canceled)
}

func TestListReportsEachPageWithTheKnownTotal(t *testing.T) {
	e := newEnv(t, nil)
	seedN(e.fake, 250)
	var pages []auvo.Page
	_, err := collect(t, e.client.List(context.Background(), auvo.ListOptions{OnPage: func(p auvo.Page) { pages = append(pages, p) }}))
	require.NoError(t, err)
	assert.Equal(t, []auvo.Page{{Number: 1, Items: 100, Total: 250}, {Number: 2, Items: 100, Total: 250}, {Number: 3, Items: 50, Total: 250}}, pages)
}

// R-SCHED-3: a resumed listing starts at StartPage and reads on to the end.
func TestListStartsAtStartPage(t *testing.T) {
	e := newEnv(t, nil)
	want := seedN(e.fake, 25)
	got, err := collect(t, e.client.List(t.Context(), auvo.ListOptions{PageSize: 10, StartPage: 2}))
	require.NoError(t, err)
	assert.Equal(t, want[10:], ids(got))
	assert.Equal(t, 2, e.fake.Calls(auvofake.EndpointList), "pages 2 and 3 only")

	_, err = collect(t, e.client.List(t.Context(), auvo.ListOptions{StartPage: -1}))
	assert.ErrorContains(t, err, "start page -1")
}
