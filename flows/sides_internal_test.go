package flows

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

// fakeSystem stands for a client; only its identity matters here.
type fakeSystem struct {
	System
	id string
}

func TestSidesReadAuvoInTheOutboundFlowsAndWriteItInTheInboundOnes(t *testing.T) {
	auvo, partner := fakeSystem{id: "auvo"}, fakeSystem{id: "partner"}
	tests := []struct {
		flow                   syncrules.Flow
		sourceName, targetName string
		sourceIsAuvo           bool
	}{
		{syncrules.AuvoToOmie, "auvo", "omie", true},
		{syncrules.AuvoToContaAzul, "auvo", "contaazul", true},
		{syncrules.OmieToAuvo, "omie", "auvo", false},
		{syncrules.BlingToAuvo, "bling", "auvo", false},
		{syncrules.ContaAzulToAuvo, "contaazul", "auvo", false},
	}
	assert.Len(t, tests, len(syncrules.AllFlows()), "every flow is covered")
	for _, tt := range tests {
		t.Run(string(tt.flow), func(t *testing.T) {
			source, target := sides(tt.flow, auvo, partner)
			assert.Equal(t, tt.sourceName, source.name)
			assert.Equal(t, tt.targetName, target.name)
			assert.Equal(t, tt.sourceIsAuvo, source.auvo)
			assert.NotEqual(t, source.auvo, target.auvo, "one side is Auvo, the other the partner")
			if tt.sourceIsAuvo {
				assert.Equal(t, auvo, source.System)
				assert.Equal(t, partner, target.System)
			} else {
				assert.Equal(t, partner, source.System)
				assert.Equal(t, auvo, target.System)
			}
		})
	}
}
