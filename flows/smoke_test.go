package flows_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

// pairs are the flows one connection (one Auvo account and its ERP) runs.
var pairs = map[string][]syncrules.Flow{
	"omie":      {syncrules.AuvoToOmie, syncrules.OmieToAuvo},
	"contaazul": {syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo},
	"bling":     {syncrules.BlingToAuvo},
}

func TestEveryFlowCreatesThenConvergesToZeroWrites(t *testing.T) {
	for name, fl := range pairs {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			a := h.auvo.Seed(auvoCustomer("Padaria Central", cpfA))
			var inbound string
			switch name {
			case "omie":
				inbound = id(h.omie.Seed(omieCliente("Oficina Rio", cpfB)))
			case "contaazul":
				inbound = h.ca.Seed(caPerson("Loja Minas", cnpjA, "Cliente"))
			case "bling":
				inbound = id(h.bling.Seed(blingContact("Bling Cliente", cpfC)))
			}
			sums := h.run(fl...)
			require.Len(t, sums, len(fl))
			for _, s := range sums {
				require.NoError(t, s.Err, s.Flow)
			}
			if fl[0].Outbound() {
				assert.Equal(t, syncrules.Created, h.report(fl[0], id(a)).Outcome, "R-OUT-1")
			}
			assert.Equal(t, syncrules.Created, h.report(fl[len(fl)-1], inbound).Outcome, "R-IN-4")

			h.resetCalls()
			for i := 0; i < 2; i++ {
				h.run(fl...)
				for _, r := range h.reports {
					assert.NotEqual(t, syncrules.Failed, r.Outcome, "%+v", r)
				}
			}
			assert.Zero(t, h.writeCalls(), "R-UPD-3: after convergence a cycle writes nothing")
		})
	}
}
