package flows

import (
	"context"
	"iter"
	"strconv"
	"time"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/syncrules"
)

// auvoSystem is Auvo as the flows see it.
type auvoSystem struct {
	c    *auvo.Client
	opts adapterOptions
}

// NewAuvo adapts an Auvo client for the flows; opts say where Auvo behaves
// otherwise than assumed (AuvoDateFilterAfter).
func NewAuvo(c *auvo.Client, opts ...AdapterOption) AuvoSystem {
	return auvoSystem{c: c, opts: newAdapterOptions(opts)}
}

func fromAuvo(c auvo.Customer) Record {
	cust := cleanText(syncrules.Customer{
		ID:           strconv.FormatInt(c.ID, 10),
		Name:         c.Name,
		Document:     c.Document,
		Phones:       phones(c.PhoneNumbers...),
		Emails:       syncrules.CleanEmails(c.Emails),
		AddressLine:  c.Address,
		Complement:   c.AddressComplement,
		Note:         c.Note,
		Active:       c.Active,
		ExternalCode: c.ExternalID,
		Modified:     c.DateLastUpdate,
	})
	if p, err := address.Parse(cust.AddressLine, address.Any); err == nil {
		cust.Address = p.Address
		cust.Address.Complement, cust.Address.Country = "", ""
		if cust.Complement == "" {
			cust.Complement = p.Complement
		}
	}
	return Record{Customer: cust, Created: c.CreationDate, Raw: c}
}

// auvoLine is the one Auvo line of a canonical address (R-ADDR-6).
func auvoLine(c syncrules.Customer) string {
	if c.Address != (address.Address{}) {
		a := c.Address
		a.Complement, a.Country = "", ""
		return address.Format(a)
	}
	return c.AddressLine
}

func phoneDigits(list []syncrules.Phone) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.Digits()
	}
	return out
}

// toAuvo writes the synced fields of src into c, clipped to Auvo's limits
// (writeLimits).
func toAuvo(c auvo.Customer, src syncrules.Customer, fields []syncrules.Field) auvo.Customer {
	src = fitted(auvoTarget, src)
	for _, f := range fields {
		switch f {
		case syncrules.FieldName:
			c.Name = src.Name
		case syncrules.FieldPhone:
			c.PhoneNumbers = phoneDigits(src.Phones)
		case syncrules.FieldEmail:
			c.Emails = append([]string(nil), src.Emails...)
		case syncrules.FieldAddress:
			c.Address = auvoLine(src)
		case syncrules.FieldComplement:
			c.AddressComplement = src.Complement
		case syncrules.FieldNote:
			c.Note = src.Note
		}
	}
	return c
}

func patchOps(src syncrules.Customer, fields []syncrules.Field) []auvo.PatchOp {
	src = fitted(auvoTarget, src)
	var ops []auvo.PatchOp
	for _, f := range fields {
		switch f {
		case syncrules.FieldName:
			ops = append(ops, auvo.Replace(auvo.FieldName, src.Name))
		case syncrules.FieldPhone:
			ops = append(ops, auvo.Replace(auvo.FieldPhoneNumber, phoneDigits(src.Phones)))
		case syncrules.FieldEmail:
			ops = append(ops, auvo.Replace(auvo.FieldEmail, append([]string{}, src.Emails...)))
		case syncrules.FieldAddress:
			ops = append(ops, auvo.Replace(auvo.FieldAddress, auvoLine(src)))
		case syncrules.FieldComplement:
			ops = append(ops, auvo.Replace(auvo.FieldAddressComplement, src.Complement))
		case syncrules.FieldNote:
			ops = append(ops, auvo.Replace(auvo.FieldNote, src.Note))
		}
	}
	return ops
}

func (a auvoSystem) list(ctx context.Context, opts auvo.ListOptions) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for c, err := range a.c.List(ctx, opts) {
			if !yield(fromAuvo(c), err) || err != nil {
				return
			}
		}
	}
}

func (a auvoSystem) Changed(ctx context.Context, since time.Time, startPage int, onPage func(Page)) iter.Seq2[Record, error] {
	if a.opts.auvoDateFilterAfter && !since.IsZero() {
		since = since.Truncate(auvoDateFilterStep).Add(-auvoDateFilterStep)
	}
	return a.list(ctx, auvo.ListOptions{UpdatedSince: since, StartPage: startPage, OnPage: pageHook(onPage)})
}

func (a auvoSystem) Complete(_ context.Context, r Record) (Record, error) { return r, nil }

func (a auvoSystem) FindByDocument(ctx context.Context, doc string) ([]Record, error) {
	// Auvo's own examples carry documents as digits.
	return findByDocument(ctx, "Auvo", doc, false, func(form string) ([]Record, error) {
		return collect(a.list(ctx, auvo.ListOptions{Document: form}))
	})
}

func (a auvoSystem) Get(ctx context.Context, id string) (Record, error) {
	n, err := parseID("Auvo", id)
	if err != nil {
		return Record{}, err
	}
	c, err := a.c.Get(ctx, n)
	if err != nil {
		return Record{}, err
	}
	return fromAuvo(c), nil
}

// Create upserts by external code: sent twice, it finds the same customer.
func (a auvoSystem) Create(ctx context.Context, src syncrules.Customer, key string) (Record, error) {
	c := toAuvo(auvo.Customer{
		ExternalID: key, Active: true, Document: syncrules.NormalizeDocument(src.Document),
	}, src, syncrules.AllFields())
	created, _, err := a.c.Upsert(ctx, c)
	if err != nil {
		return Record{}, err
	}
	return fromAuvo(created), nil
}

func (a auvoSystem) Update(ctx context.Context, current Record, src syncrules.Customer, fields []syncrules.Field) (Record, error) {
	n, err := parseID("Auvo", current.ID)
	if err != nil {
		return Record{}, err
	}
	updated, err := a.c.Patch(ctx, n, patchOps(src, fields)...)
	if err != nil {
		return Record{}, err
	}
	return fromAuvo(updated), nil
}

func (a auvoSystem) SetExternalCode(ctx context.Context, id, code string) (Record, error) {
	n, err := parseID("Auvo", id)
	if err != nil {
		return Record{}, err
	}
	updated, err := a.c.Patch(ctx, n, auvo.Replace(auvo.FieldExternalID, code))
	if err != nil {
		return Record{}, err
	}
	return fromAuvo(updated), nil
}

// CreatesAreIdempotent: Create is an upsert on its key.
func (auvoSystem) CreatesAreIdempotent() bool { return true }

func (a auvoSystem) Project(c syncrules.Customer) syncrules.Customer {
	p := fromAuvo(toAuvo(auvo.Customer{}, c, syncrules.AllFields())).Customer
	p.ID, p.Document, p.Active, p.ExternalCode, p.Modified = c.ID, c.Document, c.Active, c.ExternalCode, c.Modified
	return p
}
