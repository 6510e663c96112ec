package bling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/document"
	timewindow "github.com/auvosync/auvosync/internal/window"
)

// Criterion is the list's criterio parameter.
type Criterion int

// Bling's default is CriterionLatestAdded, which returns only the latest
// added contacts; this client sends CriterionAll unless told otherwise.
const (
	CriterionAll         Criterion = 1 // Todos
	CriterionDeleted     Criterion = 2 // Excluídos
	CriterionLatestAdded Criterion = 3 // Últimos incluídos (Bling's default)
	CriterionNoMovement  Criterion = 4 // Sem movimento
)

// MaxPageSize is the largest limite Bling serves.
const MaxPageSize = 100

// MaxWindow is the longest date range one list request may span: Bling
// answers 400 beyond a year, so longer ranges are split into windows of at
// most 365 days.
const MaxWindow = 365 * 24 * time.Hour

// DateTimeLayout is Bling's format for date filters, in São Paulo time.
const DateTimeLayout = "2006-01-02 15:04:05"

// ListOptions filters List. The zero value lists every contact.
type ListOptions struct {
	// Document filters by CPF/CNPJ (numeroDocumento); punctuation is
	// ignored and an alphanumeric CNPJ's letters are kept, upper-cased.
	Document string
	// ChangedFrom and ChangedTo bound the last change (dataAlteracaoInicial /
	// dataAlteracaoFinal), inclusive, at second precision. A zero bound is
	// open. Ranges over MaxWindow are split into consecutive windows.
	ChangedFrom, ChangedTo time.Time
	// PageSize is limite, 1..100 (0 means 100).
	PageSize int
	// Criterion is criterio (0 means CriterionAll).
	Criterion Criterion
	// OnPage, when set, is called as each page arrives (progress reports).
	// Bling does not say how many contacts a listing holds: Total is -1.
	OnPage func(Page)
	// Status keeps only contacts with this situacao. Bling has no such
	// filter: it is applied here, to the summaries it returns.
	Status string
	// StartPage is the first page of the first date window to read,
	// 1-based; 0 means 1. A run that stopped at its time box resumes its
	// listing there (R-SCHED-3). Later windows start at their page 1.
	StartPage int
}

func (o *ListOptions) check() error {
	if o.PageSize == 0 {
		o.PageSize = MaxPageSize
	}
	if o.PageSize < 1 || o.PageSize > MaxPageSize {
		return fmt.Errorf("bling: page size %d must be between 1 and %d", o.PageSize, MaxPageSize)
	}
	if o.Criterion == 0 {
		o.Criterion = CriterionAll
	}
	if o.Criterion < CriterionAll || o.Criterion > CriterionNoMovement {
		return fmt.Errorf("bling: criterio %d must be 1, 2, 3 or 4", o.Criterion)
	}
	if o.Status != "" && !validStatus(o.Status) {
		return fmt.Errorf("bling: status filter %q must be A, I, E or S", o.Status)
	}
	if o.StartPage < 0 {
		return fmt.Errorf("bling: start page %d is below 1", o.StartPage)
	}
	if o.Document != "" && !strings.ContainsAny(document.Key(o.Document), "0123456789") {
		// Every CPF and CNPJ ends in two check digits.
		return errors.New("bling: document filter has no digits")
	}
	if !o.ChangedFrom.IsZero() && !o.ChangedTo.IsZero() && o.ChangedTo.Before(o.ChangedFrom) {
		return errors.New("bling: ChangedTo is before ChangedFrom")
	}
	return nil
}

// window is one list request's dataAlteracaoInicial/Final pair: both
// inclusive, whole seconds; a zero to is an open end.
type window struct{ from, to time.Time }

// windows splits [from, to] (to zero: up to now) into ranges Bling accepts.
// Bling's bounds are inclusive, so the half-open windows of package window
// go out as [From, To−1s] and consecutive ones neither overlap nor leave a
// gap. The last window keeps an open end when to is zero, so nothing changed
// while we page is lost to clock skew.
func windows(from, to, now time.Time) []window {
	if from.IsZero() {
		return []window{{from, to}}
	}
	end := to
	if end.IsZero() {
		end = now
	}
	span, ok := timewindow.SecondsInclusive(from, end)
	if !ok {
		return []window{{from.Truncate(time.Second), to}}
	}
	var out []window
	for _, w := range timewindow.Split(span.From, span.To, MaxWindow) {
		out = append(out, window{w.From, w.LastSecond()})
	}
	out[len(out)-1].to = to
	return out
}

// formatTime renders t in São Paulo time; ceil rounds a fractional second up
// so an inclusive upper bound does not drop that second's changes.
func formatTime(t time.Time, ceil bool) string {
	if ceil && t.Truncate(time.Second) != t {
		t = t.Truncate(time.Second).Add(time.Second)
	}
	return t.In(saoPaulo).Format(DateTimeLayout)
}

// List yields contact summaries page by page (only the summary fields are
// filled; call Get for the detail). It stops after yielding an error.
// Pages are read lazily: breaking out of the loop stops the requests.
func (c *Client) List(ctx context.Context, opts ListOptions) iter.Seq2[Contact, error] {
	return func(yield func(Contact, error) bool) {
		if err := opts.check(); err != nil {
			yield(Contact{}, err)
			return
		}
		first := max(opts.StartPage, 1)
		for _, w := range windows(opts.ChangedFrom, opts.ChangedTo, c.clock()) {
			if !c.listWindow(ctx, opts, w, first, yield) {
				return
			}
			first = 1
		}
	}
}

// listWindow pages through one date window; false means stop.
func (c *Client) listWindow(ctx context.Context, opts ListOptions, w window, first int, yield func(Contact, error) bool) bool {
	base := url.Values{}
	base.Set("limite", strconv.Itoa(opts.PageSize))
	base.Set("criterio", strconv.Itoa(int(opts.Criterion)))
	if opts.Document != "" {
		base.Set("numeroDocumento", document.Key(opts.Document))
	}
	if !w.from.IsZero() {
		base.Set("dataAlteracaoInicial", formatTime(w.from, false))
	}
	if !w.to.IsZero() {
		base.Set("dataAlteracaoFinal", formatTime(w.to, true))
	}
	var previousFirst int64
	for page := first; ; page++ {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		q.Set("pagina", strconv.Itoa(page))
		items, err := c.listPage(ctx, q)
		if err != nil {
			yield(Contact{}, err)
			return false
		}
		if len(items) > 0 {
			// A server that ignores pagina would make this loop forever.
			if page > first && items[0].ID == previousFirst {
				yield(Contact{}, fmt.Errorf("bling: GET /contatos page %d repeats page %d; stopping", page, page-1))
				return false
			}
			previousFirst = items[0].ID
		}
		if opts.OnPage != nil && len(items) > 0 {
			opts.OnPage(Page{Number: page, Items: len(items), Total: -1})
		}
		for _, item := range items {
			if opts.Status != "" && item.Status != opts.Status {
				continue
			}
			if !yield(item, nil) {
				return false
			}
		}
		if len(items) < opts.PageSize {
			return true
		}
	}
}

func (c *Client) listPage(ctx context.Context, q url.Values) ([]Contact, error) {
	resp, err := c.do(ctx, request{method: http.MethodGet, path: "/contatos", query: q})
	if err != nil {
		return nil, err
	}
	var env struct {
		Data []contactWire `json:"data"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return nil, errors.New("bling: GET /contatos: response is not a {data:[...]} envelope")
	}
	out := make([]Contact, len(env.Data))
	for i, w := range env.Data {
		out[i] = w.contact(false)
	}
	return out, nil
}
