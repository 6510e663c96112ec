package omiefake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Cliente is the fake's own record of Omie's clientes_cadastro. It is not
// the client package's type: the fake reads and writes the wire format
// itself, so a misspelt JSON name in the client fails the tests.
type Cliente struct {
	CodigoClienteOmie       int64
	CodigoClienteIntegracao string
	RazaoSocial             string
	NomeFantasia            string
	CnpjCpf                 string
	Telefone1DDD            string
	Telefone1Numero         string
	Telefone2DDD            string
	Telefone2Numero         string
	Email                   string
	Endereco                string
	EnderecoNumero          string
	Complemento             string
	Bairro                  string
	Cidade                  string
	Estado                  string
	CEP                     string
	CidadeIBGE              string
	Inativo                 bool
	Tags                    []string
	Observacao              string
	// Incluido and Alterado are info.dInc/hInc and dAlt/hAlt (São Paulo
	// time, to the second). Seed fills zero values from the fake clock.
	Incluido, Alterado time.Time
	ImportadoAPI       bool // info.cImpAPI
	// Extra holds other clientes_cadastro fields written through the API
	// (inscricao_estadual, contato, ...), echoed back as sent.
	Extra map[string]json.RawMessage
}

func (c Cliente) clone() Cliente {
	if c.Tags != nil {
		c.Tags = slices.Clone(c.Tags)
	}
	if c.Extra != nil {
		extra := make(map[string]json.RawMessage, len(c.Extra))
		for k, v := range c.Extra {
			extra[k] = slices.Clone(v)
		}
		c.Extra = extra
	}
	return c
}

// digits normalises a CPF/CNPJ for matching ("12.345.678/0001-90" = "12345678000190").
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// store keeps records indexed by code, integration code and document, and
// the codes in ascending order so a page is a slice, not a sort.
type store struct {
	byCode   map[int64]*Cliente
	byIntCod map[string]int64
	byDoc    map[string][]int64
	order    []int64
	nextCode int64
}

func newStore() *store {
	return &store{
		byCode:   map[int64]*Cliente{},
		byIntCod: map[string]int64{},
		byDoc:    map[string][]int64{},
		nextCode: 2_000_000_001, // Omie codes are ten-digit numbers
	}
}

func (s *store) get(code int64) *Cliente { return s.byCode[code] }

func (s *store) byIntegracao(code string) *Cliente {
	if code == "" {
		return nil
	}
	if n, ok := s.byIntCod[code]; ok {
		return s.byCode[n]
	}
	return nil
}

func (s *store) byDocumento(doc string) []*Cliente {
	d := digits(doc)
	if d == "" {
		return nil
	}
	var out []*Cliente
	for _, n := range s.byDoc[d] {
		out = append(out, s.byCode[n])
	}
	return out
}

// conflict reports why c cannot be stored next to the other records
// (self is c's own code when it replaces a record).
func (s *store) conflict(c *Cliente, self int64) error {
	if c.CodigoClienteIntegracao != "" {
		if other, ok := s.byIntCod[c.CodigoClienteIntegracao]; ok && other != self {
			return fmt.Errorf("integration code %q belongs to record %d", c.CodigoClienteIntegracao, other)
		}
	}
	if c.CodigoClienteOmie != 0 && c.CodigoClienteOmie != self {
		if _, ok := s.byCode[c.CodigoClienteOmie]; ok {
			return fmt.Errorf("code %d is taken", c.CodigoClienteOmie)
		}
	}
	return nil
}

// insert stores a new record, assigning a code when it has none.
func (s *store) insert(c Cliente) int64 {
	if c.CodigoClienteOmie == 0 {
		c.CodigoClienteOmie = s.nextCode
	}
	if c.CodigoClienteOmie >= s.nextCode {
		s.nextCode = c.CodigoClienteOmie + 1
	}
	rec := c.clone()
	s.byCode[rec.CodigoClienteOmie] = &rec
	s.index(&rec)
	if n := len(s.order); n == 0 || s.order[n-1] < rec.CodigoClienteOmie {
		s.order = append(s.order, rec.CodigoClienteOmie)
	} else {
		i, _ := slices.BinarySearch(s.order, rec.CodigoClienteOmie)
		s.order = slices.Insert(s.order, i, rec.CodigoClienteOmie)
	}
	return rec.CodigoClienteOmie
}

// replace swaps a record's content, keeping indexes right.
func (s *store) replace(code int64, c Cliente) {
	old := s.byCode[code]
	s.unindex(old)
	c.CodigoClienteOmie = code
	*old = c.clone()
	s.index(old)
}

func (s *store) remove(code int64) bool {
	rec, ok := s.byCode[code]
	if !ok {
		return false
	}
	s.unindex(rec)
	delete(s.byCode, code)
	if i, found := slices.BinarySearch(s.order, code); found {
		s.order = slices.Delete(s.order, i, i+1)
	}
	return true
}

func (s *store) index(c *Cliente) {
	if c.CodigoClienteIntegracao != "" {
		s.byIntCod[c.CodigoClienteIntegracao] = c.CodigoClienteOmie
	}
	if d := digits(c.CnpjCpf); d != "" {
		s.byDoc[d] = append(s.byDoc[d], c.CodigoClienteOmie)
	}
}

func (s *store) unindex(c *Cliente) {
	if c.CodigoClienteIntegracao != "" && s.byIntCod[c.CodigoClienteIntegracao] == c.CodigoClienteOmie {
		delete(s.byIntCod, c.CodigoClienteIntegracao)
	}
	if d := digits(c.CnpjCpf); d != "" {
		codes := slices.DeleteFunc(s.byDoc[d], func(n int64) bool { return n == c.CodigoClienteOmie })
		if len(codes) == 0 {
			delete(s.byDoc, d)
		} else {
			s.byDoc[d] = codes
		}
	}
}
