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
	LastSourceHash string
	LastTargetHash string
}

// UpdateDecision is the answer of DecideUpdate: the action, the differing
// fields to write (for UpdateWrite), the rule and a human reason.
type UpdateDecision struct {
	Action UpdateAction
	Fields []Field
	Rule   Rule
	Reason string
}

// DecideUpdate applies R-UPD-1..3 to a linked pair, in this order:
//
//  1. a source inactivated stops being synced and the target is left as it
//     is, status included (R-UPD-2);
//  2. no synced field differs → nothing to write (R-UPD-1);
//  3. the source is unchanged since the ledger last saw it → nothing to
//     write: the difference is either the echo of our own write or a change
//     on the target side, which is not this flow's to undo (R-UPD-3);
//  4. in a pair with a reverse flow (F1↔F3, F2↔F5), when the target also
//     changed since the last sync and more recently than the source, the most
//     recent change wins: nothing to write, the reverse flow carries it
//     (R-UPD-3). Bling→Auvo has no reverse flow, so its source always wins;
//  5. otherwise write the differing fields (R-UPD-1), never the external
//     code.
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
	if in.LastSourceHash != "" && Hash(fields, in.Source) == in.LastSourceHash {
		return UpdateDecision{Action: UpdateNone, Rule: RUpd3,
			Reason: "source unchanged since the last sync (echo of our own write or a change on the other side)"}
	}
	if _, paired := in.Flow.Reverse(); paired &&
		in.LastTargetHash != "" && Hash(fields, in.Target) != in.LastTargetHash &&
		in.Target.Modified.After(in.Source.Modified) {
		return UpdateDecision{Action: UpdateNone, Rule: RUpd3,
			Reason: "target changed more recently; the reverse flow carries it"}
	}
	return UpdateDecision{Action: UpdateWrite, Fields: diff, Rule: RUpd1, Reason: "changed: " + joinFields(diff)}
}
