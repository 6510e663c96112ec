package auvofake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// patchPath turns a JSON Patch path into a lower-cased attribute name. Auvo's
// own example omits the leading slash; standard JSON Patch has it: both work.
func patchPath(path string) string {
	p := strings.ToLower(strings.TrimSpace(path))
	p = strings.TrimPrefix(p, "/")
	if p == "description" {
		return "name"
	}
	return p
}

func (s *Server) handlePatch(w http.ResponseWriter, r *http.Request, id int64) {
	if !requireJSON(w, r) {
		return
	}
	data, ok := readBody(w, r)
	if !ok {
		return
	}
	var ops []json.RawMessage
	if err := json.Unmarshal(data, &ops); err != nil || len(bytes.TrimSpace(data)) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string][]string{"": {"The JSON patch document must be an array of operations."}})
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rec, found := s.store.get(id)
	if !found {
		writeRaw(w, http.StatusNotFound, "")
		return
	}
	c := rec.c.clone()
	errs := validation{}
	for i, opRaw := range ops {
		op, err := lowerKeys(opRaw)
		if err != nil {
			errs.add("", "Operation "+strconv.Itoa(i)+" is not a JSON object.")
			continue
		}
		var kind, path string
		_ = json.Unmarshal(op["op"], &kind)
		_ = json.Unmarshal(op["path"], &path)
		field := patchPath(path)
		value, hasValue := op["value"]
		switch strings.ToLower(kind) {
		case "replace", "add":
			if !hasValue {
				errs.add(path, "The 'value' property is required for '"+kind+"'.")
				continue
			}
		case "remove":
			value = json.RawMessage("null")
		default:
			errs.add("op", "Invalid JsonPatch operation '"+kind+"'.")
			continue
		}
		known, err := setField(&c, field, value)
		switch {
		case !known:
			errs.add(path, "The target location specified by path segment '"+strings.TrimPrefix(path, "/")+"' was not found.")
		case err != nil:
			errs.addErr(err)
		case field == "active" && strings.EqualFold(kind, "remove"):
			c.Active = false
		}
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	if strings.TrimSpace(c.Name) == "" {
		writeJSON(w, http.StatusBadRequest, map[string][]string{"name": {"The Name field is required."}})
		return
	}
	c.DateLastUpdate = s.now()
	s.store.replace(rec, c)
	writeResult(w, http.StatusOK, encodeCustomer(&rec.c, shapePatch))
}
