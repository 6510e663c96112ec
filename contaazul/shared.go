package contaazul

import "github.com/auvosync/auvosync/internal/transport"

// The names every vendor package exports alike (docs/vendor-shape.md): one
// definition in the shared transport, so an error from any vendor client
// matches the same sentinels and types.
type (
	// APIError is a failure the vendor reported (errors.Is matches the
	// sentinel of its Kind).
	APIError = transport.APIError
	// RateLimitError is returned when the vendor kept refusing for its rate
	// limit after the retries allowed. The request was not carried out.
	RateLimitError = transport.RateLimitError
	// NetworkError is a request that got no HTTP answer. Uncertain means a
	// write may have been applied: read back before sending it again.
	NetworkError = transport.NetworkError
	// Kind groups vendor failures by what a caller can do about them.
	Kind = transport.Kind
	// Limit is one client-side allowance (WithRateLimit).
	Limit = transport.Limit
	// Page describes one page of a listing as it arrives (ListOptions.OnPage).
	Page = transport.Page
	// Observer receives per-attempt facts, for metrics (WithObserver).
	Observer = transport.Observer
)

// The kinds of APIError.
const (
	KindOther        = transport.KindOther
	KindInvalid      = transport.KindInvalid
	KindUnauthorized = transport.KindUnauthorized
	KindForbidden    = transport.KindForbidden
	KindNotFound     = transport.KindNotFound
	KindConflict     = transport.KindConflict
	KindRateLimited  = transport.KindRateLimited
	KindBlocked      = transport.KindBlocked
	KindServer       = transport.KindServer
)

// Sentinels for errors.Is; every *APIError matches the one of its Kind.
var (
	ErrInvalid      = transport.ErrInvalid      // refused as malformed or invalid (400, 422, or before sending)
	ErrUnauthorized = transport.ErrUnauthorized // credentials missing, wrong or expired
	ErrForbidden    = transport.ErrForbidden    // authenticated but not allowed
	ErrNotFound     = transport.ErrNotFound     // the addressed record does not exist
	ErrConflict     = transport.ErrConflict     // duplicate or conflicting record
	ErrRateLimited  = transport.ErrRateLimited  // the vendor asked us to slow down
	ErrBlocked      = transport.ErrBlocked      // the vendor blocked the account or IP for a while
	ErrServer       = transport.ErrServer       // the vendor failed
)
