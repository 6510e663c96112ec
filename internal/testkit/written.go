package testkit

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/auvosync/auvosync/internal/plaintext"
)

// The property every vendor's write-validation fuzz target holds (R-BAD-1):
// the check either refuses the record with a validation error that names
// the fields (CheckRefusal), or what it lets through was UTF-8
// (CheckLetThrough) and the body sent carries only clean text within the
// vendor's limits (CheckSent). The targets keep their seeds, records and
// bodies; these helpers are the property.

// CheckRefusal fails t unless err is a refusal before sending: an E (the
// vendor's *ValidationError) that matches invalid (its ErrInvalid) and names
// at least one field, and no empty one, by fields.
func CheckRefusal[E error](t testing.TB, err, invalid error, fields func(E) []string) {
	t.Helper()
	var verr E
	if !errors.As(err, &verr) || !errors.Is(err, invalid) {
		t.Fatalf("refusal %v is not a ValidationError matching %v", err, invalid)
	}
	names := fields(verr)
	if len(names) == 0 {
		t.Fatalf("refusal %v names no field", err)
	}
	for _, name := range names {
		if name == "" {
			t.Fatalf("refusal %v has a problem that names no field", err)
		}
	}
}

// CheckLetThrough fails t when a value a check accepted is not UTF-8.
func CheckLetThrough(t testing.TB, values ...string) {
	t.Helper()
	for _, v := range values {
		if !utf8.ValidString(v) {
			t.Fatalf("%q is not UTF-8 and was let through", v)
		}
	}
}

// CheckSent fails t unless every string in body, as its JSON carries it, is
// clean text (plaintext.IsClean) of at most maxLength(key) characters, key
// being the name it stands under (0: no limit; maxLength may be nil). body
// is a value to encode, or JSON already encoded ([]byte).
func CheckSent(t testing.TB, body any, maxLength func(key string) int) {
	t.Helper()
	CheckSentValue(t, "", Sent(t, body), maxLength)
}

// Sent is body as the vendor receives it: its JSON decoded into any. body
// is a value to encode, or JSON already encoded ([]byte).
func Sent(t testing.TB, body any) any {
	t.Helper()
	data, ok := body.([]byte)
	if !ok {
		var err error
		if data, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	var sent any
	if err := json.Unmarshal(data, &sent); err != nil {
		t.Fatal(err)
	}
	return sent
}

// CheckSentValue is CheckSent over a decoded value standing under key: the
// strings of an object stand under their own keys, a list's under the
// list's key.
func CheckSentValue(t testing.TB, key string, v any, maxLength func(key string) int) {
	t.Helper()
	switch x := v.(type) {
	case string:
		if !plaintext.IsClean(x) {
			t.Fatalf("%s %q holds control characters", key, x)
		}
		if maxLength == nil {
			return
		}
		if limit := maxLength(key); limit > 0 && utf8.RuneCountInString(x) > limit {
			t.Fatalf("%s has %d characters, more than %d", key, utf8.RuneCountInString(x), limit)
		}
	case map[string]any:
		for k, e := range x {
			CheckSentValue(t, k, e, maxLength)
		}
	case []any:
		for _, e := range x {
			CheckSentValue(t, key, e, maxLength)
		}
	}
}
