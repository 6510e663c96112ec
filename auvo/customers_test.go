package auvo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

func TestGetReadsEveryField(t *testing.T) {
	e := newEnv(t, nil)
	created := time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)
	id := e.fake.Seed(auvofake.Customer{
		ExternalID: "OMIE:77", Name: "Terêscio Ltda", CpfCnpj: "90614997000162",
		PhoneNumbers: []string{"5566123123"}, Emails: []string{"t@example.com", "u@example.com"},
		Manager: "Oristides", Note: "nothing to say", Address: "Rua A, 10, Centro - Goiânia - GO",
		AddressComplement: "Sala 2", Latitude: -16.6872086111083, Longitude: -49.2995542287827,
		SegmentID: 3, GroupIDs: []int64{4, 5}, Active: true,
		Contacts:     []auvofake.Contact{{Name: "Maria", Email: "m@example.com"}},
		CreationDate: created, DateLastUpdate: created.Add(time.Hour),
	})

	got, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, "OMIE:77", got.ExternalID)
	assert.Equal(t, "Terêscio Ltda", got.Name, "GET sends the name as description")
	assert.Equal(t, "90614997000162", got.Document)
	assert.Equal(t, []string{"5566123123"}, got.PhoneNumbers)
	assert.Equal(t, []string{"t@example.com", "u@example.com"}, got.Emails)
	assert.Equal(t, "Rua A, 10, Centro - Goiânia - GO", got.Address)
	assert.Equal(t, "Sala 2", got.AddressComplement)
	assert.Equal(t, "nothing to say", got.Note)
	assert.InDelta(t, -16.6872086111083, got.Latitude, 1e-12)
	assert.InDelta(t, -49.2995542287827, got.Longitude, 1e-12)
	assert.Equal(t, int64(3), got.SegmentID)
	assert.Equal(t, []int64{4, 5}, got.GroupIDs)
	assert.True(t, got.Active)
	require.Len(t, got.Contacts, 1)
	assert.Equal(t, "Maria", got.Contacts[0].Name)
	assert.NotZero(t, got.Contacts[0].ID)
	assert.True(t, created.Equal(got.CreationDate), "zone-less São Paulo time read back as the same instant")
	assert.True(t, created.Add(time.Hour).Equal(got.DateLastUpdate))
}

func TestGetMissingCustomerIsNotFound(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.client.Get(context.Background(), 999)
	require.Error(t, err)
	assert.True(t, errors.Is(err, auvo.ErrNotFound))
	var api *auvo.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusNotFound, api.Status)
	assert.Equal(t, http.MethodGet, api.Method)
}

func TestCallsRejectNonPositiveIDsBeforeSending(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	_, err := e.client.Get(ctx, 0)
	assert.ErrorContains(t, err, "must be positive")
	_, err = e.client.Patch(ctx, -1, auvo.Replace(auvo.FieldNote, "x"))
	assert.ErrorContains(t, err, "must be positive")
	assert.ErrorContains(t, e.client.Delete(ctx, 0), "must be positive")
	assert.Zero(t, e.fake.Calls(auvofake.EndpointLogin), "nothing was sent")
}

func TestCreateReturnsTheStoredCustomerWithItsNewID(t *testing.T) {
	e := newEnv(t, nil)
	got, err := e.client.Create(context.Background(), auvo.Customer{
		ExternalID: "BLING:9", Name: "Nova Ltda", Document: "11.222.333/0001-81",
		PhoneNumbers: []string{"11999990000"}, Emails: []string{"n@example.com"},
		Address: "Av. Paulista, 1000", AddressComplement: "cj 5", Note: "via sync", Active: true,
		ID: 12345, // ignored: Auvo assigns ids
	})
	require.NoError(t, err)
	assert.NotZero(t, got.ID)
	assert.NotEqual(t, int64(12345), got.ID)
	assert.Equal(t, "Nova Ltda", got.Name, "POST answers carry the name as name")
	assert.Equal(t, "cj 5", got.AddressComplement)
	assert.Equal(t, e.clock.Now().Truncate(time.Second), got.DateLastUpdate.UTC())

	stored, ok := e.fake.Customer(got.ID)
	require.True(t, ok)
	assert.Equal(t, "Nova Ltda", stored.Name)
	assert.Equal(t, "BLING:9", stored.ExternalID)
	assert.Equal(t, "cj 5", stored.AddressComplement)
	assert.Equal(t, []string{"n@example.com"}, stored.Emails)
	assert.True(t, stored.Active)
	assert.Equal(t, 1, e.fake.WriteCalls())
}

func TestCreateWithoutNameFailsBeforeSending(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.client.Create(context.Background(), auvo.Customer{ExternalID: "x"})
	require.ErrorContains(t, err, "name is required")
	assert.Zero(t, e.fake.WriteCalls())
}

func TestUpsertReportsCreatedThenUpdated(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	cust := auvo.Customer{ExternalID: "OMIE:1", Name: "Primeira", Document: "52998224725", Active: true,
		Address: "Rua B, 2", AddressComplement: "fundos"}

	first, created, err := e.client.Upsert(ctx, cust)
	require.NoError(t, err)
	assert.True(t, created, "201: no customer had this externalId")
	assert.Equal(t, "fundos", first.AddressComplement, "PUT answers spell it AdressComplement")

	e.clock.Advance(time.Minute)
	cust.Name, cust.Address = "Primeira Renomeada", "Rua C, 3"
	second, created, err := e.client.Upsert(ctx, cust)
	require.NoError(t, err)
	assert.False(t, created, "200: updated the same record")
	assert.Equal(t, first.ID, second.ID)
	assert.Equal(t, "Primeira Renomeada", second.Name)
	assert.True(t, second.DateLastUpdate.After(first.DateLastUpdate))
	assert.Equal(t, 1, e.fake.Len())
}

func TestUpsertKeyedByIDUpdatesThatRecord(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Sem código", Active: true})
	got, created, err := e.client.Upsert(context.Background(), auvo.Customer{ID: id, ExternalID: "CA:5", Name: "Com código", Active: true})
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, id, got.ID)
	stored, _ := e.fake.Customer(id)
	assert.Equal(t, "CA:5", stored.ExternalID, "linking writes the external id")
}

func TestUpsertNeedsAKey(t *testing.T) {
	e := newEnv(t, nil)
	_, _, err := e.client.Upsert(context.Background(), auvo.Customer{Name: "x"})
	require.ErrorContains(t, err, "ID or an ExternalID")
	_, _, err = e.client.Upsert(context.Background(), auvo.Customer{ExternalID: "x"})
	require.ErrorContains(t, err, "name is required")
	assert.Zero(t, e.fake.WriteCalls())
}

func TestPatchChangesOnlyTheChosenFields(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana", Note: "keep", Address: "old", Emails: []string{"old@example.com"}, Active: true})
	e.clock.Advance(time.Hour)

	got, err := e.client.Patch(context.Background(), id,
		auvo.Replace(auvo.FieldAddress, "Rua Nova, 5"),
		auvo.Replace(auvo.FieldAddressComplement, "ap 3"),
		auvo.Replace(auvo.FieldEmail, []string{"new@example.com"}),
		auvo.Replace(auvo.FieldName, "Ana Maria"),
		auvo.Replace("/"+auvo.FieldPhoneNumber, []string{"62999990000"}),
	)
	require.NoError(t, err)
	assert.Equal(t, "Ana Maria", got.Name)
	assert.Equal(t, "ap 3", got.AddressComplement)
	stored, _ := e.fake.Customer(id)
	assert.Equal(t, "Rua Nova, 5", stored.Address)
	assert.Equal(t, "ap 3", stored.AddressComplement)
	assert.Equal(t, []string{"new@example.com"}, stored.Emails)
	assert.Equal(t, []string{"62999990000"}, stored.PhoneNumbers)
	assert.Equal(t, "keep", stored.Note)
	assert.True(t, stored.Active)
	assert.Equal(t, e.clock.Now().Truncate(time.Second), stored.DateLastUpdate.UTC())
}

func TestPatchRemoveClearsAField(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana", Note: "drop me"})
	_, err := e.client.Patch(context.Background(), id, auvo.Remove(auvo.FieldNote))
	require.NoError(t, err)
	stored, _ := e.fake.Customer(id)
	assert.Empty(t, stored.Note)
}

func TestPatchRejectsMalformedOperationsBeforeSending(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	_, err := e.client.Patch(ctx, 1)
	assert.ErrorContains(t, err, "no operations")
	_, err = e.client.Patch(ctx, 1, auvo.PatchOp{Op: "move", Path: "note", Value: "x"})
	assert.ErrorContains(t, err, `op "move"`)
	_, err = e.client.Patch(ctx, 1, auvo.Replace("", "x"))
	assert.ErrorContains(t, err, "empty path")
	_, err = e.client.Patch(ctx, 1, auvo.Replace(auvo.FieldNote, nil))
	assert.ErrorContains(t, err, "missing value")
	assert.Zero(t, e.fake.WriteCalls())
}

func TestValidationErrorListsTheFields(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	_, err := e.client.Patch(context.Background(), id,
		auvo.Replace(auvo.FieldPhoneNumber, "not-a-list"),
		auvo.Replace("nickname", "x"))
	require.Error(t, err)
	assert.ErrorIs(t, err, auvo.ErrInvalid)
	var api *auvo.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusBadRequest, api.Status)
	assert.Contains(t, api.Fields, "phoneNumber")
	assert.Contains(t, api.Fields, "nickname")
	assert.Contains(t, err.Error(), "phoneNumber: ")
	assert.Contains(t, err.Error(), "nickname: ")
	assert.Equal(t, 1, e.fake.Calls(auvofake.EndpointPatch), "a 400 is not retried")
}

func TestDeleteRemovesTheCustomer(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	id := e.fake.Seed(auvofake.Customer{Name: "Ana"})
	require.NoError(t, e.client.Delete(ctx, id))
	_, err := e.client.Get(ctx, id)
	assert.ErrorIs(t, err, auvo.ErrNotFound)
	assert.ErrorIs(t, e.client.Delete(ctx, id), auvo.ErrNotFound)
}

func TestServerErrorsAreRetriedOnlyWhereResendingIsSafe(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		call     func(*env) error
		wantOK   bool
		calls    int
	}{
		{"get is resent", auvofake.EndpointGet, func(e *env) error {
			_, err := e.client.Get(context.Background(), e.fake.Seed(auvofake.Customer{Name: "A"}))
			return err
		}, true, 2},
		{"upsert is resent (keyed, idempotent)", auvofake.EndpointUpsert, func(e *env) error {
			_, _, err := e.client.Upsert(context.Background(), auvo.Customer{ExternalID: "X:1", Name: "A"})
			return err
		}, true, 2},
		{"create is not resent", auvofake.EndpointCreate, func(e *env) error {
			_, err := e.client.Create(context.Background(), auvo.Customer{Name: "A"})
			return err
		}, false, 1},
		{"patch is not resent", auvofake.EndpointPatch, func(e *env) error {
			_, err := e.client.Patch(context.Background(), e.fake.Seed(auvofake.Customer{Name: "A"}), auvo.Replace(auvo.FieldNote, "n"))
			return err
		}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fake.FailNext(tt.endpoint, 1, http.StatusInternalServerError, `{"message":"An error has occurred."}`)
			err := tt.call(e)
			if tt.wantOK {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.ErrorIs(t, err, auvo.ErrServer)
				assert.Contains(t, err.Error(), "An error has occurred.")
			}
			assert.Equal(t, tt.calls, e.fake.Calls(tt.endpoint))
		})
	}
}

func TestLostConnectionOnCreateIsUncertain(t *testing.T) {
	fake := auvofake.New(auvofake.WithCredentials(testKey, testToken))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/customers/" {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // the request arrived; the answer never does
			}
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client, err := auvo.New(auvo.WithBaseURL(srv.URL), auvo.WithCredentials(testKey, testToken), auvo.WithRateLimit(),
		auvo.WithRetryWait(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
	require.NoError(t, err)

	_, err = client.Create(context.Background(), auvo.Customer{Name: "A"})
	var netErr *auvo.NetworkError
	require.ErrorAs(t, err, &netErr)
	assert.True(t, netErr.Uncertain, "the create may have been applied: read back before resending")
}

func TestSlowAnswerEndsWithTheCallersDeadline(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fake.Seed(auvofake.Customer{Name: "A"})
	_, err := e.client.Get(context.Background(), id) // log in first
	require.NoError(t, err)
	e.fake.SetDelay(500 * time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = e.client.Get(ctx, id)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestSlowAnswerPastTheHTTPTimeoutIsRetriedForReads(t *testing.T) {
	e := newEnv(t, nil, auvo.WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}))
	id := e.fake.Seed(auvofake.Customer{Name: "A"})
	_, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)

	e.fake.SetDelay(300 * time.Millisecond)
	go func() {
		time.Sleep(150 * time.Millisecond)
		e.fake.SetDelay(0)
	}()
	got, err := e.client.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "A", got.Name)
	assert.GreaterOrEqual(t, e.fake.Calls(auvofake.EndpointGet), 3, "login-time GET, a timed-out GET, the resent GET")
}
