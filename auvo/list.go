package auvo

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// MaxPageSize is the largest page Auvo is reported to serve.
const MaxPageSize = 100

// ListOptions filter List. Zero values do not filter. They map to the keys
// of Auvo's paramFilter.
type ListOptions struct {
	// Active keeps active (true) or inactive (false) customers.
	Active *bool
	// ExternalIDs keeps customers whose externalId is one of these. Auvo
	// takes them comma-separated, so an id may not contain a comma.
	ExternalIDs []string
	// UpdatedSince keeps customers modified at or after this instant
	// (paramFilter dateLastUpdate, sent in São Paulo time, whole seconds
	// rounded down so nothing in the same second is missed).
	UpdatedSince time.Time
	// Description keeps customers whose name contains this text.
	Description string
	// Document keeps customers with this document.
	Document string
	// PageSize is the number of customers per request: 1 to 100, default 100.
	PageSize int
	// OnPage, when set, is called as each page arrives (progress reports).
	OnPage func(Page)
	// StartPage is the first page to read, 1-based; 0 means 1. A run that
	// stopped at its time box resumes its listing there (R-SCHED-3).
	StartPage int
}

// paramFilter builds the JSON object Auvo expects in the query string.
func (o ListOptions) paramFilter() (string, error) {
	f := map[string]any{}
	if o.Active != nil {
		f["active"] = *o.Active
	}
	if len(o.ExternalIDs) > 0 {
		ids := make([]string, 0, len(o.ExternalIDs))
		for _, id := range o.ExternalIDs {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if strings.Contains(id, ",") {
				return "", errorf("List: external id %q contains a comma, which Auvo's filter uses as a separator", id)
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return "", errorf("List: ExternalIDs holds only empty ids")
		}
		f["externalId"] = strings.Join(ids, ",")
	}
	if !o.UpdatedSince.IsZero() {
		f["dateLastUpdate"] = FormatTime(o.UpdatedSince.Truncate(time.Second))
	}
	if s := strings.TrimSpace(o.Description); s != "" {
		f["description"] = s
	}
	if s := strings.TrimSpace(o.Document); s != "" {
		f["cpfCnpj"] = s
	}
	data, err := json.Marshal(f)
	if err != nil {
		return "", errorf("List: encoding filter: %w", err)
	}
	return string(data), nil
}

type listPage struct {
	EntityList            []Customer `json:"entityList"`
	PagedSearchReturnData struct {
		PageSize   int `json:"pageSize"`
		Page       int `json:"page"`
		TotalItems int `json:"totalItems"`
	} `json:"pagedSearchReturnData"`
}

// List yields every customer matching opts, fetching pages of up to
// opts.PageSize in ascending order. It stops after a short page, an empty
// page or a 404 (Auvo answers 404 past the last page). After yielding an
// error it stops. Breaking out of the loop stops fetching.
func (c *Client) List(ctx context.Context, opts ListOptions) iter.Seq2[Customer, error] {
	opts.ExternalIDs = append([]string(nil), opts.ExternalIDs...)
	return func(yield func(Customer, error) bool) {
		pageSize := opts.PageSize
		if pageSize == 0 {
			pageSize = MaxPageSize
		}
		if pageSize < 0 || pageSize > MaxPageSize {
			yield(Customer{}, errorf("List: page size %d is outside 1..%d", opts.PageSize, MaxPageSize))
			return
		}
		filter, err := opts.paramFilter()
		if err != nil {
			yield(Customer{}, err)
			return
		}
		if opts.StartPage < 0 {
			yield(Customer{}, errorf("List: start page %d is below 1", opts.StartPage))
			return
		}
		first := max(opts.StartPage, 1)
		var previousFirst int64
		for page := first; ; page++ {
			q := url.Values{}
			q.Set("paramFilter", filter)
			q.Set("page", strconv.Itoa(page))
			q.Set("pageSize", strconv.Itoa(pageSize))
			q.Set("order", "asc")
			var p listPage
			_, err := c.call(ctx, transport.Request{Method: http.MethodGet, Path: customersPath, Query: q}, &p)
			if errors.Is(err, ErrNotFound) {
				return
			}
			if err != nil {
				yield(Customer{}, errorf("List: page %d: %w", page, err))
				return
			}
			if len(p.EntityList) == 0 {
				return
			}
			// A server that ignored page would loop forever on page 1.
			if page > first && p.EntityList[0].ID != 0 && p.EntityList[0].ID == previousFirst {
				yield(Customer{}, errorf("List: page %d repeats page %d; the server ignores paging", page, page-1))
				return
			}
			previousFirst = p.EntityList[0].ID
			if opts.OnPage != nil {
				total := p.PagedSearchReturnData.TotalItems
				if total <= 0 {
					total = -1
				}
				opts.OnPage(Page{Number: page, Items: len(p.EntityList), Total: total})
			}
			for _, cust := range p.EntityList {
				if !yield(cust, nil) {
					return
				}
			}
			// Auvo may serve fewer than asked per page; its answer says how
			// many it used, and only a page shorter than that is the last.
			served := pageSize
			if n := p.PagedSearchReturnData.PageSize; n > 0 && n < served {
				served = n
			}
			if len(p.EntityList) < served {
				return
			}
		}
	}
}
