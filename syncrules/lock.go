package syncrules

import (
	"fmt"
	"slices"
	"strings"
)

// Link states: the vocabulary of R-LOCK, defined here once. The ledger
// stores these values (ledger.LinkState and its constants are built from
// them) and LinkLocked says which of them lock.
const (
	LinkLive = "live"
	// LinkAuvoDeleted: the Auvo record was deleted after being linked (R-LOCK-1).
	LinkAuvoDeleted = "auvo-deleted"
	// LinkExternalCodeErased: the Auvo record lost its externalId (R-LOCK-1).
	LinkExternalCodeErased = "external-code-erased"
	// LinkReleased: an analyst released a locked record (R-LOCK-3); the
	// flows may integrate it again.
	LinkReleased = "released"
)

// LinkLocked reports whether a link in this state keeps its record out of
// the flows (R-LOCK-2): it was undone in Auvo and no analyst released it.
func LinkLocked(state string) bool {
	return state == LinkAuvoDeleted || state == LinkExternalCodeErased
}

// LockInput is what the ledger and Auvo know about a record that might be
// locked (R-LOCK): whether a link was ever made for this Auvo ID or document,
// the link's recorded state, and what Auvo shows now.
type LockInput struct {
	Linked           bool
	LinkState        string
	AuvoExists       bool
	AuvoExternalCode string
}

// DecideLock applies R-LOCK-1..3. A record never linked is not locked. A live
// link whose Auvo customer is gone, or whose externalId is now empty, was
// undone on purpose in Auvo and is locked (R-LOCK-1); a link the ledger
// already marked deleted or erased stays locked (R-LOCK-2) until an analyst
// releases it (R-LOCK-3). An unknown state is treated as locked, since
// re-integrating by mistake would undo a deletion.
func DecideLock(in LockInput) (locked bool, rule Rule, reason string) {
	if !in.Linked {
		return false, "", ""
	}
	switch in.LinkState {
	case LinkReleased:
		return false, RLock3, "lock released by the analyst"
	case LinkAuvoDeleted:
		return true, RLock2, "locked: deleted in Auvo after it was integrated"
	case LinkExternalCodeErased:
		return true, RLock2, "locked: external code erased in Auvo after it was integrated"
	case LinkLive:
		switch {
		case !in.AuvoExists:
			return true, RLock1, "locked: deleted in Auvo"
		case strings.TrimSpace(in.AuvoExternalCode) == "":
			return true, RLock1, "locked: external code erased in Auvo"
		}
		return false, "", ""
	}
	return true, RLock2, fmt.Sprintf("locked: unknown link state %q in the ledger", in.LinkState)
}

// LockTransition is the state the ledger should record for a live link that
// DecideLock just found undone in Auvo (R-LOCK-2 needs memory: once Auvo
// forgets, only the ledger remembers). changed is false when the state stays.
func LockTransition(in LockInput) (state string, changed bool) {
	if !in.Linked || in.LinkState != LinkLive {
		return in.LinkState, false
	}
	switch {
	case !in.AuvoExists:
		return LinkAuvoDeleted, true
	case strings.TrimSpace(in.AuvoExternalCode) == "":
		return LinkExternalCodeErased, true
	}
	return in.LinkState, false
}

// LockedByDocument reports whether any of the ledger's links for a document
// is in a locked state, in which case a new record with that document is
// skipped (R-LOCK-1) rather than integrated again. Released and live links do
// not lock.
func LockedByDocument(states []string) bool {
	return slices.ContainsFunc(states, LinkLocked)
}
