package ledger

import (
	"context"
	"time"
)

// Store is the durable memory the flows need. It is split into small
// interfaces so a flow (or a test fake) can depend on just the part it uses.
//
// Every method that records or compares a time takes it from the caller: the
// flows have an injectable clock, and the store never reads one. Times come
// back in UTC. Nothing in these signatures depends on SQLite, so the same
// interface can be implemented on PostgreSQL for several runner machines.
type Store interface {
	LinkStore
	LockStore
	CursorStore
	IntentStore
	TokenStore
	RunStore
	LeaseStore
	IndexStore
}

// LinkStore remembers which Auvo record is linked to which partner record.
type LinkStore interface {
	// DocumentHash returns the keyed hash (HMAC-SHA256, hex) of an already
	// normalised CPF/CNPJ, so the ledger can compare documents without
	// storing them. An empty document hashes to "".
	DocumentHash(doc string) string
	// PutLink inserts or updates the link of link.AuvoID and records the
	// change in the link's history. It only writes live links: locking and
	// releasing go through Lock and Release, and a locked link is refused
	// with ErrLocked (R-LOCK-1). Empty DocHash, Flow, AuvoHash or PartnerHash
	// keep the stored value. LinkedAt and UpdatedAt are set from now.
	PutLink(ctx context.Context, link Link, now time.Time) error
	// Links returns every link of a connection and partner, in any state.
	Links(ctx context.Context, conn, partner string) ([]Link, error)
	// LinkByAuvo returns the link of an Auvo record, or ErrNotFound.
	LinkByAuvo(ctx context.Context, conn, partner, auvoID string) (Link, error)
	// LinkByPartner returns the link of a partner record, or ErrNotFound.
	// When a partner record was linked more than once (an old link was
	// released and a new one made), a live or locked link wins over a
	// released one, then the most recently updated.
	LinkByPartner(ctx context.Context, conn, partner, partnerID string) (Link, error)
	// LinksByDocHash returns the links, in any state, whose document hash
	// equals docHash.
	LinksByDocHash(ctx context.Context, conn, partner, docHash string) ([]Link, error)
	// SetEchoHashes stores the hash of the synced fields as last written or
	// read on each side (R-UPD-3). An empty hash leaves that side unchanged.
	// The link must exist with that partner ID, or ErrNotFound is returned.
	SetEchoHashes(ctx context.Context, conn, partner, auvoID, partnerID, auvoHash, partnerHash string, now time.Time) error
	// LinkHistory returns the events of one Auvo record's link, oldest first.
	LinkHistory(ctx context.Context, conn, partner, auvoID string) ([]LinkEvent, error)
}

// LockStore keeps the lock of R-LOCK-1..3.
type LockStore interface {
	// Lock marks a linked record as locked because its Auvo side was deleted
	// (LinkAuvoDeleted) or its external code was erased
	// (LinkExternalCodeErased), and records the evidence. Locking a record
	// again for the same reason changes nothing. ErrNotFound when the record
	// was never linked.
	Lock(ctx context.Context, conn, partner, auvoID string, reason LinkState, evidence string, now time.Time) error
	// Locks lists the currently locked records with their history; conn ""
	// lists every connection.
	Locks(ctx context.Context, conn string) ([]LockedRecord, error)
	// Release unlocks a locked record (state becomes LinkReleased) and
	// records who released it and why; both are required. ErrNotLocked when
	// the record is not locked.
	Release(ctx context.Context, conn, partner, auvoID, who, why string, now time.Time) error
}

// CursorStore keeps, per connection and flow, the source modification time
// up to which the flow has fully processed its source.
//
// The flow advances it only after the writes it covers are done. The value
// it passes is its run's start minus an overlap, so the next run re-reads
// records changed while this run was running.
//
// A pass over a large backlog spans several runs (R-SCHED-3): each run
// that stops at its time box saves a Checkpoint, and the next run resumes
// from it. The pass's cursor moves only when its listing is complete.
type CursorStore interface {
	Cursor(ctx context.Context, conn, flow string) (t time.Time, ok bool, err error)
	// AdvanceCursor moves the cursor to t; it never moves it backwards. The
	// pass is then complete: the flow's checkpoint is cleared with it.
	AdvanceCursor(ctx context.Context, conn, flow string, t time.Time) error
	// Checkpoint returns where the flow's pass in progress stopped; false
	// when no pass is in progress.
	Checkpoint(ctx context.Context, conn, flow string) (Checkpoint, bool, error)
	// SaveCheckpoint records or replaces the flow's checkpoint.
	SaveCheckpoint(ctx context.Context, cp Checkpoint) error
}

// IntentStore records writes before they are sent, so a crash between
// sending a create and recording its result is noticed on the next run,
// which then reads back before acting instead of creating a duplicate.
type IntentStore interface {
	BeginIntent(ctx context.Context, intent Intent) (id int64, err error)
	// CompleteIntent closes an open intent with the ID the target gave the
	// record. Completing it again with the same target ID changes nothing.
	CompleteIntent(ctx context.Context, id int64, targetID string, now time.Time) error
	// OpenIntents lists the intents of a connection and flow that were begun
	// but neither completed nor abandoned, oldest first.
	OpenIntents(ctx context.Context, conn, flow string) ([]Intent, error)
	// AbandonIntent closes an open intent that turned out not to have
	// written anything (the read-back found nothing), with the reason.
	AbandonIntent(ctx context.Context, id int64, why string, now time.Time) error
}

// TokenStore keeps the latest OAuth tokens per connection and vendor.
type TokenStore interface {
	// SaveToken is durable when it returns: a caller may then use the new
	// token, knowing that a crash cannot bring back the rotated-out one.
	SaveToken(ctx context.Context, conn, vendor string, token Token) error
	LoadToken(ctx context.Context, conn, vendor string) (Token, bool, error)
}

// RunStore keeps one row per run and one per record outcome (R-REPORT-1).
type RunStore interface {
	StartRun(ctx context.Context, conn, flow string, dryRun bool, startedAt time.Time) (runID int64, err error)
	// RecordOutcomes stores a batch of outcomes of one run in one
	// transaction: all or none. Empty Conn, Flow or RunID are taken from the
	// run; other values are refused.
	RecordOutcomes(ctx context.Context, runID int64, outcomes []Outcome) error
	FinishRun(ctx context.Context, runID int64, endedAt time.Time, counts map[string]int, errText string) error
	// StopRun records why a run stopped before the end of its listing
	// (StoppedTimeBox) and how many records were left, -1 when the vendor
	// does not say (R-SCHED-3). It is called before FinishRun.
	StopRun(ctx context.Context, runID int64, stopped string, remaining int) error
	// LastSuccessfulRun returns the latest finished run without error that
	// was not a dry run.
	LastSuccessfulRun(ctx context.Context, conn, flow string) (Run, bool, error)
	// Explain returns the outcomes recorded for a source record, newest
	// first; conn "" searches every connection, limit <= 0 means all.
	Explain(ctx context.Context, conn, sourceID string, limit int) ([]Outcome, error)
	// Runs returns runs newest first; conn "" means every connection,
	// limit <= 0 means all.
	Runs(ctx context.Context, conn string, limit int) ([]Run, error)
}

// LeaseStore keeps a per-connection lease so two runs never work on the
// same connection at once, in one process or in several. A holder that
// stops renewing loses the lease when it expires; a caller that knows the
// holder is dead (see Holder) takes it over at once with TakeOverLease.
type LeaseStore interface {
	// AcquireLease takes the lease when it is free, expired, or already held
	// by holder (then it extends it to now+ttl). It reports whether holder
	// has the lease.
	AcquireLease(ctx context.Context, conn string, holder Holder, ttl time.Duration, now time.Time) (bool, error)
	// RenewLease extends holder's lease to now+ttl. ErrLeaseNotHeld when the
	// lease names another holder or none: unlike AcquireLease it never
	// takes a lease that was lost, since the run that lost it may have
	// overlapped another.
	RenewLease(ctx context.Context, conn string, holder Holder, ttl time.Duration, now time.Time) error
	// TakeOverLease gives the lease to "to", until now+ttl, only if it still
	// names "from", whether or not it expired. It reports whether it did.
	TakeOverLease(ctx context.Context, conn string, from, to Holder, ttl time.Duration, now time.Time) (bool, error)
	// Lease returns the connection's lease, expired or not; false when none
	// is stored.
	Lease(ctx context.Context, conn string) (Lease, bool, error)
	// ReleaseLease gives the lease up. ErrLeaseNotHeld when holder no longer
	// has it (it expired and another process took it).
	ReleaseLease(ctx context.Context, conn string, holder Holder) error
}
