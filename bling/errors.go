package bling

import (
	"errors"
	"fmt"
	"time"

	"github.com/auvosync/auvosync/internal/oauthtoken"
)

// Bling's APIError: Code holds error.type (VALIDATION_ERROR,
// RESOURCE_NOT_FOUND, ...), Message error.message and error.description,
// Fields the per-field messages keyed by element (collection items as
// "element[index].element").

// The OAuth token store and its errors (the names contaazul uses too).
type (
	// TokenStore persists the rotating token pair.
	TokenStore = oauthtoken.Store
	// ReauthorizeError: the refresh token was refused (invalid_grant); a person
	// must authorise the app again.
	ReauthorizeError = oauthtoken.ReauthorizeError
	// MemoryTokenStore keeps tokens in memory (tests, demos).
	MemoryTokenStore = oauthtoken.MemoryStore
)

// Sentinels for errors.Is.
var (
	// ErrReauthorize matches *ReauthorizeError.
	ErrReauthorize = oauthtoken.ErrReauthorize
	// ErrTokenEndpoint matches a token refresh that got no usable answer
	// (unreachable, 5xx, not JSON): no request can be sent until it answers.
	ErrTokenEndpoint = oauthtoken.ErrTokenEndpoint

	// ErrDailyBudgetExhausted matches *BudgetError.
	ErrDailyBudgetExhausted = errors.New("bling: daily request budget exhausted")
	// ErrCircuitOpen matches *CircuitOpenError.
	ErrCircuitOpen = errors.New("bling: too many consecutive errors, not sending for a while")
)

// BudgetError is returned, without sending anything, once the day's request
// budget is spent. The budget renews at midnight in São Paulo.
type BudgetError struct {
	Used, Limit int
	ResetAt     time.Time
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("bling: daily request budget exhausted (%d of %d used); it renews at %s",
		e.Used, e.Limit, e.ResetAt.Format(time.RFC3339))
}

func (e *BudgetError) Is(target error) bool { return target == ErrDailyBudgetExhausted }

// CircuitOpenError is returned, without sending anything, while the client
// cools down after a run of error responses (Bling blocks the IP after 300
// errors in 10 s).
type CircuitOpenError struct {
	Failures int
	Until    time.Time
}

func (e *CircuitOpenError) Error() string {
	return fmt.Sprintf("bling: %d consecutive error responses; not sending until %s",
		e.Failures, e.Until.Format(time.RFC3339))
}

func (e *CircuitOpenError) Is(target error) bool { return target == ErrCircuitOpen }
