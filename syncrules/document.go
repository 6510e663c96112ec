package syncrules

import "github.com/auvosync/auvosync/internal/document"

// The document knowledge itself (normalisation, the modulo-11 check of CPF
// and alphanumeric CNPJ, the mask) lives in internal/document, where the
// vendor packages can use it too; these are its public face.

// DocKind says which Brazilian tax document a string is.
type DocKind = document.Kind

// Document kinds.
const (
	DocNone = document.None
	DocCPF  = document.CPF
	DocCNPJ = document.CNPJ
)

const (
	cpfLength  = document.CPFLength
	cnpjLength = document.CNPJLength
)

// Errors returned by ValidateDocument, usable with errors.Is. Messages never
// repeat the document itself, since errors end up in logs (R-REPORT-2).
var (
	ErrNoDocument       = document.ErrNoDocument
	ErrDocumentLength   = document.ErrDocumentLength
	ErrDocumentChar     = document.ErrDocumentChar
	ErrDocumentRepeated = document.ErrDocumentRepeated
	ErrCheckDigits      = document.ErrCheckDigits
)

// NormalizeDocument strips punctuation and spaces and upper-cases the rest,
// the form in which documents are compared ("529.982.247-25" →
// "52998224725", "12.abc.345/01de-35" → "12ABC34501DE35"). Other characters
// are kept, so validation can report them.
func NormalizeDocument(s string) string { return document.Normalize(s) }

// ValidateDocument normalises s and checks it as a CPF (11 digits) or a CNPJ
// (14 characters; since July 2026 the first 12 may be upper-case letters).
// On error the kind is DocNone and normalized is still returned, so a caller
// can mask it for a report. Errors wrap ErrNoDocument, ErrDocumentLength,
// ErrDocumentChar, ErrDocumentRepeated or ErrCheckDigits.
func ValidateDocument(s string) (normalized string, kind DocKind, err error) {
	return document.Validate(s)
}

// FormatDocument writes a document with its usual mask: "529.982.247-25",
// "12.ABC.345/01DE-35". Input of any other length comes back normalised.
func FormatDocument(normalized string) string { return document.Format(normalized) }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
