package flows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// nilStore panics on any call: a dry run must not reach it for writes.
type nilStore struct{ ledger.Store }

func TestDryRunLedgerDropsEveryWrite(t *testing.T) {
	d := dryRunLedger{nilStore{}}
	ctx, now := context.Background(), time.Now()
	assert.NotPanics(t, func() {
		_ = d.PutLink(ctx, ledger.Link{}, now)
		_ = d.SetEchoHashes(ctx, "c", "p", "a", "b", "h1", "h2", now)
		_ = d.Lock(ctx, "c", "p", "a", ledger.LinkAuvoDeleted, "gone", now)
		_ = d.Release(ctx, "c", "p", "a", "who", "why", now)
		_ = d.AdvanceCursor(ctx, "c", "f", now)
		_, _ = d.BeginIntent(ctx, ledger.Intent{})
		_ = d.CompleteIntent(ctx, 1, "x", now)
		_ = d.AbandonIntent(ctx, 1, "why", now)
		_ = d.SaveToken(ctx, "c", "v", ledger.Token{})
		_, _ = d.StartRun(ctx, "c", "f", true, now)
		_ = d.RecordOutcomes(ctx, 1, nil)
		_ = d.FinishRun(ctx, 1, now, nil, "")
		h := ledger.Holder{Run: "h"}
		ok, _ := d.AcquireLease(ctx, "c", h, time.Minute, now)
		assert.True(t, ok)
		_ = d.RenewLease(ctx, "c", h, time.Minute, now)
		_, _ = d.TakeOverLease(ctx, "c", h, h, time.Minute, now)
		_ = d.ReleaseLease(ctx, "c", h)
		_ = d.UpdateIndex(ctx, ledger.IndexUpdate{Conn: "c", Side: "auvo"})
	})
}

// nilSystem panics on any call that reaches the real client.
type nilSystem struct{ AuvoSystem }

func TestDryRunSystemsPretendToWrite(t *testing.T) {
	ctx := context.Background()
	s := dryRunAuvo{dryRunSystem{nilSystem{}}}
	assert.NotPanics(t, func() {
		created, _ := s.Create(ctx, syncrules.Customer{Name: "X"}, "auvo-1")
		assert.Equal(t, "dry-run:auvo-1", created.ID)
		updated, _ := s.Update(ctx, Record{Customer: syncrules.Customer{ID: "7", ExternalCode: "9"}}, syncrules.Customer{Name: "Y"}, nil)
		assert.Equal(t, "7", updated.ID)
		assert.Equal(t, "9", updated.ExternalCode, "the external code is never changed by an update")
		linked, _ := s.SetExternalCode(ctx, "7", "42")
		assert.Equal(t, "42", linked.ExternalCode)
	})
}
