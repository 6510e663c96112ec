package syncrules

import (
	"strings"
	"unicode/utf8"
)

// MaskDocument hides most of a document for logs and reports (R-REPORT-2),
// keeping a middle part so a person can tell records apart:
// CPF "***.982.247-**", CNPJ "**.ABC.345/01**-**". Input of any other length
// (raw or invalid) becomes one '*' per character, so nothing of it leaks.
func MaskDocument(s string) string {
	n := NormalizeDocument(s)
	r := []rune(n)
	switch len(r) {
	case cpfLength:
		return "***." + string(r[3:6]) + "." + string(r[6:9]) + "-**"
	case cnpjLength:
		return "**." + string(r[2:5]) + "." + string(r[5:8]) + "/" + string(r[8:10]) + "**-**"
	}
	return strings.Repeat("*", len(r))
}

// MaskEmail keeps the first character of the local part and of the domain and
// the top-level domain: "joao.silva@empresa.com.br" → "j***@e***.br". A field
// holding several addresses has each masked; text that is not an address
// becomes "***".
func MaskEmail(s string) string {
	list := SplitEmails(s)
	if len(list) == 0 {
		return ""
	}
	masked := make([]string, len(list))
	for i, e := range list {
		masked[i] = maskOneEmail(e)
	}
	return strings.Join(masked, ", ")
}

func maskOneEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 {
		return "***"
	}
	local, domain := e[:at], e[at+1:]
	out := firstRune(local) + "***@" + firstRune(domain) + "***"
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 && dot < len(domain)-1 {
		out += domain[dot:]
	}
	return out
}

func firstRune(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return "*"
	}
	return s[:size]
}

// MaskPhone keeps the DDD and the last two digits: "(11) 98765-4321" →
// "(11) *****-**21". Text that does not parse as a phone keeps only its last
// two digits ("***21"), or becomes "***" when it has fewer than eight.
func MaskPhone(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if p, err := ParsePhone(s); err == nil {
		return p.Masked()
	}
	digits := onlyDigits(s)
	if len(digits) < 8 {
		return "***"
	}
	return "***" + digits[len(digits)-2:]
}

// Masked is the phone with all but the DDD and the last two digits hidden.
func (p Phone) Masked() string {
	if len(p.Number) < 4 {
		return "(" + p.DDD + ") ***"
	}
	head := len(p.Number) - 4
	return "(" + p.DDD + ") " + strings.Repeat("*", head) + "-**" + p.Number[len(p.Number)-2:]
}
