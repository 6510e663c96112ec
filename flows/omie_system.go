package flows

import (
	"context"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/syncrules"
)

// omieSystem is Omie as the flows see it.
type omieSystem struct {
	c    *omie.Client
	opts adapterOptions
}

// NewOmie adapts an Omie client for the flows; opts say where Omie behaves
// otherwise than assumed (OmieWindowBoth).
func NewOmie(c *omie.Client, opts ...AdapterOption) System {
	return omieSystem{c: c, opts: newAdapterOptions(opts)}
}

// omieCity drops the " (UF)" Omie appends to city names ("SAO PAULO (SP)").
func omieCity(city string) string {
	city = strings.TrimSpace(city)
	if i := strings.LastIndex(city, " ("); i > 0 && strings.HasSuffix(city, ")") && len(city)-i == 5 {
		return city[:i]
	}
	return city
}

func fromOmie(c omie.Cliente) Record {
	addr, line := structuredAddress(c.Endereco, c.EnderecoNumero, c.Bairro, omieCity(c.Cidade), c.Estado, c.CEP)
	name := c.NomeFantasia
	if strings.TrimSpace(name) == "" {
		name = c.RazaoSocial
	}
	return Record{
		Customer: cleanText(syncrules.Customer{
			ID:          strconv.FormatInt(c.CodigoClienteOmie, 10),
			Name:        name,
			Document:    c.Document,
			Phones:      phones(c.Telefone1DDD+c.Telefone1Numero, c.Telefone2DDD+c.Telefone2Numero),
			Emails:      syncrules.SplitEmails(c.Email),
			Address:     addr,
			AddressLine: line,
			Complement:  c.Complemento,
			Note:        c.Observacao,
			Active:      !c.Inativo,
			Tags:        c.Tags,
			Modified:    c.Info.Alterado,
		}),
		Key:     c.CodigoClienteIntegracao,
		Created: c.Info.Incluido,
		Raw:     c,
	}
}

// toOmie writes the synced fields of src into c, clipped to Omie's limits
// (writeLimits). The name goes to both razao_social and nome_fantasia and
// reads back from nome_fantasia, so a name too long for razao_social
// survives the round trip whole up to nome_fantasia's limit.
func toOmie(c omie.Cliente, src syncrules.Customer, fields []syncrules.Field) omie.Cliente {
	src = fitted(string(syncrules.Omie), src)
	// An empty value must be sent as such, or Omie keeps the old one and the
	// reverse flow would bring it back.
	set := func(dst *string, v string, f omie.Field) {
		*dst = v
		if v == "" {
			c.Clear = append(c.Clear, f)
		}
	}
	for _, f := range fields {
		switch f {
		case syncrules.FieldName:
			if src.Name != "" { // razao_social is required: a name is never blanked
				c.RazaoSocial, c.NomeFantasia = clipText(src.Name, writeLimit(string(syncrules.Omie), "razao_social")), src.Name
			}
		case syncrules.FieldPhone:
			var p1, p2 syncrules.Phone
			if len(src.Phones) > 0 {
				p1 = src.Phones[0]
			}
			if len(src.Phones) > 1 {
				p2 = src.Phones[1]
			}
			set(&c.Telefone1DDD, p1.DDD, omie.FieldTelefone1DDD)
			set(&c.Telefone1Numero, p1.Number, omie.FieldTelefone1Numero)
			set(&c.Telefone2DDD, p2.DDD, omie.FieldTelefone2DDD)
			set(&c.Telefone2Numero, p2.Number, omie.FieldTelefone2Numero)
		case syncrules.FieldEmail:
			set(&c.Email, syncrules.JoinEmails(src.Emails), omie.FieldEmail)
		case syncrules.FieldAddress:
			a := src.Address
			set(&c.Endereco, a.Street, omie.FieldEndereco)
			set(&c.EnderecoNumero, a.Number, omie.FieldEnderecoNumero)
			set(&c.Bairro, a.District, omie.FieldBairro)
			set(&c.Cidade, a.City, omie.FieldCidade)
			set(&c.Estado, a.State, omie.FieldEstado)
			set(&c.CEP, a.ZIP, omie.FieldCEP)
		case syncrules.FieldComplement:
			set(&c.Complemento, src.Complement, omie.FieldComplemento)
		case syncrules.FieldNote:
			set(&c.Observacao, src.Note, omie.FieldObservacao)
		}
	}
	return c
}

func (o omieSystem) list(ctx context.Context, opts omie.ListOptions) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for c, err := range o.c.ListarClientes(ctx, opts) {
			if !yield(fromOmie(c), err) || err != nil {
				return
			}
		}
	}
}

// changedPageSize is the Omie page the flows list changes by: a run stops
// at its time box only between pages (R-SCHED-3), and 500 records (Omie's
// most), at one create each under 240 a minute, would outlast a flow's
// share of the slot. A no-change listing is one call either way.
const changedPageSize = 100

func (o omieSystem) Changed(ctx context.Context, since time.Time, startPage int, onPage func(Page)) iter.Seq2[Record, error] {
	if o.opts.omieWindowBoth && !since.IsZero() {
		return o.bothWindows(ctx, since)
	}
	return o.list(ctx, omie.ListOptions{ChangedSince: since, StartPage: startPage, PageSize: changedPageSize, OnPage: pageHook(onPage)})
}

// bothWindows lists inclusions, then alterations, in since's window (see
// OmieWindowBoth), each client once.
func (o omieSystem) bothWindows(ctx context.Context, since time.Time) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		seen := map[int64]bool{}
		for _, only := range []omie.ListOptions{{OnlyIncluded: true}, {OnlyChanged: true}} {
			only.ChangedSince, only.PageSize = since, changedPageSize
			for c, err := range o.c.ListarClientes(ctx, only) {
				if err != nil {
					yield(Record{}, err)
					return
				}
				if seen[c.CodigoClienteOmie] {
					continue
				}
				seen[c.CodigoClienteOmie] = true
				if !yield(fromOmie(c), nil) {
					return
				}
			}
		}
	}
}

func (o omieSystem) Complete(_ context.Context, r Record) (Record, error) { return r, nil }

func (o omieSystem) FindByDocument(ctx context.Context, doc string) ([]Record, error) {
	// Omie shows documents formatted (12.345.678/0001-90).
	return findByDocument(ctx, "Omie", doc, true, func(form string) ([]Record, error) {
		return collect(o.list(ctx, omie.ListOptions{Document: form}))
	})
}

func (o omieSystem) Get(ctx context.Context, id string) (Record, error) {
	n, err := parseID("Omie", id)
	if err != nil {
		return Record{}, err
	}
	c, err := o.c.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: n})
	if err != nil {
		return Record{}, err
	}
	return fromOmie(c), nil
}

// Create upserts by integration code (the Auvo id): a resend after a crash
// or an uncertain answer finds the same client instead of a duplicate.
func (o omieSystem) Create(ctx context.Context, src syncrules.Customer, key string) (Record, error) {
	c := toOmie(omie.Cliente{
		CodigoClienteIntegracao: key,
		Document:                documentForPartner(syncrules.NormalizeDocument(src.Document)),
	}, src, syncrules.AllFields())
	st, err := o.c.UpsertCliente(ctx, c)
	if err != nil {
		return Record{}, err
	}
	c.CodigoClienteOmie = st.CodigoClienteOmie
	return fromOmie(c), nil
}

// Update sends only the changed fields (AlterarCliente leaves the others
// alone): resending the rest as read would fail the record whenever a
// person typed a line break into a field the flow does not touch.
func (o omieSystem) Update(ctx context.Context, current Record, src syncrules.Customer, fields []syncrules.Field) (Record, error) {
	cur, _ := current.Raw.(omie.Cliente)
	change := toOmie(omie.Cliente{CodigoClienteOmie: cur.CodigoClienteOmie, CodigoClienteIntegracao: cur.CodigoClienteIntegracao}, src, fields)
	change.Inativo = cur.Inativo // always sent: keep it as it is
	if _, err := o.c.AlterarCliente(ctx, change); err != nil {
		return Record{}, err
	}
	return fromOmie(toOmie(cur, src, fields)), nil
}

// CreatesAreIdempotent: Create is an upsert on its key.
func (omieSystem) CreatesAreIdempotent() bool { return true }

func (o omieSystem) Project(c syncrules.Customer) syncrules.Customer {
	p := fromOmie(toOmie(omie.Cliente{}, c, syncrules.AllFields())).Customer
	p.ID, p.Document, p.Active, p.ExternalCode, p.Modified, p.Tags = c.ID, c.Document, c.Active, c.ExternalCode, c.Modified, c.Tags
	return p
}
