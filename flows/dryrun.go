package flows

import (
	"context"
	"time"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// Dry-run is enforced here, at the boundary between the flows and the
// clients, rather than by checks scattered through the decisions: the
// decisions run unchanged, and no write can pass these wrappers.

// dryRunSystem reads through and pretends to write.
type dryRunSystem struct{ System }

func (d dryRunSystem) Create(_ context.Context, c syncrules.Customer, key string) (Record, error) {
	c.ID = "dry-run:" + key
	return Record{Customer: c, Key: key}, nil
}

func (d dryRunSystem) Update(_ context.Context, current Record, src syncrules.Customer, _ []syncrules.Field) (Record, error) {
	src.ID, src.ExternalCode = current.ID, current.ExternalCode
	return Record{Customer: src, Key: current.Key, Created: current.Created}, nil
}

// dryRunAuvo adds Auvo's link write to the read-only wrapper.
type dryRunAuvo struct{ dryRunSystem }

func (d dryRunAuvo) SetExternalCode(_ context.Context, id, code string) (Record, error) {
	return Record{Customer: syncrules.Customer{ID: id, ExternalCode: code}}, nil
}

// dryRunLedger reads the real state and drops every write.
type dryRunLedger struct{ ledger.Store }

func (dryRunLedger) PutLink(context.Context, ledger.Link, time.Time) error { return nil }
func (dryRunLedger) SetEchoHashes(context.Context, string, string, string, string, string, string, time.Time) error {
	return nil
}
func (dryRunLedger) Lock(context.Context, string, string, string, ledger.LinkState, string, time.Time) error {
	return nil
}
func (dryRunLedger) Release(context.Context, string, string, string, string, string, time.Time) error {
	return nil
}
func (dryRunLedger) AdvanceCursor(context.Context, string, string, time.Time) error { return nil }
func (dryRunLedger) SaveCheckpoint(context.Context, ledger.Checkpoint) error        { return nil }
func (dryRunLedger) StopRun(context.Context, int64, string, int) error              { return nil }
func (dryRunLedger) BeginIntent(context.Context, ledger.Intent) (int64, error)      { return 0, nil }
func (dryRunLedger) CompleteIntent(context.Context, int64, string, time.Time) error { return nil }
func (dryRunLedger) AbandonIntent(context.Context, int64, string, time.Time) error  { return nil }
func (dryRunLedger) SaveToken(context.Context, string, string, ledger.Token) error  { return nil }
func (dryRunLedger) StartRun(context.Context, string, string, bool, time.Time) (int64, error) {
	return 0, nil
}
func (dryRunLedger) RecordOutcomes(context.Context, int64, []ledger.Outcome) error { return nil }
func (dryRunLedger) FinishRun(context.Context, int64, time.Time, map[string]int, string) error {
	return nil
}
func (dryRunLedger) AcquireLease(context.Context, string, ledger.Holder, time.Duration, time.Time) (bool, error) {
	return true, nil
}
func (dryRunLedger) RenewLease(context.Context, string, ledger.Holder, time.Duration, time.Time) error {
	return nil
}
func (dryRunLedger) TakeOverLease(context.Context, string, ledger.Holder, ledger.Holder, time.Duration, time.Time) (bool, error) {
	return true, nil
}
func (dryRunLedger) ReleaseLease(context.Context, string, ledger.Holder) error { return nil }
func (dryRunLedger) UpdateIndex(context.Context, ledger.IndexUpdate) error     { return nil }
