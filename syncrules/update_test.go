package syncrules_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

func TestDecideUpdate_RUpd(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	older, newer := t0, t0.Add(time.Hour)

	synced := baseCustomer() // what both sides held at the last sync
	fOmie := syncrules.AuvoToOmie.Fields()
	lastHash := syncrules.Hash(fOmie, synced)

	withName := func(c syncrules.Customer, name string, mod time.Time) syncrules.Customer {
		c.Name, c.Modified = name, mod
		return c
	}
	tests := []struct {
		name   string
		in     syncrules.UpdateInput
		action syncrules.UpdateAction
		fields []syncrules.Field
		rule   syncrules.Rule
		reason string
	}{
		{"R-UPD-2 inactive source: no update, target untouched",
			syncrules.UpdateInput{Flow: syncrules.AuvoToOmie,
				Source: func() syncrules.Customer { c := withName(synced, "New", newer); c.Active = false; return c }(),
				Target: synced},
			syncrules.UpdateSkipInactive, nil, syncrules.RUpd2,
			"inactive on the source side; no more updates, the other side's status is left unchanged"},
		{"R-UPD-1 nothing differs",
			syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: synced, Target: synced},
			syncrules.UpdateNone, nil, syncrules.RUpd1, "no synced field changed"},
		{"R-UPD-1 only the external code differs: nothing to write",
			syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: synced,
				Target: func() syncrules.Customer { c := synced; c.ExternalCode = "other"; return c }()},
			syncrules.UpdateNone, nil, syncrules.RUpd1, "no synced field changed"},
		{"R-UPD-1 first sync (no ledger hashes) writes the differences",
			syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: withName(synced, "New", older), Target: withName(synced, "Old", newer)},
			syncrules.UpdateWrite, []syncrules.Field{syncrules.FieldName}, syncrules.RUpd1, "changed: name"},
		{"R-UPD-1 source changed since last sync",
			syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: withName(synced, "New", newer), Target: synced,
				LastSourceHash: lastHash, LastTargetHash: lastHash},
			syncrules.UpdateWrite, []syncrules.Field{syncrules.FieldName}, syncrules.RUpd1, "changed: name"},
		{"R-UPD-3 source unchanged: the difference is an echo or the other side's change",
			syncrules.UpdateInput{Flow: syncrules.OmieToAuvo, Source: synced, Target: withName(synced, "Edited in Auvo", newer),
				LastSourceHash: lastHash, LastTargetHash: lastHash},
			syncrules.UpdateNone, nil, syncrules.RUpd3,
			"source unchanged since the last sync (echo of our own write or a change on the other side)"},
		{"R-UPD-3 both changed, target more recently: the reverse flow carries it",
			syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: withName(synced, "Auvo edit", older), Target: withName(synced, "Omie edit", newer),
				LastSourceHash: lastHash, LastTargetHash: lastHash},
			syncrules.UpdateNone, nil, syncrules.RUpd3, "target changed more recently; the reverse flow carries it"},
		{"R-UPD-3 both changed, source more recently: source wins",
			syncrules.UpdateInput{Flow: syncrules.OmieToAuvo, Source: withName(synced, "Omie edit", newer), Target: withName(synced, "Auvo edit", older),
				LastSourceHash: lastHash, LastTargetHash: lastHash},
			syncrules.UpdateWrite, []syncrules.Field{syncrules.FieldName}, syncrules.RUpd1, "changed: name"},
		{"R-UPD-3 target changed more recently but Bling→Auvo has no reverse flow: source wins",
			syncrules.UpdateInput{Flow: syncrules.BlingToAuvo, Source: withName(synced, "Bling edit", older), Target: withName(synced, "Auvo edit", newer),
				LastSourceHash: syncrules.Hash(syncrules.BlingToAuvo.Fields(), synced), LastTargetHash: syncrules.Hash(syncrules.BlingToAuvo.Fields(), synced)},
			syncrules.UpdateWrite, []syncrules.Field{syncrules.FieldName}, syncrules.RUpd1, "changed: name"},
		{"R-UPD-3 target unchanged since last sync: source change is written",
			syncrules.UpdateInput{Flow: syncrules.AuvoToContaAzul,
				Source:         func() syncrules.Customer { c := synced; c.Note = "nova nota"; c.Modified = older; return c }(),
				Target:         func() syncrules.Customer { c := synced; c.Modified = newer; return c }(),
				LastSourceHash: syncrules.Hash(syncrules.AuvoToContaAzul.Fields(), synced), LastTargetHash: syncrules.Hash(syncrules.AuvoToContaAzul.Fields(), synced)},
			syncrules.UpdateWrite, []syncrules.Field{syncrules.FieldNote}, syncrules.RUpd1, "changed: note"},
		{"unknown flow writes nothing",
			syncrules.UpdateInput{Flow: "nope", Source: withName(synced, "x", newer), Target: synced},
			syncrules.UpdateNone, nil, syncrules.RUpd1, `unknown flow "nope"; nothing written`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := syncrules.DecideUpdate(tt.in)
			assert.Equal(t, tt.action, d.Action)
			assert.Equal(t, tt.fields, d.Fields)
			assert.Equal(t, tt.rule, d.Rule)
			assert.Equal(t, tt.reason, d.Reason)
		})
	}
}

// R-UPD-3: after F1 writes Auvo's change to Omie and the ledger stores both
// hashes, F3 reading Omie back finds nothing to send to Auvo, and F1 finds
// nothing more to write: no ping-pong, no writes when nothing changed.
func TestDecideUpdateNoPingPong_RUpd3(t *testing.T) {
	f := syncrules.AuvoToOmie.Fields()
	auvo := baseCustomer()
	auvo.Name = "Nome Novo"
	omie := baseCustomer()

	d := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: auvo, Target: omie})
	assert.Equal(t, syncrules.UpdateWrite, d.Action)

	// Omie stores the name upper-cased, as some ERPs do.
	omie.Name = "NOME NOVO"
	auvoHash, omieHash := syncrules.Hash(f, auvo), syncrules.Hash(f, omie)

	back := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: syncrules.OmieToAuvo, Source: omie, Target: auvo,
		LastSourceHash: omieHash, LastTargetHash: auvoHash})
	assert.Equal(t, syncrules.UpdateNone, back.Action)

	again := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: auvo, Target: omie,
		LastSourceHash: auvoHash, LastTargetHash: omieHash})
	assert.Equal(t, syncrules.UpdateNone, again.Action)
}
