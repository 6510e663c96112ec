package ledger

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/auvosync/auvosync/syncrules"
)

// LinkState is the state of a link between an Auvo record and a partner
// record. The vocabulary is syncrules' (R-LOCK); the ledger stores it.
type LinkState string

// The link states of syncrules, typed for storage.
const (
	LinkLive               LinkState = syncrules.LinkLive
	LinkAuvoDeleted        LinkState = syncrules.LinkAuvoDeleted
	LinkExternalCodeErased LinkState = syncrules.LinkExternalCodeErased
	LinkReleased           LinkState = syncrules.LinkReleased
)

// Locked reports whether flows must skip the record (R-LOCK-2).
func (s LinkState) Locked() bool { return syncrules.LinkLocked(string(s)) }

// Link is one Auvo record linked to one partner record.
type Link struct {
	Conn      string
	Partner   string
	AuvoID    string
	PartnerID string
	// DocHash is DocumentHash of the normalised CPF/CNPJ, never the document.
	DocHash string
	// Flow is the flow that made the link.
	Flow      string
	State     LinkState
	LinkedAt  time.Time
	UpdatedAt time.Time
	// AuvoHash and PartnerHash are the echo hashes of R-UPD-3.
	AuvoHash    string
	PartnerHash string
}

// Updated is the stored link l updated with given as PutLink does it:
// given's PartnerID, and given's DocHash, Flow, AuvoHash and PartnerHash
// where they are not empty; an empty one keeps the stored value. State and
// times are the caller's. Callers that keep a copy of the links (the flows'
// index) use it to stay in step with the store.
func (l Link) Updated(given Link) Link {
	keep := func(stored *string, given string) {
		if given != "" {
			*stored = given
		}
	}
	l.PartnerID = given.PartnerID
	keep(&l.DocHash, given.DocHash)
	keep(&l.Flow, given.Flow)
	keep(&l.AuvoHash, given.AuvoHash)
	keep(&l.PartnerHash, given.PartnerHash)
	return l
}

// EventKind says what happened to a link.
type EventKind string

const (
	EventLinked   EventKind = "linked"   // first link of the Auvo record
	EventRelinked EventKind = "relinked" // new partner ID, or live again after a release
	EventChanged  EventKind = "changed"  // document hash or flow changed
	EventLocked   EventKind = "locked"
	EventReleased EventKind = "released"
)

// LinkEvent is one entry of a link's history.
type LinkEvent struct {
	ID        int64
	Conn      string
	Partner   string
	AuvoID    string
	PartnerID string
	DocHash   string
	Flow      string
	Kind      EventKind
	// State is the link's state after the event.
	State LinkState
	// Who released the record (EventReleased only).
	Who string
	// Reason is the lock reason or the release's "why".
	Reason   string
	Evidence string
	At       time.Time
}

// LockedRecord is a currently locked link and its whole history.
type LockedRecord struct {
	Link    Link
	History []LinkEvent
}

// Intent kinds.
const (
	IntentCreate = "create"
	IntentLink   = "link"
)

// Intent is a write recorded before it is sent.
type Intent struct {
	ID       int64
	Conn     string
	Flow     string
	SourceID string
	Kind     string // IntentCreate or IntentLink
	// TargetKey identifies the record on the target before it has an ID
	// (an integration code, a document hash), so a read-back can find it.
	TargetKey string
	CreatedAt time.Time
}

// Token holds OAuth tokens. Its String, GoString and LogValue methods never
// show the secrets, so a Token that reaches a log prints redacted.
type Token struct {
	RefreshToken string
	AccessToken  string
	Expiry       time.Time
	// Saved is when the caller saved this token (the ledger reads no
	// clock); zero for a token saved before the ledger kept it.
	Saved time.Time
}

func (t Token) String() string {
	return fmt.Sprintf("Token{RefreshToken:%s AccessToken:%s Expiry:%s Saved:%s}",
		redacted(t.RefreshToken), redacted(t.AccessToken), t.Expiry.Format(time.RFC3339), t.Saved.Format(time.RFC3339))
}

func (t Token) GoString() string { return t.String() }

func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("refresh_token", redacted(t.RefreshToken)),
		slog.String("access_token", redacted(t.AccessToken)),
		slog.Time("expiry", t.Expiry),
		slog.Time("saved", t.Saved),
	)
}

func redacted(secret string) string {
	if secret == "" {
		return "(empty)"
	}
	return "(redacted)"
}

// Outcome kinds (R-REPORT-1): syncrules.OutcomeKind's values, as the
// strings Outcome.Kind and Run.Counts store.
const (
	OutcomeCreated   = string(syncrules.Created)
	OutcomeLinked    = string(syncrules.Linked)
	OutcomeUpdated   = string(syncrules.Updated)
	OutcomeUnchanged = string(syncrules.Unchanged)
	OutcomeSkipped   = string(syncrules.Skipped)
	OutcomeFailed    = string(syncrules.Failed)
)

func validOutcomeKind(k string) bool { return syncrules.OutcomeKind(k).Valid() }

// Outcome is what a run did with one record (R-REPORT-1). Reason must
// already be masked (R-REPORT-2): the ledger stores it as given.
type Outcome struct {
	RunID    int64
	Conn     string
	Flow     string
	SourceID string
	TargetID string
	Kind     string
	Rule     string
	Reason   string
	At       time.Time
}

// Run is one run of one flow on one connection.
type Run struct {
	ID        int64
	Conn      string
	Flow      string
	DryRun    bool
	StartedAt time.Time
	// EndedAt is zero while the run has not finished (or its process died).
	EndedAt time.Time
	Counts  map[string]int
	Error   string
	// Stopped says why the run stopped before the end of its listing
	// (StoppedTimeBox), "" when it read it to the end or failed (Error).
	Stopped string
	// Remaining is how many records the listing still held when the run
	// stopped, as the vendor counts them; -1 when unknown or not stopped.
	Remaining int
}

// StoppedTimeBox is Run.Stopped for a run that used up its share of the
// 10-minute slot and left a checkpoint (R-SCHED-3).
const StoppedTimeBox = "time box"

// Checkpoint is where a flow's pass over its source stopped at a page
// boundary, for the next run to resume from (R-SCHED-3).
type Checkpoint struct {
	Conn string
	Flow string
	// Since is the start of the pass's window: the cursor when the pass
	// began (zero: a full listing). Every run of the pass lists from it.
	Since time.Time
	// Started is when the pass's first run started. When the pass
	// completes, the cursor moves to Started minus the overlap, so records
	// changed while the pass went on are read by the next window.
	Started time.Time
	// Page is the first page the pass has not done, 1-based.
	Page int
	// Done is how many records the pass's pages before Page held.
	Done int
	// Total is the listing's size as the vendor last reported it, or -1.
	Total int
	// LastPage is the source ids processed on page Page-1 and, when a run
	// stopped in the middle of page Page, on that page so far. A resume
	// reads page Page-1 again (page 1 when Page is 1), so records that moved
	// back onto it (others before them were deleted) are not skipped, and
	// passes over these.
	LastPage []string
	At       time.Time
}

// Finished reports whether FinishRun was called for the run.
func (r Run) Finished() bool { return !r.EndedAt.IsZero() }

var (
	ErrNotFound = errors.New("ledger: not found")
	// ErrLocked: the record is locked (R-LOCK-1); only Release unlocks it.
	ErrLocked       = errors.New("ledger: record is locked (R-LOCK-1)")
	ErrNotLocked    = errors.New("ledger: record is not locked")
	ErrIntentClosed = errors.New("ledger: intent already closed")
	ErrLeaseNotHeld = errors.New("ledger: lease not held")
	ErrRunFinished  = errors.New("ledger: run already finished")
	// ErrDocumentKeyMismatch: the key given with WithDocumentKey is not the
	// one the state file's document hashes were made with.
	ErrDocumentKeyMismatch = errors.New("ledger: document key does not match the state file")
	ErrSchemaTooNew        = errors.New("ledger: state file schema is newer than this binary")
)

// SchemaTooNewError is returned by Open when the state file was written by
// a newer binary. errors.Is(err, ErrSchemaTooNew) holds.
type SchemaTooNewError struct {
	Path          string
	FileVersion   int
	BinaryVersion int
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("ledger: state file %s has schema version %d, but this binary supports up to version %d; use a newer auvosync",
		e.Path, e.FileVersion, e.BinaryVersion)
}

func (e *SchemaTooNewError) Is(target error) bool { return target == ErrSchemaTooNew }
