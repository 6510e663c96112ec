package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/auvosync/auvosync/console"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// The console over a state file: the overview of a connection whose only
// run skipped a record (R-ELIG-2).
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "console-example")
	defer os.RemoveAll(dir)
	store, err := ledger.Open(ctx, filepath.Join(dir, "auvosync.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	start := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	run, _ := store.StartRun(ctx, "acme", string(syncrules.AuvoToOmie), false, start)
	_ = store.RecordOutcomes(ctx, run, []ledger.Outcome{{SourceID: "123", Kind: ledger.OutcomeSkipped, Rule: "R-ELIG-2", Reason: "no document", At: start}})
	_ = store.FinishRun(ctx, run, start.Add(3*time.Second), map[string]int{ledger.OutcomeSkipped: 1}, "")

	h, err := console.New(store, []console.Connection{{Name: "acme", Flows: []syncrules.Flow{syncrules.AuvoToOmie}}},
		console.WithClock(func() time.Time { return start.Add(time.Minute) }))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.CheckAddr("0.0.0.0:8080"))

	// Without a password the console answers loopback clients only.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr, req.Host = "127.0.0.1:50000", "127.0.0.1:8080"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.String()
	fmt.Println(rec.Code, strings.Contains(body, "skipped 1"), strings.Contains(body, "Next slot</dt><dd>2026-11-29 10:10:00Z"))
	// Output:
	// console address "0.0.0.0:8080" is not a loopback address; set console.password in the config to listen on it
	// 200 true true
}
