package flows

import (
	"context"
	"strings"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// inbound handles one partner record in F3/F4/F5.
func (r *run) inbound(ctx context.Context, p Record) result {
	if res, ok := r.customerFilter(p); !ok {
		return res
	}
	link, known := r.links.byPartner[p.ID]
	switch {
	case known && link.State.Locked():
		return outcome(syncrules.Skipped, syncrules.RLock2, link.AuvoID,
			"locked: integrated once, then deleted or unlinked in Auvo; an analyst must release it")
	case known && link.State == ledger.LinkLive:
		return r.inboundLinked(ctx, p, link, nil, "")
	}
	return r.inboundNew(ctx, p)
}

// customerFilter applies R-TAG (Omie) and R-PROFILE (Conta Azul).
func (r *run) customerFilter(p Record) (result, bool) {
	switch r.flow {
	case syncrules.OmieToAuvo:
		if ok, rule := syncrules.OmieTagsAllow(p.Tags); !ok {
			return skipped(rule, "Omie tags mark it as a non-customer (no Cliente tag among the built-in ones)"), false
		}
	case syncrules.ContaAzulToAuvo:
		if ok, rule := syncrules.ContaAzulProfilesAllow(p.Profiles); !ok {
			return skipped(rule, "no Cliente profile in Conta Azul; it is integrated once it becomes a customer"), false
		}
	}
	return result{}, true
}

// inboundLinked keeps a linked Auvo customer up to date. target is the Auvo
// record when the caller already has it; rule, when set, names why the
// record counts as linked (R-IN-1) for an unchanged outcome.
func (r *run) inboundLinked(ctx context.Context, p Record, link ledger.Link, target *Record, rule syncrules.Rule) result {
	if !p.Active {
		return outcome(syncrules.Skipped, syncrules.RUpd2, link.AuvoID,
			"inactive in "+string(r.flow.Partner())+": no more updates; the Auvo customer's status is left as it is")
	}
	var err error
	if p, err = r.partner.Complete(ctx, p); err != nil {
		return failure(syncrules.RUpd1, "reading the record's details", err)
	}
	partnerHash := syncrules.Hash(r.fields, p.Customer)
	if target == nil && link.PartnerHash != "" && partnerHash == link.PartnerHash {
		return outcome(syncrules.Unchanged, syncrules.RUpd3, link.AuvoID, "no synced field changed since the last sync")
	}
	if target == nil {
		cur, err := r.auvo.Get(ctx, link.AuvoID)
		switch {
		case isNotFound(err):
			res, _ := r.lockIfUndone(ctx, link, syncrules.LockInput{Linked: true, LinkState: string(link.State)},
				"Auvo answered not found for the linked customer", link.AuvoID)
			return res
		case err != nil:
			return failure(syncrules.RUpd1, "reading the linked Auvo customer", err)
		}
		target = &cur
	}
	if code := strings.TrimSpace(target.ExternalCode); code != p.ID {
		// Erased, or pointed at another record on purpose: either way the
		// link was undone in Auvo (R-LOCK-1).
		res, _ := r.lockIfUndone(ctx, link, syncrules.LockInput{Linked: true, LinkState: string(link.State), AuvoExists: true},
			"the linked Auvo customer's external code was erased or changed", link.AuvoID)
		return res
	}
	src, fitting := fit(auvoTarget, p.Customer)
	src = sameAsClipped(string(r.flow.Partner()), r.auvo.Project(src), target.Customer)
	src.Active, src.Modified = p.Active, p.Modified
	dec := syncrules.DecideUpdate(syncrules.UpdateInput{
		Flow: r.flow, Source: src, Target: target.Customer, SourceHashed: &p.Customer,
		LastSourceHash: lastHash(link.PartnerHash), LastTargetHash: lastHash(link.AuvoHash),
	})
	if rule != "" && dec.Action == syncrules.UpdateNone && dec.Rule == syncrules.RUpd1 {
		dec.Rule, dec.Reason = rule, "already integrated: the Auvo customer's external code is this record's id"
	}
	return r.applyUpdate(ctx, link, link.AuvoID, p.Customer, src, fitting, *target, dec)
}

// inboundNew integrates a partner record that is not linked yet (R-IN-1..4).
func (r *run) inboundNew(ctx context.Context, p Record) result {
	doc, _, skip := syncrules.CheckEligibility(p.Customer)
	if skip != nil {
		return skipped(skip.Rule, skip.Reason)
	}
	dh := r.docHash(doc)
	if err := r.freshIndex(ctx, r.auvoIndex); err != nil {
		return failure(syncrules.RIn4, "refreshing the Auvo index", err)
	}
	for {
		if res, gone := r.matchInbound(ctx, &p, dh); !gone {
			return res
		}
	}
}

// matchInbound decides among the Auvo customers with the document
// (R-IN-1..4); p is completed (Bling's detail) once. gone: a candidate
// turned out deleted in Auvo; match again.
func (r *run) matchInbound(ctx context.Context, p *Record, dh string) (res result, gone bool) {
	entries, err := r.withDoc(ctx, r.auvoIndex, dh)
	if err != nil {
		return failure(syncrules.RIn4, "reading the Auvo index", err), false
	}
	acs := make([]syncrules.AuvoCandidate, 0, len(entries))
	for _, c := range entries {
		if l, ok := r.links.byAuvo[c.ID]; ok && l.State.Locked() {
			return outcome(syncrules.Skipped, syncrules.RLock2, c.ID,
				"locked: the Auvo customer with this document was unlinked after it was integrated"), false
		}
		acs = append(acs, syncrules.AuvoCandidate{ID: c.ID, ExternalCode: c.ExternalCode, Created: c.Created})
	}
	if res, stop := r.lockedByDocument(ctx, "", dh, nil); stop {
		return res, false
	}
	if *p, err = r.partner.Complete(ctx, *p); err != nil {
		return failure(syncrules.RIn4, "reading the record's details", err), false
	}
	dec := syncrules.MatchInbound(p.ID, acs)
	switch dec.Action {
	case syncrules.ActionNone:
		// R-IN-1: Auvo already carries the link; make sure the ledger does too.
		target, gone, err := r.candidateRecord(ctx, r.auvo, r.auvoIndex, candidate{ID: dec.AuvoID})
		if gone {
			return result{}, true
		}
		if err != nil {
			return failure(dec.Rule, "reading the linked Auvo customer", err), false
		}
		link := ledger.Link{AuvoID: target.ID, PartnerID: p.ID, DocHash: dh}
		if err := r.putLink(ctx, link); err != nil {
			return failure(dec.Rule, "recording the link", err), false
		}
		if err := r.completeIntent(ctx, p.ID, target.ID); err != nil {
			return failure(dec.Rule, "closing the intent", err), false
		}
		return r.inboundLinked(ctx, *p, r.links.byAuvo[target.ID], &target, dec.Rule), false
	case syncrules.ActionLink:
		updated, err := r.auvo.SetExternalCode(ctx, dec.AuvoID, p.ID)
		if isNotFound(err) {
			r.auvoIndex.drop(dec.AuvoID)
			return result{}, true
		}
		if err != nil {
			return failure(dec.Rule, "writing the external code to Auvo", err), false
		}
		r.auvoIndex.put(r.written(updated, dh))
		return r.finishInbound(ctx, *p, updated, dh, syncrules.Linked, dec), false
	default:
		src, fitting := fit(auvoTarget, p.Customer)
		if res := fitting.refused(syncrules.AllFields()); res != nil {
			return *res, false
		}
		if _, err := r.beginIntent(ctx, r.auvo, p.ID, ledger.IntentCreate, p.ID); err != nil {
			return failure(dec.Rule, "recording the intent", err), false
		}
		// Auvo's create is an upsert keyed by the external code: resending it
		// after a crash finds the same customer.
		created, err := r.auvo.Create(ctx, src, p.ID)
		if err != nil {
			return failure(dec.Rule, "creating the Auvo customer", err), false
		}
		r.indexCreated(r.auvoIndex, created, dh, p.ID, "")
		dec.Reason += fitting.note(syncrules.AllFields())
		return r.finishInbound(ctx, *p, created, dh, syncrules.Created, dec), false
	}
}

func (r *run) finishInbound(ctx context.Context, p, auvoRec Record, dh string, kind syncrules.OutcomeKind, dec syncrules.InboundDecision) result {
	if note := r.releaseNote(ctx, auvoRec.ID); note != "" {
		dec.Reason = note + ": " + dec.Reason
	}
	if err := r.putLink(ctx, ledger.Link{
		AuvoID: auvoRec.ID, PartnerID: p.ID, DocHash: dh,
		AuvoHash: syncrules.Hash(r.fields, auvoRec.Customer), PartnerHash: syncrules.Hash(r.fields, p.Customer),
	}); err != nil {
		return failure(dec.Rule, "recording the link", err)
	}
	if err := r.completeIntent(ctx, p.ID, auvoRec.ID); err != nil {
		return failure(dec.Rule, "closing the intent", err)
	}
	return outcome(kind, dec.Rule, auvoRec.ID, dec.Reason)
}
