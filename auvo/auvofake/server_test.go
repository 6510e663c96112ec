package auvofake_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

func TestLoginAnswers(t *testing.T) {
	h := newHarness(t)
	r := h.do(http.MethodPost, "/login/", `{"apiKey":"fake-api-key","apiToken":"fake-api-token"}`)
	require.Equal(t, http.StatusOK, r.Status)
	res := result(t, r)
	assert.Equal(t, true, res["authenticated"])
	assert.Equal(t, "2026-03-10 12:00:00", res["created"], "São Paulo time, Blueprint layout")
	assert.Equal(t, "2026-03-10 12:30:00", res["expiration"], "30 minutes")
	assert.NotEmpty(t, res["accessToken"])

	r = h.do(http.MethodGet, "/login/?apiKey=fake-api-key&apiToken=fake-api-token", "")
	assert.Equal(t, http.StatusOK, r.Status, "the documented GET form works too")
	assert.Equal(t, 1, h.fake.Calls(auvofake.EndpointLoginGet))

	r = h.do(http.MethodPost, "/login/", `{"apiKey":"nope","apiToken":"fake-api-token"}`)
	assert.Equal(t, http.StatusNotFound, r.Status, "unknown api key")
	r = h.do(http.MethodPost, "/login/", `{"apiKey":"fake-api-key","apiToken":"nope"}`)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, false, result(t, r)["authenticated"])
	r = h.do(http.MethodPost, "/login/", `{"apiToken":"fake-api-token"}`)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "apiKey")
	r = h.do(http.MethodPost, "/login/", `{"apiKey":"fake-api-key","apiToken":"fake-api-token"}`, "Content-Type", "text/plain")
	assert.Equal(t, http.StatusUnsupportedMediaType, r.Status)
}

func TestTokensExpireAfterThirtyMinutesOnTheFakesClock(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Seed(auvofake.Customer{Name: "A"})
	path := "/customers/" + itoa(id)
	assert.Equal(t, http.StatusUnauthorized, h.do(http.MethodGet, path, "").Status, "no token")
	h.login()
	assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)
	h.clock.Advance(29*time.Minute + 59*time.Second)
	assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)
	h.clock.Advance(time.Second)
	assert.Equal(t, http.StatusUnauthorized, h.do(http.MethodGet, path, "").Status)

	h.login()
	h.fake.ExpireTokens()
	assert.Equal(t, http.StatusUnauthorized, h.do(http.MethodGet, path, "").Status)
	assert.Zero(t, h.fake.ValidTokens())
}

func TestCustomerAnswersUseEachEndpointsSpelling(t *testing.T) {
	h := newHarness(t)
	h.login()

	post := h.do(http.MethodPost, "/v2/customers/", `{"name":"Ana","adressComplement":"sala 1","externalId":"E1"}`)
	require.Equal(t, http.StatusCreated, post.Status, post.Body)
	res := result(t, post)
	assert.Equal(t, "Ana", res["name"])
	assert.NotContains(t, res, "description")
	assert.Equal(t, "sala 1", res["adressComplement"])
	id := int64(res["id"].(float64))

	get := result(t, h.do(http.MethodGet, "/v2/Customers/"+itoa(id), ""))
	assert.Equal(t, "Ana", get["description"])
	assert.NotContains(t, get, "name")
	assert.Equal(t, "sala 1", get["adressComplement"])
	assert.Equal(t, "2026-03-10T12:00:00", get["creationDate"])
	assert.Equal(t, "2026-03-10T12:00:00", get["dateLastUpdate"])

	put := h.do(http.MethodPut, "/v2/customers/", `{"externalId":"E1","description":"Ana B","adressComplement":"sala 2"}`)
	require.Equal(t, http.StatusOK, put.Status, put.Body)
	res = result(t, put)
	assert.Equal(t, "Ana B", res["description"])
	assert.Equal(t, "sala 2", res["AdressComplement"])
	assert.NotContains(t, res, "adressComplement")

	patch := h.do(http.MethodPatch, "/v2/customers/"+itoa(id), `[{"op":"replace","path":"note","value":"n"}]`)
	require.Equal(t, http.StatusOK, patch.Status, patch.Body)
	res = result(t, patch)
	assert.Equal(t, "Ana B", res["name"])
	assert.Equal(t, "sala 2", res["AdressComplement"])
}

func TestWritesNeedJSONContentType(t *testing.T) {
	h := newHarness(t)
	h.login()
	r := h.do(http.MethodPost, "/customers/", `{"name":"A"}`, "Content-Type", "text/plain")
	assert.Equal(t, http.StatusUnsupportedMediaType, r.Status)
	assert.Zero(t, h.fake.Len())
}

func TestCreateValidation(t *testing.T) {
	h := newHarness(t)
	h.login()
	r := h.do(http.MethodPost, "/customers/", `{"externalId":"E"}`)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "name")
	r = h.do(http.MethodPost, "/customers/", `{"description":"Via description","active":false}`)
	require.Equal(t, http.StatusCreated, r.Status, "description is accepted as the name")
	c, _ := h.fake.Customer(int64(result(t, r)["id"].(float64)))
	assert.Equal(t, "Via description", c.Name)
	assert.False(t, c.Active)
	r = h.do(http.MethodPost, "/customers/", `{"name":"Default active"}`)
	c, _ = h.fake.Customer(int64(result(t, r)["id"].(float64)))
	assert.True(t, c.Active, "active defaults to true when absent")
	r = h.do(http.MethodPost, "/customers/", `{"name":"X","email":"not-a-list","latitude":"abc"}`)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "email")
	assert.Contains(t, r.JSON, "latitude")
	r = h.do(http.MethodPost, "/customers/", `{"name":"X","contacts":[{"email":"x@y.z"}]}`)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "contacts[0].name")
}

func TestUpsertCreatesUpdatesAndMerges(t *testing.T) {
	h := newHarness(t)
	h.login()
	r := h.do(http.MethodPut, "/customers/", `{"externalId":"E9","description":"Nova","note":"n","email":["a@b.c"]}`)
	require.Equal(t, http.StatusCreated, r.Status, "no match: created")
	id := int64(result(t, r)["id"].(float64))

	h.clock.Advance(time.Minute)
	r = h.do(http.MethodPut, "/customers/", `{"externalId":"E9","description":"Nova 2"}`)
	require.Equal(t, http.StatusOK, r.Status)
	c, _ := h.fake.Customer(id)
	assert.Equal(t, "Nova 2", c.Name)
	assert.Empty(t, c.Note, "replaceData defaults to true: absent fields are cleared")
	assert.Equal(t, "E9", c.ExternalID)
	assert.Equal(t, h.clock.Now(), c.DateLastUpdate)

	r = h.do(http.MethodPut, "/customers/", `{"externalId":"E9","description":"Nova 3","replaceData":false,"note":"kept?"}`)
	require.Equal(t, http.StatusOK, r.Status)
	r = h.do(http.MethodPut, "/customers/", `{"externalId":"E9","description":"Nova 4","replaceData":false}`)
	require.Equal(t, http.StatusOK, r.Status)
	c, _ = h.fake.Customer(id)
	assert.Equal(t, "kept?", c.Note, "replaceData false merges")

	r = h.do(http.MethodPut, "/customers/", `{"id":`+itoa(id)+`,"externalId":"E10","description":"By id"}`)
	require.Equal(t, http.StatusOK, r.Status)
	c, _ = h.fake.Customer(id)
	assert.Equal(t, "E10", c.ExternalID, "keyed by id, the external id is written")

	docID := h.fake.Seed(auvofake.Customer{Name: "Doc", CpfCnpj: "529.982.247-25"})
	r = h.do(http.MethodPut, "/customers/", `{"externalId":"NEW","description":"Doc 2","cpfCnpj":"52998224725","identifierBycpfCnpj":true}`)
	require.Equal(t, http.StatusOK, r.Status)
	c, _ = h.fake.Customer(docID)
	assert.Equal(t, "NEW", c.ExternalID, "identifierBycpfCnpj matches by document")

	r = h.do(http.MethodPut, "/customers/", `{"description":"No key"}`)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "externalId")
	r = h.do(http.MethodPut, "/customers/", `{"externalId":"E9"}`)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "description")
}

func TestPatchPathsWithOrWithoutSlash(t *testing.T) {
	h := newHarness(t)
	h.login()
	id := h.fake.Seed(auvofake.Customer{Name: "A", Note: "n", Active: true, Emails: []string{"x@y.z"}})
	r := h.do(http.MethodPatch, "/customers/"+itoa(id), `[
		{"op":"replace","path":"description","value":"By description"},
		{"op":"replace","path":"/adressComplement","value":"ap 1"},
		{"op":"add","path":"/PhoneNumber","value":["1"]},
		{"op":"remove","path":"email"},
		{"op":"replace","path":"active","value":false},
		{"op":"replace","path":"latitude","value":"-16.5"}]`)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	c, _ := h.fake.Customer(id)
	assert.Equal(t, "By description", c.Name)
	assert.Equal(t, "ap 1", c.AddressComplement)
	assert.Equal(t, []string{"1"}, c.PhoneNumbers)
	assert.Nil(t, c.Emails)
	assert.False(t, c.Active)
	assert.InDelta(t, -16.5, c.Latitude, 1e-9)

	before, _ := h.fake.Customer(id)
	r = h.do(http.MethodPatch, "/customers/"+itoa(id), `[{"op":"replace","path":"note","value":"changed"},{"op":"replace","path":"/creationDate","value":"x"}]`)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "/creationDate")
	after, _ := h.fake.Customer(id)
	assert.Equal(t, before, after, "a failing patch changes nothing")

	for _, body := range []string{`{"op":"replace"}`, `[{"op":"move","path":"note","from":"address"}]`, `[{"op":"replace","path":"note"}]`, `[{"op":"replace","path":"name","value":""}]`} {
		assert.Equal(t, http.StatusBadRequest, h.do(http.MethodPatch, "/customers/"+itoa(id), body).Status, body)
	}
	assert.Equal(t, http.StatusNotFound, h.do(http.MethodPatch, "/customers/999999", `[{"op":"replace","path":"note","value":"x"}]`).Status)
}

func TestDeleteThenGetIsNotFound(t *testing.T) {
	h := newHarness(t)
	h.login()
	id := h.fake.Seed(auvofake.Customer{Name: "A", ExternalID: "E", CpfCnpj: "52998224725"})
	assert.Equal(t, http.StatusNoContent, h.do(http.MethodDelete, "/customers/"+itoa(id), "").Status)
	assert.Equal(t, http.StatusNotFound, h.do(http.MethodGet, "/customers/"+itoa(id), "").Status)
	assert.Equal(t, http.StatusNotFound, h.do(http.MethodDelete, "/customers/"+itoa(id), "").Status)
	_, ok := h.fake.CustomerByExternalID("E")
	assert.False(t, ok, "indexes forget deleted records")
	assert.Equal(t, http.StatusNotFound, h.do(http.MethodGet, "/customers/?paramFilter="+url.QueryEscape(`{"cpfCnpj":"52998224725"}`), "").Status)
	r := h.do(http.MethodGet, "/customers/abc", "")
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, []any{"The value 'abc' is not valid."}, r.JSON["id"])
}

func TestListEnvelopePagingAndLinks(t *testing.T) {
	h := newHarness(t)
	h.login()
	for i := range 25 {
		h.fake.Seed(auvofake.Customer{Name: "C" + itoa(int64(i))})
	}
	r := h.do(http.MethodGet, "/v2/customers/", "")
	require.Equal(t, http.StatusOK, r.Status)
	res := result(t, r)
	assert.Len(t, res["entityList"], 10, "pageSize defaults to 10")
	assert.Equal(t, map[string]any{"order": 0.0, "pageSize": 10.0, "page": 1.0, "totalItems": 25.0}, res["pagedSearchReturnData"])

	r = h.do(http.MethodGet, "/v2/customers/?Page=2&PageSize=10&Order=Asc", "")
	res = result(t, r)
	links := res["links"].([]any)
	require.Len(t, links, 3)
	self := links[0].(map[string]any)
	assert.Equal(t, "self", self["rel"])
	assert.Equal(t, h.srv.URL+"/v2/Customers/?Page=2&PageSize=10&Order=Asc", self["href"])
	assert.Equal(t, "previousPage", links[1].(map[string]any)["rel"])
	assert.Equal(t, "nextPage", links[2].(map[string]any)["rel"])

	r = h.do(http.MethodGet, "/customers/?page=3&pageSize=10", "")
	assert.Len(t, result(t, r)["entityList"], 5)
	assert.Len(t, result(t, r)["links"], 2, "no nextPage on the last page")
	assert.Equal(t, http.StatusNotFound, h.do(http.MethodGet, "/customers/?page=4&pageSize=10", "").Status, "past the last page")

	r = h.do(http.MethodGet, "/customers/?page=1&pageSize=500", "")
	assert.Len(t, result(t, r)["entityList"], 25)
	assert.Equal(t, 100.0, result(t, r)["pagedSearchReturnData"].(map[string]any)["pageSize"], "capped at 100")

	r = h.do(http.MethodGet, "/customers/?page=1&pageSize=3&order=desc", "")
	first := result(t, r)["entityList"].([]any)[0].(map[string]any)
	assert.Equal(t, "C24", first["description"])
	for _, q := range []string{"page=0", "page=x", "pageSize=-1", "order=sideways"} {
		assert.Equal(t, http.StatusBadRequest, h.do(http.MethodGet, "/customers/?"+q, "").Status, q)
	}
}

func TestListFilters(t *testing.T) {
	h := newHarness(t)
	h.login()
	old := h.clock.Now().Add(-time.Hour)
	a := h.fake.Seed(auvofake.Customer{Name: "Padaria Sol", ExternalID: "E1", CpfCnpj: "11.222.333/0001-81", Active: true, SegmentID: 2, GroupIDs: []int64{7}, DateLastUpdate: old, CreationDate: old})
	b := h.fake.Seed(auvofake.Customer{Name: "Oficina", ExternalID: "E2", CpfCnpj: "52998224725", Active: false})
	c := h.fake.Seed(auvofake.Customer{Name: "PADARIA LUA", ExternalID: "E3", CpfCnpj: "529.982.247-25", Active: true})
	ids := func(filter string) []int64 {
		t.Helper()
		r := h.do(http.MethodGet, "/customers/?pageSize=100&paramFilter="+url.QueryEscape(filter), "")
		if r.Status == http.StatusNotFound {
			return nil
		}
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		var out []int64
		for _, e := range result(t, r)["entityList"].([]any) {
			out = append(out, int64(e.(map[string]any)["id"].(float64)))
		}
		return out
	}
	assert.Equal(t, []int64{a, c}, ids(`{"active":true}`))
	assert.Equal(t, []int64{b}, ids(`{"active":false}`))
	assert.Equal(t, []int64{a, b, c}, ids(`{"active":null}`))
	assert.Equal(t, []int64{a, c}, ids(`{"externalId":"E3, E1,NOPE"}`), "comma-separated list, in insertion order")
	assert.Equal(t, []int64{b, c}, ids(`{"cpfCnpj":"529.982.247-25"}`), "punctuation ignored on both sides")
	assert.Equal(t, []int64{a}, ids(`{"cpfCnpj":"11222333000181"}`))
	assert.Equal(t, []int64{a, c}, ids(`{"description":"padaria"}`), "case-insensitive substring")
	assert.Equal(t, []int64{b, c}, ids(`{"dateLastUpdate":"2026-03-10T12:00:00"}`), "on or after, São Paulo time")
	assert.Equal(t, []int64{a, b, c}, ids(`{"dateLastUpdate":"2026-03-10T11:00:00"}`))
	assert.Equal(t, []int64{b, c}, ids(`{"creationDate":"2026-03-10T11:00:01"}`))
	assert.Equal(t, []int64{a}, ids(`{"segmentId":2}`))
	assert.Equal(t, []int64{a}, ids(`{"groupId":7}`))
	assert.Equal(t, []int64{b}, ids(`{"id":`+itoa(b)+`}`))
	assert.Equal(t, []int64{c}, ids(`{"ExternalId":"E3","Active":true}`), "keys are case-insensitive")
	assert.Nil(t, ids(`{"externalId":"E2","active":true}`))

	r := h.do(http.MethodGet, "/customers/?paramFilter="+url.QueryEscape(`{not json`), "")
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "The paramFilter is required as ParamUserFilter string json.", r.JSON["message"])
	assert.Contains(t, r.JSON, "errorCode")
	r = h.do(http.MethodGet, "/customers/?paramFilter="+url.QueryEscape(`{"dateLastUpdate":"10/03/2026"}`), "")
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON, "dateLastUpdate")
}

func TestFaultInjection(t *testing.T) {
	h := newHarness(t)
	h.login()
	id := h.fake.Seed(auvofake.Customer{Name: "A"})
	path := "/customers/" + itoa(id)

	h.fake.FailNext(auvofake.EndpointGet, 2, http.StatusBadGateway, `{"message":"upstream"}`)
	assert.Equal(t, http.StatusOK, h.do(http.MethodGet, "/customers/", "").Status, "other endpoints unaffected")
	assert.Equal(t, http.StatusBadGateway, h.do(http.MethodGet, path, "").Status)
	assert.Equal(t, http.StatusBadGateway, h.do(http.MethodGet, path, "").Status)
	assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)

	h.fake.FailNext(auvofake.AnyEndpoint, 1, http.StatusInternalServerError, "")
	assert.Equal(t, http.StatusInternalServerError, h.do(http.MethodGet, "/customers/", "").Status)

	h.fake.RateLimitBurst(2)
	r := h.do(http.MethodGet, path, "")
	assert.Equal(t, http.StatusForbidden, r.Status)
	assert.JSONEq(t, `{"error":"Rate limit temporarily exceeded"}`, r.Body)
	assert.Equal(t, http.StatusForbidden, h.do(http.MethodPost, "/login/", `{}`).Status, "bursts hit any endpoint, login too")
	assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)

	h.fake.SetLimits(3, time.Minute)
	for range 3 {
		assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)
	}
	assert.Equal(t, http.StatusForbidden, h.do(http.MethodGet, path, "").Status)
	h.clock.Advance(time.Minute)
	assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status, "a new window")
	h.fake.SetRateLimit(false)

	h.fake.SetDelay(60 * time.Millisecond)
	start := time.Now()
	assert.Equal(t, http.StatusOK, h.do(http.MethodGet, path, "").Status)
	assert.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond)
	h.fake.SetDelay(0)
}

func TestCallCountsAndRequestLog(t *testing.T) {
	h := newHarness(t)
	h.login()
	id := h.fake.Seed(auvofake.Customer{Name: "A"})
	h.do(http.MethodGet, "/customers/"+itoa(id), "")
	h.do(http.MethodGet, "/customers/?page=1", "")
	h.do(http.MethodPost, "/customers/", `{"name":"B"}`)
	h.do(http.MethodPut, "/customers/", `{"externalId":"X","description":"C"}`)
	h.do(http.MethodPatch, "/customers/"+itoa(id), `[{"op":"replace","path":"note","value":"n"}]`)
	h.do(http.MethodDelete, "/customers/"+itoa(id), "")
	h.do(http.MethodGet, "/tasks/", "")

	assert.Equal(t, 1, h.fake.Calls(auvofake.EndpointLogin))
	assert.Equal(t, 1, h.fake.Calls(auvofake.EndpointGet))
	assert.Equal(t, 1, h.fake.Calls(auvofake.EndpointList))
	assert.Equal(t, 4, h.fake.WriteCalls())
	reqs := h.fake.Requests()
	require.Len(t, reqs, 8)
	assert.Equal(t, "GET /tasks/", reqs[7].Endpoint)
	assert.Equal(t, http.StatusNotFound, reqs[7].Status)
	assert.Equal(t, "/customers/?page=1", reqs[2].URL)
	h.fake.ResetCalls()
	assert.Zero(t, h.fake.WriteCalls())
	assert.Empty(t, h.fake.Requests())
}

func TestStateHelpers(t *testing.T) {
	h := newHarness(t)
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a := h.fake.Seed(auvofake.Customer{Name: "A", CreationDate: created, PhoneNumbers: []string{"1"}})
	b := h.fake.Seed(auvofake.Customer{Name: "B"})
	x := h.fake.Seed(auvofake.Customer{ID: 5, Name: "Explicit"})
	assert.Equal(t, int64(5), x, "a set id is kept")

	got, ok := h.fake.Customer(a)
	require.True(t, ok)
	assert.Equal(t, created, got.CreationDate)
	assert.Equal(t, created, got.DateLastUpdate, "a seeded record was last updated when created")
	got.PhoneNumbers[0] = "mutated"
	again, _ := h.fake.Customer(a)
	assert.Equal(t, "1", again.PhoneNumbers[0], "reads are copies")

	h.clock.Advance(time.Hour)
	require.NoError(t, h.fake.Update(b, func(c *auvofake.Customer) { c.Note = "edited"; c.ID = 999 }))
	got, _ = h.fake.Customer(b)
	assert.Equal(t, "edited", got.Note)
	assert.Equal(t, h.clock.Now(), got.DateLastUpdate, "Update bumps dateLastUpdate")
	assert.ErrorIs(t, h.fake.Update(12345, func(*auvofake.Customer) {}), auvofake.ErrNotFound)

	names := []string{}
	for _, c := range h.fake.Customers() {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"A", "B", "Explicit"}, names, "insertion order")
	assert.True(t, h.fake.Delete(a))
	assert.False(t, h.fake.Delete(a))
	assert.Equal(t, 2, h.fake.Len())
	assert.Equal(t, "52998224725ABC", auvofake.NormalizeDocument(" 529.982.247-25/abc "))
	assert.Equal(t, "", auvofake.FormatTime(time.Time{}))
	assert.True(t, strings.HasPrefix(auvofake.FormatTime(created), "2024-12-31T21:00:00"))
}

// WithDateFilterAfter: dateLastUpdate keeps customers changed strictly
// after it, so one changed in that very second is left out.
func TestDateFilterAfterLeavesOutACustomerChangedInThatSecond(t *testing.T) {
	h := newHarness(t, auvofake.WithDateFilterAfter())
	h.login()
	at := h.clock.Now().Truncate(time.Second)
	a := h.fake.Seed(auvofake.Customer{Name: "Na Borda", Active: true, DateLastUpdate: at, CreationDate: at})
	b := h.fake.Seed(auvofake.Customer{Name: "Depois", Active: true, DateLastUpdate: at.Add(time.Second), CreationDate: at})
	ids := func(since time.Time) []int64 {
		t.Helper()
		filter := `{"dateLastUpdate":"` + auvo.FormatTime(since) + `"}`
		r := h.do(http.MethodGet, "/customers/?pageSize=100&paramFilter="+url.QueryEscape(filter), "")
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		var out []int64
		for _, e := range result(t, r)["entityList"].([]any) {
			out = append(out, int64(e.(map[string]any)["id"].(float64)))
		}
		return out
	}
	assert.Equal(t, []int64{b}, ids(at))
	assert.Equal(t, []int64{a, b}, ids(at.Add(-time.Second)))
}
