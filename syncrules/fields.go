package syncrules

import "strings"

// Field is a customer field kept in sync by some flow. The external code is
// deliberately not a Field: an update never changes it (R-UPD-1).
type Field string

// The synced fields, in their stable order.
const (
	FieldName       Field = "name"
	FieldPhone      Field = "phone"
	FieldAddress    Field = "address"
	FieldComplement Field = "complement"
	FieldEmail      Field = "email"
	FieldNote       Field = "note"
)

// fieldOrder fixes the iteration order of a FieldSet, so hashes and reports
// are stable.
var fieldOrder = [...]Field{FieldName, FieldPhone, FieldAddress, FieldComplement, FieldEmail, FieldNote}

func fieldBit(f Field) FieldSet {
	for i, g := range fieldOrder {
		if g == f {
			return 1 << i
		}
	}
	return 0
}

// AllFields lists every synced field in the stable order.
func AllFields() []Field { return append([]Field(nil), fieldOrder[:]...) }

// FieldSet is a set of synced fields. The zero value is empty.
type FieldSet uint8

// NewFieldSet builds a set; unknown fields are ignored.
func NewFieldSet(fields ...Field) FieldSet {
	var s FieldSet
	for _, f := range fields {
		s |= fieldBit(f)
	}
	return s
}

// Has reports whether f is in the set.
func (s FieldSet) Has(f Field) bool {
	b := fieldBit(f)
	return b != 0 && s&b != 0
}

// Fields lists the members in the stable order (name, phone, address,
// complement, email, note).
func (s FieldSet) Fields() []Field {
	var out []Field
	for i, f := range fieldOrder {
		if s&(1<<i) != 0 {
			out = append(out, f)
		}
	}
	return out
}

// Len is the number of fields in the set.
func (s FieldSet) Len() int { return len(s.Fields()) }

// String lists the members, "name, phone".
func (s FieldSet) String() string { return joinFields(s.Fields()) }

func joinFields(fields []Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}
