package flows

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/auvosync/auvosync/syncrules"
)

// Report is one record's outcome in one run (R-REPORT-1), in the JSON shape
// of CONTRACTS.md §3. Reason never holds an unmasked document, e-mail or
// phone (R-REPORT-2).
type Report struct {
	Time       time.Time             `json:"time"`
	Connection string                `json:"connection"`
	Flow       syncrules.Flow        `json:"flow"`
	SourceID   string                `json:"source_id"`
	TargetID   string                `json:"target_id"`
	Outcome    syncrules.OutcomeKind `json:"outcome"`
	Rule       syncrules.Rule        `json:"rule"`
	Reason     string                `json:"reason"`
}

// Sink receives every Report as it is decided. Implementations must be safe
// for concurrent use: connections run in parallel.
type Sink interface {
	Record(Report)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(Report)

func (f SinkFunc) Record(r Report) { f(r) }

// JSONLines writes one JSON object per report, as -report FILE does.
type JSONLines struct {
	mu  sync.Mutex
	enc *json.Encoder
	err error
}

// NewJSONLines writes reports to w.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{enc: json.NewEncoder(w)} }

func (j *JSONLines) Record(r Report) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r.Time = r.Time.UTC().Truncate(time.Second) // the contract's layout: 2026-11-29T10:00:00Z
	if err := j.enc.Encode(r); err != nil && j.err == nil {
		j.err = err
	}
}

// Err returns the first write error, if any.
func (j *JSONLines) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// Summary is the result of one run of one flow.
type Summary struct {
	Connection string
	Flow       syncrules.Flow
	DryRun     bool
	Started    time.Time
	Ended      time.Time
	Counts     map[syncrules.OutcomeKind]int
	// Seen is the number of source records looked at.
	Seen int
	// Err is why the run stopped early (auth refused, API unreachable, rate
	// limit beyond the cap); the cursor did not move, so the next run
	// continues from the last checkpoint.
	Err error
	// Stopped is ledger.StoppedTimeBox when the run used up its share of
	// the slot and left a checkpoint for the next slot (R-SCHED-3); "" when
	// it read its listing to the end, or failed (Err).
	Stopped string
	// Remaining is how many records the listing still held when the run
	// stopped at its time box, as the vendor counts them; -1 when the
	// vendor does not say (Bling) or the run did not stop there.
	Remaining int
}

// Completed reports whether the run processed its whole listing.
func (s Summary) Completed() bool { return s.Err == nil && s.Stopped == "" }
