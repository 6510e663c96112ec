package auvofake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// validation collects {"field": ["message"]} errors, ASP.NET ModelState style.
type validation map[string][]string

func (v validation) add(field, msg string) { v[field] = append(v[field], msg) }

func (v validation) addErr(err error) {
	if fe, ok := err.(*fieldError); ok {
		v.add(fe.field, fe.msg)
		return
	}
	v.add("", err.Error())
}

func (s *Server) now() time.Time { return s.clock().Truncate(time.Second) }

func (s *Server) handleGet(w http.ResponseWriter, id int64) {
	s.mu.Lock()
	r, ok := s.store.get(id)
	var body json.RawMessage
	if ok {
		body = encodeCustomer(&r.c, shapeRead)
	}
	s.mu.Unlock()
	if !ok {
		writeRaw(w, http.StatusNotFound, "")
		return
	}
	writeResult(w, http.StatusOK, body)
}

func (s *Server) handleDelete(w http.ResponseWriter, id int64) {
	s.mu.Lock()
	ok := s.store.remove(id)
	s.mu.Unlock()
	if !ok {
		writeRaw(w, http.StatusNotFound, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// requireJSON answers 415 when a write has no JSON Content-Type, as Auvo does.
func requireJSON(w http.ResponseWriter, r *http.Request) bool {
	if isJSON(r) {
		return true
	}
	writeJSON(w, http.StatusUnsupportedMediaType, map[string]any{"message": "Unsupported Media Type: send Content-Type: application/json."})
	return false
}

// applyBody copies the writable attributes present in raw onto c.
func applyBody(c *Customer, raw map[string]json.RawMessage, errs validation) {
	for _, name := range writableFields {
		v, present := raw[name]
		if !present {
			continue
		}
		// The name arrives as "name" or "description"; when both come,
		// a non-empty "name" wins.
		if name == "description" {
			if n, ok := raw["name"]; ok && !isNull(n) && string(n) != `""` {
				continue
			}
		}
		if _, err := setField(c, name, v); err != nil {
			errs.addErr(err)
		}
	}
	if v, ok := raw["contacts"]; ok {
		contacts, err := decodeContacts(v, c.Contacts)
		if err != nil {
			errs.addErr(err)
		} else {
			c.Contacts = contacts
		}
	}
}

// decodeContacts reads the contacts list: an item with the id of an existing
// contact updates it, one without an id is a new contact.
func decodeContacts(raw json.RawMessage, existing []Contact) ([]Contact, error) {
	if isNull(raw) {
		return nil, nil
	}
	var items []wireContact
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, notConvertible("contacts", "System.Collections.Generic.List`1[Contact]")
	}
	known := map[int64]bool{}
	for _, ct := range existing {
		known[ct.ID] = true
	}
	out := make([]Contact, 0, len(items))
	for i, it := range items {
		if strings.TrimSpace(it.Name) == "" {
			return nil, &fieldError{field: "contacts[" + strconv.Itoa(i) + "].name", msg: "The Name field is required."}
		}
		ct := Contact(it)
		if !known[ct.ID] {
			ct.ID = 0 // unknown ids are new contacts; the store assigns ids
		}
		out = append(out, ct)
	}
	return out, nil
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	if !requireJSON(w, r) {
		return
	}
	raw, ok := decodeObject(w, r)
	if !ok {
		return
	}
	c := Customer{Active: true}
	errs := validation{}
	applyBody(&c, raw, errs)
	if strings.TrimSpace(c.Name) == "" && len(errs) == 0 {
		errs.add("name", "The Name field is required.")
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	now := s.now()
	c.CreationDate, c.DateLastUpdate = now, now
	s.mu.Lock()
	id := s.store.insert(c)
	body := encodeCustomer(&s.store.byID[id].c, shapeCreate)
	s.mu.Unlock()
	writeResult(w, http.StatusCreated, body)
}

func (s *Server) handleUpsert(w http.ResponseWriter, r *http.Request) {
	if !requireJSON(w, r) {
		return
	}
	raw, ok := decodeObject(w, r)
	if !ok {
		return
	}
	errs := validation{}
	id, err := decodeInt("id", raw["id"])
	if err != nil {
		errs.addErr(err)
	}
	externalID, err := decodeString("externalId", raw["externalid"])
	if err != nil {
		errs.addErr(err)
	}
	replaceData, err := decodeBool("replaceData", raw["replacedata"])
	if err != nil {
		errs.addErr(err)
	}
	byDocument, err := decodeBool("identifierBycpfCnpj", raw["identifierbycpfcnpj"])
	if err != nil {
		errs.addErr(err)
	}
	var probe Customer
	applyBody(&probe, raw, errs)
	if strings.TrimSpace(probe.Name) == "" {
		errs.add("description", "The Description field is required.")
	}
	matchByDocument := byDocument != nil && *byDocument && NormalizeDocument(probe.CpfCnpj) != ""
	if id <= 0 && externalID == "" && !matchByDocument {
		errs.add("externalId", "Inform the id or the externalId of the customer.")
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}

	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var existing *record
	switch {
	case id > 0:
		existing, _ = s.store.get(id)
	case externalID != "":
		existing, _ = s.store.firstByExternal(externalID)
	}
	if existing == nil && matchByDocument {
		existing, _ = s.store.firstByDocument(probe.CpfCnpj)
	}
	if existing == nil {
		c := Customer{Active: true}
		applyBody(&c, raw, validation{})
		c.CreationDate, c.DateLastUpdate = now, now
		newID := s.store.insert(c)
		writeResult(w, http.StatusCreated, encodeCustomer(&s.store.byID[newID].c, shapeUpsert))
		return
	}
	c := existing.c.clone()
	if replaceData == nil || *replaceData {
		// Replace everything the body can carry; keep what identifies the
		// record and what a missing nullable value cannot mean to clear.
		c = Customer{
			ID: c.ID, ExternalID: c.ExternalID, Active: c.Active, Contacts: c.Contacts,
			CreationDate: c.CreationDate,
		}
	}
	applyBody(&c, raw, validation{})
	c.DateLastUpdate = now
	s.store.replace(existing, c)
	writeResult(w, http.StatusOK, encodeCustomer(&existing.c, shapeUpsert))
}
