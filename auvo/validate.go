package auvo

import (
	"fmt"
	"unicode/utf8"

	"github.com/auvosync/auvosync/internal/plaintext"
)

// ValidationError is a write refused before it was sent. It matches
// ErrInvalid with errors.Is. Messages name the field but never echo its
// value (it may be a CPF or an e-mail).
type ValidationError struct {
	Op      string // "Upsert", "Patch", ...
	Field   string // Auvo's attribute name ("adressComplement"), "" for the request as a whole
	Problem string
}

func (e *ValidationError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("auvo: %s: %s", e.Op, e.Problem)
	}
	return fmt.Sprintf("auvo: %s: %s %s", e.Op, e.Field, e.Problem)
}

// Is lets errors.Is(err, ErrInvalid) catch local refusals too.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// maxLengths are the reported limits of Auvo's customer attributes (the
// newer portal's schema, as integrators quote it); the v2 Blueprint gives
// none. A longer value is refused here, naming the field, rather than met
// as a 400 mid-run.
var maxLengths = map[string]int{
	FieldExternalID:        255,
	FieldName:              500,
	FieldManager:           500,
	FieldNote:              5000,
	FieldAddressComplement: 1000,
}

// MaxLength is the most characters Auvo takes in a customer attribute (a
// Field constant), or 0 when no limit is known. Callers that clip a value
// to fit read the limit here, so the limit that clips and the one that
// refuses are the same number.
func MaxLength(field string) int { return maxLengths[field] }

// checkText refuses a value that is not clean text or is over its limit.
func checkText(op, field, value string) error {
	if p := plaintext.Problem(value); p != "" {
		return &ValidationError{Op: op, Field: field, Problem: p}
	}
	if limit := maxLengths[field]; limit > 0 {
		if n := utf8.RuneCountInString(value); n > limit {
			return &ValidationError{Op: op, Field: field, Problem: fmt.Sprintf("has %d characters, Auvo allows %d", n, limit)}
		}
	}
	return nil
}

func checkList(op, field string, values []string) error {
	for i, v := range values {
		if err := checkText(op, fmt.Sprintf("%s[%d]", field, i), v); err != nil {
			return err
		}
	}
	return nil
}

// validateCustomer checks the text a create or upsert sends.
func validateCustomer(op string, c Customer) error {
	for _, f := range []struct{ field, value string }{
		{FieldExternalID, c.ExternalID}, {FieldName, c.Name}, {FieldDocument, c.Document},
		{FieldManager, c.Manager}, {FieldManagerJobPosition, c.ManagerJobPosition}, {FieldNote, c.Note},
		{FieldAddress, c.Address}, {FieldAddressComplement, c.AddressComplement},
	} {
		if err := checkText(op, f.field, f.value); err != nil {
			return err
		}
	}
	if err := checkList(op, FieldPhoneNumber, c.PhoneNumbers); err != nil {
		return err
	}
	if err := checkList(op, FieldEmail, c.Emails); err != nil {
		return err
	}
	for i, ct := range c.Contacts {
		for _, f := range []struct{ field, value string }{
			{"name", ct.Name}, {"jobPosition", ct.JobPosition}, {"email", ct.Email}, {"phone", ct.Phone},
		} {
			if err := checkText(op, fmt.Sprintf("contacts[%d].%s", i, f.field), f.value); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateValue checks the text a patch operation sends.
func (op PatchOp) validateValue() error {
	field := patchPath(op.Path)
	switch v := op.Value.(type) {
	case string:
		return checkText("Patch", field, v)
	case []string:
		return checkList("Patch", field, v)
	}
	return nil
}
