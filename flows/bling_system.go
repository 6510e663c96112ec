package flows

import (
	"context"
	"iter"
	"strconv"
	"time"

	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/syncrules"
)

// blingSystem is Bling as the flows see it. Bling lists summaries, so
// Complete fetches the detail (e-mail, address) when a flow needs it.
type blingSystem struct{ c *bling.Client }

// NewBling adapts a Bling client for the flows.
func NewBling(c *bling.Client) System { return blingSystem{c} }

func fromBling(c bling.Contact) Record {
	addr, line := structuredAddress(c.Address.Endereco, c.Address.Numero, c.Address.Bairro, c.Address.Municipio, c.Address.UF, c.Address.CEP)
	return Record{
		Customer: cleanText(syncrules.Customer{
			ID:          strconv.FormatInt(c.ID, 10),
			Name:        c.Name,
			Document:    c.Document,
			Phones:      phones(c.Phone, c.Mobile),
			Emails:      syncrules.SplitEmails(c.Email),
			Address:     addr,
			AddressLine: line,
			Complement:  c.Address.Complemento,
			Active:      c.Status == bling.StatusActive,
		}),
		Key: c.Code,
		Raw: c,
	}
}

// toBling writes the synced fields of src into contact.
func toBling(contact bling.Contact, src syncrules.Customer, fields []syncrules.Field) bling.Contact {
	for _, f := range fields {
		switch f {
		case syncrules.FieldName:
			contact.Name = src.Name
		case syncrules.FieldPhone:
			contact.Phone, contact.Mobile = phoneAt(src.Phones, 0), phoneAt(src.Phones, 1)
		case syncrules.FieldEmail:
			contact.Email = firstEmail(src.Emails)
		case syncrules.FieldAddress:
			a := src.Address
			contact.Address.Endereco, contact.Address.Numero, contact.Address.Bairro = a.Street, a.Number, a.District
			contact.Address.Municipio, contact.Address.UF, contact.Address.CEP = a.City, a.State, a.ZIP
		case syncrules.FieldComplement:
			contact.Address.Complemento = src.Complement
		}
	}
	return contact
}

func (b blingSystem) Changed(ctx context.Context, since time.Time, startPage int, onPage func(Page)) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for c, err := range b.c.List(ctx, bling.ListOptions{ChangedFrom: since, StartPage: startPage, OnPage: pageHook(onPage)}) {
			if !yield(fromBling(c), err) || err != nil {
				return
			}
		}
	}
}

func (b blingSystem) Complete(ctx context.Context, r Record) (Record, error) {
	if c, ok := r.Raw.(bling.Contact); ok && c.Detailed {
		return r, nil
	}
	id, err := parseID("Bling", r.ID)
	if err != nil {
		return r, err
	}
	c, err := b.c.Get(ctx, id)
	if err != nil {
		return r, err
	}
	return fromBling(c), nil
}

func (b blingSystem) FindByDocument(ctx context.Context, doc string) ([]Record, error) {
	// Bling's filter ignores punctuation: one spelling is enough.
	var out []Record
	for c, err := range b.c.List(ctx, bling.ListOptions{Document: doc}) {
		if err != nil {
			return nil, err
		}
		if syncrules.NormalizeDocument(c.Document) == doc {
			out = append(out, fromBling(c))
		} else {
			reportFilterIgnored(ctx, "Bling")
		}
	}
	return out, nil
}

func (b blingSystem) Get(ctx context.Context, id string) (Record, error) {
	n, err := parseID("Bling", id)
	if err != nil {
		return Record{}, err
	}
	c, err := b.c.Get(ctx, n)
	if err != nil {
		return Record{}, err
	}
	return fromBling(c), nil
}

func (b blingSystem) Create(ctx context.Context, src syncrules.Customer, key string) (Record, error) {
	contact := toBling(bling.Contact{
		Code: key, Status: bling.StatusActive, Document: documentForPartner(syncrules.NormalizeDocument(src.Document)),
		Type: blingType(src.Document),
	}, src, syncrules.AllFields())
	created, err := b.c.Create(ctx, contact)
	if err != nil {
		return Record{}, err
	}
	return fromBling(created), nil
}

func (b blingSystem) Update(ctx context.Context, current Record, src syncrules.Customer, fields []syncrules.Field) (Record, error) {
	contact, _ := current.Raw.(bling.Contact)
	contact = toBling(contact, src, fields)
	if err := b.c.Update(ctx, contact); err != nil {
		return Record{}, err
	}
	return fromBling(contact), nil
}

func (b blingSystem) Project(c syncrules.Customer) syncrules.Customer {
	p := fromBling(toBling(bling.Contact{}, c, syncrules.AllFields())).Customer
	p.ID, p.Document, p.Active, p.ExternalCode, p.Note, p.Modified = c.ID, c.Document, c.Active, c.ExternalCode, "", c.Modified
	return p
}

func blingType(doc string) string {
	if _, kind, _ := syncrules.ValidateDocument(doc); kind == syncrules.DocCNPJ {
		return bling.TypeCompany
	}
	return bling.TypePerson
}
