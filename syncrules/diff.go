package syncrules

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Diff lists the synced fields (of fields, in their stable order) whose
// values differ between src and dst after normalisation; nil when none do.
// The external code is never compared (R-UPD-1).
//
// Normalisation, chosen so that a vendor's cosmetic rewrite does not look
// like an edit and cause ping-pong between a pair of flows:
//   - name, complement, note: surrounding and repeated spaces and letter case
//     are ignored; accents count ("Jose" → "José" is a real correction);
//   - phones: the set of DDD+number digits, order and repeats ignored;
//   - e-mails: the set of addresses, case, order and repeats ignored;
//   - address: the structured fields street, number, district, city, state
//     and CEP in that order, or the one AddressLine when the customer has no
//     structured address; accents, case, punctuation, the CEP's hyphen or dots
//     and a trailing country name are ignored. Address.Complement is not part
//     of it (the complement is a field of its own). A side given only as a
//     line matches a structured side when the line lists the same parts in
//     that order, so flows should give both sides in the same form.
//
// Diff and Hash see the same normalised values: Diff(f, a, b) is empty
// exactly when Hash(f, a) == Hash(f, b).
func Diff(fields FieldSet, src, dst Customer) []Field {
	var out []Field
	for _, f := range fields.Fields() {
		if syncedValue(f, src) != syncedValue(f, dst) {
			out = append(out, f)
		}
	}
	return out
}

// Hash is a stable hex SHA-256 of the normalised synced fields of c, as Diff
// compares them. Flows store it in the ledger after each write or read so
// that the next run can tell an echo of its own write from a real change
// (R-UPD-3).
func Hash(fields FieldSet, c Customer) string {
	h := sha256.New()
	for _, f := range fields.Fields() {
		// Length-prefixing each part keeps distinct values from colliding
		// through concatenation.
		v := syncedValue(f, c)
		h.Write([]byte(string(f)))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(len(v))))
		h.Write([]byte{0})
		h.Write([]byte(v))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func syncedValue(f Field, c Customer) string {
	switch f {
	case FieldName:
		return normText(c.Name)
	case FieldPhone:
		digits := make([]string, 0, len(c.Phones))
		for _, p := range c.Phones {
			if d := onlyDigits(p.Digits()); d != "" {
				digits = append(digits, d)
			}
		}
		return sortedSet(digits)
	case FieldEmail:
		emails := CleanEmails(c.Emails)
		for i, e := range emails {
			emails[i] = strings.ToLower(e)
		}
		return sortedSet(emails)
	case FieldAddress:
		return addressKey(c)
	case FieldComplement:
		return normText(c.Complement)
	case FieldNote:
		return normText(c.Note)
	}
	return ""
}

func normText(s string) string { return strings.ToLower(collapseSpaces(s)) }

// sortedSet renders a set of strings canonically; quoting each item keeps
// ["a,b"] and ["a", "b"] apart.
func sortedSet(items []string) string {
	slices.Sort(items)
	items = slices.Compact(items)
	for i, it := range items {
		items[i] = strconv.Quote(it)
	}
	return strings.Join(items, ",")
}

func addressKey(c Customer) string {
	a := c.Address
	parts := []string{a.Street, a.Number, a.District, a.City, a.State, a.ZIP}
	line := strings.Join(parts, " ")
	if strings.TrimSpace(line) == "" {
		line = c.AddressLine
	}
	return normAddressLine(line)
}

// normAddressLine folds an address to lower-case ASCII words: punctuation
// becomes a word break, except that dots vanish ("Av." = "Av") and a hyphen,
// dot or slash between digits vanishes too, so "01.310-200" = "01310200".
func normAddressLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, prevDigit := false, false
	for i, c := range s {
		c = foldRune(unicode.ToLower(c))
		switch {
		case c == '.':
			prevDigit = false
			continue
		case (c == '-' || c == '/') && prevDigit && i+1 < len(s) && isDigit(rune(s[i+1])):
			continue
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(c)
		default:
			space = true
		}
		prevDigit = isDigit(c)
	}
	out := b.String()
	for _, country := range [...]string{"brasil", "brazil"} {
		if out == country {
			return ""
		}
		if strings.HasSuffix(out, " "+country) {
			return out[:len(out)-len(country)-1]
		}
	}
	return out
}
