package testkit

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recorder stands in for the fuzz target's t: it keeps the first failure
// and stops the helper there, as t.Fatalf would.
type recorder struct {
	testing.TB
	failure string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failure = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// failure runs check against a recorder and returns what it failed with
// ("" when it passed).
func failure(t *testing.T, check func(testing.TB)) string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r.failure
}

var errInvalid = errors.New("invalid")

// fieldError is a vendor's *ValidationError: it matches what it wraps.
type fieldError struct {
	fields []string
	wraps  error
}

func (e *fieldError) Error() string { return "bad " + strings.Join(e.fields, ",") }
func (e *fieldError) Unwrap() error { return e.wraps }

func fieldsOf(e *fieldError) []string { return e.fields }

// R-BAD-1: a refusal is a validation error matching ErrInvalid that names
// every field it refuses.
func TestCheckRefusalAcceptsOnlyAValidationErrorNamingItsFields(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"names its fields":          {&fieldError{[]string{"nome", "email"}, errInvalid}, ""},
		"another error":             {errors.New("boom"), "is not a ValidationError"},
		"does not match ErrInvalid": {&fieldError{[]string{"nome"}, errors.New("other")}, "is not a ValidationError matching invalid"},
		"names no field":            {&fieldError{nil, errInvalid}, "names no field"},
		"one problem unnamed":       {&fieldError{[]string{"nome", ""}, errInvalid}, "has a problem that names no field"},
	} {
		t.Run(name, func(t *testing.T) {
			got := failure(t, func(tb testing.TB) { CheckRefusal(tb, tc.err, errInvalid, fieldsOf) })
			if tc.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tc.want)
			}
		})
	}
}

func TestCheckLetThroughFailsOnInvalidUTF8(t *testing.T) {
	assert.Empty(t, failure(t, func(tb testing.TB) { CheckLetThrough(tb, "ação", "") }))
	assert.Contains(t, failure(t, func(tb testing.TB) { CheckLetThrough(tb, "ok", "caf\xe9") }), "is not UTF-8 and was let through")
}

// R-BAD-1: what is sent is clean text within each key's limit, however deep
// it stands in the body.
func TestCheckSentFindsDirtyOrOverlongTextAnywhereInTheBody(t *testing.T) {
	limit := func(key string) int {
		if key == "nome" {
			return 3
		}
		return 0
	}
	type address struct {
		Street string `json:"rua"`
	}
	for name, tc := range map[string]struct {
		body      any
		maxLength func(string) int
		want      string
	}{
		"clean and short":                   {map[string]any{"nome": "Ana", "tags": []string{"a"}}, limit, ""},
		"over the key's limit":              {map[string]any{"nome": "Anas"}, limit, "nome has 4 characters, more than 3"},
		"no limits without maxLength":       {map[string]any{"nome": "Anas"}, nil, ""},
		"a control character in a struct":   {struct{ A address }{address{"Rua\x00A"}}, limit, `rua "Rua\x00A" holds control characters`},
		"a line break in a list":            {map[string]any{"tags": []string{"ok", "a\nb"}}, limit, "tags"},
		"encoded JSON is read as it stands": {[]byte(`{"nome":"Anas"}`), limit, "nome has 4 characters"},
		"characters, not bytes, count":      {map[string]any{"nome": "ção"}, limit, ""},
	} {
		t.Run(name, func(t *testing.T) {
			got := failure(t, func(tb testing.TB) { CheckSent(tb, tc.body, tc.maxLength) })
			if tc.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tc.want)
			}
		})
	}
}
