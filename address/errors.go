package address

import "errors"

// Reasons a line is rejected. A *ParseError wraps exactly one of them, so
// callers can branch with errors.Is(err, address.ErrNoNumber).
var (
	ErrEmpty          = errors.New("empty line")
	ErrTooLong        = errors.New("line too long")
	ErrNoState        = errors.New("no state")
	ErrUnknownState   = errors.New("unknown state")
	ErrCityNotInState = errors.New("city not in state")
	ErrNoNumber       = errors.New("no number")
	ErrInvalidCEP     = errors.New("invalid CEP")
	ErrOtherTarget    = errors.New("pattern of another partner")
	ErrLayout         = errors.New("layout not recognised")
)

// ParseError says why a line fits none of the accepted patterns (R-ADDR-1).
type ParseError struct {
	Line   string // the input, as given
	Reason string // for people: `unknown state "XX"`, `city "Campinas" is not in RJ (it is in SP)`
	Err    error  // one of the Err* values above
}

func (e *ParseError) Error() string {
	return "address not in an accepted pattern: " + e.Reason
}

func (e *ParseError) Unwrap() error { return e.Err }

func parseError(line string, kind error, reason string) *ParseError {
	return &ParseError{Line: line, Reason: reason, Err: kind}
}
