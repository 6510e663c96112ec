package console

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// t0 is the fixture's "now"; the console reads time only from its clock.
var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

const (
	// lockedDoc is the CPF of the locked record A1 (valid check digits).
	lockedDoc = "529.982.247-25"
	// leakyReason is what a careless writer might have stored: the
	// console must mask it again (R-REPORT-2).
	leakyReason = "vendor said: joao.silva@empresa.com.br 52998224725 (11) 98765-4321"
)

var acme = Connection{Name: "acme", Flows: []syncrules.Flow{syncrules.AuvoToOmie, syncrules.OmieToAuvo}}

type fixture struct {
	store  *ledger.SQLite
	runs   []int64 // auvo-to-omie runs, oldest first; the last is unfinished
	inRun  int64   // omie-to-auvo run
	locked ledger.Link
}

// seed writes what a few cycles of the runner would have: runs with
// outcomes (one failed run, one still running), a live link and a link
// locked because its Auvo customer was deleted (R-LOCK-1).
func seed(t testing.TB) fixture {
	t.Helper()
	ctx := context.Background()
	st, err := ledger.Open(ctx, filepath.Join(t.TempDir(), "auvosync.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	f := fixture{store: st}
	start := t0.Add(-40 * time.Minute)
	for i := range 4 {
		at := start.Add(time.Duration(i) * 10 * time.Minute)
		id, err := st.StartRun(ctx, "acme", string(syncrules.AuvoToOmie), false, at)
		require.NoError(t, err)
		outs := []ledger.Outcome{
			{SourceID: "A1", TargetID: "P1", Kind: ledger.OutcomeUnchanged, Rule: "R-UPD-3", Reason: "no synced field changed", At: at.Add(time.Second)},
			{SourceID: "A2", TargetID: "P2", Kind: ledger.OutcomeUpdated, Rule: "R-UPD-1", Reason: "phone changed", At: at.Add(time.Second)},
			{SourceID: "A3", Kind: ledger.OutcomeSkipped, Rule: "R-ELIG-2", Reason: "no document", At: at.Add(time.Second)},
			{SourceID: "A4", Kind: ledger.OutcomeFailed, Rule: "R-BAD-1", Reason: leakyReason, At: at.Add(time.Second)},
		}
		if i == 0 {
			outs[0] = ledger.Outcome{SourceID: "A1", TargetID: "P1", Kind: ledger.OutcomeCreated, Rule: "R-OUT-1", Reason: "no Omie customer with this document", At: at.Add(time.Second)}
		}
		require.NoError(t, st.RecordOutcomes(ctx, id, outs))
		f.runs = append(f.runs, id)
		if i == 3 {
			break // still running
		}
		counts := map[string]int{}
		for _, o := range outs {
			counts[o.Kind]++
		}
		errText := ""
		if i == 2 {
			errText = "listing Omie: 500 for maria@example.com"
		}
		require.NoError(t, st.FinishRun(ctx, id, at.Add(42*time.Second), counts, errText))
	}
	in, err := st.StartRun(ctx, "acme", string(syncrules.OmieToAuvo), false, start.Add(31*time.Minute))
	require.NoError(t, err)
	require.NoError(t, st.RecordOutcomes(ctx, in, []ledger.Outcome{
		{SourceID: "P2", TargetID: "A2", Kind: ledger.OutcomeUnchanged, Rule: "R-UPD-3", At: start.Add(31 * time.Minute)},
	}))
	require.NoError(t, st.FinishRun(ctx, in, start.Add(32*time.Minute), map[string]int{ledger.OutcomeUnchanged: 1}, ""))
	f.inRun = in

	doc, _, err := syncrules.ValidateDocument(lockedDoc)
	require.NoError(t, err)
	f.locked = ledger.Link{Conn: "acme", Partner: "omie", AuvoID: "A1", PartnerID: "P1", DocHash: st.DocumentHash(doc), Flow: "auvo-to-omie"}
	require.NoError(t, st.PutLink(ctx, f.locked, start))
	require.NoError(t, st.PutLink(ctx, ledger.Link{Conn: "acme", Partner: "omie", AuvoID: "A2", PartnerID: "P2", Flow: "auvo-to-omie"}, start))
	require.NoError(t, st.Lock(ctx, "acme", "omie", "A1", ledger.LinkAuvoDeleted, "Auvo answered 404 for customer A1", start.Add(35*time.Minute)))
	return f
}

// server serves a console over the fixture on 127.0.0.1, with a client
// that keeps cookies and does not follow redirects.
type server struct {
	*httptest.Server
	h      *Handler
	client *http.Client
}

func serve(t *testing.T, st Store, opts ...Option) *server {
	t.Helper()
	opts = append([]Option{WithClock(func() time.Time { return t0 })}, opts...)
	h, err := New(st, []Connection{acme}, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &server{Server: srv, h: h, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (s *server) get(t *testing.T, path string) response {
	t.Helper()
	resp, err := s.client.Get(s.URL + path)
	require.NoError(t, err)
	return read(t, resp)
}

func (s *server) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	return read(t, resp)
}

func read(t *testing.T, resp *http.Response) response {
	t.Helper()
	defer resp.Body.Close()
	return response{status: resp.StatusCode, header: resp.Header, body: mustReadAll(t, resp)}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the form token from a page the client has loaded.
func (s *server) csrf(t *testing.T, path string) string {
	t.Helper()
	page := s.get(t, path)
	require.Equal(t, http.StatusOK, page.status, page.body)
	m := csrfInput.FindStringSubmatch(page.body)
	require.NotNil(t, m, "the page has a form token")
	return m[1]
}

func mustReadAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	var b strings.Builder
	_, err := io.Copy(&b, resp.Body)
	require.NoError(t, err)
	return b.String()
}

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// get serves one loopback GET straight through the handler.
func get(h http.Handler, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr, req.Host = "127.0.0.1:5000", "127.0.0.1:8080"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
