// Package document is the one place that knows Brazil's tax documents: the
// CPF (11 digits) and the CNPJ (14 characters; from July 2026 the first 12
// may be upper-case letters), how they are normalised for comparison, their
// modulo-11 check digits and their usual mask. It is pure and imports only
// the standard library, so the vendor packages may use it as well as
// syncrules, whose exported document functions are its public face.
package document

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Kind says which Brazilian tax document a string is.
type Kind int

// Document kinds.
const (
	None Kind = iota
	CPF
	CNPJ
)

// String names the kind: "CPF", "CNPJ" or "none".
func (k Kind) String() string {
	switch k {
	case CPF:
		return "CPF"
	case CNPJ:
		return "CNPJ"
	}
	return "none"
}

// Lengths of the normalised documents.
const (
	CPFLength  = 11
	CNPJLength = 14
)

// Errors returned by Validate, usable with errors.Is. Messages never
// repeat the document itself, since errors end up in logs (R-REPORT-2).
var (
	ErrNoDocument       = errors.New("no document")
	ErrDocumentLength   = errors.New("wrong length")
	ErrDocumentChar     = errors.New("bad character")
	ErrDocumentRepeated = errors.New("all characters equal")
	ErrCheckDigits      = errors.New("bad check digits")
)

// Normalize strips punctuation and spaces and upper-cases the rest,
// the form in which documents are compared ("529.982.247-25" →
// "52998224725", "12.abc.345/01de-35" → "12ABC34501DE35"). Other characters
// are kept, so validation can report them.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// Validate normalises s and checks it as a CPF (11 digits) or a CNPJ
// (14 characters; since July 2026 the first 12 may be upper-case letters).
// On error the kind is None and normalized is still returned, so a caller
// can mask it for a report. Errors wrap ErrNoDocument, ErrDocumentLength,
// ErrDocumentChar, ErrDocumentRepeated or ErrCheckDigits.
func Validate(s string) (normalized string, kind Kind, err error) {
	n := Normalize(s)
	if n == "" {
		return "", None, ErrNoDocument
	}
	runes := []rune(n)
	for i, r := range runes {
		if !isDigit(r) && (r < 'A' || r > 'Z') {
			return n, None, fmt.Errorf("document: %w at position %d: want a digit or a letter A-Z", ErrDocumentChar, i+1)
		}
	}
	switch len(runes) {
	case CPFLength:
		kind = CPF
		for i, r := range runes {
			if !isDigit(r) {
				return n, None, fmt.Errorf("CPF: %w at position %d: want a digit", ErrDocumentChar, i+1)
			}
		}
	case CNPJLength:
		kind = CNPJ
		for i, r := range runes[CNPJLength-2:] {
			if !isDigit(r) {
				return n, None, fmt.Errorf("CNPJ: %w at position %d: check digits must be digits", ErrDocumentChar, CNPJLength-1+i)
			}
		}
	default:
		return n, None, fmt.Errorf("%w: %d characters; want 11 (CPF) or 14 (CNPJ)", ErrDocumentLength, len(runes))
	}
	if strings.Count(n, n[:1]) == len(n) {
		return n, None, fmt.Errorf("%s: %w", kind, ErrDocumentRepeated)
	}
	if checkDigits(n[:len(n)-2], kind) != n[len(n)-2:] {
		return n, None, fmt.Errorf("%s: %w", kind, ErrCheckDigits)
	}
	return n, kind, nil
}

// CheckDigits returns the two modulo-11 check digits of a normalised
// document body: the first 9 characters of a CPF or the first 12 of a CNPJ.
// ok is false for a body of any other length or with characters other than
// 0-9 and A-Z. Generators of test and demo documents use it, so that they
// agree with Validate by construction.
func CheckDigits(body string) (digits string, ok bool) {
	var kind Kind
	switch len(body) {
	case CPFLength - 2:
		kind = CPF
	case CNPJLength - 2:
		kind = CNPJ
	default:
		return "", false
	}
	for i := 0; i < len(body); i++ {
		if c := body[i]; !isDigit(rune(c)) && (kind == CPF || c < 'A' || c > 'Z') {
			return "", false
		}
	}
	return checkDigits(body, kind), true
}

// checkDigits computes the two modulo-11 check digits of a document body.
// Character values are ASCII−48 (RFB IN 2.229/2024 art. 3º-B), so digits keep
// their value and letters count A=17…Z=42; numeric CNPJs are unaffected.
func checkDigits(body string, kind Kind) string {
	dv1 := modulo11(body, kind)
	dv2 := modulo11(body+string(dv1), kind)
	return string([]byte{dv1, dv2})
}

// modulo11 weights CPF characters from len+1 down to 2, and CNPJ characters
// 2..9 cycling from the right.
func modulo11(s string, kind Kind) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		var weight int
		fromRight := len(s) - i // 1 for the last character
		if kind == CPF {
			weight = fromRight + 1
		} else {
			weight = (fromRight-1)%8 + 2
		}
		sum += int(s[i]-'0') * weight
	}
	r := sum % 11
	if r < 2 {
		return '0'
	}
	return byte('0' + 11 - r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// Format writes a document with its usual mask: "529.982.247-25",
// "12.ABC.345/01DE-35". Input of any other length comes back normalised.
func Format(normalized string) string {
	n := Normalize(normalized)
	r := []rune(n)
	switch len(r) {
	case CPFLength:
		return string(r[0:3]) + "." + string(r[3:6]) + "." + string(r[6:9]) + "-" + string(r[9:11])
	case CNPJLength:
		return string(r[0:2]) + "." + string(r[2:5]) + "." + string(r[5:8]) + "/" + string(r[8:12]) + "-" + string(r[12:14])
	}
	return n
}

// Key keeps only the ASCII digits and letters of s, upper-cased: the form a
// vendor filter or a CPF/CNPJ field takes ("12.abc.345/01de-35" →
// "12ABC34501DE35"). Unlike Normalize it drops every other character, for
// callers that do not report bad characters.
func Key(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b.WriteByte(c)
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		}
	}
	return b.String()
}
