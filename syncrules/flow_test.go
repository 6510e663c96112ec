package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

func TestAllFlowsRunsOutboundBeforeInbound(t *testing.T) {
	assert.Equal(t, []syncrules.Flow{
		syncrules.AuvoToOmie, syncrules.AuvoToContaAzul,
		syncrules.OmieToAuvo, syncrules.BlingToAuvo, syncrules.ContaAzulToAuvo,
	}, syncrules.AllFlows())
}

// The flow table of RULES.md: partner, direction and synced fields.
func TestFlowTable(t *testing.T) {
	S := syncrules.NewFieldSet
	tests := []struct {
		flow     syncrules.Flow
		partner  syncrules.Partner
		outbound bool
		fields   syncrules.FieldSet
		reverse  syncrules.Flow
	}{
		{syncrules.AuvoToOmie, syncrules.Omie, true,
			S(syncrules.FieldName, syncrules.FieldPhone, syncrules.FieldAddress, syncrules.FieldComplement, syncrules.FieldEmail), syncrules.OmieToAuvo},
		{syncrules.AuvoToContaAzul, syncrules.ContaAzul, true,
			S(syncrules.FieldName, syncrules.FieldPhone, syncrules.FieldAddress, syncrules.FieldEmail, syncrules.FieldNote), syncrules.ContaAzulToAuvo},
		{syncrules.OmieToAuvo, syncrules.Omie, false,
			S(syncrules.FieldName, syncrules.FieldPhone, syncrules.FieldAddress, syncrules.FieldComplement, syncrules.FieldEmail), syncrules.AuvoToOmie},
		{syncrules.BlingToAuvo, syncrules.Bling, false,
			S(syncrules.FieldName, syncrules.FieldPhone, syncrules.FieldAddress, syncrules.FieldEmail), ""},
		{syncrules.ContaAzulToAuvo, syncrules.ContaAzul, false,
			S(syncrules.FieldName, syncrules.FieldPhone, syncrules.FieldAddress, syncrules.FieldEmail, syncrules.FieldNote), syncrules.AuvoToContaAzul},
	}
	for _, tt := range tests {
		t.Run(string(tt.flow), func(t *testing.T) {
			assert.True(t, tt.flow.Valid())
			assert.Equal(t, tt.partner, tt.flow.Partner())
			assert.Equal(t, tt.outbound, tt.flow.Outbound())
			assert.Equal(t, tt.fields, tt.flow.Fields())
			rev, ok := tt.flow.Reverse()
			assert.Equal(t, tt.reverse, rev)
			assert.Equal(t, tt.reverse != "", ok)
			parsed, err := syncrules.ParseFlow(string(tt.flow))
			require.NoError(t, err)
			assert.Equal(t, tt.flow, parsed)
		})
	}
}

func TestParseFlow(t *testing.T) {
	f, err := syncrules.ParseFlow("  Auvo-To-Omie ")
	require.NoError(t, err)
	assert.Equal(t, syncrules.AuvoToOmie, f)

	_, err = syncrules.ParseFlow("auvo-to-bling")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown flow "auvo-to-bling"`)
	assert.Contains(t, err.Error(), "auvo-to-omie, auvo-to-contaazul, omie-to-auvo, bling-to-auvo, contaazul-to-auvo")

	bad := syncrules.Flow("nope")
	assert.False(t, bad.Valid())
	assert.Equal(t, syncrules.Partner(""), bad.Partner())
	assert.False(t, bad.Outbound())
	assert.Zero(t, bad.Fields().Len())
}

// R-UPD-1: the external code is never a synced field.
func TestFieldSet_RUpd1NeverHoldsExternalCode(t *testing.T) {
	s := syncrules.NewFieldSet(syncrules.FieldNote, syncrules.FieldName, syncrules.Field("externalCode"), syncrules.FieldName)
	assert.Equal(t, []syncrules.Field{syncrules.FieldName, syncrules.FieldNote}, s.Fields(), "stable order, no repeats")
	assert.Equal(t, 2, s.Len())
	assert.Equal(t, "name, note", s.String())
	assert.True(t, s.Has(syncrules.FieldName))
	assert.False(t, s.Has(syncrules.FieldPhone))
	assert.False(t, s.Has(syncrules.Field("externalCode")))
	assert.Equal(t, []syncrules.Field{
		syncrules.FieldName, syncrules.FieldPhone, syncrules.FieldAddress,
		syncrules.FieldComplement, syncrules.FieldEmail, syncrules.FieldNote,
	}, syncrules.AllFields())
	for _, f := range syncrules.AllFlows() {
		assert.False(t, f.Fields().Has("externalCode"), f)
		assert.False(t, f.Fields().Has("external_code"), f)
	}
	var empty syncrules.FieldSet
	assert.Nil(t, empty.Fields())
	assert.Equal(t, "", empty.String())
}
