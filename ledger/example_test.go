package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/auvosync/auvosync/ledger"
)

// A flow links a record, later finds it deleted in Auvo and locks it
// (R-LOCK-1); an analyst lists the locks and releases one (R-LOCK-3).
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ledger-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	store, err := ledger.Open(ctx, filepath.Join(dir, "auvosync.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

	err = store.PutLink(ctx, ledger.Link{
		Conn: "acme", Partner: "omie", AuvoID: "123", PartnerID: "9876",
		DocHash: store.DocumentHash("12345678909"), Flow: "auvo-to-omie",
	}, now)
	if err != nil {
		panic(err)
	}
	err = store.Lock(ctx, "acme", "omie", "123", ledger.LinkAuvoDeleted, "GET /customers/123 returned 404", now.Add(10*time.Minute))
	if err != nil {
		panic(err)
	}
	err = store.PutLink(ctx, ledger.Link{Conn: "acme", Partner: "omie", AuvoID: "123", PartnerID: "9876"}, now.Add(20*time.Minute))
	fmt.Println("relink while locked refused:", errors.Is(err, ledger.ErrLocked))

	locks, err := store.Locks(ctx, "acme")
	if err != nil {
		panic(err)
	}
	for _, l := range locks {
		fmt.Printf("locked: auvo %s <-> %s %s (%s)\n", l.Link.AuvoID, l.Link.Partner, l.Link.PartnerID, l.Link.State)
		for _, e := range l.History {
			fmt.Println(strings.TrimRight(fmt.Sprintf("  %s %s %s", e.At.Format(time.RFC3339), e.Kind, e.Evidence), " "))
		}
	}

	err = store.Release(ctx, "acme", "omie", "123", "ana", "customer restored on purpose", now.Add(time.Hour))
	if err != nil {
		panic(err)
	}
	link, err := store.LinkByAuvo(ctx, "acme", "omie", "123")
	if err != nil {
		panic(err)
	}
	fmt.Println("after release:", link.State)
	// Output:
	// relink while locked refused: true
	// locked: auvo 123 <-> omie 9876 (auvo-deleted)
	//   2026-11-29T10:00:00Z linked
	//   2026-11-29T10:10:00Z locked GET /customers/123 returned 404
	// after release: released
}

// One run of a flow: lease, cursor, intent before a create, outcomes, and the
// cursor advanced to the run's start minus an overlap once the writes are done.
func Example_run() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ledger-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	store, err := ledger.Open(ctx, filepath.Join(dir, "auvosync.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()

	const conn, flow = "acme", "auvo-to-omie"
	// A real runner names its host, process and run; see flows.Connection.Run.
	runner := ledger.Holder{Host: "runner-a", PID: 4242, Run: "run-1"}
	start := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	ok, err := store.AcquireLease(ctx, conn, runner, 15*time.Minute, start)
	if err != nil || !ok {
		panic(fmt.Sprint("no lease: ", err))
	}
	_, hasCursor, err := store.Cursor(ctx, conn, flow)
	if err != nil {
		panic(err)
	}
	fmt.Println("first run (no cursor):", !hasCursor)

	runID, err := store.StartRun(ctx, conn, flow, false, start)
	if err != nil {
		panic(err)
	}
	intentID, err := store.BeginIntent(ctx, ledger.Intent{Conn: conn, Flow: flow, SourceID: "123", Kind: ledger.IntentCreate, TargetKey: "auvo-123", CreatedAt: start})
	if err != nil {
		panic(err)
	}
	// ... the create is sent to Omie here and answers with ID 9876 ...
	if err := store.CompleteIntent(ctx, intentID, "9876", start.Add(time.Second)); err != nil {
		panic(err)
	}
	err = store.RecordOutcomes(ctx, runID, []ledger.Outcome{
		{SourceID: "123", TargetID: "9876", Kind: ledger.OutcomeCreated, Rule: "R-OUT-1", Reason: "no Omie customer with this document", At: start.Add(time.Second)},
		{SourceID: "124", Kind: ledger.OutcomeSkipped, Rule: "R-ELIG-2", Reason: "no document", At: start.Add(time.Second)},
	})
	if err != nil {
		panic(err)
	}
	if err := store.AdvanceCursor(ctx, conn, flow, start.Add(-2*time.Minute)); err != nil {
		panic(err)
	}
	counts := map[string]int{ledger.OutcomeCreated: 1, ledger.OutcomeSkipped: 1}
	if err := store.FinishRun(ctx, runID, start.Add(time.Minute), counts, ""); err != nil {
		panic(err)
	}
	if err := store.ReleaseLease(ctx, conn, runner); err != nil {
		panic(err)
	}

	cursor, _, _ := store.Cursor(ctx, conn, flow)
	fmt.Println("cursor:", cursor.Format(time.RFC3339))
	open, _ := store.OpenIntents(ctx, conn, flow)
	fmt.Println("open intents:", len(open))
	history, _ := store.Explain(ctx, conn, "124", 10)
	for _, o := range history {
		fmt.Println("explain 124:", o.Kind, o.Rule, o.Reason)
	}
	// Output:
	// first run (no cursor): true
	// cursor: 2026-11-29T09:58:00Z
	// open intents: 0
	// explain 124: skipped R-ELIG-2 no document
}
