package auvo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
)

func TestCustomerDecodesEveryShapeAuvoSends(t *testing.T) {
	sp := auvo.SaoPaulo
	tests := []struct {
		name string
		json string
		want func(t *testing.T, c auvo.Customer)
	}{
		{"GET model from the Blueprint", `{"id":42,"externalId":"906","description":"Terêscio","cpfCnpj":"90614997000162",
			"phoneNumber":["5566123123"],"email":["terenscio@customer.com"],"note":"nothing to say","address":"lake yululu",
			"latitude":-16.6872086111083,"longitude":-49.2995542287827,"groupsId":[0],"segmentId":1,"active":false,
			"adressComplement":"adress complemente","creationDate":"2019-04-15T15:00:00","dateLastUpdate":"2020-04-23T15:57:08",
			"contacts":[{"id":23328,"name":"contact.name","jobPosition":"","email":"contact.email@gmail.com","phone":""}],
			"uriAnexos":["https://example.com/a.jpeg"]}`,
			func(t *testing.T, c auvo.Customer) {
				assert.Equal(t, int64(42), c.ID)
				assert.Equal(t, "Terêscio", c.Name)
				assert.Equal(t, "adress complemente", c.AddressComplement)
				assert.Equal(t, []string{"terenscio@customer.com"}, c.Emails)
				assert.False(t, c.Active)
				assert.Equal(t, time.Date(2019, 4, 15, 15, 0, 0, 0, sp).UTC(), c.CreationDate.UTC())
				assert.Equal(t, time.Date(2020, 4, 23, 18, 57, 8, 0, time.UTC), c.DateLastUpdate.UTC(), "São Paulo is UTC-3")
				assert.Equal(t, []string{"https://example.com/a.jpeg"}, c.AttachmentURLs)
				require.Len(t, c.Contacts, 1)
				assert.Equal(t, int64(23328), c.Contacts[0].ID)
			}},
		{"POST answer carries name", `{"id":1,"name":"Terêscio","adressComplement":"x"}`,
			func(t *testing.T, c auvo.Customer) { assert.Equal(t, "Terêscio", c.Name) }},
		{"PUT and PATCH answers capitalise AdressComplement", `{"id":1,"description":"T","AdressComplement":"fundos"}`,
			func(t *testing.T, c auvo.Customer) { assert.Equal(t, "fundos", c.AddressComplement) }},
		{"both complement spellings: the non-empty one wins", `{"adressComplement":"","AdressComplement":"sala 1"}`,
			func(t *testing.T, c auvo.Customer) { assert.Equal(t, "sala 1", c.AddressComplement) }},
		{"both name keys: name wins when set", `{"name":"Nome","description":"Descrição"}`,
			func(t *testing.T, c auvo.Customer) { assert.Equal(t, "Nome", c.Name) }},
		{"empty name falls back to description", `{"name":"","description":"Descrição"}`,
			func(t *testing.T, c auvo.Customer) { assert.Equal(t, "Descrição", c.Name) }},
		{"customerId instead of id", `{"customerId":77,"description":"T"}`,
			func(t *testing.T, c auvo.Customer) { assert.Equal(t, int64(77), c.ID) }},
		{"coordinates as strings", `{"latitude":"-16.5","longitude":"-49,25"}`,
			func(t *testing.T, c auvo.Customer) {
				assert.InDelta(t, -16.5, c.Latitude, 1e-9)
				assert.InDelta(t, -49.25, c.Longitude, 1e-9)
			}},
		{"lone phone string and null e-mails", `{"phoneNumber":"62999990000","email":null,"active":null}`,
			func(t *testing.T, c auvo.Customer) {
				assert.Equal(t, []string{"62999990000"}, c.PhoneNumbers)
				assert.Nil(t, c.Emails)
				assert.False(t, c.Active)
			}},
		{"numeric external id and document", `{"externalId":906,"cpfCnpj":90614997000162}`,
			func(t *testing.T, c auvo.Customer) {
				assert.Equal(t, "906", c.ExternalID)
				assert.Equal(t, "90614997000162", c.Document)
			}},
		{".NET zero date and fractions and Z", `{"creationDate":"0001-01-01T00:00:00","dateLastUpdate":"2024-01-02T03:04:05.123Z"}`,
			func(t *testing.T, c auvo.Customer) {
				assert.True(t, c.CreationDate.IsZero())
				assert.Equal(t, time.Date(2024, 1, 2, 3, 4, 5, 123e6, time.UTC), c.DateLastUpdate.UTC())
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c auvo.Customer
			require.NoError(t, json.Unmarshal([]byte(tt.json), &c))
			tt.want(t, c)
		})
	}
}

func TestCustomerRejectsMalformedValues(t *testing.T) {
	for _, bad := range []string{`{"id":"abc"}`, `{"latitude":"north"}`, `{"creationDate":"yesterday"}`, `{"phoneNumber":{}}`, `[]`} {
		var c auvo.Customer
		assert.Error(t, json.Unmarshal([]byte(bad), &c), bad)
	}
}

func TestCustomerMarshalRoundTrips(t *testing.T) {
	in := auvo.Customer{
		ID: 9, ExternalID: "E", Name: "Nome", Document: "52998224725", PhoneNumbers: []string{"1"}, Emails: []string{"a@b.c"},
		Note: "n", Address: "a", AddressComplement: "c", Active: true, Latitude: -1.5, Longitude: 2.5, SegmentID: 4,
		GroupIDs: []int64{1}, Contacts: []auvo.Contact{{ID: 3, Name: "x"}}, AttachmentURLs: []string{"u"},
		CreationDate:   time.Date(2024, 5, 6, 7, 8, 9, 0, auvo.SaoPaulo),
		DateLastUpdate: time.Date(2024, 5, 6, 10, 8, 9, 0, time.UTC),
	}
	data, err := json.Marshal(in)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"adressComplement":"c"`)
	assert.Contains(t, string(data), `"dateLastUpdate":"2024-05-06T07:08:09"`)
	var out auvo.Customer
	require.NoError(t, json.Unmarshal(data, &out))
	assert.True(t, in.CreationDate.Equal(out.CreationDate))
	assert.True(t, in.DateLastUpdate.Equal(out.DateLastUpdate))
	out.CreationDate, out.DateLastUpdate = in.CreationDate, in.DateLastUpdate
	assert.Equal(t, in, out)
}

func TestParseAndFormatTimeUseSaoPaulo(t *testing.T) {
	got, err := auvo.ParseTime("2026-01-15T09:00:00")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), got.UTC())
	assert.Equal(t, "2026-01-15T09:00:00", auvo.FormatTime(time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)))
	assert.Equal(t, "", auvo.FormatTime(time.Time{}))
	_, err = auvo.ParseTime("15/01/2026")
	assert.ErrorContains(t, err, "unrecognised timestamp")
}

// recordedBodies is a canned Auvo that keeps every write body.
type recordedBodies struct {
	mu     sync.Mutex
	bodies map[string]string
}

func cannedAuvo(t *testing.T) (*auvo.Client, *recordedBodies) {
	t.Helper()
	rec := &recordedBodies{bodies: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/login") {
			fmt.Fprint(w, `{"result":{"authenticated":true,"accessToken":"t"}}`)
			return
		}
		rec.mu.Lock()
		rec.bodies[r.Method] = string(data)
		rec.mu.Unlock()
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		fmt.Fprint(w, `{"result":{"id":1,"name":"N"}}`)
	}))
	t.Cleanup(srv.Close)
	c, err := auvo.New(auvo.WithBaseURL(srv.URL), auvo.WithCredentials(testKey, testToken), auvo.WithRateLimit())
	require.NoError(t, err)
	return c, rec
}

func (r *recordedBodies) object(t *testing.T, method string) map[string]any {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.bodies[method]), &obj), r.bodies[method])
	return obj
}

func TestWriteBodiesSendWhatEachEndpointDocuments(t *testing.T) {
	c, rec := cannedAuvo(t)
	ctx := context.Background()
	cust := auvo.Customer{ExternalID: "E1", Name: "Nome", AddressComplement: "sala", Active: true}

	_, err := c.Create(ctx, cust)
	require.NoError(t, err)
	post := rec.object(t, http.MethodPost)
	assert.Equal(t, "Nome", post["name"], "POST requires name")
	assert.NotContains(t, post, "description")
	assert.NotContains(t, post, "id")
	assert.Equal(t, "sala", post["adressComplement"], "the misspelling is the real key")
	assert.Equal(t, []any{}, post["phoneNumber"], "arrays go out empty, not null")
	assert.Equal(t, true, post["active"])
	assert.NotContains(t, post, "latitude", "no coordinates: not sent as 0,0")
	assert.NotContains(t, post, "segmentId", "reference ids only when set")
	assert.NotContains(t, post, "dateLastUpdate", "read-only")

	_, _, err = c.Upsert(ctx, cust)
	require.NoError(t, err)
	put := rec.object(t, http.MethodPut)
	assert.Equal(t, "Nome", put["description"], "PUT requires description")
	assert.Equal(t, "Nome", put["name"], "and live integrations send name")
	assert.Equal(t, "E1", put["externalId"])

	_, err = c.Patch(ctx, 5, auvo.Replace(auvo.FieldNote, ""), auvo.Replace(auvo.FieldActive, false), auvo.Remove(auvo.FieldEmail))
	require.NoError(t, err)
	rec.mu.Lock()
	patch := rec.bodies[http.MethodPatch]
	rec.mu.Unlock()
	assert.JSONEq(t, `[{"op":"replace","path":"note","value":""},{"op":"replace","path":"active","value":false},{"op":"remove","path":"email"}]`, patch)
}
