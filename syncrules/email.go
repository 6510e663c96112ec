package syncrules

import (
	"strings"
	"unicode"
)

// SplitEmails reads a field holding one or several e-mail addresses separated
// by commas, semicolons or whitespace (Conta Azul and Omie keep them in one
// string). Entries are trimmed and kept as written; repeats that differ only
// in case are kept once, first-seen.
func SplitEmails(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || unicode.IsSpace(r)
	})
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		key := strings.ToLower(p)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, p)
	}
	return out
}

// CleanEmails flattens a list of e-mail fields (Auvo's array, whose items may
// themselves hold several addresses) into one list as SplitEmails would.
func CleanEmails(items []string) []string {
	return SplitEmails(strings.Join(items, ","))
}

// JoinEmails writes a list as one string, "a@x.com, b@y.com", the form Conta
// Azul stores.
func JoinEmails(list []string) string {
	return strings.Join(CleanEmails(list), ", ")
}

// ValidEmail is a sanity check, not RFC 5322: one '@', a non-empty local
// part, a dotted domain without empty labels, no spaces or commas.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == '<' || r == '>'
	}) {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
	}
	return true
}
