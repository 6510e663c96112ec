package transport

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kind groups vendor failures by what a caller can do about them.
type Kind int

const (
	KindOther        Kind = iota
	KindInvalid           // the request was refused as malformed or invalid (400, 422)
	KindUnauthorized      // credentials missing, wrong or expired (401, bad app key)
	KindForbidden         // authenticated but not allowed (403 that is not a rate limit)
	KindNotFound          // the addressed record does not exist (404)
	KindConflict          // duplicate or conflicting record (409, "já cadastrado")
	KindRateLimited       // the vendor asked us to slow down
	KindBlocked           // the vendor blocked the account or IP for a while (Omie misuse)
	KindServer            // the vendor failed (5xx without a more specific meaning)
)

var kindNames = [...]string{"other", "invalid", "unauthorized", "forbidden", "not found", "conflict", "rate limited", "blocked", "server error"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Sentinels for errors.Is: every *APIError matches the sentinel of its Kind.
var (
	ErrInvalid      = errors.New("request invalid")
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrRateLimited  = errors.New("rate limited")
	ErrBlocked      = errors.New("blocked by vendor")
	ErrServer       = errors.New("vendor server error")
)

var kindSentinels = map[Kind]error{
	KindInvalid:      ErrInvalid,
	KindUnauthorized: ErrUnauthorized,
	KindForbidden:    ErrForbidden,
	KindNotFound:     ErrNotFound,
	KindConflict:     ErrConflict,
	KindRateLimited:  ErrRateLimited,
	KindBlocked:      ErrBlocked,
	KindServer:       ErrServer,
}

// APIError is a failure the vendor reported. Its text holds the method, the
// path without query string, the status and the vendor's own code and
// message, so it is safe to log: vendors' messages do not echo credentials.
type APIError struct {
	Vendor  string
	Method  string
	Path    string
	Status  int
	Kind    Kind
	Code    string              // vendor error code ("SOAP-ENV:Client-5113", "VALIDATION_ERROR")
	Message string              // vendor message
	Fields  map[string][]string // per-field validation messages, when the vendor gives them
	// Wait is how long the vendor asked us to wait before trying again, if it said.
	Wait time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s: %d %s", e.Vendor, e.Method, e.Path, e.Status, e.Kind)
	if e.Code != "" {
		fmt.Fprintf(&b, " [%s]", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Fprintf(&b, "; %s: %s", name, strings.Join(e.Fields[name], ", "))
		}
	}
	if e.Wait > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.Wait)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and friends work on any *APIError.
func (e *APIError) Is(target error) bool {
	s, ok := kindSentinels[e.Kind]
	return ok && s == target
}

// RateLimitError is returned when the vendor kept refusing for rate limits
// after the retries the policy allows, or asked for a wait longer than the
// policy's cap. RetryAfter is the vendor's last requested wait (0 if unknown).
// The request was not carried out, so it may be sent again later.
type RateLimitError struct {
	*APIError
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return "rate limit: " + e.APIError.Error()
}

// Unwrap exposes the vendor's error, so errors.As(err, new(*APIError)) works.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// Is reports a match for ErrRateLimited whatever the underlying kind, and
// for the underlying kind's sentinel (Omie's misuse block is also ErrBlocked).
func (e *RateLimitError) Is(target error) bool {
	return target == ErrRateLimited || e.APIError.Is(target)
}

// NetworkError is a request that got no HTTP answer (connection refused,
// reset, timeout). Uncertain is set when the request was a non-idempotent
// write: it may have reached the vendor and been applied, so the caller must
// read the state back before sending it again.
type NetworkError struct {
	Vendor    string
	Method    string
	Path      string
	Uncertain bool
	Err       error
}

func (e *NetworkError) Error() string {
	msg := fmt.Sprintf("%s: %s %s: network error: %v", e.Vendor, e.Method, e.Path, e.Err)
	if e.Uncertain {
		msg += " (outcome unknown: read back before retrying)"
	}
	return msg
}

func (e *NetworkError) Unwrap() error { return e.Err }
