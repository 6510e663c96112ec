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

// Hash fingerprints the normalised synced fields of c, as Diff compares
// them, one digest per field: "name=3f2a9c1b0d4e5f60;phone=…". Flows store it
// in the ledger after each write or read, so that the next run can tell an
// echo of its own write from a real change, and which fields changed on
// each side since the last sync (R-UPD-3).
func Hash(fields FieldSet, c Customer) string {
	var b strings.Builder
	for i, f := range fields.Fields() {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(string(f))
		b.WriteByte('=')
		b.WriteString(fieldDigest(f, c))
	}
	return b.String()
}

// fieldDigest is the first 64 bits of the SHA-256 of one normalised field.
func fieldDigest(f Field, c Customer) string {
	sum := sha256.Sum256([]byte(syncedValue(f, c)))
	return hex.EncodeToString(sum[:8])
}

// HistoryUnknown stands for a last-sync hash when nothing is known of a
// pair's history (a link adopted from an external code): every field counts
// as possibly changed, and the record modified last wins (R-UPD-3).
const HistoryUnknown = "?"

// unknownDigest marks a field whose last synced value is not known: it
// never equals a real digest, so the field counts as changed.
const unknownDigest = "?"

// digests reads a Hash back into its per-field digests; ok is false when h
// is not in Hash's form (no history to compare with).
func digests(h string) (map[Field]string, bool) {
	if h == "" {
		return nil, false
	}
	out := make(map[Field]string, 6)
	for part := range strings.SplitSeq(h, ";") {
		name, digest, ok := strings.Cut(part, "=")
		if !ok || digest == "" {
			return nil, false
		}
		out[Field(name)] = digest
	}
	return out, true
}

// ChangedSince lists the fields of c whose values differ from the ones
// fingerprinted in last (a Hash taken at the last sync). known is false
// when last holds no usable fingerprint: then nothing can be said.
func ChangedSince(fields FieldSet, c Customer, last string) (changed FieldSet, known bool) {
	prev, ok := digests(last)
	if !ok {
		return 0, false
	}
	for _, f := range fields.Fields() {
		if d, ok := prev[f]; !ok || d != fieldDigest(f, c) {
			changed |= NewFieldSet(f)
		}
	}
	return changed, true
}

// NextHashes are the fingerprints to store after a flow wrote some fields
// of source into the target and left others (kept) to the reverse flow:
// the source as it is now, and the target as it is now except the kept
// fields, which keep their last fingerprint so the reverse flow still sees
// them as changes to carry (R-UPD-3).
func NextHashes(fields FieldSet, source, target Customer, lastTarget string, kept []Field) (sourceHash, targetHash string) {
	sourceHash = Hash(fields, source)
	if len(kept) == 0 {
		return sourceHash, Hash(fields, target)
	}
	prev, _ := digests(lastTarget)
	var b strings.Builder
	for i, f := range fields.Fields() {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(string(f))
		b.WriteByte('=')
		switch d, ok := prev[f]; {
		case !slices.Contains(kept, f):
			b.WriteString(fieldDigest(f, target))
		case ok:
			b.WriteString(d)
		default:
			b.WriteString(unknownDigest)
		}
	}
	return sourceHash, b.String()
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
