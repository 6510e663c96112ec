package syncrules

import "fmt"

// UpdateAction is what DecideUpdate asks a flow to do with a linked pair.
type UpdateAction string

// Update actions.
const (
	UpdateNone         UpdateAction = "none"          // write nothing
	UpdateWrite        UpdateAction = "write"         // write Fields to the target
	UpdateSkipInactive UpdateAction = "skip-inactive" // source inactive: stop syncing it
)

// UpdateInput is a linked pair as a flow sees it: the source record, the
// linked target record, and the hashes the ledger stored for each side when
// the pair was last synced ("" when it has none).
type UpdateInput struct {
	Flow           Flow
	Source, Target Customer
	// LastSourceHash and LastTargetHash are each side's Hash as of the last
	// sync. "" means there was none (a first sync: the source's values
	// stand); a value not in Hash's form means the history is unknown (a
	// link adopted from an external code: the most recent record wins).
	LastSourceHash string
	LastTargetHash string
	// SourceHashed is the source as its hash was taken, when Source has been
	// reshaped for the target (projected into what it can hold); changes on
	// the source side are judged on it. Nil means Source.
	SourceHashed *Customer
}

// UpdateDecision is what to write to the target, what to leave to the
// reverse flow, and why.
type UpdateDecision struct {
	Action UpdateAction
	// Fields are the fields to write to the target.
	Fields []Field
	// Kept are fields that differ but changed more recently on the target:
	// they are left for the reverse flow to carry (R-UPD-3).
	Kept   []Field
	Rule   Rule
	Reason string
}

// DecideUpdate says what a flow writes to a linked target record. Each
// differing field is judged on its own (R-UPD-3): changed only on the
// source, it is written; changed only on the target, it is left to the
// reverse flow; changed on both, the more recent record wins. A flow with
// no reverse flow (Bling → Auvo) always writes the source's values.
func DecideUpdate(in UpdateInput) UpdateDecision {
	if !in.Flow.Valid() {
		return UpdateDecision{Action: UpdateNone, Rule: RUpd1, Reason: fmt.Sprintf("unknown flow %q; nothing written", in.Flow)}
	}
	if !in.Source.Active {
		return UpdateDecision{Action: UpdateSkipInactive, Rule: RUpd2,
			Reason: "inactive on the source side; no more updates, the other side's status is left unchanged"}
	}
	fields := in.Flow.Fields()
	diff := Diff(fields, in.Source, in.Target)
	if len(diff) == 0 {
		return UpdateDecision{Action: UpdateNone, Rule: RUpd1, Reason: "no synced field changed"}
	}
	hashed := in.Source
	if in.SourceHashed != nil {
		hashed = *in.SourceHashed
	}
	if in.LastSourceHash != "" && Hash(fields, hashed) == in.LastSourceHash {
		// What differs changed on the target: the reverse flow's to carry.
		return UpdateDecision{Action: UpdateNone, Kept: diff, Rule: RUpd3,
			Reason: "source unchanged since the last sync (echo of our own write or a change on the other side)"}
	}
	_, paired := in.Flow.Reverse()
	sourceNewer := !in.Target.Modified.After(in.Source.Modified)
	srcChanged, srcKnown := ChangedSince(fields, hashed, in.LastSourceHash)
	if in.LastSourceHash == "" {
		srcChanged, srcKnown = fields, true
	}
	tgtChanged, tgtKnown := ChangedSince(fields, in.Target, in.LastTargetHash)
	if in.LastTargetHash == "" {
		tgtChanged, tgtKnown = 0, true
	}
	var write, kept []Field
	for _, f := range diff {
		var wins bool
		switch src, tgt := srcChanged.Has(f), tgtChanged.Has(f); {
		case !paired:
			wins = true
		case !srcKnown || !tgtKnown:
			wins = sourceNewer
		case src && tgt:
			wins = sourceNewer
		default:
			wins = !tgt // changed on the source only, or on neither side
		}
		if wins {
			write = append(write, f)
		} else {
			kept = append(kept, f)
		}
	}
	if len(write) == 0 {
		return UpdateDecision{Action: UpdateNone, Kept: kept, Rule: RUpd3,
			Reason: "target changed more recently; the reverse flow carries it"}
	}
	reason := "changed: " + joinFields(write)
	if len(kept) > 0 {
		reason += "; left to the reverse flow, changed more recently on the target: " + joinFields(kept)
	}
	return UpdateDecision{Action: UpdateWrite, Fields: write, Kept: kept, Rule: RUpd1, Reason: reason}
}
