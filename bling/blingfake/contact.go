package blingfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/auvosync/auvosync/internal/document"
)

// Contact is a contact as the fake stores it (its own type, not the
// client's). Field names follow Bling's wire names.
type Contact struct {
	ID              int64
	Nome            string
	Codigo          string
	Situacao        string // A, I, E or S
	NumeroDocumento string // as stored; filters ignore punctuation, not a CNPJ's letters
	Telefone        string
	Celular         string
	Fantasia        string
	Tipo            string // F, J or E
	Email           string
	EmailNotaFiscal string
	IE              string
	IndicadorIE     int
	Endereco        Endereco
	TiposContato    []TipoContato
	// Extra holds detail fields the fake does not model (vendedor,
	// financeiro, dadosAdicionais, pais, pessoasContato, ...): echoed by GET,
	// replaced by PUT like everything else.
	Extra map[string]json.RawMessage

	DataInclusao  time.Time
	DataAlteracao time.Time
}

// Endereco is {geral, cobranca}.
type Endereco struct {
	Geral    EnderecoDados
	Cobranca EnderecoDados
}

// EnderecoDados is one address.
type EnderecoDados struct {
	Endereco, Numero, Complemento, Bairro, Municipio, UF, CEP string
}

// TipoContato is one entry of tiposContato.
type TipoContato struct {
	ID        int64
	Descricao string
}

func (c *Contact) clone() Contact {
	cp := *c
	cp.TiposContato = slices.Clone(c.TiposContato)
	cp.Extra = maps.Clone(c.Extra)
	return cp
}

// Seed stores c and returns its id. A zero ID gets the next id; zero
// DataInclusao / DataAlteracao get the fake clock's now; an empty Situacao
// becomes A and an empty Tipo F (J for a 14-digit document).
func (s *Server) Seed(c Contact) int64 {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Situacao == "" {
		c.Situacao = "A"
	}
	if c.Tipo == "" {
		c.Tipo = "F"
		if len(document.Key(c.NumeroDocumento)) == document.CNPJLength {
			c.Tipo = "J"
		}
	}
	if c.DataInclusao.IsZero() {
		c.DataInclusao = now
	}
	if c.DataAlteracao.IsZero() {
		c.DataAlteracao = c.DataInclusao
	}
	c.TiposContato = slices.Clone(c.TiposContato)
	c.Extra = maps.Clone(c.Extra)
	if old, ok := s.contacts[c.ID]; ok && c.ID != 0 {
		s.unindex(old)
		*old = c
		s.index(old)
		return c.ID
	}
	if c.ID == 0 {
		c.ID = s.nextID
	}
	if c.ID >= s.nextID {
		s.nextID = c.ID + 1
	}
	s.insert(&c)
	return c.ID
}

// insert adds a new contact keeping order sorted. mu held.
func (s *Server) insert(c *Contact) {
	s.contacts[c.ID] = c
	if n := len(s.order); n == 0 || s.order[n-1] < c.ID {
		s.order = append(s.order, c.ID)
	} else {
		i := sort.Search(n, func(i int) bool { return s.order[i] >= c.ID })
		s.order = slices.Insert(s.order, i, c.ID)
	}
	s.index(c)
}

func (s *Server) index(c *Contact) {
	d := document.Key(c.NumeroDocumento)
	if d == "" {
		return
	}
	if s.byDoc[d] == nil {
		s.byDoc[d] = map[int64]struct{}{}
	}
	s.byDoc[d][c.ID] = struct{}{}
}

func (s *Server) unindex(c *Contact) {
	d := document.Key(c.NumeroDocumento)
	if set := s.byDoc[d]; set != nil {
		delete(set, c.ID)
		if len(set) == 0 {
			delete(s.byDoc, d)
		}
	}
}

// Contact returns a copy of contact id.
func (s *Server) Contact(id int64) (Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[id]
	if !ok {
		return Contact{}, false
	}
	return c.clone(), true
}

// Contacts returns copies of every contact, by id.
func (s *Server) Contacts() []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Contact, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.contacts[id].clone())
	}
	return out
}

// Update edits contact id in place, as a user in Bling would, and bumps its
// DataAlteracao to the fake clock's now. An unknown id is ErrNotFound.
func (s *Server) Update(id int64, change func(*Contact)) error {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[id]
	if !ok {
		return fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	cp := c.clone()
	change(&cp)
	cp.ID, cp.DataInclusao, cp.DataAlteracao = id, c.DataInclusao, now
	s.unindex(c)
	*c = cp
	s.index(c)
	return nil
}

// ErrNotFound is returned by Update for an id the fake does not hold.
var ErrNotFound = errors.New("blingfake: no contact with this id")
