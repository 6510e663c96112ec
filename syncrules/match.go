package syncrules

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Action is what a matching decision asks the flow to do.
type Action string

// Matching actions.
const (
	ActionNone   Action = "none"   // already linked; nothing to create
	ActionCreate Action = "create" // create a record on the target side and link it
	ActionLink   Action = "link"   // link an existing record
)

// PartnerCandidate is a partner record found by document for an Auvo
// customer (outbound flows). Linked means some Auvo customer's externalId
// holds its ID, or the ledger has a live link for it.
type PartnerCandidate struct {
	ID      string
	Created time.Time
	Linked  bool
}

// OutboundDecision says whether to create a partner record or link one.
type OutboundDecision struct {
	Action    Action
	PartnerID string // the record to link, for ActionLink
	Rule      Rule
	Reason    string
}

// MatchOutbound applies R-OUT-1..3 to the partner records that share an Auvo
// customer's document: none → create (R-OUT-1); some unlinked → link the
// oldest of them (R-OUT-2); all linked elsewhere → create a new one
// (R-OUT-3). "Oldest" is the earliest Created; an unknown (zero) time counts
// as newest, and ties go to the lowest ID (numerically when both are
// numbers), so the choice is deterministic.
func MatchOutbound(cands []PartnerCandidate) OutboundDecision {
	if len(cands) == 0 {
		return OutboundDecision{Action: ActionCreate, Rule: ROut1, Reason: ROut1.Summary()}
	}
	var unlinked []PartnerCandidate
	for _, c := range cands {
		if !c.Linked {
			unlinked = append(unlinked, c)
		}
	}
	if len(unlinked) == 0 {
		return OutboundDecision{Action: ActionCreate, Rule: ROut3, Reason: ROut3.Summary()}
	}
	best := slices.MinFunc(unlinked, func(a, b PartnerCandidate) int {
		return compareAge(a.Created, b.Created, a.ID, b.ID)
	})
	return OutboundDecision{Action: ActionLink, PartnerID: best.ID, Rule: ROut2, Reason: ROut2.Summary()}
}

// AuvoCandidate is an Auvo customer found by document for a partner record
// (inbound flows).
type AuvoCandidate struct {
	ID           string
	ExternalCode string
	Created      time.Time
}

// InboundDecision says whether the partner record is already integrated, or
// which Auvo customer to link, or that one must be created.
type InboundDecision struct {
	Action Action
	AuvoID string // the linked (ActionNone) or to-be-linked (ActionLink) customer
	Rule   Rule
	Reason string
}

// MatchInbound applies R-IN-1..4 to the Auvo customers that share a partner
// record's document. A customer whose externalId already is partnerID wins
// (R-IN-1, nothing to create); otherwise the oldest customer with an empty
// externalId is linked (R-IN-3); otherwise, when every candidate is linked to
// another partner ID, a new customer is created (R-IN-2); with no candidate
// at all one is created too (R-IN-4). Ages compare as in MatchOutbound.
//
// Whether an unlinked candidate is actually locked (its externalId erased on
// purpose, R-LOCK-1) is the ledger's knowledge: flows check DecideLock first.
func MatchInbound(partnerID string, cands []AuvoCandidate) InboundDecision {
	if len(cands) == 0 {
		return InboundDecision{Action: ActionCreate, Rule: RIn4, Reason: RIn4.Summary()}
	}
	partnerID = strings.TrimSpace(partnerID)
	var linkedHere, unlinked []AuvoCandidate
	for _, c := range cands {
		switch code := strings.TrimSpace(c.ExternalCode); {
		case code == partnerID && code != "":
			linkedHere = append(linkedHere, c)
		case code == "":
			unlinked = append(unlinked, c)
		}
	}
	oldest := func(list []AuvoCandidate) AuvoCandidate {
		return slices.MinFunc(list, func(a, b AuvoCandidate) int {
			return compareAge(a.Created, b.Created, a.ID, b.ID)
		})
	}
	switch {
	case len(linkedHere) > 0:
		return InboundDecision{Action: ActionNone, AuvoID: oldest(linkedHere).ID, Rule: RIn1, Reason: RIn1.Summary()}
	case len(unlinked) > 0:
		return InboundDecision{Action: ActionLink, AuvoID: oldest(unlinked).ID, Rule: RIn3, Reason: RIn3.Summary()}
	default:
		return InboundDecision{Action: ActionCreate, Rule: RIn2, Reason: RIn2.Summary()}
	}
}

// compareAge orders records oldest first; unknown (zero) times sort last,
// ties by ID.
func compareAge(ta, tb time.Time, ida, idb string) int {
	switch {
	case ta.IsZero() && !tb.IsZero():
		return 1
	case !ta.IsZero() && tb.IsZero():
		return -1
	}
	if c := ta.Compare(tb); c != 0 {
		return c
	}
	return compareIDs(ida, idb)
}

// compareIDs compares numerically when both IDs are numbers (Omie, Bling and
// Auvo IDs are), so "9" comes before "10"; otherwise as strings.
func compareIDs(a, b string) int {
	na, errA := strconv.ParseUint(a, 10, 64)
	nb, errB := strconv.ParseUint(b, 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(na, nb)
	}
	return strings.Compare(a, b)
}
