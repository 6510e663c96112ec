package console

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// browserCandidates are where the test looks for Chromium: the Debian
// package's path, then the usual names on PATH.
var browserCandidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser"}

// findBrowser returns a Chromium to drive, or skips the test (fails it
// when CONSOLE_E2E_REQUIRED is set, as .ci/run does).
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range browserCandidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found (/usr/bin/chromium, chromium or chromium-browser on PATH); install it with apt-get install -y chromium to run the browser test"
	if os.Getenv("CONSOLE_E2E_REQUIRED") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func TestBrowser_SkipsWithAMessageWhereNoChromiumIsInstalled(t *testing.T) {
	t.Setenv("CONSOLE_E2E_REQUIRED", "")
	t.Setenv("PATH", t.TempDir())
	saved := browserCandidates
	browserCandidates = []string{filepath.Join(t.TempDir(), "chromium"), "chromium"}
	defer func() { browserCandidates = saved }()
	var sub *testing.T
	t.Run("find", func(t *testing.T) {
		sub = t
		findBrowser(t)
		t.Error("findBrowser returned without a browser")
	})
	assert.True(t, sub.Skipped(), "go test ./... passes on a machine with only Go")
}

// seedHistory adds a second connection with a dozen runs whose outcomes
// vary, so the overview and the charts have something to show.
func seedHistory(t *testing.T, st *ledger.SQLite) {
	t.Helper()
	ctx := t.Context()
	start := t0.Add(-2 * time.Hour)
	for i := range 12 {
		at := start.Add(time.Duration(i) * 10 * time.Minute)
		id, err := st.StartRun(ctx, "beta", string(syncrules.BlingToAuvo), false, at)
		require.NoError(t, err)
		mix := map[string]int{
			ledger.OutcomeUnchanged: 20 + 3*i, ledger.OutcomeUpdated: i % 4, ledger.OutcomeCreated: (i * 7) % 5,
			ledger.OutcomeSkipped: 2 + i%3, ledger.OutcomeFailed: map[bool]int{true: 6, false: i % 2}[i == 8],
		}
		rules := map[string]string{ledger.OutcomeUnchanged: "R-UPD-3", ledger.OutcomeUpdated: "R-UPD-1",
			ledger.OutcomeCreated: "R-IN-1", ledger.OutcomeSkipped: "R-ELIG-2", ledger.OutcomeFailed: "R-BAD-1"}
		var outs []ledger.Outcome
		for kind, n := range mix {
			for j := range n {
				outs = append(outs, ledger.Outcome{SourceID: fmt.Sprintf("B%d-%s-%d", i, kind, j), Kind: kind, Rule: rules[kind],
					Reason: syncrules.Rule(rules[kind]).Summary(), At: at.Add(time.Second)})
			}
		}
		require.NoError(t, st.RecordOutcomes(ctx, id, outs))
		require.NoError(t, st.FinishRun(ctx, id, at.Add(time.Duration(20+i)*time.Second), mix, ""))
	}
}

// TestBrowser_AnalystReleasesALockedRecordFoundByDocument drives a real
// headless Chromium through the console: sign in, open a connection, find
// the locked record by typing its CPF, release it with a reason (R-LOCK-3),
// and see the release in its history and in the ledger.
func TestBrowser_AnalystReleasesALockedRecordFoundByDocument(t *testing.T) {
	browser := findBrowser(t)
	f := seed(t)
	seedHistory(t, f.store)
	const password = "correct horse battery staple"
	beta := Connection{Name: "beta", Flows: []syncrules.Flow{syncrules.BlingToAuvo}}
	h, err := New(f.store, []Connection{acme, beta}, WithPassword(password), WithClock(func() time.Time { return t0 }))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, actions...), what)
	}
	value := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		require.NoError(t, err, what)
		return v
	}
	shot := func() []byte {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err, "screenshot")
		return png
	}

	step("sign in",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`input[name="password"]`),
		chromedp.SendKeys(`input[name="password"]`, password),
		chromedp.Submit(`input[name="password"]`),
		chromedp.WaitVisible(`//h1[text()="Connections"]`))
	overview := shot()

	step("open a connection",
		chromedp.Click(`//main//h2/a[text()="acme"]`),
		chromedp.WaitVisible(`//h1[text()="Connection acme"]`))
	step("find the locked record by its document",
		chromedp.SendKeys(`input[name="document"]`, lockedDoc),
		chromedp.Submit(`input[name="document"]`),
		chromedp.WaitVisible(`form.release`))
	heading := value("heading", chromedp.Text(`h1`))

	step("release it with a reason",
		chromedp.SendKeys(`form.release input[name="who"]`, "Ana Analista"),
		chromedp.SendKeys(`form.release input[name="why"]`, "customer re-created in Auvo; checked with sales"),
		chromedp.Click(`form.release button`),
		chromedp.WaitVisible(`.notice`))
	history := value("history", chromedp.Text(`table.history`))
	html := value("page", chromedp.OuterHTML(`html`))
	record := shot()

	assert.Contains(t, heading, "auvo record A1", "the document found the locked record")
	assert.Contains(t, history, "released")
	assert.Contains(t, history, "Ana Analista")
	assert.Contains(t, history, "customer re-created in Auvo; checked with sales")
	assert.NotContains(t, html, "form class=\"release\"", "a released record has no release form")
	for _, secret := range []string{"52998224725", lockedDoc, password} {
		assert.NotContains(t, html, secret, "the page never shows the typed document or the password")
	}

	events, err := f.store.LinkHistory(t.Context(), "acme", "omie", "A1")
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Equal(t, ledger.EventReleased, last.Kind)
	assert.Equal(t, ledger.LinkReleased, last.State)
	assert.Equal(t, "Ana Analista", last.Who)
	assert.Equal(t, "customer re-created in Auvo; checked with sales", last.Reason)
	assert.Equal(t, t0, last.At, "recorded at the console's clock")
	locks, err := f.store.Locks(t.Context(), "acme")
	require.NoError(t, err)
	assert.Empty(t, locks)

	if dir := os.Getenv("CONSOLE_SCREENSHOTS"); dir != "" {
		if !filepath.IsAbs(dir) {
			// go test runs in the package's directory; the README's
			// command names a directory of the repository.
			dir = filepath.Join("..", dir)
		}
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "console-overview.png"), overview, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "console-record.png"), record, 0o644))
		t.Logf("screenshots written to %s", dir)
	}
}
