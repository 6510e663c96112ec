package flows_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/syncrules"
)

// Bling is only a source today, but its adapter is a complete System:
// create, find by document, get, update, and a projection consistent with
// what a read gives back.
func TestBlingAdapterRoundTrip(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := syncrules.Customer{
		Name: "Oficina Curitiba", Document: "111.444.777-35",
		Phones: syncrules.ParsePhones("(41) 3333-4444, (41) 99999-8888"), Emails: []string{"oficina@example.com"},
		Complement: "Fundos",
	}
	src.Address, src.AddressLine = mustAddress(t, "Rua XV de Novembro, 700 - Centro, Curitiba - PR, 80020-310")
	created, err := h.conn.Bling.Create(ctx, src, "auvo-77")
	require.NoError(t, err)
	require.NotEmpty(t, created.ID)

	found, err := h.conn.Bling.FindByDocument(ctx, "11144477735")
	require.NoError(t, err)
	require.Len(t, found, 1)
	got, err := h.conn.Bling.Complete(ctx, found[0])
	require.NoError(t, err)
	assert.Empty(t, syncrules.Diff(syncrules.NewFieldSet(syncrules.AllFields()...), h.conn.Bling.Project(src), got.Customer), "what Project predicts is what a read returns")
	assert.Equal(t, "auvo-77", got.Key)

	src.Name = "Oficina Curitiba Ltda"
	updated, err := h.conn.Bling.Update(ctx, got, src, []syncrules.Field{syncrules.FieldName})
	require.NoError(t, err)
	assert.Equal(t, "Oficina Curitiba Ltda", updated.Name)
	again, err := h.conn.Bling.Get(ctx, got.ID)
	require.NoError(t, err)
	assert.Equal(t, "Oficina Curitiba Ltda", again.Name)
	assert.Equal(t, "oficina@example.com", again.Emails[0], "fields not written are kept")

	_, err = h.conn.Bling.Get(ctx, "not-a-number")
	assert.ErrorIs(t, err, flows.ErrNotFound)
}
