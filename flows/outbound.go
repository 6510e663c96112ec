package flows

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// OutboundKey is the idempotency key of a partner record created from an
// Auvo customer: Omie's codigo_cliente_integracao, Conta Azul's codigo. A
// read-back that finds it knows the record is ours.
func OutboundKey(auvoID string) string { return "auvo-" + auvoID }

// outbound handles one Auvo customer in F1/F2.
func (r *run) outbound(ctx context.Context, a Record) result {
	link, known := r.links.byAuvo[a.ID]
	if known {
		in := syncrules.LockInput{Linked: true, LinkState: string(link.State), AuvoExists: true, AuvoExternalCode: a.ExternalCode}
		if res, locked := r.lockIfUndone(ctx, link, in, "Auvo lists the customer with an empty external code", ""); locked {
			return res
		}
	}
	if a.ExternalCode != "" {
		return r.outboundLinked(ctx, a, link, known)
	}
	return r.outboundNew(ctx, a)
}

// outboundAddress splits Auvo's line with the partner's catalogue (R-ADDR-1..5).
func (r *run) outboundAddress(a Record) (syncrules.Customer, result, bool) {
	target := address.Omie
	if r.flow.Partner() == syncrules.ContaAzul {
		target = address.ContaAzul
	}
	p, err := address.Parse(a.AddressLine, target)
	if err != nil {
		return syncrules.Customer{}, skipped(syncrules.RAddr1, fmt.Sprintf("%v: %q", err, a.AddressLine)), false
	}
	c := a.Customer
	c.Address = p.Address
	c.Address.Complement = ""
	if c.Complement == "" {
		c.Complement = p.Complement
	}
	return c, result{}, true
}

// outboundLinked keeps a linked partner record up to date (R-UPD-1..3).
func (r *run) outboundLinked(ctx context.Context, a Record, link ledger.Link, known bool) result {
	partnerID := a.ExternalCode
	if !a.Active {
		return outcome(syncrules.Skipped, syncrules.RUpd2, partnerID, "inactive in Auvo: no more updates; the partner record's status is left as it is")
	}
	live := known && link.State == ledger.LinkLive && link.PartnerID == partnerID
	if live && link.AuvoHash != "" && syncrules.Hash(r.fields, a.Customer) == link.AuvoHash {
		return outcome(syncrules.Unchanged, syncrules.RUpd3, partnerID, "no synced field changed in Auvo since the last sync")
	}
	src, res, ok := r.outboundAddress(a)
	if !ok {
		return res
	}
	target, err := r.partner.Get(ctx, partnerID)
	if isNotFound(err) {
		return outcome(syncrules.Skipped, syncrules.RUpd4, partnerID, fmt.Sprintf("the external code names no %s record (%v); nothing is recreated or deleted", r.flow.Partner(), err))
	}
	if err != nil {
		return failure(syncrules.RUpd1, "reading the linked record", err)
	}
	if !live {
		// Linked outside this ledger (by hand, or before it existed): adopt it.
		doc := syncrules.NormalizeDocument(a.Document)
		link = ledger.Link{AuvoID: a.ID, PartnerID: partnerID, DocHash: r.docHash(doc)}
		if err := r.putLink(ctx, link); err != nil {
			return failure(syncrules.RUpd1, "recording the link", err)
		}
	}
	src, fitting := fit(r.target.name, src)
	src = r.partner.Project(src)
	src.Active, src.Modified = a.Active, a.Modified
	dec := syncrules.DecideUpdate(syncrules.UpdateInput{
		Flow: r.flow, Source: src, Target: target.Customer, SourceHashed: &a.Customer,
		LastSourceHash: lastHash(link.AuvoHash), LastTargetHash: lastHash(link.PartnerHash),
	})
	return r.applyUpdate(ctx, link, partnerID, a.Customer, src, fitting, target, dec)
}

// applyUpdate writes what dec says to the target and stores the hashes of
// both sides: fields left to the reverse flow keep their old fingerprint on
// the target side, so it still carries them (R-UPD-3).
//
// fitting says how the source was fitted to the target's limits (R-BAD-1):
// a write of a field the target cannot hold fails the record, and the
// reason of a write names the fields it clipped.
func (r *run) applyUpdate(ctx context.Context, link ledger.Link, targetID string, source, projected syncrules.Customer,
	fitting fitting, target Record, dec syncrules.UpdateDecision) result {
	after, kind := target.Customer, syncrules.Unchanged
	if dec.Action == syncrules.UpdateWrite {
		if res := fitting.refused(dec.Fields); res != nil {
			res.targetID = targetID
			return *res
		}
		updated, err := r.target.Update(ctx, target, projected, dec.Fields)
		if err != nil {
			return failure(syncrules.RUpd1, "updating the linked record", err)
		}
		after, kind = updated.Customer, syncrules.Updated
		dec.Reason += fitting.note(dec.Fields)
	}
	lastTarget := link.PartnerHash
	if r.target.auvo {
		lastTarget = link.AuvoHash
	}
	sourceHash, targetHash := syncrules.NextHashes(r.fields, source, after, lastTarget, dec.Kept)
	auvoHash, partnerHash := sourceHash, targetHash
	if r.target.auvo {
		auvoHash, partnerHash = targetHash, sourceHash
	}
	if err := r.setHashes(ctx, link, auvoHash, partnerHash); err != nil {
		return failure(dec.Rule, "recording echo hashes", err)
	}
	return outcome(kind, dec.Rule, targetID, dec.Reason)
}

// outboundNew integrates an Auvo customer that is not linked yet (R-OUT-1..3).
func (r *run) outboundNew(ctx context.Context, a Record) result {
	doc, _, skip := syncrules.CheckEligibility(a.Customer)
	if skip != nil {
		return skipped(skip.Rule, skip.Reason)
	}
	dh := r.docHash(doc)
	if res, stop := r.lockedByDocument(ctx, a.ID, dh, nil); stop {
		return res
	}
	src, res, ok := r.outboundAddress(a)
	if !ok {
		return res
	}
	key := OutboundKey(a.ID)
	if _, open := r.intents[a.ID]; open && !idempotentCreates(r.partner) {
		// A create that may have happened: read back by document (and the
		// key in codigo) from the vendor itself, not from the index.
		recs, err := r.partner.FindByDocument(ctx, doc)
		if err != nil {
			return failure(syncrules.ROut1, "looking the document up in "+string(r.flow.Partner()), err)
		}
		cands := make([]candidate, len(recs))
		for i, rec := range recs {
			cands[i] = candidate{ID: rec.ID, Key: rec.Key, Created: rec.Created, rec: &rec}
		}
		res, _ := r.matchOutbound(ctx, a, src, key, dh, cands)
		return res
	}
	if err := r.freshIndex(ctx, r.partnerIndex); err != nil {
		return failure(syncrules.ROut1, "refreshing the "+string(r.flow.Partner())+" index", err)
	}
	for {
		entries, err := r.withDoc(ctx, r.partnerIndex, dh)
		if err != nil {
			return failure(syncrules.ROut1, "reading the "+string(r.flow.Partner())+" index", err)
		}
		cands := make([]candidate, len(entries))
		for i, e := range entries {
			cands[i] = candidate{ID: e.ID, Key: e.Key, Created: e.Created}
		}
		if res, gone := r.matchOutbound(ctx, a, src, key, dh, cands); !gone {
			return res
		}
	}
}

// candidate is a record of the other side with the document: from the
// index (rec nil, read when acted on) or from a lookup.
type candidate struct {
	ID, Key string
	Created time.Time
	rec     *Record
}

// record returns the candidate's record, reading it from sys (and keeping
// s in step) when it came from the index. gone: the vendor no longer has
// it; it was dropped from the index and the caller matches again.
func (r *run) candidateRecord(ctx context.Context, sys System, s *sideIndex, c candidate) (rec Record, gone bool, err error) {
	if c.rec != nil {
		return *c.rec, false, nil
	}
	rec, err = sys.Get(ctx, c.ID)
	if isNotFound(err) {
		s.drop(c.ID)
		return Record{}, true, nil
	}
	if err != nil {
		return Record{}, false, err
	}
	s.put(r.entryOf(rec))
	return rec, false, nil
}

// matchOutbound decides among the partner records with the document
// (R-OUT-1..3). gone: a candidate turned out deleted; match again.
func (r *run) matchOutbound(ctx context.Context, a Record, src syncrules.Customer, key, dh string, cands []candidate) (res result, gone bool) {
	for _, c := range cands {
		if c.Key == key {
			// Our own create: from before a lock an analyst released, or
			// from a run that stopped before the link was written.
			reason := "created by an earlier run that stopped before linking; linked now"
			if l := r.links.byAuvo[a.ID]; l.State == ledger.LinkReleased {
				reason = "the " + string(r.flow.Partner()) + " record created from it before the lock"
			}
			target, gone, err := r.candidateRecord(ctx, r.partner, r.partnerIndex, c)
			if gone {
				return result{}, true
			}
			if err != nil {
				return failure(syncrules.ROut1, "reading the "+string(r.flow.Partner())+" record", err), false
			}
			return r.linkOutbound(ctx, a, target, dh, syncrules.ROut1, reason), false
		}
	}
	pcs, err := r.partnerCandidates(ctx, cands)
	if err != nil {
		return failure(syncrules.ROut2, "checking which records are already linked", err), false
	}
	dec := syncrules.MatchOutbound(pcs)
	if dec.Action == syncrules.ActionLink {
		for _, c := range cands {
			if c.ID == dec.PartnerID {
				target, gone, err := r.candidateRecord(ctx, r.partner, r.partnerIndex, c)
				if gone {
					return result{}, true
				}
				if err != nil {
					return failure(dec.Rule, "reading the "+string(r.flow.Partner())+" record", err), false
				}
				return r.linkOutbound(ctx, a, target, dh, dec.Rule, dec.Reason), false
			}
		}
	}
	return r.createOutbound(ctx, a, src, key, dh, dec), false
}

// partnerCandidates marks which partner records with the document are
// already linked: by the ledger, or by some Auvo customer's external code
// (from the Auvo index, each holder read to be sure it still holds it).
func (r *run) partnerCandidates(ctx context.Context, cands []candidate) ([]syncrules.PartnerCandidate, error) {
	pcs := make([]syncrules.PartnerCandidate, len(cands))
	var unknown []int
	for i, c := range cands {
		pcs[i] = syncrules.PartnerCandidate{ID: c.ID, Created: c.Created}
		if l, ok := r.links.byPartner[c.ID]; ok && l.State != ledger.LinkReleased {
			pcs[i].Linked = true
			continue
		}
		unknown = append(unknown, i)
	}
	if len(unknown) == 0 {
		return pcs, nil
	}
	if err := r.freshIndex(ctx, r.auvoIndex); err != nil {
		return nil, err
	}
	for _, i := range unknown {
		holders, err := r.withCode(ctx, r.auvoIndex, pcs[i].ID)
		if err != nil {
			return nil, err
		}
		for _, h := range holders {
			holder, gone, err := r.candidateRecord(ctx, r.auvo, r.auvoIndex, candidate{ID: h.ID})
			if err != nil {
				return nil, err
			}
			if !gone && strings.TrimSpace(holder.ExternalCode) == pcs[i].ID {
				pcs[i].Linked = true
				break
			}
		}
	}
	return pcs, nil
}

func (r *run) linkOutbound(ctx context.Context, a Record, target Record, dh string, rule syncrules.Rule, reason string) result {
	if note := r.releaseNote(ctx, a.ID); note != "" {
		reason = note + ": " + reason
	}
	// Writing the external code is idempotent: no intent needed.
	updated, err := r.auvo.SetExternalCode(ctx, a.ID, target.ID)
	if err != nil {
		return failure(rule, "writing the external code to Auvo", err)
	}
	r.auvoIndex.put(r.written(updated, dh))
	if err := r.putLink(ctx, ledger.Link{
		AuvoID: a.ID, PartnerID: target.ID, DocHash: dh,
		AuvoHash: syncrules.Hash(r.fields, updated.Customer), PartnerHash: syncrules.Hash(r.fields, target.Customer),
	}); err != nil {
		return failure(rule, "recording the link", err)
	}
	if err := r.completeIntent(ctx, a.ID, target.ID); err != nil {
		return failure(rule, "closing the intent", err)
	}
	return outcome(syncrules.Linked, rule, target.ID, reason)
}

func (r *run) createOutbound(ctx context.Context, a Record, src syncrules.Customer, key, dh string, dec syncrules.OutboundDecision) result {
	src, fitting := fit(r.target.name, src)
	if res := fitting.refused(syncrules.AllFields()); res != nil {
		return *res
	}
	if _, err := r.beginIntent(ctx, r.partner, a.ID, ledger.IntentCreate, key); err != nil {
		return failure(dec.Rule, "recording the intent", err)
	}
	created, err := r.partner.Create(ctx, src, key)
	if err != nil {
		// The intent stays open: the next run looks the document up and
		// finds the record by its key if the create did happen.
		return failure(dec.Rule, "creating the "+string(r.flow.Partner())+" record", err)
	}
	r.indexCreated(r.partnerIndex, created, dh, "", key)
	updated, err := r.auvo.SetExternalCode(ctx, a.ID, created.ID)
	if err != nil {
		return failure(dec.Rule, fmt.Sprintf("created %s record %s but writing the external code to Auvo failed (the next run links it)", r.flow.Partner(), created.ID), err)
	}
	r.auvoIndex.put(r.written(updated, dh))
	if err := r.putLink(ctx, ledger.Link{
		AuvoID: a.ID, PartnerID: created.ID, DocHash: dh,
		AuvoHash: syncrules.Hash(r.fields, updated.Customer), PartnerHash: syncrules.Hash(r.fields, created.Customer),
	}); err != nil {
		return failure(dec.Rule, "recording the link", err)
	}
	if err := r.completeIntent(ctx, a.ID, created.ID); err != nil {
		return failure(dec.Rule, "closing the intent", err)
	}
	return outcome(syncrules.Created, dec.Rule, created.ID, dec.Reason+fitting.note(syncrules.AllFields()))
}

// lockedByDocument applies R-LOCK to a record that is not linked yet: if a
// record with the same document was integrated and then deleted or unlinked
// in Auvo, this one is locked too. A live link's Auvo side is checked (in
// known, the Auvo records already fetched by document, or with a Get) since
// a deletion in Auvo is visible only by asking.
func (r *run) lockedByDocument(ctx context.Context, selfAuvoID, dh string, known map[string]Record) (result, bool) {
	for _, l := range r.links.byDoc[dh] {
		if l.AuvoID == selfAuvoID {
			continue
		}
		switch {
		case l.State.Locked():
			return skipped(syncrules.RLock2, "locked: a record with this document was integrated and then deleted or unlinked in Auvo (Auvo id "+l.AuvoID+")"), true
		case l.State != ledger.LinkLive:
			continue
		}
		cur, ok := known[l.AuvoID]
		if !ok {
			var err error
			cur, err = r.auvo.Get(ctx, l.AuvoID)
			if err != nil && !isNotFound(err) {
				return failure(syncrules.RLock1, "checking the Auvo side of a linked record", err), true
			}
			ok = err == nil
		}
		evidence := "Auvo answered not found for the linked customer"
		if ok {
			evidence = "the linked Auvo customer's external code is empty"
		}
		in := syncrules.LockInput{Linked: true, LinkState: string(l.State), AuvoExists: ok, AuvoExternalCode: cur.ExternalCode}
		if res, locked := r.lockIfUndone(ctx, l, in, evidence, ""); locked {
			if res.kind == syncrules.Skipped {
				res.reason += " (Auvo id " + l.AuvoID + "); this record has the same document"
			}
			return res, true
		}
	}
	return result{}, false
}

// lastHash is the echo hash to compare a target with. A link adopted from
// an external code has none: the target may have changed since whoever
// linked it, so it counts as changed and the most recent modification wins
// (R-UPD-3) instead of the source overwriting a newer edit.
func lastHash(h string) string {
	if h == "" {
		return syncrules.HistoryUnknown
	}
	return h
}
