package flows

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// Record is one customer as a System read or wrote it: the canonical values
// plus the vendor's own record, which an update merges into so that fields
// the integration does not own are preserved.
type Record struct {
	syncrules.Customer
	// Key is the partner record's own integration key when it has one (Omie
	// codigo_cliente_integracao, Conta Azul codigo): creates set it to the
	// Auvo id so a read-back can recognise our own record.
	Key string
	// Created is when the record was created, for "link the oldest".
	Created time.Time
	// Raw is the vendor's record (auvo.Customer, omie.Cliente, ...).
	Raw any
}

// System is one vendor as the flows use it. Implementations translate to
// and from the canonical customer; errors keep the vendor's typed errors.
type System interface {
	// Changed streams the records modified at or after since; the zero time
	// streams every record. It starts at page startPage (1-based; 0 means
	// 1) of the listing, where a time-boxed run stopped (R-SCHED-3), and
	// numbers pages as the vendor does. onPage, when not nil, hears of each
	// page as it arrives, before its records; a System that reports no
	// pages is read to its end in every run (it is never time-boxed).
	//
	// What a resumed listing relies on (see checkpoint.go): the listing's
	// order is fixed for records nobody changes. Omie lists by code
	// (ordenar_por's default "Código"), Conta Azul by name (tipo_ordenacao
	// NOME); Auvo (order=asc) and Bling do not say by what, and their
	// fakes list by id. So new records, deletions and changed records may
	// move the pages, but not records past one another unless one of them
	// changed, and a changed record is read again by the next pass. Auvo's,
	// Omie's and Bling's windows are open at their end, so a record changed
	// while the pass goes on does not leave them; Conta Azul's needs an end,
	// which its client sets when each run starts listing.
	Changed(ctx context.Context, since time.Time, startPage int, onPage func(Page)) iter.Seq2[Record, error]
	// Complete fills in what a listing leaves out (Bling lists summaries).
	// Systems whose listings are complete return r unchanged without a call.
	Complete(ctx context.Context, r Record) (Record, error)
	// FindByDocument returns the records whose CPF/CNPJ normalises to doc.
	// Matching reads the index instead (index.go); this lookup is the
	// read-back of a create whose intent is still open.
	FindByDocument(ctx context.Context, doc string) ([]Record, error)
	// Get returns one record or an error matching ErrNotFound.
	Get(ctx context.Context, id string) (Record, error)
	// Create writes a new record from c. key identifies the write so that a
	// retry or a read-back finds the same record (the Auvo id for partners,
	// the partner id, as external code, for Auvo).
	Create(ctx context.Context, c syncrules.Customer, key string) (Record, error)
	// Update writes fields of src into current and returns the record as it
	// now stands.
	Update(ctx context.Context, current Record, src syncrules.Customer, fields []syncrules.Field) (Record, error)
	// Project returns c as this system would store and read it back (phones
	// it has room for, e-mails joined, ...), so that differences the system
	// cannot hold do not show as changes on every run.
	Project(c syncrules.Customer) syncrules.Customer
}

// AuvoSystem is Auvo: a System that also carries the link in its external
// code.
type AuvoSystem interface {
	System
	// SetExternalCode links an Auvo customer to a partner record.
	SetExternalCode(ctx context.Context, id, code string) (Record, error)
}

// IdempotentCreator is implemented by Systems whose Create is an upsert on
// the key (Omie's UpsertCliente, Auvo's PUT by external code): resending it
// cannot duplicate, so no intent needs recording before it.
type IdempotentCreator interface {
	CreatesAreIdempotent() bool
}

func idempotentCreates(s System) bool {
	ic, ok := s.(IdempotentCreator)
	return ok && ic.CreatesAreIdempotent()
}

// Page describes one page of a source listing as it arrives, for progress
// reports during long backfills.
type Page struct {
	Number int // 1-based
	Items  int // records on this page
	// Total is the number of records the whole listing holds, as the vendor
	// reports it, or -1 when the vendor does not say (Bling).
	Total int
}

// vendorPage is the Page every vendor package exports (auvo.Page,
// omie.Page, ...: one type, the same fields as Page).
type vendorPage = auvo.Page

// pageHook adapts onPage (which may be nil) to a vendor listing's OnPage.
func pageHook(onPage func(Page)) func(vendorPage) {
	if onPage == nil {
		return nil
	}
	return func(p vendorPage) { onPage(Page(p)) }
}

// The four vendor packages export the same sentinels and error types (one
// definition each, held by the vendor shape test in internal/shapetest), so
// auvo's names match an error from any vendor client.

// ErrNotFound is what a System's Get returns (wrapped) for a missing record.
var ErrNotFound = auvo.ErrNotFound

// fatal reports whether err must stop the whole run rather than fail one
// record (RULES.md R-BAD-1). It is a positive list of what no other record
// could get past either: credentials refused, the vendor's limits, budgets
// and blocks, the network gone, the run cancelled, the ledger failing.
// Everything else (a value refused by the client or the vendor, a vendor
// error on this one record, an answer that cannot be read) fails only the
// record, and the run goes on; a vendor that is really down fails record
// after record until the failure streak stops the run.
func fatal(err error) bool {
	if err == nil {
		return false
	}
	var network *auvo.NetworkError
	var store *ledgerError
	switch {
	// bling's OAuth sentinels are contaazul's too (one token source).
	case errors.Is(err, bling.ErrReauthorize), errors.Is(err, auvo.ErrUnauthorized),
		errors.Is(err, auvo.ErrForbidden):
		return true // credentials refused or not allowed: every record would fail alike
	case errors.Is(err, auvo.ErrRateLimited), errors.Is(err, auvo.ErrBlocked),
		errors.Is(err, bling.ErrDailyBudgetExhausted), errors.Is(err, bling.ErrCircuitOpen):
		return true // going on would only spend a budget the vendor already refuses
	case errors.As(err, &network), errors.Is(err, bling.ErrTokenEndpoint):
		return true // no answer from the vendor: the next record would get none either
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &store):
		return store.fatal()
	}
	return false
}

// ledgerError is a failure of the ledger met while handling one record. The
// ledger failing stops the run (links, intents and hashes that cannot be
// recorded would make the next run act on a wrong picture); its verdicts on
// one record (locked, unknown link, intent already closed) fail that record.
type ledgerError struct{ err error }

func (e *ledgerError) Error() string { return e.err.Error() }
func (e *ledgerError) Unwrap() error { return e.err }

func (e *ledgerError) fatal() bool {
	return !errors.Is(e.err, ledger.ErrLocked) && !errors.Is(e.err, ledger.ErrNotFound) &&
		!errors.Is(e.err, ledger.ErrIntentClosed)
}

// inLedger marks err, from a ledger call, as the ledger's.
func inLedger(err error) error {
	if err == nil {
		return nil
	}
	return &ledgerError{err}
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// parseID reads a numeric vendor id. An id of another shape (an external
// code written by hand, or another ERP's id) cannot name a record here, so
// it reads as not found.
func parseID(vendor, id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a %s id: %w", id, vendor, ErrNotFound)
	}
	return n, nil
}
