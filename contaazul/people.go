package contaazul

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

const peoplePath = "/v1/pessoas"

// PageSizes are the only tamanho_pagina values Conta Azul accepts.
var PageSizes = []int{10, 20, 50, 100, 200, 500, 1000}

// DefaultPageSize keeps pages moderate: large pages save requests under the
// 600/min budget but hold more in memory per call.
const DefaultPageSize = 100

// ListOptions filters GET /v1/pessoas. The zero value lists everyone.
type ListOptions struct {
	// Documents matches CPF/CNPJ (documentos), sent as given.
	Documents []string
	// Search is free text matched against name or document (busca).
	Search string
	// Profile is ProfileCustomer, ProfileSupplier or ProfileCarrier (tipo_perfil).
	Profile string
	// ChangedFrom and ChangedTo bound data_alteracao, both inclusive. Conta
	// Azul wants both bounds and at most 365 days: a zero ChangedTo means
	// now, and longer spans are split into several windows.
	ChangedFrom, ChangedTo time.Time
	// WithAddress asks for the endereco object in list items (com_endereco).
	WithAddress bool
	// PageSize is one of PageSizes; 0 means DefaultPageSize.
	PageSize int
	// OnPage, when set, is called as each page arrives (progress reports).
	// Total is per date window when a long span was split.
	OnPage func(Page)
	// StartPage is the first page of the first date window to read,
	// 1-based; 0 means 1. A run that stopped at its time box resumes its
	// listing there (R-SCHED-3). Later windows start at their page 1.
	StartPage int
}

func (o ListOptions) query(now time.Time) (url.Values, []window, error) {
	var bad problems
	q := url.Values{}
	size := o.PageSize
	if size == 0 {
		size = DefaultPageSize
	}
	if o.StartPage < 0 {
		bad.add("pagina", "start page %d is below 1", o.StartPage)
	}
	if !slices.Contains(PageSizes, size) {
		bad.add("tamanho_pagina", "page size %d is not one of %v", o.PageSize, PageSizes)
	}
	q.Set("tamanho_pagina", strconv.Itoa(size))
	if len(o.Documents) > 0 {
		docs := make([]string, 0, len(o.Documents))
		for _, d := range o.Documents {
			d = strings.TrimSpace(d)
			switch {
			case d == "":
				bad.add("documentos", "an empty document in Documents")
			case strings.Contains(d, ","):
				bad.add("documentos", "document %q contains a comma, the list separator", d)
			default:
				docs = append(docs, d)
			}
		}
		q.Set("documentos", strings.Join(docs, ","))
	}
	if s := strings.TrimSpace(o.Search); s != "" {
		q.Set("busca", s)
	}
	if o.Profile != "" {
		switch p := normaliseProfile(o.Profile); p {
		case ProfileCustomer, ProfileSupplier, ProfileCarrier:
			q.Set("tipo_perfil", p)
		default:
			bad.add("tipo_perfil", "profile %q is not Cliente, Fornecedor or Transportadora", o.Profile)
		}
	}
	if o.WithAddress {
		q.Set("com_endereco", "true")
	}
	var spans []window
	switch {
	case o.ChangedFrom.IsZero() && !o.ChangedTo.IsZero():
		bad.add("data_alteracao_ate", "ChangedTo is set without ChangedFrom (Conta Azul needs both bounds)")
	case !o.ChangedFrom.IsZero():
		to := o.ChangedTo
		if to.IsZero() {
			to = now
		}
		if to.Before(o.ChangedFrom) {
			bad.add("data_alteracao_ate", "ChangedTo %s is before ChangedFrom %s", to.Format(time.RFC3339), o.ChangedFrom.Format(time.RFC3339))
		} else {
			spans = windows(o.ChangedFrom, to)
		}
	}
	if err := bad.err("list people"); err != nil {
		return nil, nil, err
	}
	if len(spans) == 0 {
		spans = []window{{}}
	}
	return q, spans, nil
}

// List yields the people matching opts in the list (summary) shape, page
// by page. It stops after yielding an error. Windows of a long date span
// share boundary seconds, and pages may shift while records change, so a
// person already yielded by this call is not yielded again.
func (c *Client) List(ctx context.Context, opts ListOptions) iter.Seq2[Person, error] {
	opts.Documents = slices.Clone(opts.Documents)
	return func(yield func(Person, error) bool) {
		q, spans, err := opts.query(c.clock())
		if err != nil {
			yield(Person{}, err)
			return
		}
		size, _ := strconv.Atoi(q.Get("tamanho_pagina"))
		seen := map[string]struct{}{}
		first := max(opts.StartPage, 1)
		for _, span := range spans {
			if !span.from.IsZero() {
				q.Set("data_alteracao_de", c.formatTime(span.from))
				q.Set("data_alteracao_ate", c.formatTime(span.to))
			}
			for page := first; ; page++ {
				q.Set("pagina", strconv.Itoa(page))
				var body wireListPage
				if err := c.getJSON(ctx, peoplePath, q, &body); err != nil {
					yield(Person{}, err)
					return
				}
				if opts.OnPage != nil {
					opts.OnPage(Page{Number: page, Items: len(body.Items), Total: body.TotalItems})
				}
				fresh := 0
				for _, item := range body.Items {
					if _, dup := seen[item.ID]; dup {
						continue
					}
					seen[item.ID] = struct{}{}
					fresh++
					p, err := item.person()
					if err != nil {
						yield(Person{}, fmt.Errorf("%s: list people: %w", Vendor, err))
						return
					}
					if !yield(p, nil) {
						return
					}
				}
				if len(body.Items) < size || (body.TotalItems > 0 && page*size >= body.TotalItems) {
					break
				}
				if page > first && fresh == 0 {
					// A full page of people already seen: the API is not
					// honouring pagina, and asking on would never end.
					yield(Person{}, fmt.Errorf("%s: list people: page %d repeats earlier results; stopping", Vendor, page))
					return
				}
			}
			first = 1
		}
	}
}

// Get reads one person in the detail shape.
func (c *Client) Get(ctx context.Context, id string) (Person, error) {
	path, err := personPath(id)
	if err != nil {
		return Person{}, err
	}
	var body wireDetail
	if err := c.getJSON(ctx, path, nil, &body); err != nil {
		return Person{}, err
	}
	p, err := body.person()
	if err != nil {
		return Person{}, fmt.Errorf("%s: get person: %w", Vendor, err)
	}
	return p, nil
}

// Create adds a person and returns the vendor's summary of it (ID, name,
// type, profiles; Summary is set). A create is never resent after a
// failure that may have reached Conta Azul: on a *NetworkError with
// Uncertain set, or an ErrServer error, look the document up before trying
// again.
func (c *Client) Create(ctx context.Context, n NewPerson) (Person, error) {
	body, err := n.wire()
	if err != nil {
		return Person{}, err
	}
	data, err := json.Marshal(body)
	if err != nil {
		return Person{}, fmt.Errorf("%s: encoding person: %w", Vendor, err)
	}
	resp, err := c.send(ctx, transport.Request{Method: http.MethodPost, Path: peoplePath, Body: data})
	if err != nil {
		return Person{}, err
	}
	var created wireDetail
	if err := json.Unmarshal(resp.Body, &created); err != nil || created.ID == "" {
		// The person exists, but we cannot say which: the caller must read back.
		return Person{}, fmt.Errorf("%s: POST %s answered %d without a readable person id; read back before creating again", Vendor, peoplePath, resp.Status)
	}
	p, err := created.person()
	if err != nil {
		p = Person{ID: created.ID, Name: created.Nome}
	}
	p.Summary = true
	return p, nil
}

// Patch changes only the fields set in patch (PATCH, 204). Sending the same
// fields twice gives the same record, so it is retried like a read.
func (c *Client) Patch(ctx context.Context, id string, patch PersonPatch) error {
	path, err := personPath(id)
	if err != nil {
		return err
	}
	body, err := patch.wire()
	if err != nil {
		return err
	}
	return c.write(ctx, http.MethodPatch, path, body)
}

// Put replaces the whole record with p. Fields this client does not model
// (rg, inscricoes, outros_contatos, ...) are lost, and existing addresses
// need their ID: prefer Patch. p must come from Get (not a list item).
func (c *Client) Put(ctx context.Context, id string, p Person) error {
	path, err := personPath(id)
	if err != nil {
		return err
	}
	body, err := putBody(p)
	if err != nil {
		return err
	}
	return c.write(ctx, http.MethodPut, path, body)
}

func (c *Client) write(ctx context.Context, method, path string, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("%s: encoding person: %w", Vendor, err)
	}
	_, err = c.send(ctx, transport.Request{Method: method, Path: path, Body: data, Idempotent: true})
	return err
}

func (c *Client) getJSON(ctx context.Context, path string, q url.Values, out any) error {
	resp, err := c.send(ctx, transport.Request{Method: http.MethodGet, Path: path, Query: q})
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return fmt.Errorf("%s: GET %s: answer is not JSON (offset %d)", Vendor, path, syntax.Offset)
		}
		return fmt.Errorf("%s: GET %s: unexpected answer: %w", Vendor, path, err)
	}
	return nil
}

func personPath(id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return "", fmt.Errorf("%s: person id is empty: %w", Vendor, ErrInvalid)
	}
	if strings.ContainsAny(id, "/?#%") {
		return "", fmt.Errorf("%s: person id %q is not a UUID: %w", Vendor, id, ErrInvalid)
	}
	return peoplePath + "/" + id, nil
}
