package console

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

const (
	overviewRuns   = 3   // last runs per flow on the overview
	connectionRuns = 10  // per flow on a connection's page
	olderRuns      = 25  // on a page of one flow's older runs
	outcomesPage   = 100 // outcomes per page of a run
	historyLimit   = 500 // outcomes on a record's page
)

func (h *Handler) connByName(name string) (Connection, bool) {
	i := slices.IndexFunc(h.conns, func(c Connection) bool { return c.Name == name })
	if i < 0 {
		return Connection{}, false
	}
	return h.conns[i], true
}

// pathConn resolves the {conn} of the path, answering 404 when it is not
// configured.
func (h *Handler) pathConn(w http.ResponseWriter, r *http.Request) (Connection, bool) {
	c, ok := h.connByName(r.PathValue("conn"))
	if !ok {
		h.fail(w, r, http.StatusNotFound, "There is no connection of that name in this configuration.")
	}
	return c, ok
}

// partners lists the partners a connection's flows use, in flow order.
func partners(c Connection) []syncrules.Partner {
	var ps []syncrules.Partner
	for _, f := range c.Flows {
		if p := f.Partner(); !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	return ps
}

// systems are the sides a source id of the connection may be on: auvo,
// then its partners.
func systems(c Connection) []string {
	s := []string{"auvo"}
	for _, p := range partners(c) {
		s = append(s, string(p))
	}
	return s
}

// sourceSystem is the side whose ids a flow's outcomes carry.
func sourceSystem(f syncrules.Flow) string {
	if f.Outbound() {
		return "auvo"
	}
	return string(f.Partner())
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request, s *session) {
	locks, err := h.store.LockCounts(r.Context())
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	var v overviewView
	for _, c := range h.conns {
		cv, err := h.connView(r, c, overviewRuns, false)
		if err != nil {
			h.storeFailed(w, r, err)
			return
		}
		cv.Locked = locks[c.Name]
		v.Conns = append(v.Conns, cv)
	}
	h.render(w, r, http.StatusOK, "overview", s, v)
}

func (h *Handler) connection(w http.ResponseWriter, r *http.Request, s *session) {
	c, ok := h.pathConn(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	if f := q.Get("flow"); f != "" {
		h.olderRuns(w, r, s, c, f, q.Get("before"))
		return
	}
	cv, err := h.connView(r, c, connectionRuns, true)
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	locks, err := h.store.LockCounts(r.Context())
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	cv.Locked = locks[c.Name]
	h.render(w, r, http.StatusOK, "connection", s, connectionView{Conn: cv})
}

func (h *Handler) olderRuns(w http.ResponseWriter, r *http.Request, s *session, c Connection, flowName, beforeText string) {
	f, err := syncrules.ParseFlow(flowName)
	if err != nil || !slices.Contains(c.Flows, f) {
		h.fail(w, r, http.StatusNotFound, "This connection has no such flow.")
		return
	}
	before, err := strconv.ParseInt(beforeText, 10, 64)
	if beforeText != "" && (err != nil || before < 0) {
		h.fail(w, r, http.StatusBadRequest, "before must be a run number.")
		return
	}
	fv, err := h.flowView(r, c, f, before, olderRuns, false)
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "connection", s, connectionView{Conn: connView{Name: c.Name, Flows: []flowView{fv}}, OneFlow: true})
}

func (h *Handler) run(w http.ResponseWriter, r *http.Request, s *session) {
	c, ok := h.pathConn(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("run"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, http.StatusBadRequest, "A run is named by its number.")
		return
	}
	q := r.URL.Query()
	filter := ledger.OutcomeQuery{RunID: id, Kind: q.Get("outcome"), Rule: q.Get("rule"), Limit: outcomesPage}
	if filter.Kind != "" && !slices.Contains(outcomeKinds, filter.Kind) {
		h.fail(w, r, http.StatusBadRequest, "Unknown outcome; want one of "+strings.Join(outcomeKinds, ", ")+".")
		return
	}
	if filter.Rule != "" && !ruleID.MatchString(filter.Rule) {
		h.fail(w, r, http.StatusBadRequest, "A rule filter is a rule ID such as R-UPD-4.")
		return
	}
	if a := q.Get("after"); a != "" {
		if filter.After, err = strconv.ParseInt(a, 10, 64); err != nil || filter.After < 0 {
			h.fail(w, r, http.StatusBadRequest, "after must be an outcome number.")
			return
		}
	}
	run, err := h.store.Run(r.Context(), id)
	if errors.Is(err, ledger.ErrNotFound) || (err == nil && run.Conn != c.Name) {
		h.fail(w, r, http.StatusNotFound, "This connection has no run of that number.")
		return
	}
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	breakdown, err := h.store.RunBreakdown(r.Context(), id)
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	outs, err := h.store.RunOutcomes(r.Context(), filter)
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	counts := run.Counts
	if !run.Finished() {
		// The breakdown has counted the recorded outcomes already.
		counts = map[string]int{}
		for _, b := range breakdown {
			counts[b.Kind] += b.Count
		}
	}
	h.render(w, r, http.StatusOK, "run", s, newRunPage(h.runView(run, counts, false), breakdown, filter, outs))
}

var ruleID = regexp.MustCompile(`^R-[A-Z]+-[0-9]+$`)

func (h *Handler) record(w http.ResponseWriter, r *http.Request, s *session) {
	c, ok := h.pathConn(w, r)
	if !ok {
		return
	}
	system, id := r.PathValue("system"), r.PathValue("id")
	if !slices.Contains(systems(c), system) {
		h.fail(w, r, http.StatusNotFound, "This connection has no such system; want one of "+strings.Join(systems(c), ", ")+".")
		return
	}
	rv, err := h.recordView(r, c, system, id)
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	if rv.empty() {
		h.fail(w, r, http.StatusNotFound, "No run has looked at "+system+" record "+id+" on this connection, and it is not linked.")
		return
	}
	rv.Released = r.URL.Query().Get("released") == "1"
	h.render(w, r, http.StatusOK, "record", s, rv)
}

func (h *Handler) findByID(w http.ResponseWriter, r *http.Request, s *session) {
	c, ok := h.pathConn(w, r)
	if !ok {
		return
	}
	id := strings.TrimSpace(r.URL.Query().Get("id"))
	if id == "" {
		h.fail(w, r, http.StatusBadRequest, "Type a source id to look for.")
		return
	}
	var found []match
	for _, sys := range systems(c) {
		rv, err := h.recordView(r, c, sys, id)
		if err != nil {
			h.storeFailed(w, r, err)
			return
		}
		if !rv.empty() {
			found = append(found, match{Conn: c.Name, System: sys, ID: id, Links: rv.Links, Outcomes: len(rv.Outcomes)})
		}
	}
	h.answerMatches(w, r, s, c, found, matchesView{Conn: c.Name, What: "source id " + id})
}

func (h *Handler) findByDocument(w http.ResponseWriter, r *http.Request, s *session) {
	c, ok := h.pathConn(w, r)
	if !ok {
		return
	}
	doc, _, err := syncrules.ValidateDocument(r.PostFormValue("document"))
	if err != nil {
		// The error never repeats the document (syncrules' promise).
		h.fail(w, r, http.StatusBadRequest, "That is not a valid CPF or CNPJ: "+err.Error()+".")
		return
	}
	hash := h.store.DocumentHash(doc)
	var found []match
	for _, p := range partners(c) {
		links, err := h.store.LinksByDocHash(r.Context(), c.Name, string(p), hash)
		if err != nil {
			h.storeFailed(w, r, err)
			return
		}
		for _, l := range links {
			i := slices.IndexFunc(found, func(m match) bool { return m.ID == l.AuvoID })
			if i < 0 {
				found = append(found, match{Conn: c.Name, System: "auvo", ID: l.AuvoID})
				i = len(found) - 1
			}
			found[i].Links = append(found[i].Links, linkView{Link: l})
		}
	}
	h.answerMatches(w, r, s, c, found, matchesView{Conn: c.Name, What: "document " + syncrules.MaskDocument(doc),
		ByDocument: true})
}

// answerMatches goes straight to the one record found, or lists them.
func (h *Handler) answerMatches(w http.ResponseWriter, r *http.Request, s *session, c Connection, found []match, v matchesView) {
	if len(found) == 1 {
		http.Redirect(w, r, recordPath(c.Name, found[0].System, found[0].ID), http.StatusSeeOther)
		return
	}
	v.Matches = found
	status := http.StatusOK
	if len(found) == 0 {
		status = http.StatusNotFound
	}
	h.render(w, r, status, "matches", s, v)
}

func recordPath(conn, system, id string) string {
	return "/c/" + url.PathEscape(conn) + "/records/" + url.PathEscape(system) + "/" + url.PathEscape(id)
}

func (h *Handler) locks(w http.ResponseWriter, r *http.Request, s *session) {
	only := r.PathValue("conn")
	if only != "" {
		if _, ok := h.pathConn(w, r); !ok {
			return
		}
	}
	locked, err := h.store.Locks(r.Context(), only)
	if err != nil {
		h.storeFailed(w, r, err)
		return
	}
	v := locksView{Conn: only}
	for _, l := range locked {
		if _, ok := h.connByName(l.Link.Conn); ok {
			v.Links = append(v.Links, linkView{Link: l.Link, Locked: true, History: l.History,
				Back: recordPath(l.Link.Conn, "auvo", l.Link.AuvoID)})
		}
	}
	h.render(w, r, http.StatusOK, "locks", s, v)
}

func (h *Handler) release(w http.ResponseWriter, r *http.Request, s *session) {
	c, ok := h.pathConn(w, r)
	if !ok {
		return
	}
	req := ReleaseRequest{Conn: c.Name, Partner: syncrules.Partner(r.PostFormValue("partner")),
		AuvoID: r.PostFormValue("auvo_id"), Who: r.PostFormValue("who"), Why: r.PostFormValue("why")}
	if !slices.Contains(partners(c), req.Partner) {
		h.fail(w, r, http.StatusBadRequest, "This connection has no such partner.")
		return
	}
	err := Release(r.Context(), h.store, req, h.set.now())
	switch {
	case errors.Is(err, ErrBadRelease):
		h.fail(w, r, http.StatusBadRequest, "A release needs who releases the record and why (both are recorded in its history).")
		return
	case errors.Is(err, ledger.ErrNotLocked), errors.Is(err, ledger.ErrNotFound):
		h.fail(w, r, http.StatusConflict, "That record is not locked (someone may have released it already).")
		return
	case err != nil:
		h.storeFailed(w, r, err)
		return
	}
	h.log.Info("console: released a locked record", "connection", c.Name, "partner", string(req.Partner),
		"auvo_id", strings.TrimSpace(req.AuvoID), "who", redact(req.Who))
	back := recordPath(c.Name, "auvo", strings.TrimSpace(req.AuvoID))
	if b := localPath(r.PostFormValue("back")); strings.HasPrefix(b, "/c/") || b == "/locks" {
		back = b
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, back+sep+"released=1", http.StatusSeeOther)
}
