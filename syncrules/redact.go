package syncrules

import (
	"regexp"
	"strings"
)

var (
	emailLike = regexp.MustCompile(`[^\s,;:<>()"'\[\]]+@[^\s,;:<>()"'\[\]]+`)
	// cpfLike and cnpjLike accept the documents with or without their mask.
	cpfLike  = regexp.MustCompile(`\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b`)
	cnpjLike = regexp.MustCompile(`\b[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?[0-9A-Za-z]{3}/?[0-9A-Za-z]{4}-?\d{2}\b`)
	// phoneLike is a DDD + number with the usual separators and an optional
	// country code; CEPs (8 digits) and house numbers do not match.
	phoneLike = regexp.MustCompile(`(?:\+?55[\s.-]?)?(?:\(\d{2}\)|\b\d{2})[\s.-]?\d{4,5}[\s.-]?\d{4}\b`)
)

// Redact masks anything in free text that looks like personal data: e-mail
// addresses, CPFs and CNPJs (masked or bare), and phones with DDD
// (R-REPORT-2). Outcome constructors apply it to every reason, so a vendor
// error that echoes a payload cannot leak it into a report. It errs on the
// side of masking: an 11-digit run is masked even when it is no valid CPF.
func Redact(s string) string {
	s = emailLike.ReplaceAllStringFunc(s, maskOneEmail)
	s = cnpjLike.ReplaceAllStringFunc(s, func(m string) string {
		if strings.ContainsAny(m, "./") || strings.Trim(m, "0123456789") == "" {
			return MaskDocument(m)
		}
		// A bare run of letters and digits is only a CNPJ when its check
		// digits say so; otherwise it is probably an ordinary word or code.
		if _, _, err := ValidateDocument(m); err == nil {
			return MaskDocument(m)
		}
		return m
	})
	s = cpfLike.ReplaceAllStringFunc(s, func(m string) string {
		if strings.ContainsAny(m, ".") || !looksLikePhone(m) {
			return MaskDocument(m)
		}
		return MaskPhone(m)
	})
	return phoneLike.ReplaceAllStringFunc(s, MaskPhone)
}

func looksLikePhone(s string) bool {
	_, err := ParsePhone(s)
	return err == nil
}
