package auvofake

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Customer is a customer record as the fake stores it. It is the fake's own
// type: the wire format is produced from it by hand, never by sharing the
// client's struct tags.
type Customer struct {
	ID                 int64
	ExternalID         string
	Name               string
	CpfCnpj            string
	PhoneNumbers       []string
	Emails             []string
	Manager            string
	ManagerJobPosition string
	Note               string
	Address            string
	AddressComplement  string
	Latitude           float64
	Longitude          float64
	MaximumVisitTime   int
	UnitMaximumTime    int
	GroupIDs           []int64
	ManagerTeamIDs     []int64
	ManagerIDs         []int64
	SegmentID          int64
	Active             bool
	Contacts           []Contact
	CreationDate       time.Time
	DateLastUpdate     time.Time
}

// Contact is a person attached to a customer.
type Contact struct {
	ID          int64
	Name        string
	JobPosition string
	Email       string
	Phone       string
}

func (c Customer) clone() Customer {
	c.PhoneNumbers = slices.Clone(c.PhoneNumbers)
	c.Emails = slices.Clone(c.Emails)
	c.GroupIDs = slices.Clone(c.GroupIDs)
	c.ManagerTeamIDs = slices.Clone(c.ManagerTeamIDs)
	c.ManagerIDs = slices.Clone(c.ManagerIDs)
	c.Contacts = slices.Clone(c.Contacts)
	return c
}

// NormalizeDocument keeps the letters and digits of a CPF/CNPJ, upper-cased
// (CNPJs may carry letters from July 2026). Filters compare documents this way.
func NormalizeDocument(doc string) string {
	var b strings.Builder
	for _, r := range doc {
		if r < unicode.MaxASCII && (unicode.IsDigit(r) || unicode.IsLetter(r)) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// record is a stored customer with its insertion sequence.
type record struct {
	seq uint64
	c   Customer
}

// store keeps customers indexed by id, external id and normalised
// document, and their ids in insertion order for paging.
type store struct {
	byID          map[int64]*record
	order         []int64 // ids by ascending seq
	byExternal    map[string][]int64
	byDocument    map[string][]int64
	seq           uint64
	nextID        int64
	nextContactID int64
}

func newStore() *store {
	return &store{
		byID:          map[int64]*record{},
		byExternal:    map[string][]int64{},
		byDocument:    map[string][]int64{},
		nextID:        1000,
		nextContactID: 50000,
	}
}

func (st *store) get(id int64) (*record, bool) {
	r, ok := st.byID[id]
	return r, ok
}

// insert stores c under a new id unless c.ID is set (then an existing
// record with that id is replaced in place).
func (st *store) insert(c Customer) int64 {
	if c.ID == 0 {
		st.nextID++
		c.ID = st.nextID
	} else if c.ID > st.nextID {
		st.nextID = c.ID
	}
	st.assignContactIDs(&c)
	if old, ok := st.byID[c.ID]; ok {
		st.replace(old, c)
		return c.ID
	}
	st.seq++
	r := &record{seq: st.seq, c: c}
	st.byID[c.ID] = r
	st.order = append(st.order, c.ID)
	st.index(r)
	return c.ID
}

// replace swaps a record's content, keeping its id and position.
func (st *store) replace(r *record, c Customer) {
	st.unindex(r)
	c.ID = r.c.ID
	st.assignContactIDs(&c)
	r.c = c
	st.index(r)
}

func (st *store) remove(id int64) bool {
	r, ok := st.byID[id]
	if !ok {
		return false
	}
	st.unindex(r)
	// order is sorted by seq and every id in it has a record.
	i := sort.Search(len(st.order), func(i int) bool { return st.byID[st.order[i]].seq >= r.seq })
	if i < len(st.order) && st.order[i] == id {
		st.order = slices.Delete(st.order, i, i+1)
	}
	delete(st.byID, id)
	return true
}

func (st *store) assignContactIDs(c *Customer) {
	for i := range c.Contacts {
		if c.Contacts[i].ID == 0 {
			st.nextContactID++
			c.Contacts[i].ID = st.nextContactID
		}
	}
}

func (st *store) index(r *record) {
	if r.c.ExternalID != "" {
		st.byExternal[r.c.ExternalID] = insertSorted(st.byExternal[r.c.ExternalID], r.c.ID)
	}
	if doc := NormalizeDocument(r.c.CpfCnpj); doc != "" {
		st.byDocument[doc] = insertSorted(st.byDocument[doc], r.c.ID)
	}
}

func (st *store) unindex(r *record) {
	dropFrom(st.byExternal, r.c.ExternalID, r.c.ID)
	dropFrom(st.byDocument, NormalizeDocument(r.c.CpfCnpj), r.c.ID)
}

func insertSorted(ids []int64, id int64) []int64 {
	i, found := slices.BinarySearch(ids, id)
	if found {
		return ids
	}
	return slices.Insert(ids, i, id)
}

func dropFrom(m map[string][]int64, key string, id int64) {
	if key == "" {
		return
	}
	ids := m[key]
	if i, found := slices.BinarySearch(ids, id); found {
		ids = slices.Delete(ids, i, i+1)
	}
	if len(ids) == 0 {
		delete(m, key)
	} else {
		m[key] = ids
	}
}

// firstByExternal is the oldest-id customer with this external id.
func (st *store) firstByExternal(ext string) (*record, bool) {
	ids := st.byExternal[ext]
	if len(ids) == 0 {
		return nil, false
	}
	return st.byID[ids[0]], true
}

func (st *store) firstByDocument(doc string) (*record, bool) {
	ids := st.byDocument[NormalizeDocument(doc)]
	if len(ids) == 0 {
		return nil, false
	}
	return st.byID[ids[0]], true
}

// Seed stores c as if it had been created in Auvo and returns its id. A zero
// ID gets the next id; a set ID is kept (replacing any record with that id).
// Zero CreationDate and DateLastUpdate become the fake's current time; set
// ones are kept, so tests can seed old and recent records. Active is stored
// as given.
func (s *Server) Seed(c Customer) int64 {
	c = c.clone()
	now := s.clock().Truncate(time.Second)
	if c.CreationDate.IsZero() {
		c.CreationDate = now
	}
	if c.DateLastUpdate.IsZero() {
		c.DateLastUpdate = c.CreationDate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.insert(c)
}

// Customer returns a copy of the customer with this id.
func (s *Server) Customer(id int64) (Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.store.get(id)
	if !ok {
		return Customer{}, false
	}
	return r.c.clone(), true
}

// CustomerByExternalID returns a copy of the oldest customer with this
// external id.
func (s *Server) CustomerByExternalID(externalID string) (Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.store.firstByExternal(externalID)
	if !ok {
		return Customer{}, false
	}
	return r.c.clone(), true
}

// Customers returns copies of every customer, in insertion order.
func (s *Server) Customers() []Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Customer, 0, len(s.store.order))
	for _, id := range s.store.order {
		out = append(out, s.store.byID[id].c.clone())
	}
	return out
}

// Len is the number of customers stored.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.store.order)
}

// Delete removes a customer, as a user deleting it in Auvo would; later
// GETs of its id answer 404. It reports whether the customer existed.
func (s *Server) Delete(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.remove(id)
}

// Update changes a customer as a user editing it in Auvo would: fn edits a
// copy, and dateLastUpdate becomes the fake's current time. The id cannot
// change. An unknown id is ErrNotFound.
func (s *Server) Update(id int64, fn func(*Customer)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.store.get(id)
	if !ok {
		return fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	c := r.c.clone()
	fn(&c)
	c.ID = id
	c.DateLastUpdate = s.clock().Truncate(time.Second)
	s.store.replace(r, c)
	return nil
}

// ErrNotFound is returned by Update for an id the fake does not hold.
var ErrNotFound = errors.New("auvofake: no customer with this id")
