package auvo

import (
	"errors"
	"strings"
	"testing"

	"github.com/auvosync/auvosync/internal/testkit"
)

// sentLength is MaxLength by the key a body carries a field under.
func sentLength(key string) int {
	if key == "description" { // the name, under PUT's other key
		key = FieldName
	}
	return MaxLength(key)
}

func checkRefusal(t *testing.T, err error) {
	t.Helper()
	testkit.CheckRefusal(t, err, ErrInvalid, func(v *ValidationError) []string { return []string{v.Field} })
}

// R-BAD-1: whatever text an upsert or a patch carries, the check either
// refuses it with a ValidationError naming the field, or the body it lets
// through is clean UTF-8 within every limit Auvo is known to set.
func FuzzWriteValidation(f *testing.F) {
	for _, seed := range [][3]string{
		{"Padaria", "Bloco B", "cliente desde 2020"},
		{strings.Repeat("n", 501), strings.Repeat("c", 1001), strings.Repeat("o", 5001)},
		{"bad \xff byte", "tab\there", "line\r\nbreak"},
		{"nul\x00", "del\x7f", "c1\u0085"},
		{strings.Repeat("é", 500), strings.Repeat("ç", 1000), ""},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, name, short, long string) {
		c := Customer{
			ExternalID: "OMIE:" + short, Name: name, Document: short, PhoneNumbers: []string{short},
			Emails: []string{short, name}, Note: long, Address: long, AddressComplement: short, Manager: name,
			Active: true, Contacts: []Contact{{Name: name, Email: short}},
		}
		if err := validateCustomer("Upsert", c); err != nil {
			checkRefusal(t, err)
		} else {
			testkit.CheckLetThrough(t, name, short, long)
			testkit.CheckSent(t, c.out(nameAndDescription), sentLength)
		}
		ops := []PatchOp{Replace(FieldName, name), Replace(FieldNote, long), Replace(FieldAddressComplement, short),
			Replace(FieldEmail, []string{short}), Replace(FieldAddress, long)}
		for _, op := range ops {
			if err := op.validateValue(); err != nil {
				checkRefusal(t, err)
				return
			}
		}
		// Patch operations carry the field in path and the text in value.
		sent, _ := testkit.Sent(t, ops).([]any)
		for _, item := range sent {
			op, _ := item.(map[string]any)
			path, _ := op["path"].(string)
			testkit.CheckSentValue(t, path, op["value"], sentLength)
		}
	})
}

func TestWriteValidationNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Customer
		want string
	}{
		{"over-long note", Customer{Name: "A", ExternalID: "E", Note: strings.Repeat("o", 5001)}, "auvo: Upsert: note has 5001 characters, Auvo allows 5000"},
		{"line break in an address", Customer{Name: "A", ExternalID: "E", Address: "Rua A\r\n1"}, "auvo: Upsert: address has a line break at character 6"},
		{"control character in an e-mail", Customer{Name: "A", ExternalID: "E", Emails: []string{"ok@x.com", "a\x00@x.com"}}, "auvo: Upsert: email[1] has a control character at character 2"},
		{"invalid UTF-8 in a complement", Customer{Name: "A", ExternalID: "E", AddressComplement: "\xc3"}, "auvo: Upsert: adressComplement is not valid UTF-8 at character 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := validateCustomer("Upsert", tc.c)
			var verr *ValidationError
			if !errors.As(err, &verr) || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
	if err := Replace(FieldName, strings.Repeat("n", 501)).validateValue(); err == nil || err.Error() != "auvo: Patch: name has 501 characters, Auvo allows 500" {
		t.Fatalf("patch: got %v", err)
	}
}
