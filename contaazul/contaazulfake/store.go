package contaazulfake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Person is the fake's own record of a pessoa (deliberately not the
// client's type). Seed and Update take it; Person and People return copies.
type Person struct {
	ID       string // UUID; Seed assigns one when empty
	LegacyID int64  // id_legado; Seed numbers people from 1 when 0
	Code     string // codigo
	Name     string // nome
	// TradeName is nome_empresa on read (nome_fantasia on POST/PUT).
	TradeName string
	// PersonType is "Física", "Jurídica" or "Estrangeira"; Seed infers it
	// from the document length when empty.
	PersonType string
	// Document is the CPF or CNPJ in any formatting; the fake keeps the
	// characters and answers it formatted (123.456.789-09, 12.345.678/0001-95).
	Document        string
	BirthDate       string // YYYY-MM-DD
	Email           string
	PhoneCommercial string
	PhoneMobile     string
	Note            string // observacao; observacoes_gerais in list items
	// Active is ativo. Seed does not default it: set it.
	Active bool
	// Profiles are "Cliente", "Fornecedor", "Transportadora" (any case on Seed).
	Profiles  []string
	Addresses []Address
	// CreatedAt and UpdatedAt default to the fake clock on Seed.
	CreatedAt, UpdatedAt time.Time
}

// Address is one enderecos[] entry.
type Address struct {
	ID         string // assigned when empty
	Street     string // logradouro
	Number     string // numero
	Complement string // complemento
	District   string // bairro
	City       string // cidade
	State      string // estado (UF)
	ZIP        string // cep
	Country    string // pais
}

type record struct {
	Person
	docKey   string
	nameKey  string
	position int // in inserted, for stable ordering
}

func clonePerson(p Person) Person {
	p.Profiles = slices.Clone(p.Profiles)
	p.Addresses = slices.Clone(p.Addresses)
	return p
}

// Seed stores p (replacing a person with the same ID) and returns its ID.
func (s *Server) Seed(p Person) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p = clonePerson(p)
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	now := s.clock()
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = p.CreatedAt
	}
	if p.PersonType == "" {
		p.PersonType = typeForDocument(documentKey(p.Document))
	}
	if p.LegacyID == 0 {
		s.legacy++
		p.LegacyID = s.legacy
	}
	s.store(p)
	return p.ID
}

// store indexes p; the caller holds the lock.
func (s *Server) store(p Person) {
	for i, name := range p.Profiles {
		if canonical, ok := canonicalProfile(name); ok {
			p.Profiles[i] = canonical
		}
	}
	for i := range p.Addresses {
		if p.Addresses[i].ID == "" {
			p.Addresses[i].ID = uuid.NewString()
		}
	}
	old, exists := s.people[p.ID]
	rec := &record{Person: p, docKey: documentKey(p.Document), nameKey: foldName(p.Name)}
	if exists {
		s.unindexDoc(old)
		rec.position = old.position
		s.inserted[old.position] = p.ID
	} else {
		rec.position = len(s.inserted)
		s.inserted = append(s.inserted, p.ID)
	}
	s.people[p.ID] = rec
	if rec.docKey != "" {
		ids := s.byDoc[rec.docKey]
		if ids == nil {
			ids = map[string]struct{}{}
			s.byDoc[rec.docKey] = ids
		}
		ids[p.ID] = struct{}{}
	}
	if !exists || old.nameKey != rec.nameKey {
		s.dirty = true
	} else {
		// Same place in the name order: swap the pointer in.
		s.replaceInOrder(old, rec)
	}
}

func (s *Server) unindexDoc(r *record) {
	if ids := s.byDoc[r.docKey]; ids != nil {
		delete(ids, r.ID)
		if len(ids) == 0 {
			delete(s.byDoc, r.docKey)
		}
	}
}

func (s *Server) replaceInOrder(old, rec *record) {
	if s.dirty {
		return
	}
	i, found := slices.BinarySearchFunc(s.byName, old, compareByName)
	if found && s.byName[i] == old {
		s.byName[i] = rec
		return
	}
	s.dirty = true
}

func compareByName(a, b *record) int {
	if c := strings.Compare(a.nameKey, b.nameKey); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// sortedByName is every person ordered by name (the API's default
// ordering), re-sorted only after a name changed or a person was added.
func (s *Server) sortedByName() []*record {
	if s.dirty || len(s.byName) != len(s.people) {
		s.byName = s.byName[:0]
		for _, id := range s.inserted {
			s.byName = append(s.byName, s.people[id])
		}
		slices.SortFunc(s.byName, compareByName)
		s.dirty = false
	}
	return s.byName
}

// Person returns a copy of the person with id.
func (s *Server) Person(id string) (Person, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.people[id]
	if !ok {
		return Person{}, false
	}
	return clonePerson(r.Person), true
}

// People returns copies of everyone, in seed/create order.
func (s *Server) People() []Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Person, 0, len(s.inserted))
	for _, id := range s.inserted {
		out = append(out, clonePerson(s.people[id].Person))
	}
	return out
}

// PeopleWithDocument returns copies of the people whose document, stripped
// of punctuation, equals doc's.
func (s *Server) PeopleWithDocument(doc string) []Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Person
	for _, r := range s.recordsWithDocument(documentKey(doc)) {
		out = append(out, clonePerson(r.Person))
	}
	return out
}

func (s *Server) recordsWithDocument(key string) []*record {
	var out []*record
	for id := range s.byDoc[key] {
		out = append(out, s.people[id])
	}
	slices.SortFunc(out, func(a, b *record) int { return a.position - b.position })
	return out
}

// Len is the number of people stored.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.people)
}

// ErrNotFound is returned by Update for an id the fake does not hold.
var ErrNotFound = errors.New("contaazulfake: no person with this id")

// Update changes a person in place, as a user would in Conta Azul's screens,
// and moves data_alteracao to the fake clock's now.
func (s *Server) Update(id string, change func(*Person)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.people[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	p := clonePerson(r.Person)
	change(&p)
	p.ID = id
	p.UpdatedAt = s.clock()
	s.store(p)
	return nil
}

func foldName(s string) string {
	return accentFolder.Replace(strings.ToLower(strings.TrimSpace(s)))
}

var accentFolder = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ã", "a", "é", "e", "ê", "e", "í", "i",
	"ó", "o", "ô", "o", "õ", "o", "ú", "u", "ü", "u", "ç", "c",
)

func canonicalProfile(s string) (string, bool) {
	switch foldName(s) {
	case "cliente":
		return "Cliente", true
	case "fornecedor":
		return "Fornecedor", true
	case "transportadora":
		return "Transportadora", true
	}
	return s, false
}

func documentKey(doc string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(doc) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func typeForDocument(key string) string {
	switch len(key) {
	case 11:
		return typeIndividual
	case 14:
		return typeCompany
	}
	return typeForeign
}

const (
	typeIndividual = "Física"
	typeCompany    = "Jurídica"
	typeForeign    = "Estrangeira"
)

// formatDocument renders a stored document the way Conta Azul reads it back.
func formatDocument(key string) string {
	switch len(key) {
	case 11:
		return key[0:3] + "." + key[3:6] + "." + key[6:9] + "-" + key[9:]
	case 14:
		return key[0:2] + "." + key[2:5] + "." + key[5:8] + "/" + key[8:12] + "-" + key[12:]
	}
	return key
}
