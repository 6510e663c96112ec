package address

import "strings"

// NormalizeCEP accepts a CEP written "01310-200", "01310200", "01.310-200"
// or "01310 200", optionally after "CEP" or "CEP:", and returns "01310-200".
func NormalizeCEP(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 3 && strings.EqualFold(s[:3], "cep") {
		s = strings.TrimLeft(s[3:], " :.\t")
	}
	if len(s) == 9 && s[5] == '-' && allDigits(s[:5]) && allDigits(s[6:]) {
		return s, true // already canonical: no allocation
	}
	var d [8]byte
	n := 0
	lastSep := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			if n == 8 {
				return "", false
			}
			d[n] = c
			n++
		case c == '.' && (n == 2 || n == 5) && lastSep != n,
			(c == '-' || c == ' ') && n == 5 && lastSep != n:
			lastSep = n
		default:
			return "", false
		}
	}
	if n != 8 || !isDigit(s[len(s)-1]) {
		return "", false
	}
	return string(d[:5]) + "-" + string(d[5:]), true
}

// looksLikeCEP reports text that was meant as a CEP but is malformed
// ("0131-200", "013102000"): mostly digits, at least five of them.
func looksLikeCEP(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) >= 3 && strings.EqualFold(s[:3], "cep") {
		return true
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits++
		case c == '-' || c == '.' || c == ' ':
		default:
			return false
		}
	}
	return digits >= 5
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
