package console

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// personal are the unmasked values the fixture holds somewhere (a leaky
// reason, a run error, the locked record's document): no page may show
// them (R-REPORT-2).
var personal = []string{"joao.silva@empresa.com.br", "52998224725", lockedDoc, "98765-4321", "maria@example.com"}

func assertMasked(t *testing.T, body string) {
	t.Helper()
	for _, p := range personal {
		assert.NotContains(t, body, p, "a page shows personal data unmasked")
	}
}

func TestConsole_SecurityHeadersOnEveryResponse(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	for _, path := range []string{"/", "/c/acme", "/c/nope", "/static/console.css", "/static/console.js", "/no/such/page", "/c/acme/runs/x"} {
		t.Run(path, func(t *testing.T) {
			r := s.get(t, path)
			csp := r.header.Get("Content-Security-Policy")
			assert.Contains(t, csp, "default-src 'self'")
			assert.Contains(t, csp, "frame-ancestors 'none'")
			assert.NotContains(t, csp, "unsafe-inline")
			assert.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
			assert.Equal(t, "DENY", r.header.Get("X-Frame-Options"))
			assert.Equal(t, "no-referrer", r.header.Get("Referrer-Policy"))
		})
	}
}

func TestConsole_PagesHaveNoInlineScript(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	for _, path := range []string{"/", "/c/acme", fmt.Sprintf("/c/acme/runs/%d", f.runs[0]), "/c/acme/records/auvo/A1", "/locks"} {
		body := s.get(t, path).body
		assert.Contains(t, body, `<script src="/static/console.js" defer></script>`, path)
		assert.Equal(t, 1, strings.Count(body, "<script"), "%s: one script, from a file (CSP forbids inline ones)", path)
		assert.NotContains(t, body, "style=", "%s: no inline style (CSP)", path)
		assert.False(t, inlineHandler.MatchString(body), "%s: no inline event handler", path)
	}
}

func TestConsole_WithoutPasswordServesLoopbackOnly(t *testing.T) {
	f := seed(t)
	h, err := New(f.store, []Connection{acme})
	require.NoError(t, err)
	cases := []struct {
		name, remote, host string
		want               int
	}{
		{"loopback v4", "127.0.0.1:5000", "127.0.0.1:8080", http.StatusOK},
		{"loopback v6", "[::1]:5000", "[::1]:8080", http.StatusOK},
		{"localhost host", "127.0.0.1:5000", "localhost:8080", http.StatusOK},
		{"remote peer", "192.0.2.7:5000", "127.0.0.1:8080", http.StatusForbidden},
		{"DNS rebinding: a foreign Host", "127.0.0.1:5000", "evil.example:8080", http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil)
			req.RemoteAddr, req.Host = c.remote, c.host
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, c.want, rec.Code)
			assert.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"), "headers on refusals too")
		})
	}
}

func TestConsole_CheckAddrRefusesNonLoopbackWithoutPassword(t *testing.T) {
	f := seed(t)
	open, err := New(f.store, nil)
	require.NoError(t, err)
	locked, err := New(f.store, nil, WithPassword("pw"))
	require.NoError(t, err)
	for _, c := range []struct {
		addr   string
		loopOK bool
	}{
		{"127.0.0.1:8080", true}, {"localhost:8080", true}, {"[::1]:8080", true},
		{":8080", false}, {"0.0.0.0:8080", false}, {"192.0.2.1:8080", false}, {"console.example:80", false},
	} {
		t.Run(c.addr, func(t *testing.T) {
			err := open.CheckAddr(c.addr)
			if c.loopOK {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.addr, "the message names the address")
				assert.Contains(t, err.Error(), "console.password")
			}
			assert.NoError(t, locked.CheckAddr(c.addr), "with a password any address may listen")
		})
	}
	assert.Error(t, open.CheckAddr("no-port"))
}

func TestConsole_NewRefusesBadConnections(t *testing.T) {
	f := seed(t)
	for name, conns := range map[string][]Connection{
		"no name":      {{Flows: []syncrules.Flow{syncrules.AuvoToOmie}}},
		"twice":        {acme, acme},
		"unknown flow": {{Name: "x", Flows: []syncrules.Flow{"auvo-to-sap"}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := New(f.store, conns)
			assert.Error(t, err)
		})
	}
	_, err := New(nil, nil)
	assert.Error(t, err)
}

func TestConsole_PasswordSignInAndOut(t *testing.T) {
	f := seed(t)
	const password = "s3cret-pässword"
	s := serve(t, f.store, WithPassword(password))

	r := s.get(t, "/c/acme")
	assert.Equal(t, http.StatusSeeOther, r.status, "a page asks for the sign-in first")
	assert.Equal(t, "/signin?next=/c/acme", r.header.Get("Location"))

	token := s.csrf(t, "/signin?next=/c/acme")
	wrong := s.post(t, "/signin", url.Values{"csrf": {token}, "password": {"guess"}, "next": {"/c/acme"}})
	assert.Equal(t, http.StatusUnauthorized, wrong.status)
	assert.Contains(t, wrong.body, "Wrong password.")
	assert.NotContains(t, wrong.body, password)

	noToken := s.post(t, "/signin", url.Values{"password": {password}})
	assert.Equal(t, http.StatusForbidden, noToken.status, "the sign-in is CSRF-protected too")

	ok := s.post(t, "/signin", url.Values{"csrf": {token}, "password": {password}, "next": {"/c/acme"}})
	require.Equal(t, http.StatusSeeOther, ok.status)
	assert.Equal(t, "/c/acme", ok.header.Get("Location"))
	cookie := sessionCookieOf(t, ok.header)
	assert.True(t, cookie.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, cookie.SameSite)
	assert.Equal(t, "/", cookie.Path)
	assert.False(t, cookie.Secure, "plain http in this test; Secure over TLS")
	assert.GreaterOrEqual(t, len(cookie.Value), 40, "a random session id")

	assert.Equal(t, http.StatusOK, s.get(t, "/c/acme").status)

	out := s.post(t, "/signout", url.Values{"csrf": {s.csrf(t, "/")}})
	assert.Equal(t, http.StatusSeeOther, out.status)
	assert.Equal(t, http.StatusSeeOther, s.get(t, "/").status, "signed out: back to the sign-in")
}

func sessionCookieOf(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatal("no session cookie set")
	return nil
}

func TestConsole_SignInRedirectStaysOnSite(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store, WithPassword("pw"))
	token := s.csrf(t, "/signin")
	r := s.post(t, "/signin", url.Values{"csrf": {token}, "password": {"pw"}, "next": {"//evil.example/x"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "/", r.header.Get("Location"))
}

func TestConsole_SignInRefusedAfterRepeatedFailures(t *testing.T) {
	f := seed(t)
	now := t0
	s := serve(t, f.store, WithPassword("pw"), WithClock(func() time.Time { return now }))
	token := s.csrf(t, "/signin")
	for range maxFailures {
		assert.Equal(t, http.StatusUnauthorized, s.post(t, "/signin", url.Values{"csrf": {token}, "password": {"x"}}).status)
	}
	assert.Equal(t, http.StatusTooManyRequests, s.post(t, "/signin", url.Values{"csrf": {token}, "password": {"pw"}}).status,
		"even the right password waits")
	now = now.Add(failureWindow)
	assert.Equal(t, http.StatusSeeOther, s.post(t, "/signin", url.Values{"csrf": {token}, "password": {"pw"}}).status)
}

func TestConsole_SessionExpiresWhenUnused(t *testing.T) {
	f := seed(t)
	now := t0
	s := serve(t, f.store, WithPassword("pw"), WithSessionTTL(time.Hour), WithClock(func() time.Time { return now }))
	token := s.csrf(t, "/signin")
	require.Equal(t, http.StatusSeeOther, s.post(t, "/signin", url.Values{"csrf": {token}, "password": {"pw"}}).status)
	now = now.Add(59 * time.Minute)
	assert.Equal(t, http.StatusOK, s.get(t, "/").status)
	now = now.Add(59 * time.Minute)
	assert.Equal(t, http.StatusOK, s.get(t, "/").status, "use extends the session")
	now = now.Add(61 * time.Minute)
	assert.Equal(t, http.StatusSeeOther, s.get(t, "/").status, "an unused session ends")
}

func TestConsole_OverviewShowsEveryFlowsLastRuns(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	r := s.get(t, "/")
	require.Equal(t, http.StatusOK, r.status)
	for _, want := range []string{
		"auvo-to-omie", "omie-to-auvo",
		fmt.Sprintf(`href="/c/acme/runs/%d"`, f.runs[3]), fmt.Sprintf(`href="/c/acme/runs/%d"`, f.runs[1]),
		"unfinished", "10m0s so far", "42s", "failed 1", "skipped 1",
		"listing Omie: 500 for m***@e***.com",
		"Next slot</dt><dd>2026-11-29 10:00:00Z", // the last cycle started 09:50 (R-SCHED-1)
		`<a href="/c/acme/locks">1</a>`,
		"reported by a running runner only",
	} {
		assert.Contains(t, r.body, want)
	}
	assert.NotContains(t, r.body, fmt.Sprintf(`href="/c/acme/runs/%d"`, f.runs[0]), "the overview shows the last 3 runs")
	assertMasked(t, r.body)
}

type fakeLive struct{}

func (fakeLive) Progress(conn string, flow syncrules.Flow) (Progress, bool) {
	if conn == "acme" && flow == syncrules.AuvoToOmie {
		return Progress{Page: 3, Done: 1200, Total: 5000, At: t0}, true
	}
	return Progress{}, false
}

func (fakeLive) Budget(conn string) (Budget, bool) {
	return Budget{APICalls: 321, RateLimitWaits: 4, Waited: 9 * time.Second}, conn == "acme"
}

func TestConsole_OverviewShowsARunningBacklogAndBudget(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store, WithLive(fakeLive{}))
	r := s.get(t, "/")
	assert.Contains(t, r.body, "page 3, 1200 records done of 5000 (3800 left)")
	assert.Contains(t, r.body, `<progress max="5000" value="1200">`)
	assert.Contains(t, r.body, "321 API calls, 4 rate-limit waits (9s)")
	assert.Contains(t, r.body, `s-running`, "the run with progress is running, not unfinished")
}

func TestConsole_NextSlotOverdueWhenNoRunnerStartedIt(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store, WithClock(func() time.Time { return t0.Add(time.Hour) }))
	assert.Contains(t, s.get(t, "/").body, "overdue: is a runner running?")
}

func TestConsole_ConnectionPage(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	r := s.get(t, "/c/acme")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, "<svg")
	assert.Contains(t, r.body, `class="o-failed"`, "the chart draws failures")
	assert.Contains(t, r.body, fmt.Sprintf("Run %d, 2026-11-29 09:20:00Z: failed 1, skipped 1, created 1, updated 1", f.runs[0]))
	assert.Contains(t, r.body, fmt.Sprintf(`href="/c/acme/runs/%d"`, f.runs[0]), "all runs of a connection's page")
	assert.Contains(t, r.body, `name="document"`, "the search by document")
	assertMasked(t, r.body)

	for path, want := range map[string]int{
		"/c/nope":                             http.StatusNotFound,
		"/c/acme?flow=bling-to-auvo":          http.StatusNotFound,
		"/c/acme?flow=auvo-to-omie&before=x":  http.StatusBadRequest,
		"/c/acme?flow=auvo-to-omie&before=-1": http.StatusBadRequest,
	} {
		assert.Equal(t, want, s.get(t, path).status, path)
	}
	older := s.get(t, fmt.Sprintf("/c/acme?flow=auvo-to-omie&before=%d", f.runs[2]))
	require.Equal(t, http.StatusOK, older.status)
	assert.Contains(t, older.body, fmt.Sprintf(`href="/c/acme/runs/%d"`, f.runs[1]))
	assert.NotContains(t, older.body, fmt.Sprintf(`href="/c/acme/runs/%d"`, f.runs[2]))
	assert.NotContains(t, older.body, "omie-to-auvo")
}

func TestConsole_RunPageFiltersByOutcomeAndRule(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store, WithRulesURL("https://rules.example/RULES.md"))
	base := fmt.Sprintf("/c/acme/runs/%d", f.runs[1])

	all := s.get(t, base)
	require.Equal(t, http.StatusOK, all.status)
	for _, id := range []string{"A1", "A2", "A3", "A4"} {
		assert.Contains(t, all.body, `href="/c/acme/records/auvo/`+id+`"`)
	}
	assert.Contains(t, all.body, `<a class="rule" href="https://rules.example/RULES.md#r-upd-3" title="`+syncrules.RUpd3.Summary()+`"`,
		"a rule ID links to its meaning")
	assert.Contains(t, all.body, "4 matching record(s)")
	assertMasked(t, all.body)
	assert.Contains(t, all.body, "j***@e***.br", "the leaky reason is masked again")

	failed := s.get(t, base+"?outcome=failed")
	assert.Contains(t, failed.body, "records/auvo/A4")
	assert.NotContains(t, failed.body, "records/auvo/A3")
	assert.Contains(t, failed.body, "1 matching record(s)")

	byRule := s.get(t, base+"?rule=R-ELIG-2")
	assert.Contains(t, byRule.body, "records/auvo/A3")
	assert.NotContains(t, byRule.body, "records/auvo/A4")

	none := s.get(t, base+"?outcome=failed&rule=R-ELIG-2")
	assert.Contains(t, none.body, "No record matches.")

	for path, want := range map[string]int{
		base + "?outcome=deleted":                    http.StatusBadRequest,
		base + "?rule=DROP TABLE":                    http.StatusBadRequest,
		base + "?after=x":                            http.StatusBadRequest,
		"/c/acme/runs/x":                             http.StatusBadRequest,
		"/c/acme/runs/0":                             http.StatusBadRequest,
		"/c/acme/runs/999":                           http.StatusNotFound,
		fmt.Sprintf("/c/other/runs/%d", f.runs[1]):   http.StatusNotFound,
		fmt.Sprintf("/c/acme/runs/%d", f.inRun+1000): http.StatusNotFound,
	} {
		assert.Equal(t, want, s.get(t, path).status, path)
	}
}

func TestConsole_RunPageOfAnotherConnectionIsNotFound(t *testing.T) {
	f := seed(t)
	other, err := f.store.StartRun(t.Context(), "beta", "bling-to-auvo", false, t0)
	require.NoError(t, err)
	s := serve(t, f.store)
	assert.Equal(t, http.StatusNotFound, s.get(t, fmt.Sprintf("/c/acme/runs/%d", other)).status)
}

func TestConsole_RunPagePagesByOutcomeID(t *testing.T) {
	f := seed(t)
	ctx := t.Context()
	run, err := f.store.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	var outs []ledger.Outcome
	for i := range outcomesPage + 5 {
		outs = append(outs, ledger.Outcome{SourceID: fmt.Sprintf("S%03d", i), Kind: ledger.OutcomeUnchanged, Rule: "R-UPD-3", At: t0})
	}
	require.NoError(t, f.store.RecordOutcomes(ctx, run, outs))
	s := serve(t, f.store)
	first := s.get(t, fmt.Sprintf("/c/acme/runs/%d?outcome=unchanged", run))
	assert.Contains(t, first.body, "records/auvo/S099")
	assert.NotContains(t, first.body, "records/auvo/S100")
	next := nextLink.FindStringSubmatch(first.body)
	require.NotNil(t, next, "a next-page link")
	second := s.get(t, strings.ReplaceAll(next[1], "&amp;", "&"))
	assert.Contains(t, second.body, "records/auvo/S100")
	assert.Contains(t, second.body, "records/auvo/S104")
	assert.NotContains(t, second.body, "records/auvo/S099")
	assert.Contains(t, second.body, "First page")
	assert.NotContains(t, second.body, "Next page")
}

var inlineHandler = regexpMust(`\son[a-z]+\s*=`)

var nextLink = regexpMust(`<a href="([^"]+)">Next page`)

func TestConsole_RecordHistory(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	r := s.get(t, "/c/acme/records/auvo/A1")
	require.Equal(t, http.StatusOK, r.status)
	for _, want := range []string{"auvo-deleted", "Auvo answered 404 for customer A1", "R-OUT-1", "no Omie customer with this document",
		`form method="post" action="/c/acme/release"`, `href="/c/acme/records/omie/P1"`} {
		assert.Contains(t, r.body, want)
	}
	partner := s.get(t, "/c/acme/records/omie/P2")
	require.Equal(t, http.StatusOK, partner.status)
	assert.Contains(t, partner.body, "omie-to-auvo", "the partner side shows the inbound flow's outcomes")
	assert.NotContains(t, partner.body, `action="/c/acme/release"`, "a live link has no release form")

	failed := s.get(t, "/c/acme/records/auvo/A4")
	assertMasked(t, failed.body)

	for path, want := range map[string]int{
		"/c/acme/records/auvo/nope": http.StatusNotFound,
		"/c/acme/records/bling/A1":  http.StatusNotFound,
		"/c/acme/records/sap/A1":    http.StatusNotFound,
		"/c/nope/records/auvo/A1":   http.StatusNotFound,
	} {
		assert.Equal(t, want, s.get(t, path).status, path)
	}
}

func TestConsole_FindBySourceID(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	one := s.get(t, "/c/acme/find?id=A3")
	assert.Equal(t, http.StatusSeeOther, one.status)
	assert.Equal(t, "/c/acme/records/auvo/A3", one.header.Get("Location"), "one record found: straight to it")
	assert.Equal(t, http.StatusNotFound, s.get(t, "/c/acme/find?id=ZZZ").status)
	assert.Equal(t, http.StatusBadRequest, s.get(t, "/c/acme/find?id=+").status)
}

func TestConsole_FindByDocumentThroughTheKeyedHash(t *testing.T) {
	f := seed(t)
	var logs bytes.Buffer
	s := serve(t, f.store, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	token := s.csrf(t, "/c/acme")

	for _, typed := range []string{lockedDoc, "52998224725", " 529 982 247 25 "} {
		r := s.post(t, "/c/acme/find", url.Values{"csrf": {token}, "document": {typed}})
		assert.Equal(t, http.StatusSeeOther, r.status, typed)
		assert.Equal(t, "/c/acme/records/auvo/A1", r.header.Get("Location"), "the document's link, however it is typed")
	}

	bad := s.post(t, "/c/acme/find", url.Values{"csrf": {token}, "document": {"529.982.247-26"}})
	assert.Equal(t, http.StatusBadRequest, bad.status)
	assert.Contains(t, bad.body, "bad check digits")
	assert.NotContains(t, bad.body, "529.982.247-26")
	assert.NotContains(t, bad.body, "52998224726")

	none := s.post(t, "/c/acme/find", url.Values{"csrf": {token}, "document": {"11.222.333/0001-81"}})
	assert.Equal(t, http.StatusNotFound, none.status)
	assert.Contains(t, none.body, syncrules.MaskDocument("11222333000181"), "the page names the document masked")
	assert.NotContains(t, none.body, "11222333000181")
	assert.NotContains(t, none.body, "11.222.333/0001-81")

	noToken := s.post(t, "/c/acme/find", url.Values{"document": {lockedDoc}})
	assert.Equal(t, http.StatusForbidden, noToken.status)

	for _, secret := range []string{lockedDoc, "52998224725", "11222333000181", "11.222.333/0001-81", token} {
		assert.NotContains(t, logs.String(), secret, "the log never carries a typed document or a token")
	}
}

func TestConsole_LocksPage(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	for _, path := range []string{"/locks", "/c/acme/locks"} {
		r := s.get(t, path)
		require.Equal(t, http.StatusOK, r.status, path)
		assert.Contains(t, r.body, "Auvo answered 404 for customer A1")
		assert.Contains(t, r.body, `name="auvo_id" value="A1"`)
		assert.NotContains(t, r.body, `value="A2"`, "a live link is not locked")
	}
	assert.Contains(t, s.get(t, "/locks").body, `Connection <a href="/c/acme">acme</a>`, "every connection's locks name their connection")
	assert.Equal(t, http.StatusNotFound, s.get(t, "/c/nope/locks").status)
}

func TestConsole_R_LOCK_3_ReleaseRecordsWhoAndWhy(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	token := s.csrf(t, "/c/acme/records/auvo/A1")
	form := url.Values{"csrf": {token}, "partner": {"omie"}, "auvo_id": {"A1"}, "who": {" Ana "},
		"why": {"customer re-created; old e-mail ana@empresa.com.br"}, "back": {"/c/acme/records/auvo/A1"}}

	r := s.post(t, "/c/acme/release", form)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Equal(t, "/c/acme/records/auvo/A1?released=1", r.header.Get("Location"))

	events, err := f.store.LinkHistory(t.Context(), "acme", "omie", "A1")
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Equal(t, ledger.EventReleased, last.Kind)
	assert.Equal(t, "Ana", last.Who)
	assert.Equal(t, "customer re-created; old e-mail a***@e***.br", last.Reason, "why is redacted as the release command does")
	assert.Equal(t, t0, last.At)

	page := s.get(t, "/c/acme/records/auvo/A1?released=1")
	assert.Contains(t, page.body, "Released. The next cycle may integrate this record again.")
	assert.Contains(t, page.body, "customer re-created; old e-mail a***@e***.br")

	again := s.post(t, "/c/acme/release", form)
	assert.Equal(t, http.StatusConflict, again.status, "a released record is not locked")
}

func TestConsole_ReleaseRefusesBadRequests(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	token := s.csrf(t, "/locks")
	good := func() url.Values {
		return url.Values{"csrf": {token}, "partner": {"omie"}, "auvo_id": {"A1"}, "who": {"Ana"}, "why": {"checked"}}
	}
	cases := []struct {
		name   string
		path   string
		change func(url.Values)
		want   int
	}{
		{"no token", "/c/acme/release", func(v url.Values) { v.Del("csrf") }, http.StatusForbidden},
		{"wrong token", "/c/acme/release", func(v url.Values) { v.Set("csrf", "forged") }, http.StatusForbidden},
		{"no who", "/c/acme/release", func(v url.Values) { v.Set("who", "  ") }, http.StatusBadRequest},
		{"no why", "/c/acme/release", func(v url.Values) { v.Del("why") }, http.StatusBadRequest},
		{"unknown partner", "/c/acme/release", func(v url.Values) { v.Set("partner", "bling") }, http.StatusBadRequest},
		{"never linked", "/c/acme/release", func(v url.Values) { v.Set("auvo_id", "A9") }, http.StatusConflict},
		{"live link", "/c/acme/release", func(v url.Values) { v.Set("auvo_id", "A2") }, http.StatusConflict},
		{"unknown connection", "/c/nope/release", func(url.Values) {}, http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := good()
			c.change(v)
			assert.Equal(t, c.want, s.post(t, c.path, v).status)
		})
	}
	locks, err := f.store.Locks(t.Context(), "acme")
	require.NoError(t, err)
	assert.Len(t, locks, 1, "nothing was released")
}

func TestConsole_ReleaseFromAnotherSiteIsRefused(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	token := s.csrf(t, "/locks")
	form := url.Values{"csrf": {token}, "partner": {"omie"}, "auvo_id": {"A1"}, "who": {"Ana"}, "why": {"checked"}}
	for name, header := range map[string][2]string{
		"cross-site fetch":  {"Sec-Fetch-Site", "cross-site"},
		"a foreign origin":  {"Origin", "https://evil.example"},
		"a null origin tab": {"Origin", "null"},
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/c/acme/release", strings.NewReader(form.Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(header[0], header[1])
			resp, err := s.client.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		})
	}
	locks, err := f.store.Locks(t.Context(), "acme")
	require.NoError(t, err)
	assert.Len(t, locks, 1)
}

func TestConsole_LogNeverCarriesPasswordOrSession(t *testing.T) {
	f := seed(t)
	var logs bytes.Buffer
	const password = "hunter2-but-longer"
	s := serve(t, f.store, WithPassword(password), WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	token := s.csrf(t, "/signin")
	s.post(t, "/signin", url.Values{"csrf": {token}, "password": {"wrong " + password}})
	ok := s.post(t, "/signin", url.Values{"csrf": {token}, "password": {password}})
	session := sessionCookieOf(t, ok.header).Value
	s.get(t, "/c/acme")
	form := s.csrf(t, "/c/acme/records/auvo/A1")
	s.post(t, "/c/acme/release", url.Values{"csrf": {form}, "partner": {"omie"}, "auvo_id": {"A1"}, "who": {"ana@empresa.com.br"}, "why": {"ok"}})

	log := logs.String()
	assert.Contains(t, log, "sign-in failed")
	assert.Contains(t, log, "released a locked record")
	for _, secret := range []string{password, session, token, form, "ana@empresa.com.br"} {
		assert.NotContains(t, log, secret)
	}
}

func TestConsole_HeadIsServedLikeGet(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	resp, err := s.client.Head(s.URL + "/c/acme")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestConsole_UnknownPageIsNotFound(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	r := s.get(t, "/etc/passwd")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, r.body, "There is no such page.")
	assert.Equal(t, http.StatusNotFound, s.post(t, "/c/acme", url.Values{}).status, "no page but a release changes state")
}

func TestConsole_IDsArePathEscapedInLinks(t *testing.T) {
	f := seed(t)
	ctx := t.Context()
	run, err := f.store.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	require.NoError(t, f.store.RecordOutcomes(ctx, run, []ledger.Outcome{
		{SourceID: "X/1 2?", Kind: ledger.OutcomeSkipped, Rule: "R-ELIG-2", At: t0},
	}))
	s := serve(t, f.store)
	page := s.get(t, fmt.Sprintf("/c/acme/runs/%d", run))
	assert.Contains(t, page.body, `href="/c/acme/records/auvo/X%2F1%202%3F"`)
	r := s.get(t, "/c/acme/records/auvo/X%2F1%202%3F")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, "auvo record X/1 2?")
}

func TestConsole_OversizedFormIsRefused(t *testing.T) {
	f := seed(t)
	s := serve(t, f.store)
	token := s.csrf(t, "/locks")
	r := s.post(t, "/c/acme/release", url.Values{"csrf": {token}, "partner": {"omie"}, "auvo_id": {"A1"}, "who": {"Ana"},
		"why": {strings.Repeat("x", maxForm)}})
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	locks, err := f.store.Locks(t.Context(), "acme")
	require.NoError(t, err)
	assert.Len(t, locks, 1)
}

func TestConsole_LockEvidenceAndWhoAreMaskedAgain(t *testing.T) {
	f := seed(t)
	ctx := t.Context()
	require.NoError(t, f.store.Lock(ctx, "acme", "omie", "A2", ledger.LinkExternalCodeErased, "externalId erased by joao.silva@empresa.com.br", t0))
	s := serve(t, f.store)
	for _, path := range []string{"/locks", "/c/acme/locks", "/c/acme/records/auvo/A2", "/c/acme/records/omie/P2"} {
		r := s.get(t, path)
		require.Equal(t, http.StatusOK, r.status, path)
		assert.Contains(t, r.body, "externalId erased by j***@e***.br", path)
		assertMasked(t, r.body)
	}
}

// R-SCHED-3: a run that stopped at its time box says so, with what is left,
// on its page and in the flow's run rows.
func TestConsole_RunStoppedAtItsTimeBoxSaysSoAndWhatIsLeft(t *testing.T) {
	f := seed(t)
	ctx := t.Context()
	boxed, err := f.store.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
	require.NoError(t, err)
	require.NoError(t, f.store.StopRun(ctx, boxed, ledger.StoppedTimeBox, 150))
	require.NoError(t, f.store.FinishRun(ctx, boxed, t0.Add(9*time.Minute), nil, ""))
	s := serve(t, f.store)
	page := s.get(t, fmt.Sprintf("/c/acme/runs/%d", boxed))
	assert.Contains(t, page.body, "stopped at time box, 150 left")
	rows := s.get(t, "/c/acme")
	assert.Contains(t, rows.body, "stopped at time box, 150 left")
	assert.Equal(t, 1, strings.Count(rows.body, "stopped at time box"), "only the time-boxed run")
}
