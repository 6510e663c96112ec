package syncrules

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// DocKind says which Brazilian tax document a string is.
type DocKind int

// Document kinds.
const (
	DocNone DocKind = iota
	DocCPF
	DocCNPJ
)

// String names the kind: "CPF", "CNPJ" or "none".
func (k DocKind) String() string {
	switch k {
	case DocCPF:
		return "CPF"
	case DocCNPJ:
		return "CNPJ"
	}
	return "none"
}

const (
	cpfLength  = 11
	cnpjLength = 14
)

// Errors returned by ValidateDocument, usable with errors.Is. Messages never
// repeat the document itself, since errors end up in logs (R-REPORT-2).
var (
	ErrNoDocument       = errors.New("no document")
	ErrDocumentLength   = errors.New("wrong length")
	ErrDocumentChar     = errors.New("bad character")
	ErrDocumentRepeated = errors.New("all characters equal")
	ErrCheckDigits      = errors.New("bad check digits")
)

// NormalizeDocument strips punctuation and spaces and upper-cases the rest,
// the form in which documents are compared ("529.982.247-25" →
// "52998224725", "12.abc.345/01de-35" → "12ABC34501DE35"). Other characters
// are kept, so validation can report them.
func NormalizeDocument(s string) string {
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

// ValidateDocument normalises s and checks it as a CPF (11 digits) or a CNPJ
// (14 characters; since July 2026 the first 12 may be upper-case letters).
// On error the kind is DocNone and normalized is still returned, so a caller
// can mask it for a report. Errors wrap ErrNoDocument, ErrDocumentLength,
// ErrDocumentChar, ErrDocumentRepeated or ErrCheckDigits.
func ValidateDocument(s string) (normalized string, kind DocKind, err error) {
	n := NormalizeDocument(s)
	if n == "" {
		return "", DocNone, ErrNoDocument
	}
	runes := []rune(n)
	for i, r := range runes {
		if !isDigit(r) && (r < 'A' || r > 'Z') {
			return n, DocNone, fmt.Errorf("document: %w at position %d: want a digit or a letter A-Z", ErrDocumentChar, i+1)
		}
	}
	switch len(runes) {
	case cpfLength:
		kind = DocCPF
		for i, r := range runes {
			if !isDigit(r) {
				return n, DocNone, fmt.Errorf("CPF: %w at position %d: want a digit", ErrDocumentChar, i+1)
			}
		}
	case cnpjLength:
		kind = DocCNPJ
		for i, r := range runes[cnpjLength-2:] {
			if !isDigit(r) {
				return n, DocNone, fmt.Errorf("CNPJ: %w at position %d: check digits must be digits", ErrDocumentChar, cnpjLength-1+i)
			}
		}
	default:
		return n, DocNone, fmt.Errorf("%w: %d characters; want 11 (CPF) or 14 (CNPJ)", ErrDocumentLength, len(runes))
	}
	if strings.Count(n, n[:1]) == len(n) {
		return n, DocNone, fmt.Errorf("%s: %w", kind, ErrDocumentRepeated)
	}
	if checkDigits(n[:len(n)-2], kind) != n[len(n)-2:] {
		return n, DocNone, fmt.Errorf("%s: %w", kind, ErrCheckDigits)
	}
	return n, kind, nil
}

// checkDigits computes the two modulo-11 check digits of a document body.
// Character values are ASCII−48 (RFB IN 2.229/2024 art. 3º-B), so digits keep
// their value and letters count A=17…Z=42; numeric CNPJs are unaffected.
func checkDigits(body string, kind DocKind) string {
	dv1 := modulo11(body, kind)
	dv2 := modulo11(body+string(dv1), kind)
	return string([]byte{dv1, dv2})
}

// modulo11 weights CPF characters from len+1 down to 2, and CNPJ characters
// 2..9 cycling from the right.
func modulo11(s string, kind DocKind) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		var weight int
		fromRight := len(s) - i // 1 for the last character
		if kind == DocCPF {
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

// FormatDocument writes a document with its usual mask: "529.982.247-25",
// "12.ABC.345/01DE-35". Input of any other length comes back normalised.
func FormatDocument(normalized string) string {
	n := NormalizeDocument(normalized)
	r := []rune(n)
	switch len(r) {
	case cpfLength:
		return string(r[0:3]) + "." + string(r[3:6]) + "." + string(r[6:9]) + "-" + string(r[9:11])
	case cnpjLength:
		return string(r[0:2]) + "." + string(r[2:5]) + "." + string(r[5:8]) + "/" + string(r[8:12]) + "-" + string(r[12:14])
	}
	return n
}
