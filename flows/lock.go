package flows

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// lockIfUndone applies R-LOCK to a link given what Auvo shows now: when the
// link was undone in Auvo (the customer deleted, its external code erased)
// it records the lock with its evidence and returns the skipped outcome.
// locked is false while the link stands.
func (r *run) lockIfUndone(ctx context.Context, link ledger.Link, in syncrules.LockInput, evidence, targetID string) (res result, locked bool) {
	locked, rule, reason := syncrules.DecideLock(in)
	if !locked {
		return result{}, false
	}
	if state, changed := syncrules.LockTransition(in); changed {
		if err := r.lock(ctx, link, state, evidence); err != nil {
			return failure(rule, "recording the lock", err), true
		}
	}
	return outcome(syncrules.Skipped, rule, targetID, reason), true
}

// releaseNote tells, for an Auvo record whose link an analyst released
// (R-LOCK-3), who released it and when, so that the outcome of linking it
// again says what happened. "" when the record's link was not released.
func (r *run) releaseNote(ctx context.Context, auvoID string) string {
	if l, ok := r.links.byAuvo[auvoID]; !ok || l.State != ledger.LinkReleased {
		return ""
	}
	hist, err := r.store.LinkHistory(ctx, r.c.Name, string(r.flow.Partner()), auvoID)
	if err != nil {
		r.log.Warn("reading the link's history", "auvo_id", auvoID, "error", err)
	}
	for _, e := range slices.Backward(hist) {
		if e.Kind == ledger.EventReleased {
			return fmt.Sprintf("re-linked after the release by %s on %s", e.Who, e.At.UTC().Format(time.DateOnly))
		}
	}
	return "re-linked after an analyst's release"
}
