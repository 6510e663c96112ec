package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

func TestDecideLock_RLock(t *testing.T) {
	tests := []struct {
		name      string
		in        syncrules.LockInput
		locked    bool
		rule      syncrules.Rule
		reason    string
		nextState string
		changed   bool
	}{
		{"never linked: not locked",
			syncrules.LockInput{Linked: false, AuvoExists: false},
			false, "", "", "", false},
		{"live link, Auvo side intact: not locked",
			syncrules.LockInput{Linked: true, LinkState: syncrules.LinkLive, AuvoExists: true, AuvoExternalCode: "906"},
			false, "", "", syncrules.LinkLive, false},
		{"R-LOCK-1 deleted in Auvo",
			syncrules.LockInput{Linked: true, LinkState: syncrules.LinkLive, AuvoExists: false},
			true, syncrules.RLock1, "locked: deleted in Auvo", syncrules.LinkAuvoDeleted, true},
		{"R-LOCK-1 external code erased in Auvo",
			syncrules.LockInput{Linked: true, LinkState: syncrules.LinkLive, AuvoExists: true, AuvoExternalCode: "  "},
			true, syncrules.RLock1, "locked: external code erased in Auvo", syncrules.LinkExternalCodeErased, true},
		{"R-LOCK-2 ledger already says deleted, even if a new Auvo record appeared",
			syncrules.LockInput{Linked: true, LinkState: syncrules.LinkAuvoDeleted, AuvoExists: true, AuvoExternalCode: "906"},
			true, syncrules.RLock2, "locked: deleted in Auvo after it was integrated", syncrules.LinkAuvoDeleted, false},
		{"R-LOCK-2 ledger already says erased",
			syncrules.LockInput{Linked: true, LinkState: syncrules.LinkExternalCodeErased, AuvoExists: true},
			true, syncrules.RLock2, "locked: external code erased in Auvo after it was integrated", syncrules.LinkExternalCodeErased, false},
		{"R-LOCK-3 released by the analyst",
			syncrules.LockInput{Linked: true, LinkState: syncrules.LinkReleased, AuvoExists: false},
			false, syncrules.RLock3, "lock released by the analyst", syncrules.LinkReleased, false},
		{"R-LOCK-2 unknown state fails safe",
			syncrules.LockInput{Linked: true, LinkState: "weird", AuvoExists: true, AuvoExternalCode: "906"},
			true, syncrules.RLock2, `locked: unknown link state "weird" in the ledger`, "weird", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			locked, rule, reason := syncrules.DecideLock(tt.in)
			assert.Equal(t, tt.locked, locked)
			assert.Equal(t, tt.rule, rule)
			assert.Equal(t, tt.reason, reason)
			state, changed := syncrules.LockTransition(tt.in)
			assert.Equal(t, tt.nextState, state)
			assert.Equal(t, tt.changed, changed)
		})
	}
}

func TestLockedByDocument_RLock1(t *testing.T) {
	tests := []struct {
		name   string
		states []string
		want   bool
	}{
		{"no links", nil, false},
		{"live link", []string{syncrules.LinkLive}, false},
		{"released", []string{syncrules.LinkReleased}, false},
		{"deleted", []string{syncrules.LinkLive, syncrules.LinkAuvoDeleted}, true},
		{"erased", []string{syncrules.LinkExternalCodeErased}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, syncrules.LockedByDocument(tt.states))
		})
	}
}
