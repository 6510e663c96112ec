// Package plaintext cleans free text typed or pasted by people before it is
// parsed, compared or sent to a vendor: a line break or tab inside a field
// (an address pasted from a spreadsheet, a note copied from an e-mail) is a
// separator to a reader, not data, and bytes that are not UTF-8 cannot be
// sent in a JSON body as they are.
//
// It is the one place where such input is normalised, so the address parser,
// the canonical customer and the vendor clients' write checks agree on what
// a field holds.
package plaintext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s with every run of control characters (line breaks, tabs,
// NUL, DEL, the C1 range) replaced by one space, and every byte that is not
// valid UTF-8 replaced by U+FFFD. Everything else is kept as written; it does
// not trim. Clean of a clean string returns the same string without
// allocating.
func Clean(s string) string {
	if IsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	inControl := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			inControl = false
			b.WriteRune(utf8.RuneError)
			continue
		}
		if unicode.IsControl(r) {
			if !inControl {
				b.WriteByte(' ')
			}
			inControl = true
			continue
		}
		inControl = false
		b.WriteRune(r)
	}
	return b.String()
}

// IsClean reports whether Clean would return s unchanged: valid UTF-8 with
// no control characters.
func IsClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= utf8.RuneSelf {
			return isCleanFrom(s[i:])
		}
	}
	return true
}

func isCleanFrom(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unicode.IsControl(r) {
			return false
		}
		i += size
	}
	return true
}

// Problem describes what Clean would change in s, for an error message that
// names the field ("has a line break at character 12"), or "" when s is
// clean. Positions count characters from 1, as a person would.
func Problem(s string) string {
	pos := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		pos++
		switch {
		case r == utf8.RuneError && size == 1:
			return "is not valid UTF-8 at character " + itoa(pos)
		case r == '\n' || r == '\r':
			return "has a line break at character " + itoa(pos)
		case r == '\t':
			return "has a tab at character " + itoa(pos)
		case unicode.IsControl(r):
			return "has a control character at character " + itoa(pos)
		}
	}
	return ""
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(buf[i:])
		}
	}
}
