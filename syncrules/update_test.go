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

// R-UPD-3: a change made on either side reaches the other, field by field:
// Auvo's new name and Omie's new e-mail, made between two runs, both survive.
func TestDecideUpdateFieldByField_RUpd3(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	f := syncrules.AuvoToOmie.Fields()
	synced := baseCustomer()
	last := syncrules.Hash(f, synced)

	auvo := synced
	auvo.Name, auvo.Modified = "Nome novo no Auvo", t0
	omie := synced
	omie.Emails, omie.Modified = []string{"novo@omie.example"}, t0.Add(time.Minute)

	out := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: auvo, Target: omie,
		LastSourceHash: last, LastTargetHash: last})
	assert.Equal(t, syncrules.UpdateWrite, out.Action)
	assert.Equal(t, []syncrules.Field{syncrules.FieldName}, out.Fields, "Auvo's name goes to Omie")
	assert.Equal(t, []syncrules.Field{syncrules.FieldEmail}, out.Kept, "Omie's e-mail is not overwritten")
	assert.Contains(t, out.Reason, "left to the reverse flow")

	// F1 wrote the name: Omie now holds the new name and its own new e-mail.
	omieAfter := omie
	omieAfter.Name = auvo.Name
	auvoHash, omieHash := syncrules.NextHashes(f, auvo, omieAfter, last, out.Kept)
	assert.Equal(t, syncrules.Hash(f, auvo), auvoHash)
	assert.NotEqual(t, syncrules.Hash(f, omieAfter), omieHash, "the kept e-mail keeps its old fingerprint")

	back := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: syncrules.OmieToAuvo, Source: omieAfter, Target: auvo,
		LastSourceHash: omieHash, LastTargetHash: auvoHash})
	assert.Equal(t, syncrules.UpdateWrite, back.Action)
	assert.Equal(t, []syncrules.Field{syncrules.FieldEmail}, back.Fields, "the reverse flow carries Omie's e-mail")
	assert.Empty(t, back.Kept)
}

func TestDecideUpdateUnknownHistoryLetsTheNewerRecordWin_RUpd3(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	src, dst := baseCustomer(), baseCustomer()
	src.Name, src.Modified = "Source", t0
	dst.Name, dst.Modified = "Target", t0.Add(time.Hour)
	in := syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: src, Target: dst, LastTargetHash: "unknown"}
	assert.Equal(t, syncrules.UpdateNone, syncrules.DecideUpdate(in).Action)
	in.Source.Modified = t0.Add(2 * time.Hour)
	assert.Equal(t, syncrules.UpdateWrite, syncrules.DecideUpdate(in).Action)
}

func TestDecideUpdateJudgesSourceChangesOnTheHashedForm(t *testing.T) {
	f := syncrules.AuvoToOmie.Fields()
	raw := baseCustomer()
	raw.Phones = append(raw.Phones, syncrules.Phone{DDD: "21", Number: "34567890"}, syncrules.Phone{DDD: "31", Number: "32221000"})
	last := syncrules.Hash(f, raw)
	projected := raw
	projected.Phones = raw.Phones[:1] // what a one-phone target can hold
	projected.Name = "Renamed"
	raw.Name = "Renamed"
	target := baseCustomer()
	target.Phones = projected.Phones
	out := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: projected, Target: target,
		SourceHashed: &raw, LastSourceHash: last, LastTargetHash: syncrules.Hash(f, target)})
	assert.Equal(t, []syncrules.Field{syncrules.FieldName}, out.Fields, "only the name changed on the source")
}

func TestChangedSince(t *testing.T) {
	f := syncrules.AuvoToContaAzul.Fields()
	c := baseCustomer()
	last := syncrules.Hash(f, c)
	changed, known := syncrules.ChangedSince(f, c, last)
	assert.True(t, known)
	assert.Zero(t, changed)
	c.Note = "outra"
	changed, known = syncrules.ChangedSince(f, c, last)
	assert.True(t, known)
	assert.Equal(t, []syncrules.Field{syncrules.FieldNote}, changed.Fields())
	for _, bad := range []string{"", "unknown", syncrules.HistoryUnknown, "name=;phone=ab", "deadbeef"} {
		_, known = syncrules.ChangedSince(f, c, bad)
		assert.False(t, known, bad)
	}
	_, tgt := syncrules.NextHashes(f, c, c, "", []syncrules.Field{syncrules.FieldNote})
	changed, known = syncrules.ChangedSince(f, c, tgt)
	assert.True(t, known)
	assert.Equal(t, []syncrules.Field{syncrules.FieldNote}, changed.Fields(), "a kept field without history stays a change")
}
