package flows

import (
	"context"

	"github.com/auvosync/auvosync/ledger"
)

// linkIndex is the ledger's links of one connection and partner, loaded
// once per run so that 10,000 records cost one query, not 10,000.
type linkIndex struct {
	byAuvo    map[string]ledger.Link
	byPartner map[string]ledger.Link
	byDoc     map[string][]ledger.Link
}

func loadLinks(ctx context.Context, store ledger.LinkStore, conn, partner string) (*linkIndex, error) {
	links, err := store.Links(ctx, conn, partner)
	if err != nil {
		return nil, err
	}
	idx := &linkIndex{
		byAuvo:    make(map[string]ledger.Link, len(links)),
		byPartner: make(map[string]ledger.Link, len(links)),
		byDoc:     make(map[string][]ledger.Link),
	}
	for _, l := range links {
		idx.put(l)
	}
	return idx, nil
}

func (x *linkIndex) put(l ledger.Link) {
	if old, ok := x.byAuvo[l.AuvoID]; ok {
		x.removeDoc(old)
		if cur, ok := x.byPartner[old.PartnerID]; ok && cur.AuvoID == old.AuvoID {
			delete(x.byPartner, old.PartnerID)
		}
	}
	x.byAuvo[l.AuvoID] = l
	// A released link must not hide a live or locked one of the same partner record.
	if cur, ok := x.byPartner[l.PartnerID]; !ok || cur.State == ledger.LinkReleased || l.State != ledger.LinkReleased {
		x.byPartner[l.PartnerID] = l
	}
	if l.DocHash != "" {
		x.byDoc[l.DocHash] = append(x.byDoc[l.DocHash], l)
	}
}

func (x *linkIndex) removeDoc(l ledger.Link) {
	list := x.byDoc[l.DocHash]
	for i, d := range list {
		if d.AuvoID == l.AuvoID {
			x.byDoc[l.DocHash] = append(list[:i:i], list[i+1:]...)
			return
		}
	}
}
