package demo

import (
	"fmt"

	"github.com/auvosync/auvosync/internal/document"
)

// The demo's documents are made here, with correct check digits, so that
// every one of them means what the demo says it means: a valid CPF, a valid
// (possibly alphanumeric) CNPJ, or one with its check digits broken on
// purpose. None belongs to a real person or company as far as we know; they
// are derived from the demo's own running numbers.

// demoCPF returns the formatted CPF whose first nine digits are n
// (zero-padded), with its two check digits.
func demoCPF(n int) string {
	return withCheckDigits(fmt.Sprintf("%09d", n%1_000_000_000))
}

// demoCNPJ returns the formatted CNPJ whose first twelve characters are
// body (digits or, since July 2026, upper-case letters), with its two check
// digits.
func demoCNPJ(body string) string {
	if len(body) != document.CNPJLength-2 {
		panic("demoCNPJ: body must have 12 characters")
	}
	return withCheckDigits(body)
}

// withCheckDigits formats body followed by its check digits; the seeds are
// constants, so a bad body is a bug in them.
func withCheckDigits(body string) string {
	digits, ok := document.CheckDigits(body)
	if !ok {
		panic(fmt.Sprintf("demo document body %q: want 9 digits (CPF) or 12 digits and letters (CNPJ)", body))
	}
	return document.Format(body + digits)
}

// breakCheckDigits changes the last digit of a formatted document, so it
// keeps its shape but fails validation (R-ELIG-3).
func breakCheckDigits(doc string) string {
	b := []byte(doc)
	last := len(b) - 1
	b[last] = '0' + (b[last]-'0'+1)%10
	return string(b)
}
