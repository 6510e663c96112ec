package auvofake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listFilter is a parsed paramFilter.
type listFilter struct {
	id            int64
	description   string // lower-cased
	externalIDs   []string
	cpfCnpj       string // normalised
	active        *bool
	segmentID     int64
	groupID       int64
	createdSince  time.Time
	modifiedSince time.Time
	// modifiedAfter: WithDateFilterAfter, dateLastUpdate compared as
	// "strictly after".
	modifiedAfter bool
}

func (f *listFilter) match(c *Customer) bool {
	switch {
	case f.id != 0 && c.ID != f.id:
		return false
	case f.active != nil && c.Active != *f.active:
		return false
	case f.externalIDs != nil && !slices.Contains(f.externalIDs, c.ExternalID):
		return false
	case f.cpfCnpj != "" && NormalizeDocument(c.CpfCnpj) != f.cpfCnpj:
		return false
	case f.description != "" && !strings.Contains(strings.ToLower(c.Name), f.description):
		return false
	case f.segmentID != 0 && c.SegmentID != f.segmentID:
		return false
	case f.groupID != 0 && !slices.Contains(c.GroupIDs, f.groupID):
		return false
	case !f.createdSince.IsZero() && c.CreationDate.Before(f.createdSince):
		return false
	case !f.modifiedSince.IsZero() && c.DateLastUpdate.Before(f.modifiedSince):
		return false
	case f.modifiedAfter && !f.modifiedSince.IsZero() && !c.DateLastUpdate.After(f.modifiedSince):
		return false
	}
	return true
}

// paramFilterError is the second error shape the Blueprint documents.
func paramFilterError(msg string) map[string]any {
	return map[string]any{"message": msg, "target": nil, "errorCode": 0, "errors": nil}
}

func parseFilter(raw string) (*listFilter, validation, map[string]any) {
	f := &listFilter{}
	if strings.TrimSpace(raw) == "" {
		return f, nil, nil
	}
	obj, err := lowerKeys([]byte(raw))
	if err != nil {
		return nil, nil, paramFilterError("The paramFilter is required as ParamUserFilter string json.")
	}
	errs := validation{}
	if v, ok := obj["id"]; ok {
		f.id, err = decodeInt("id", v)
		if err != nil {
			errs.addErr(err)
		}
	}
	if v, ok := obj["description"]; ok {
		s, err := decodeString("description", v)
		if err != nil {
			errs.addErr(err)
		}
		f.description = strings.ToLower(strings.TrimSpace(s))
	}
	if v, ok := obj["externalid"]; ok {
		s, err := decodeString("externalId", v)
		if err != nil {
			errs.addErr(err)
		}
		if s = strings.TrimSpace(s); s != "" {
			for part := range strings.SplitSeq(s, ",") {
				if part = strings.TrimSpace(part); part != "" {
					f.externalIDs = append(f.externalIDs, part)
				}
			}
		}
	}
	if v, ok := obj["cpfcnpj"]; ok {
		s, err := decodeString("cpfCnpj", v)
		if err != nil {
			errs.addErr(err)
		}
		f.cpfCnpj = NormalizeDocument(s)
	}
	if v, ok := obj["active"]; ok {
		f.active, err = decodeBool("active", v)
		if err != nil {
			errs.addErr(err)
		}
	}
	if v, ok := obj["segmentid"]; ok {
		if f.segmentID, err = decodeInt("segmentId", v); err != nil {
			errs.addErr(err)
		}
	}
	if v, ok := obj["groupid"]; ok {
		if f.groupID, err = decodeInt("groupId", v); err != nil {
			errs.addErr(err)
		}
	}
	for key, dst := range map[string]*time.Time{"creationdate": &f.createdSince, "datelastupdate": &f.modifiedSince} {
		v, ok := obj[key]
		if !ok || isNull(v) {
			continue
		}
		s, err := decodeString(key, v)
		if err == nil && strings.TrimSpace(s) != "" {
			*dst, err = parseFilterTime(s)
		}
		if err != nil {
			errs.add(map[string]string{"creationdate": "creationDate", "datelastupdate": "dateLastUpdate"}[key], err.Error())
		}
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	return f, nil, nil
}

type pagedSearch struct {
	Order      int `json:"order"`
	PageSize   int `json:"pageSize"`
	Page       int `json:"page"`
	TotalItems int `json:"totalItems"`
}

type link struct {
	Href   string `json:"href"`
	Rel    string `json:"rel"`
	Method string `json:"method"`
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	q := lowerQuery(r)
	errs := validation{}
	page, pageSize, desc := 1, 10, false
	if v := q["page"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs.add("page", "The value '"+v+"' is not valid.")
		}
		page = n
	}
	if v := q["pagesize"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs.add("pageSize", "The value '"+v+"' is not valid.")
		}
		if n > 0 {
			pageSize = n
		}
	}
	switch strings.ToLower(q["order"]) {
	case "", "asc", "0":
	case "desc", "1":
		desc = true
	default:
		errs.add("order", "The value '"+q["order"]+"' is not valid.")
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	filter, ferrs, shapeErr := parseFilter(q["paramfilter"])
	if shapeErr != nil {
		writeJSON(w, http.StatusBadRequest, shapeErr)
		return
	}
	if len(ferrs) > 0 {
		writeJSON(w, http.StatusBadRequest, ferrs)
		return
	}
	if s.ignoreDocumentFilter {
		filter.cpfCnpj = ""
	}
	filter.modifiedAfter = s.dateFilterAfter
	pageSize = min(pageSize, s.pageSizeMax)

	s.mu.Lock()
	ids := s.candidates(filter)
	if desc {
		ids = slices.Clone(ids)
		slices.Reverse(ids)
	}
	start := (page - 1) * pageSize
	total := 0
	entities := make([]json.RawMessage, 0, pageSize)
	for _, id := range ids {
		c := &s.store.byID[id].c
		if !filter.match(c) {
			continue
		}
		if total >= start && total < start+pageSize {
			entities = append(entities, encodeCustomer(c, shapeRead))
		}
		total++
	}
	s.mu.Unlock()

	if len(entities) == 0 {
		// Past the last page (or nothing matched): Auvo answers 404, which
		// integrators treat as the end of the list.
		writeRaw(w, http.StatusNotFound, "")
		return
	}
	order := 0
	if desc {
		order = 1
	}
	writeResult(w, http.StatusOK, map[string]any{
		"entityList":            entities,
		"pagedSearchReturnData": pagedSearch{Order: order, PageSize: pageSize, Page: page, TotalItems: total},
		"links":                 listLinks(r, q["paramfilter"], page, pageSize, desc, start+pageSize < total),
	})
}

// candidates narrows the scan with an index when the filter allows it; the
// result is in insertion order either way.
func (s *Server) candidates(f *listFilter) []int64 {
	var ids []int64
	switch {
	case f.id != 0:
		if _, ok := s.store.byID[f.id]; ok {
			ids = []int64{f.id}
		}
	case f.cpfCnpj != "":
		ids = slices.Clone(s.store.byDocument[f.cpfCnpj])
	case f.externalIDs != nil:
		for _, ext := range f.externalIDs {
			ids = append(ids, s.store.byExternal[ext]...)
		}
	default:
		return s.store.order
	}
	slices.SortFunc(ids, func(a, b int64) int {
		sa, sb := s.store.byID[a].seq, s.store.byID[b].seq
		switch {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return 0
	})
	return slices.Compact(ids)
}

// listLinks mimics Auvo's links: absolute hrefs with "Customers", "Page",
// "PageSize" and "Order" capitalised.
func listLinks(r *http.Request, paramFilter string, page, pageSize int, desc, more bool) []link {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	prefix := ""
	if strings.HasPrefix(strings.ToLower(r.URL.Path), "/v2/") {
		prefix = "/v2"
	}
	order := "Asc"
	if desc {
		order = "Desc"
	}
	href := func(p int) string {
		q := ""
		if paramFilter != "" {
			q = "ParamFilter=" + url.QueryEscape(paramFilter) + "&"
		}
		return scheme + "://" + r.Host + prefix + "/Customers/?" + q +
			"Page=" + strconv.Itoa(p) + "&PageSize=" + strconv.Itoa(pageSize) + "&Order=" + order
	}
	links := []link{{Href: href(page), Rel: "self", Method: http.MethodGet}}
	if page > 1 {
		links = append(links, link{Href: href(page - 1), Rel: "previousPage", Method: http.MethodGet})
	}
	if more {
		links = append(links, link{Href: href(page + 1), Rel: "nextPage", Method: http.MethodGet})
	}
	return links
}
