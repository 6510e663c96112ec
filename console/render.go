package console

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/plaintext"
	"github.com/auvosync/auvosync/syncrules"
)

// page is what every template gets: the page's own data and the layout's.
type page struct {
	Title       string
	CSRF        string
	SignedIn    bool
	HasPassword bool
	Conns       []Connection
	Data        any
}

var pageNames = []string{"signin", "error", "overview", "connection", "run", "record", "matches", "locks"}

func (h *Handler) parseTemplates() error {
	funcs := template.FuncMap{
		"redact":       redact,
		"ruleURL":      h.ruleURL,
		"ruleTitle":    func(r string) string { return syncrules.Rule(r).Summary() },
		"stamp":        stamp,
		"duration":     duration,
		"dict":         dict,
		"seg":          url.PathEscape,
		"recordURL":    func(conn, system, id string) string { return recordPath(conn, system, id) },
		"sourceSystem": func(flow string) string { return sourceSystem(syncrules.Flow(flow)) },
	}
	h.pages = map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets,
			"assets/templates/layout.html", "assets/templates/parts.html", "assets/templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("console: templates: %w", err)
		}
		h.pages[name] = t
	}
	return nil
}

// redact is for every free text that came from the ledger or a vendor:
// the ledger stores reasons masked already, and this is the second guard
// (R-REPORT-2).
func redact(s string) string { return syncrules.Redact(plaintext.Clean(s)) }

// dict builds a template's argument from name, value pairs.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}

func (h *Handler) ruleURL(rule string) string {
	return h.set.rulesURL + "#" + strings.ToLower(rule)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

func duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

// render writes one page; the template runs into a buffer first so a
// failure is an error page, not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, s *session, data any) {
	p := page{Title: titles[name], SignedIn: s != nil, HasPassword: h.set.password != "", Conns: h.conns, Data: data}
	if s != nil {
		p.CSRF = s.csrf
	}
	var buf bytes.Buffer
	if err := h.pages[name].Execute(&buf, p); err != nil {
		h.log.Error("console: rendering a page", "page", name, "error", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

var titles = map[string]string{
	"signin": "Sign in", "error": "Problem", "overview": "Overview", "connection": "Connection",
	"run": "Run", "record": "Record history", "matches": "Records found", "locks": "Locked records",
}

type errorView struct {
	Status  int
	Message string
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, message string) {
	h.render(w, r, status, "error", nil, errorView{Status: status, Message: message})
}

// storeFailed answers a ledger error without showing it: it may name paths
// or values the page should not.
func (h *Handler) storeFailed(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("console: reading the ledger", "route", r.Pattern, "error", err)
	h.fail(w, r, http.StatusInternalServerError, "The state could not be read; the console's log says why.")
}
