package address

import "strings"

// numberForm tells how the house number was written; the Conta Azul
// catalogue distinguishes number+complement written together (contaazul-2)
// from number and complement separated by a space (contaazul-4).
type numberForm uint8

const (
	numNone   numberForm = iota // not a number
	numPure                     // "123", "Nº 123", "1.234", "4-24", "S/N", "Km 12"
	numGlued                    // "123A", "123-B", "123/A"
	numSpaced                   // "123 Apto 4", "123 A"
)

const noNumber = "S/N"

// maxNumberDigits bounds a house number: with eight digits it is a CEP, and
// written back it would be read as one (R-ADDR-6).
const maxNumberDigits = 6

// parseNumber reads a house number at the start of s. num is the number as
// written without its "Nº"-style prefix (or "S/N"), compl the complement
// written with it.
func parseNumber(s string) (num, compl string, form numberForm) {
	if s == "" {
		return "", "", numNone
	}
	if rest, ok := cutNoNumber(s); ok {
		if rest == "" {
			return noNumber, "", numPure
		}
		return noNumber, rest, numSpaced
	}
	start := skipNumberPrefix(s)
	if start < 0 {
		return "", "", numNone
	}
	end := start
	for end < len(s) && isDigit(s[end]) {
		end++
	}
	if end == start {
		return "", "", numNone
	}
	// Thousands separators ("1.234") and hyphenated numbers ("4-24").
	for end < len(s) {
		switch {
		case s[end] == '.' && end+4 <= len(s) && allDigits(s[end+1:end+4]) && (end+4 == len(s) || !isDigit(s[end+4])):
			end += 4
			continue
		case s[end] == '-' && end+1 < len(s) && isDigit(s[end+1]):
			end++
			for end < len(s) && isDigit(s[end]) {
				end++
			}
			continue
		}
		break
	}
	if digits := countDigits(s[start:end]); digits > maxNumberDigits {
		return "", "", numNone // "01310200" is a CEP, never a house number
	}
	num = s[start:end]
	if start > 0 && isKilometre(s[:start]) {
		// "Km 12" is how rural addresses are numbered; keep it whole, with
		// its decimals ("Km 128,5", "KM 20.5").
		if end+1 < len(s) && (s[end] == ',' || s[end] == '.') && isDigit(s[end+1]) {
			end++
			for end < len(s) && isDigit(s[end]) {
				end++
			}
		}
		num = s[:end]
	}
	rest := s[end:]
	if strings.HasPrefix(rest, "º") || strings.HasPrefix(rest, "°") || strings.HasPrefix(rest, "ª") {
		return "", "", numNone // an ordinal: "3º andar" is a floor, not a house number
	}
	switch {
	case rest == "":
		return num, "", numPure
	case isLetterASCII(rest[0]) || rest[0] >= 0x80:
		return num, rest, numGlued
	case (rest[0] == '-' || rest[0] == '/') && len(rest) > 1 && rest[1] != ' ':
		return num, rest[1:], numGlued
	case rest[0] == ' ' || rest[0] == '\t':
		c := strings.TrimLeft(rest, " \t-/")
		if c == "" || !hasLetterOrDigit(c) {
			return "", "", numNone
		}
		return num, c, numSpaced
	}
	return "", "", numNone
}

// skipNumberPrefix returns the index of the first digit after an optional
// "Nº", "n.", "No", "num.", "número", "nro" or "Km" prefix, or -1 when s
// starts with other text.
func skipNumberPrefix(s string) int {
	if isDigit(s[0]) {
		return 0
	}
	i := 0
	for i < len(s) && !isDigit(s[i]) {
		i++
	}
	if i == len(s) || i > 12 {
		return -1
	}
	var buf [16]byte
	w := appendWords(buf[:0], s[:i])
	switch string(w) {
	case "n", "no", "num", "numero", "nro", "nr", "km":
		return i
	}
	return -1
}

func isKilometre(prefix string) bool {
	var buf [16]byte
	return string(appendWords(buf[:0], prefix)) == "km"
}

// cutNoNumber recognises "sem número" written as S/N, s/n, s/nº, SN, s.n.,
// "sem numero", and returns what follows it.
func cutNoNumber(s string) (rest string, ok bool) {
	// Fold the first word (or two for "sem número") to its letters.
	end := 0
	var letters [12]byte
	n := 0
	for end < len(s) {
		c, size := foldRune(s, end)
		if c == 0 && (s[end] == ' ' || s[end] == '\t') {
			// "sem número" and "s / n" have spaces inside the token.
			if l := string(letters[:n]); l != "sem" && l != "s" {
				break
			}
		}
		if c >= '0' && c <= '9' {
			return "", false
		}
		if c != 0 {
			if n == len(letters) {
				return "", false
			}
			letters[n] = c
			n++
		}
		end += size
	}
	switch string(letters[:n]) {
	case "sn", "sno", "snum", "snumero", "semnumero", "semno", "semnum":
		return strings.TrimSpace(s[end:]), true
	}
	return "", false
}

func hasLetterOrDigit(s string) bool {
	for i := 0; i < len(s); {
		c, n := foldRune(s, i)
		i += n
		if c != 0 {
			return true
		}
	}
	return false
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}
