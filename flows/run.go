package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// run is one flow's pass over its source for one connection.
type run struct {
	c       *Connection
	lease   *runLease // nil in a dry run
	flow    syncrules.Flow
	fields  syncrules.FieldSet
	partner System
	auvo    AuvoSystem
	// source and target are the flow's two ends, resolved once in runFlow:
	// the code that serves both directions asks them, not the flow.
	source, target side
	store          ledger.Store
	links          *linkIndex
	intents        map[string]ledger.Intent // open intents by source id
	log            *slog.Logger

	id      int64
	start   time.Time
	pass    pass // where the flow's pass over its source stands (R-SCHED-3)
	pending []ledger.Outcome
	summary Summary
	streak  int
	// filterWarned: vendors already warned of in this run (warnFilterIgnored).
	filterWarned map[string]bool

	// The matching index (index.go): Auvo's side and the partner's (nil
	// when no flow matches against the partner), the source pages seen so
	// far, and the cursor the listing started from.
	auvoIndex, partnerIndex *sideIndex
	page                    int
	since                   time.Time
}

// side is one end of a flow: its system and the name it goes by in logs,
// errors and writeLimits (auvoTarget or the partner's name).
type side struct {
	System
	name string
	auvo bool
}

// sides resolves which system a flow reads and which it writes, once per
// run: Auvo is the source of the outbound flows and the target of the
// inbound ones.
func sides(flow syncrules.Flow, auvo, partner System) (source, target side) {
	a, p := side{System: auvo, name: auvoTarget, auvo: true}, side{System: partner, name: string(flow.Partner())}
	if flow.Outbound() {
		return a, p
	}
	return p, a
}

// result is what happened to one record.
type result struct {
	kind     syncrules.OutcomeKind
	rule     syncrules.Rule
	reason   string
	targetID string
	err      error // set when the run must stop (fatal)
	// refusedHere: failed because the data cannot be sent as it is, found
	// before anything was sent (R-BAD-1). Such failures say nothing about
	// the vendor's health, so they do not count toward failureStreak: a
	// backlog of bad records must not stop every run at the same place.
	refusedHere bool
}

func outcome(kind syncrules.OutcomeKind, rule syncrules.Rule, targetID, reason string) result {
	return result{kind: kind, rule: rule, reason: syncrules.Redact(reason), targetID: targetID}
}

func skipped(rule syncrules.Rule, reason string) result {
	return outcome(syncrules.Skipped, rule, "", reason)
}

// failure turns a vendor error into a failed outcome, and marks it fatal
// when the run cannot go on. A value the client or the vendor refuses is
// R-BAD-1 whatever step met it: the record cannot be taken as it is.
func failure(rule syncrules.Rule, what string, err error) result {
	var vendor *auvo.APIError // every vendor's APIError (see ErrNotFound)
	refused := errors.Is(err, auvo.ErrInvalid)
	if refused {
		rule = syncrules.RBad1
	}
	r := outcome(syncrules.Failed, rule, "", what+": "+err.Error())
	r.refusedHere = refused && !errors.As(err, &vendor)
	if fatal(err) {
		r.err = err
	}
	return r
}

// runFlow runs one flow within share, its part of the connection's time
// box (R-SCHED-3).
func (c *Connection) runFlow(ctx context.Context, flow syncrules.Flow, lease *runLease, share time.Duration) Summary {
	store := c.Ledger
	if c.DryRun {
		store = dryRunLedger{c.Ledger}
	}
	r := &run{
		c:       c,
		lease:   lease,
		flow:    flow,
		fields:  flow.Fields(),
		partner: c.partner(flow),
		auvo:    c.Auvo,
		store:   store,
		log:     c.logger().With("connection", c.Name, "flow", string(flow)),
		start:   c.now(),
		pass:    pass{share: share},
	}
	if c.DryRun {
		r.partner = dryRunSystem{r.partner}
		r.auvo = dryRunAuvo{dryRunSystem{c.Auvo}}
	}
	r.source, r.target = sides(flow, r.auvo, r.partner)
	r.summary = Summary{Connection: c.Name, Flow: flow, DryRun: c.DryRun, Started: r.start, Counts: map[syncrules.OutcomeKind]int{}, Remaining: -1}
	err := r.execute(ctx)
	r.summary.Ended = c.now()
	r.summary.Err = err
	r.close(ctx, err)
	return r.summary
}

func (r *run) execute(ctx context.Context) error {
	var err error
	if r.id, err = r.store.StartRun(ctx, r.c.Name, string(r.flow), r.c.DryRun, r.start); err != nil {
		return fmt.Errorf("starting the run in the ledger: %w", err)
	}
	if r.links, err = loadLinks(ctx, r.store, r.c.Name, string(r.flow.Partner())); err != nil {
		return fmt.Errorf("loading links: %w", err)
	}
	open, err := r.store.OpenIntents(ctx, r.c.Name, string(r.flow))
	if err != nil {
		return fmt.Errorf("loading open intents: %w", err)
	}
	r.intents = make(map[string]ledger.Intent, len(open))
	for _, in := range open {
		r.intents[in.SourceID] = in
	}
	if err := r.startPass(ctx); err != nil {
		return err
	}
	r.since = r.pass.cp.Since
	r.openIndex()
	r.log.Info("run started", "since", r.pass.cp.Since, "resume_page", r.pass.startPage(), "open_intents", len(open), "dry_run", r.c.DryRun)

	ctx = withFilterIgnored(ctx, r.warnFilterIgnored)
	// Overlapping windows and moving pages can repeat a record; a resumed
	// pass passes over the checkpoint's page, processed already.
	seen := make(map[string]bool)
	for _, id := range r.pass.cp.LastPage {
		seen[id] = true
	}
	for {
		restart, err := r.list(ctx, seen)
		if err != nil || !restart {
			return err
		}
		r.pass.restart()
	}
}

// list walks the source listing from the pass's start page. It returns at
// the end of the listing, at the time box (r.pass.stopped), or when the
// listing must be read again from page 1 (restart).
func (r *run) list(ctx context.Context, seen map[string]bool) (restart bool, err error) {
	onPage := func(p Page) {
		r.pass.onPage(p)
		r.indexPage()
		r.log.Debug("page", "page", p.Number, "records_done", r.summary.Seen, "total", p.Total)
		if r.c.Progress != nil {
			r.c.Progress(Progress{Connection: r.c.Name, Flow: r.flow, Page: p.Number, Done: r.summary.Seen, Total: p.Total})
		}
	}
	for rec, err := range r.source.Changed(ctx, r.pass.cp.Since, r.pass.startPage(), onPage) {
		if err != nil {
			return false, fmt.Errorf("listing %s: %w", r.source.name, err)
		}
		if stop, restart, err := r.atBoundary(ctx); err != nil || stop || restart {
			return restart, err
		}
		if err := r.indexFeed(ctx, rec); err != nil {
			return false, err
		}
		if seen[rec.ID] {
			r.pass.listed(rec.ID)
			continue
		}
		seen[rec.ID] = true
		if err := r.one(ctx, rec); err != nil {
			return false, err
		}
		r.pass.listed(rec.ID)
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	return r.atEnd(), nil
}

// one processes and records one source record; an error stops the run.
func (r *run) one(ctx context.Context, rec Record) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := r.lease.check(ctx); err != nil {
		return err
	}
	res := r.process(ctx, rec)
	if err := r.record(ctx, rec.ID, res); err != nil {
		return err
	}
	if res.err != nil {
		return fmt.Errorf("record %s: %w", rec.ID, res.err)
	}
	if r.summary.Seen%outcomeBatch == 0 {
		r.log.Info("progress", "records", r.summary.Seen, "counts", r.summary.Counts)
	}
	return nil
}

// warnFilterIgnored logs, once per run and vendor, that a lookup by
// document came back with records of other documents: the server ignored
// or loosened the filter. Those records were dropped, so no wrong link is
// made; the warning is for the analyst, since every lookup then costs a
// whole listing.
func (r *run) warnFilterIgnored(vendor string) {
	if r.filterWarned[vendor] {
		return
	}
	if r.filterWarned == nil {
		r.filterWarned = map[string]bool{}
	}
	r.filterWarned[vendor] = true
	r.log.Warn("a lookup by document returned records of other documents; they were dropped (the server seems to ignore the document filter)",
		"vendor", vendor)
}

// recordBudget bounds how long a record in hand may take to finish after
// the run was asked to stop.
const recordBudget = 2 * time.Minute

// process decides and acts on one record. A stop request (SIGINT) does not
// cut a record in half: its writes run on a context that outlives the
// run's, within recordBudget, and the loop stops before the next record.
func (r *run) process(ctx context.Context, rec Record) result {
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordBudget)
	defer cancel()
	if r.source.auvo {
		return r.outbound(recCtx, rec)
	}
	return r.inbound(recCtx, rec)
}

// record reports one outcome to the sink and queues it for the ledger.
func (r *run) record(ctx context.Context, sourceID string, res result) error {
	now := r.c.now()
	r.summary.Seen++
	r.summary.Counts[res.kind]++
	switch {
	case res.kind == syncrules.Failed && !res.refusedHere:
		r.streak++
	case res.kind != syncrules.Failed:
		r.streak = 0
	}
	if r.c.Sink != nil {
		r.c.Sink.Record(Report{
			Time: now, Connection: r.c.Name, Flow: r.flow, SourceID: sourceID, TargetID: res.targetID,
			Outcome: res.kind, Rule: res.rule, Reason: res.reason,
		})
	}
	level := slog.LevelDebug
	if res.kind == syncrules.Failed {
		level = slog.LevelWarn
	}
	r.log.Log(ctx, level, "record", "source_id", sourceID, "target_id", res.targetID,
		"outcome", string(res.kind), "rule", string(res.rule), "reason", res.reason)
	r.pending = append(r.pending, ledger.Outcome{
		SourceID: sourceID, TargetID: res.targetID, Kind: string(res.kind),
		Rule: string(res.rule), Reason: res.reason, At: now,
	})
	if len(r.pending) >= outcomeBatch {
		if err := r.flush(ctx); err != nil {
			return err
		}
	}
	if r.streak >= failureStreak {
		return fmt.Errorf("%d records failed in a row; stopping so as not to hammer a failing API", r.streak)
	}
	return nil
}

func (r *run) flush(ctx context.Context) error {
	if len(r.pending) == 0 {
		return nil
	}
	if err := r.store.RecordOutcomes(ctx, r.id, r.pending); err != nil {
		return fmt.Errorf("recording outcomes: %w", err)
	}
	r.pending = r.pending[:0]
	return nil
}

// close flushes outcomes, moves the cursor when the whole listing was
// processed, and writes the run's summary row. It uses a context that
// survives cancellation: a signal must still leave a consistent checkpoint.
func (r *run) close(ctx context.Context, runErr error) {
	ctx = context.WithoutCancel(ctx)
	if err := r.flush(ctx); err != nil && runErr == nil {
		runErr = err
		r.summary.Err = err
	}
	switch {
	case runErr != nil && r.lease.lostErr() == nil:
		r.checkpointInHand(ctx)
	case runErr == nil && r.pass.stopped:
		// R-SCHED-3: the checkpoint is saved; the cursor waits for the pass's end.
		r.summary.Stopped, r.summary.Remaining = ledger.StoppedTimeBox, r.pass.remaining()
		if err := r.store.StopRun(ctx, r.id, r.summary.Stopped, r.summary.Remaining); err != nil {
			r.log.Warn("recording the time box stop in the ledger", "error", err)
		}
	case runErr == nil:
		// The pass is complete: from its first run's start, so records changed
		// while it went on, on pages read before, are read again.
		if err := r.store.AdvanceCursor(ctx, r.c.Name, string(r.flow), r.pass.cp.Started.Add(-Overlap)); err != nil {
			runErr = fmt.Errorf("advancing the cursor: %w", err)
			r.summary.Err = runErr
		}
	}
	// The matching index: what the run learnt, and, on the cursor's own
	// condition (the pass read the whole listing), how far the source
	// listing brought its side (index.go).
	indexErr := r.closeIndex(ctx)
	if runErr == nil && !r.pass.stopped && indexErr == nil {
		indexErr = r.indexListed(ctx)
	}
	if indexErr != nil && runErr == nil {
		runErr = indexErr
		r.summary.Err = runErr
	}
	counts := make(map[string]int, len(r.summary.Counts))
	for k, v := range r.summary.Counts {
		counts[string(k)] = v
	}
	errText := ""
	if runErr != nil {
		errText = syncrules.Redact(runErr.Error())
	}
	if err := r.store.FinishRun(ctx, r.id, r.c.now(), counts, errText); err != nil {
		r.log.Warn("finishing the run in the ledger", "error", err)
	}
	attrs := []any{"records", r.summary.Seen, "counts", r.summary.Counts, "elapsed", r.summary.Ended.Sub(r.start)}
	if runErr != nil {
		r.log.Error("run stopped", append(attrs, "error", errText)...)
		return
	}
	if r.summary.Stopped != "" {
		r.log.Info("run stopped at its time box; the next slot resumes at the checkpoint",
			append(attrs, "next_page", r.pass.cp.Page, "remaining", r.summary.Remaining)...)
		return
	}
	r.log.Info("run finished", attrs...)
}

// docHash hashes a normalised document for the ledger.
func (r *run) docHash(doc string) string { return r.store.DocumentHash(doc) }

// putLink records a live link, and keeps the run's index in step.
func (r *run) putLink(ctx context.Context, l ledger.Link) error {
	l.Conn, l.Partner, l.Flow = r.c.Name, string(r.flow.Partner()), string(r.flow)
	if err := r.store.PutLink(ctx, l, r.c.now()); err != nil {
		return inLedger(err)
	}
	if old, ok := r.links.byAuvo[l.AuvoID]; ok {
		l = old.Updated(l)
	}
	l.State = ledger.LinkLive
	r.links.put(l)
	return nil
}

// setHashes stores the echo hashes of a link (R-UPD-3).
func (r *run) setHashes(ctx context.Context, l ledger.Link, auvoHash, partnerHash string) error {
	if err := r.store.SetEchoHashes(ctx, r.c.Name, string(r.flow.Partner()), l.AuvoID, l.PartnerID, auvoHash, partnerHash, r.c.now()); err != nil {
		return inLedger(err)
	}
	r.links.put(l.Updated(ledger.Link{PartnerID: l.PartnerID, AuvoHash: auvoHash, PartnerHash: partnerHash}))
	return nil
}

// lock records that a linked record was deleted or unlinked in Auvo.
func (r *run) lock(ctx context.Context, l ledger.Link, state string, evidence string) error {
	if err := r.store.Lock(ctx, r.c.Name, string(r.flow.Partner()), l.AuvoID, ledger.LinkState(state), evidence, r.c.now()); err != nil {
		return inLedger(err)
	}
	l.State = ledger.LinkState(state)
	r.links.put(l)
	if l.State == ledger.LinkAuvoDeleted {
		r.auvoIndex.drop(l.AuvoID)
	}
	return nil
}

// completeIntent closes the open intent of a source record, if any, once
// its write is known to be done.
func (r *run) completeIntent(ctx context.Context, sourceID, targetID string) error {
	in, ok := r.intents[sourceID]
	if !ok {
		return nil
	}
	delete(r.intents, sourceID)
	return inLedger(r.store.CompleteIntent(ctx, in.ID, targetID, r.c.now()))
}

// beginIntent records a create before it is sent to target, unless the
// target's creates are idempotent upserts (then a resend is the recovery).
func (r *run) beginIntent(ctx context.Context, target System, sourceID, kind, key string) (int64, error) {
	if idempotentCreates(target) {
		return 0, nil
	}
	if in, ok := r.intents[sourceID]; ok {
		return in.ID, nil
	}
	id, err := r.store.BeginIntent(ctx, ledger.Intent{
		Conn: r.c.Name, Flow: string(r.flow), SourceID: sourceID, Kind: kind, TargetKey: key, CreatedAt: r.c.now(),
	})
	if err != nil {
		return 0, inLedger(err)
	}
	r.intents[sourceID] = ledger.Intent{ID: id, SourceID: sourceID, Kind: kind, TargetKey: key}
	return id, nil
}
