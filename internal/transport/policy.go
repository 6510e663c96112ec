package transport

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verdict is a vendor policy's reading of one response.
type Verdict struct {
	Failed bool // the response is an error (whatever its status: Omie faults may come with 200)
	// Retry marks a transient failure worth another attempt.
	Retry bool
	// RateLimited means the vendor refused the request before acting on it,
	// so even a non-idempotent create may be sent again after Wait.
	RateLimited bool
	// Redundant marks a refusal for asking the same thing again too soon
	// (Omie's REDUNDANT), which no pacing avoids: it is not counted as a
	// budget refusal.
	Redundant bool
	// Wait is a pause the vendor asked for (Retry-After, "aguarde N segundos"); 0 lets the
	// policy's backoff decide.
	Wait    time.Duration
	Kind    Kind
	Code    string
	Message string
	Fields  map[string][]string
}

// Policy is how one vendor signals failures and how hard we may retry it.
type Policy struct {
	Vendor string
	// Classify reads a response whose body is already in memory. Nil means
	// DefaultClassify.
	Classify func(r *Response) Verdict
	// MaxRetries is the number of attempts after the first.
	MaxRetries int
	// BaseBackoff is the first backoff; it doubles per retry up to MaxWait.
	BaseBackoff time.Duration
	// MaxWait caps any single wait. A vendor asking for longer is not retried
	// here: the caller gets a *RateLimitError and can checkpoint instead of
	// blocking a goroutine for half an hour (go-retryablehttp itself would
	// honour any Retry-After, however long).
	MaxWait time.Duration
	// MaxRetryTime caps the total time spent waiting between attempts.
	MaxRetryTime time.Duration
}

// DefaultPolicy suits a plain JSON API: 429 and 5xx (but 501) are transient.
func DefaultPolicy(vendor string) Policy {
	return Policy{
		Vendor:       vendor,
		Classify:     DefaultClassify,
		MaxRetries:   4,
		BaseBackoff:  500 * time.Millisecond,
		MaxWait:      30 * time.Second,
		MaxRetryTime: 2 * time.Minute,
	}
}

// DefaultClassify maps status codes to verdicts and reads Retry-After.
// Vendor policies usually call it first and then refine Code, Message and
// Fields from the vendor's error body.
func DefaultClassify(r *Response) Verdict {
	if r.Status < 400 {
		return Verdict{}
	}
	v := Verdict{Failed: true, Kind: KindForStatus(r.Status)}
	switch {
	case r.Status == http.StatusTooManyRequests:
		v.Retry, v.RateLimited = true, true
		v.Wait = RetryAfter(r.Header)
	case r.Status >= 500 && r.Status != http.StatusNotImplemented:
		v.Retry = true
		if r.Status == http.StatusServiceUnavailable {
			v.Wait = RetryAfter(r.Header)
		}
	}
	return v
}

// KindForStatus is the usual meaning of an HTTP error status.
func KindForStatus(status int) Kind {
	switch {
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return KindInvalid
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusConflict:
		return KindConflict
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status >= 500:
		return KindServer
	default:
		return KindOther
	}
}

// RetryAfter parses a Retry-After header given in seconds or as an HTTP date
// (relative to the response's Date header when present, so no clock is read).
func RetryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	now, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return 0
	}
	if d := at.Sub(now); d > 0 {
		return d
	}
	return 0
}

// SecondsIn finds the first "N segundos" / "N seconds" in a vendor message
// (Omie: "Aguarde 30 segundos", "Tente novamente em 1800 segundos").
func SecondsIn(msg string) (time.Duration, bool) {
	lower := strings.ToLower(msg)
	for _, unit := range []string{"segundo", "second"} {
		idx := strings.Index(lower, unit)
		for idx > 0 {
			end := idx
			for end > 0 && lower[end-1] == ' ' {
				end--
			}
			start := end
			for start > 0 && lower[start-1] >= '0' && lower[start-1] <= '9' {
				start--
			}
			if start < end {
				n, err := strconv.Atoi(lower[start:end])
				if err == nil {
					return time.Duration(n) * time.Second, true
				}
			}
			next := strings.Index(lower[idx+len(unit):], unit)
			if next < 0 {
				break
			}
			idx += len(unit) + next
		}
	}
	return 0, false
}
