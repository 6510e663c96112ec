package ledger

import (
	"fmt"
	"time"
)

// Input checks and state transitions both stores make, before or around
// their SQL.

// required returns an error naming the first empty value; args are
// name, value pairs.
func required(op string, args ...string) error {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i+1] == "" {
			return fmt.Errorf("ledger: %s: %s is empty", op, args[i])
		}
	}
	return nil
}

func requireTime(op, name string, t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("ledger: %s: %s is the zero time", op, name)
	}
	return nil
}

func checkPutLink(link Link, now time.Time) error {
	if err := required("PutLink", "conn", link.Conn, "partner", link.Partner,
		"auvo id", link.AuvoID, "partner id", link.PartnerID); err != nil {
		return err
	}
	if err := requireTime("PutLink", "now", now); err != nil {
		return err
	}
	if link.State != "" && link.State != LinkLive {
		return fmt.Errorf("ledger: PutLink writes live links only, got state %q: use Lock or Release", link.State)
	}
	return nil
}

// lockedErr refuses PutLink on a link that is locked (R-LOCK-1).
func lockedErr(link Link, old Link) error {
	if !old.State.Locked() {
		return nil
	}
	return fmt.Errorf("%w: auvo %s (%s, connection %s) is %s; release it before linking it again",
		ErrLocked, link.AuvoID, link.Partner, link.Conn, old.State)
}

// relink is PutLink's update of the stored link old with l at now: the link
// to write, the event to record ("" for none), and whether anything changed.
func relink(old, l Link, now time.Time) (next Link, kind EventKind, changed bool) {
	next = old.Updated(l)
	next.State = LinkLive
	switch {
	case next.PartnerID != old.PartnerID || old.State != LinkLive:
		kind = EventRelinked
		next.LinkedAt = now
	case next.DocHash != old.DocHash || next.Flow != old.Flow:
		kind = EventChanged
	}
	if kind == "" && next == old {
		return old, "", false
	}
	next.UpdatedAt = now
	return next, kind, true
}

func checkSetEchoHashes(conn, partner, auvoID, partnerID string, now time.Time) error {
	if err := required("SetEchoHashes", "conn", conn, "partner", partner, "auvo id", auvoID, "partner id", partnerID); err != nil {
		return err
	}
	return requireTime("SetEchoHashes", "now", now)
}

func noEchoLink(conn, partner, auvoID, partnerID string) error {
	return fmt.Errorf("%w: no link auvo %s <-> %s %s (connection %s)", ErrNotFound, auvoID, partner, partnerID, conn)
}

func noLink(side, id, partner, conn string) error {
	return fmt.Errorf("%w: no %s link for %s %s (connection %s)", ErrNotFound, partner, side, id, conn)
}

func neverLinked(op, conn, partner, auvoID string) error {
	return fmt.Errorf("%w: %s: auvo %s was never linked to %s (connection %s)", ErrNotFound, op, auvoID, partner, conn)
}

func checkLock(conn, partner, auvoID string, reason LinkState, evidence string, now time.Time) error {
	if err := required("Lock", "conn", conn, "partner", partner, "auvo id", auvoID, "evidence", evidence); err != nil {
		return err
	}
	if err := requireTime("Lock", "now", now); err != nil {
		return err
	}
	if !reason.Locked() {
		return fmt.Errorf("ledger: Lock: reason %q is not a lock reason (want %q or %q)", reason, LinkAuvoDeleted, LinkExternalCodeErased)
	}
	return nil
}

func checkRelease(conn, partner, auvoID, who, why string, now time.Time) error {
	if err := required("Release", "conn", conn, "partner", partner, "auvo id", auvoID, "who", who, "why", why); err != nil {
		return err
	}
	return requireTime("Release", "now", now)
}

// release is the link l released, or ErrNotLocked when it is not locked.
func release(l Link) (Link, error) {
	if !l.State.Locked() {
		return Link{}, fmt.Errorf("%w: auvo %s (%s, connection %s) is %s; only a locked record can be released",
			ErrNotLocked, l.AuvoID, l.Partner, l.Conn, l.State)
	}
	l.State = LinkReleased
	return l, nil
}

// lockedRecords pairs each locked link with its history.
func lockedRecords(links []Link, history func(Link) ([]LinkEvent, error)) ([]LockedRecord, error) {
	locked := make([]LockedRecord, 0, len(links))
	for _, l := range links {
		h, err := history(l)
		if err != nil {
			return nil, err
		}
		locked = append(locked, LockedRecord{Link: l, History: h})
	}
	return locked, nil
}

func checkBeginIntent(in Intent) error {
	if err := required("BeginIntent", "conn", in.Conn, "flow", in.Flow, "source id", in.SourceID, "kind", in.Kind); err != nil {
		return err
	}
	if in.Kind != IntentCreate && in.Kind != IntentLink {
		return fmt.Errorf("ledger: BeginIntent: kind %q is neither %q nor %q", in.Kind, IntentCreate, IntentLink)
	}
	return requireTime("BeginIntent", "created at", in.CreatedAt)
}

// intentClosable says whether an intent found as cur/curTarget/curNote may
// be closed to status/targetID/note: done when a retried close repeats what
// was recorded (harmless), an ErrIntentClosed error when it was closed
// otherwise.
func intentClosable(op string, id int64, cur, curTarget, curNote, status, targetID, note string) (done bool, err error) {
	if cur == intentOpen {
		return false, nil
	}
	if cur == status && curTarget == targetID && curNote == note {
		return true, nil
	}
	return false, fmt.Errorf("%w: %s: intent %d is %s", ErrIntentClosed, op, id, cur)
}

// checkOutcomes refuses a batch with an outcome that names another run or
// lacks a source ID, a known kind or a time, before anything is written.
func checkOutcomes(runID int64, outcomes []Outcome) error {
	for i, o := range outcomes {
		if o.RunID != 0 && o.RunID != runID {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d belongs to run %d, not %d", i, o.RunID, runID)
		}
		if o.SourceID == "" {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d has no source id", i)
		}
		if !validOutcomeKind(o.Kind) {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d (source %s) has unknown kind %q", i, o.SourceID, o.Kind)
		}
		if o.At.IsZero() {
			return fmt.Errorf("ledger: RecordOutcomes: outcome %d (source %s) has no time", i, o.SourceID)
		}
	}
	return nil
}

// outcomeInRun refuses outcome i when it names another connection or flow
// than its run's.
func outcomeInRun(i int, o Outcome, runID int64, conn, flow string) error {
	if (o.Conn != "" && o.Conn != conn) || (o.Flow != "" && o.Flow != flow) {
		return fmt.Errorf("ledger: RecordOutcomes: outcome %d is for %s/%s but run %d is %s/%s",
			i, o.Conn, o.Flow, runID, conn, flow)
	}
	return nil
}

// runWritable refuses a write to a run that has finished.
func runWritable(op string, runID, endedNS int64) error {
	if endedNS != 0 {
		return fmt.Errorf("%w: %s: run %d", ErrRunFinished, op, runID)
	}
	return nil
}

func noRun(op string, runID int64) error {
	return fmt.Errorf("%w: %s: no run %d", ErrNotFound, op, runID)
}
