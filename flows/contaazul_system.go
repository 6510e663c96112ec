package flows

import (
	"context"
	"iter"
	"time"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/internal/plaintext"
	"github.com/auvosync/auvosync/syncrules"
)

// contaAzulSystem is Conta Azul as the flows see it. Its list items carry
// every synced field (with the address when asked), so no detail read is
// needed; they carry one phone (the commercial one, else the mobile), so
// the canonical record keeps one phone in both shapes, and writes put the
// first two phones in telefone_comercial and telefone_celular.
type contaAzulSystem struct{ c *contaazul.Client }

// NewContaAzul adapts a Conta Azul client for the flows.
func NewContaAzul(c *contaazul.Client) System { return contaAzulSystem{c} }

func fromContaAzul(p contaazul.Person) Record {
	cust := syncrules.Customer{
		ID:       p.ID,
		Name:     p.Name,
		Document: p.Document,
		Phones:   phones(p.Phone),
		Emails:   syncrules.SplitEmails(p.Email),
		Note:     p.Note,
		Active:   p.Active,
		Profiles: p.Profiles,
		Modified: p.UpdatedAt,
	}
	if len(cust.Phones) > 1 {
		cust.Phones = cust.Phones[:1]
	}
	if len(p.Addresses) > 0 {
		a := p.Addresses[0]
		cust.Address, cust.AddressLine = structuredAddress(a.Logradouro, a.Numero, a.Bairro, a.Cidade, a.Estado, a.CEP)
		cust.Complement = a.Complemento
	}
	return Record{Customer: cleanText(cust), Key: p.Code, Created: p.CreatedAt, Raw: p}
}

func contaAzulAddress(id string, c syncrules.Customer) contaazul.Address {
	a := c.Address
	return contaazul.Address{ID: id, Logradouro: a.Street, Numero: a.Number, Complemento: c.Complement,
		Bairro: a.District, Cidade: a.City, Estado: a.State, CEP: a.ZIP}
}

// toPerson applies the synced fields of src to p, clipped to Conta Azul's
// limits (writeLimits), as a read would show them.
func toPerson(p contaazul.Person, src syncrules.Customer, fields []syncrules.Field) contaazul.Person {
	src = fitted(string(syncrules.ContaAzul), src)
	for _, f := range fields {
		switch f {
		case syncrules.FieldName:
			p.Name = src.Name
		case syncrules.FieldPhone:
			p.PhoneCommercial, p.PhoneMobile = phoneAt(src.Phones, 0), phoneAt(src.Phones, 1)
			p.Phone = p.PhoneCommercial
		case syncrules.FieldEmail:
			p.Email = syncrules.JoinEmails(src.Emails)
		case syncrules.FieldNote:
			p.Note = src.Note
		case syncrules.FieldAddress:
			id := ""
			if len(p.Addresses) > 0 {
				id = p.Addresses[0].ID
			}
			// The list is replaced whole, so the other addresses go back as
			// read, with their text cleaned: the client refuses control
			// characters, and one typed into a second address must not fail
			// every update of the first.
			addresses := []contaazul.Address{contaAzulAddress(id, src)}
			for _, a := range p.Addresses[min(1, len(p.Addresses)):] {
				for _, f := range []*string{&a.Logradouro, &a.Numero, &a.Complemento, &a.Bairro, &a.Cidade, &a.Estado, &a.CEP, &a.Pais} {
					*f = plaintext.Clean(*f)
				}
				addresses = append(addresses, a)
			}
			p.Addresses = addresses
		}
	}
	return p
}

func (s contaAzulSystem) list(ctx context.Context, opts contaazul.ListOptions) iter.Seq2[Record, error] {
	opts.WithAddress = true
	return func(yield func(Record, error) bool) {
		for p, err := range s.c.List(ctx, opts) {
			if !yield(fromContaAzul(p), err) || err != nil {
				return
			}
		}
	}
}

func (s contaAzulSystem) Changed(ctx context.Context, since time.Time, startPage int, onPage func(Page)) iter.Seq2[Record, error] {
	return s.list(ctx, contaazul.ListOptions{ChangedFrom: since, StartPage: startPage, OnPage: pageHook(onPage)})
}

func (s contaAzulSystem) Complete(_ context.Context, r Record) (Record, error) { return r, nil }

func (s contaAzulSystem) FindByDocument(ctx context.Context, doc string) ([]Record, error) {
	return findByDocument(ctx, "Conta Azul", doc, false, func(form string) ([]Record, error) {
		return collect(s.list(ctx, contaazul.ListOptions{Documents: []string{form}}))
	})
}

func (s contaAzulSystem) Get(ctx context.Context, id string) (Record, error) {
	p, err := s.c.Get(ctx, id)
	if err != nil {
		return Record{}, err
	}
	return fromContaAzul(p), nil
}

// Create is not idempotent in Conta Azul: the flow records an intent first
// and, after a crash, finds the record by document (and by codigo = key).
func (s contaAzulSystem) Create(ctx context.Context, src syncrules.Customer, key string) (Record, error) {
	want := toPerson(contaazul.Person{Code: key, Active: true, Profiles: []string{contaazul.ProfileCustomer}}, src, syncrules.AllFields())
	active := true
	created, err := s.c.Create(ctx, contaazul.NewPerson{
		Name: want.Name, Document: syncrules.NormalizeDocument(src.Document), Code: key,
		Email: want.Email, PhoneCommercial: want.PhoneCommercial, PhoneMobile: want.PhoneMobile,
		Note: want.Note, Active: &active, Profiles: want.Profiles, Addresses: want.Addresses,
	})
	if err != nil {
		return Record{}, err
	}
	want.ID, want.Document, want.CreatedAt, want.UpdatedAt = created.ID, created.Document, created.CreatedAt, created.UpdatedAt
	return fromContaAzul(want), nil
}

func (s contaAzulSystem) Update(ctx context.Context, current Record, src syncrules.Customer, fields []syncrules.Field) (Record, error) {
	p, _ := current.Raw.(contaazul.Person)
	next := toPerson(p, src, fields)
	var patch contaazul.PersonPatch
	for _, f := range fields {
		switch f {
		case syncrules.FieldName:
			patch.Name = &next.Name
		case syncrules.FieldPhone:
			patch.PhoneCommercial, patch.PhoneMobile = &next.PhoneCommercial, &next.PhoneMobile
		case syncrules.FieldEmail:
			patch.Email = &next.Email
		case syncrules.FieldNote:
			patch.Note = &next.Note
		case syncrules.FieldAddress:
			patch.Addresses = &next.Addresses
		}
	}
	if err := s.c.Patch(ctx, p.ID, patch); err != nil {
		return Record{}, err
	}
	return fromContaAzul(next), nil
}

func (s contaAzulSystem) Project(c syncrules.Customer) syncrules.Customer {
	p := fromContaAzul(toPerson(contaazul.Person{}, c, syncrules.AllFields())).Customer
	p.ID, p.Document, p.Active, p.ExternalCode, p.Modified, p.Profiles = c.ID, c.Document, c.Active, c.ExternalCode, c.Modified, c.Profiles
	p.Complement = c.Complement
	return p
}

// indexListing lists for the matching index: the biggest pages Conta Azul
// serves, without addresses (the index needs none), so a full refresh of
// 50,000 people costs 50 calls.
func (s contaAzulSystem) indexListing(ctx context.Context, since time.Time, onPage func(Page)) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		opts := contaazul.ListOptions{ChangedFrom: since, PageSize: contaazul.PageSizes[len(contaazul.PageSizes)-1], OnPage: pageHook(onPage)}
		for p, err := range s.c.List(ctx, opts) {
			if !yield(fromContaAzul(p), err) || err != nil {
				return
			}
		}
	}
}
