package flows

import (
	"context"

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
