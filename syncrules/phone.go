package syncrules

import (
	"errors"
	"fmt"
	"strings"
)

// Phone is a Brazilian phone number split the way Omie stores it: DDD (area
// code, two digits) and the subscriber number (8 digits for landlines, 9 for
// mobiles). Both hold digits only.
type Phone struct {
	DDD    string `json:"ddd"`
	Number string `json:"number"`
}

// ErrInvalidPhone is wrapped by every ParsePhone error.
var ErrInvalidPhone = errors.New("invalid phone")

// dddState maps each DDD in service (ANATEL plan) to its state. Only these are
// accepted: "20" or "23" look like DDDs but reach nobody.
var dddState = map[string]string{
	"11": "SP", "12": "SP", "13": "SP", "14": "SP", "15": "SP", "16": "SP", "17": "SP", "18": "SP", "19": "SP",
	"21": "RJ", "22": "RJ", "24": "RJ", "27": "ES", "28": "ES",
	"31": "MG", "32": "MG", "33": "MG", "34": "MG", "35": "MG", "37": "MG", "38": "MG",
	"41": "PR", "42": "PR", "43": "PR", "44": "PR", "45": "PR", "46": "PR", "47": "SC", "48": "SC", "49": "SC",
	"51": "RS", "53": "RS", "54": "RS", "55": "RS",
	"61": "DF", "62": "GO", "64": "GO", "63": "TO", "65": "MT", "66": "MT", "67": "MS", "68": "AC", "69": "RO",
	"71": "BA", "73": "BA", "74": "BA", "75": "BA", "77": "BA", "79": "SE",
	"81": "PE", "87": "PE", "82": "AL", "83": "PB", "84": "RN", "85": "CE", "88": "CE", "86": "PI", "89": "PI",
	"91": "PA", "93": "PA", "94": "PA", "92": "AM", "97": "AM", "95": "RR", "96": "AP", "98": "MA", "99": "MA",
}

// DDDState gives the state (UF) a DDD belongs to.
func DDDState(ddd string) (uf string, ok bool) {
	uf, ok = dddState[ddd]
	return uf, ok
}

// phoneSeparators are the characters people put inside a written phone. The
// slash is not one of them: it separates phones in a list (ParsePhones).
const phoneSeparators = " \t()+-."

// ParsePhone reads one Brazilian phone written freely: "(11) 98765-4321",
// "+55 11 3456-7890", "11987654321", "011 3456 7890", "0055…". The DDD is
// required. Errors wrap ErrInvalidPhone and say what is wrong, never
// repeating the number.
func ParsePhone(s string) (Phone, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Phone{}, fmt.Errorf("%w: empty", ErrInvalidPhone)
	}
	for i, r := range s {
		if !isDigit(r) && !strings.ContainsRune(phoneSeparators, r) {
			return Phone{}, fmt.Errorf("%w: unexpected character %q at byte %d", ErrInvalidPhone, r, i)
		}
	}
	d := stripPhonePrefixes(onlyDigits(s))
	switch len(d) {
	case 10, 11:
	case 8, 9:
		return Phone{}, fmt.Errorf("%w: no DDD", ErrInvalidPhone)
	default:
		return Phone{}, fmt.Errorf("%w: %d digits; want DDD + 8 or 9 digits", ErrInvalidPhone, len(d))
	}
	p := Phone{DDD: d[:2], Number: d[2:]}
	if err := p.check(); err != nil {
		return Phone{}, err
	}
	return p, nil
}

// stripPhonePrefixes removes the international (+55, 0055) and national
// trunk (0, or 0 + two-digit carrier code) prefixes. A bare "55" is only a
// country code when what follows is a full DDD + number, since 55 is also a
// DDD in Rio Grande do Sul.
func stripPhonePrefixes(d string) string {
	switch {
	case strings.HasPrefix(d, "0055") && (len(d) == 14 || len(d) == 15):
		return d[4:]
	case strings.HasPrefix(d, "55") && (len(d) == 12 || len(d) == 13):
		return d[2:]
	case strings.HasPrefix(d, "0") && (len(d) == 11 || len(d) == 12):
		return d[1:]
	case strings.HasPrefix(d, "0") && (len(d) == 13 || len(d) == 14):
		return d[3:]
	}
	return d
}

func (p Phone) check() error {
	if _, ok := dddState[p.DDD]; !ok {
		return fmt.Errorf("%w: DDD %s does not exist", ErrInvalidPhone, p.DDD)
	}
	switch len(p.Number) {
	case 9:
		if p.Number[0] != '9' {
			return fmt.Errorf("%w: a 9-digit number must start with 9", ErrInvalidPhone)
		}
	case 8:
		if p.Number[0] < '2' {
			return fmt.Errorf("%w: an 8-digit number must start with 2-9", ErrInvalidPhone)
		}
	default:
		return fmt.Errorf("%w: number has %d digits; want 8 or 9", ErrInvalidPhone, len(p.Number))
	}
	return nil
}

// Valid reports whether p is a well-formed phone (existing DDD, 8 or 9
// digits with the right leading digit).
func (p Phone) Valid() bool {
	return onlyDigits(p.DDD) == p.DDD && onlyDigits(p.Number) == p.Number && p.check() == nil
}

// Mobile reports whether p is a 9-digit mobile number.
func (p Phone) Mobile() bool { return len(p.Number) == 9 }

// String formats the phone as "(11) 98765-4321" or "(11) 3456-7890"; the zero
// Phone is "".
func (p Phone) String() string {
	if p.DDD == "" && p.Number == "" {
		return ""
	}
	n := p.Number
	if len(n) > 4 {
		n = n[:len(n)-4] + "-" + n[len(n)-4:]
	}
	return "(" + p.DDD + ") " + n
}

// Digits is DDD and number together, "11987654321", the form Auvo stores and
// the form phones are compared in.
func (p Phone) Digits() string { return p.DDD + p.Number }

// splitPhoneList splits a field holding several phones at , ; / | a line
// break, or the word "e" between spaces ("11 3456-7890 e 11 98765-4321").
func splitPhoneList(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ',' || c == ';' || c == '/' || c == '|' || c == '\n' || c == '\r':
			parts = append(parts, s[start:i])
			start = i + 1
		case (c == 'e' || c == 'E') && i > 0 && isSpaceByte(s[i-1]) && i+1 < len(s) && isSpaceByte(s[i+1]):
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// ParsePhones reads every phone in a free-text field. Parts that are not
// phones are dropped, a part written without DDD takes the DDD of the phone
// before it ("(11) 3456-7890 / 98765-4321"), labels such as "Cel:" are
// ignored, and repeats are kept once, in first-seen order.
func ParsePhones(s string) []Phone {
	var out []Phone
	seen := map[string]bool{}
	lastDDD := ""
	for _, part := range splitPhoneList(s) {
		part = strings.TrimFunc(part, func(r rune) bool {
			return !isDigit(r) && r != '(' && r != ')' && r != '+'
		})
		p, err := ParsePhone(part)
		if err != nil && lastDDD != "" && isLocalNumber(part) {
			p, err = ParsePhone(lastDDD + onlyDigits(part))
		}
		if err != nil {
			continue
		}
		lastDDD = p.DDD
		if !seen[p.Digits()] {
			seen[p.Digits()] = true
			out = append(out, p)
		}
	}
	return out
}

// isLocalNumber reports whether s looks like a number written without DDD.
func isLocalNumber(s string) bool {
	if strings.ContainsAny(s, "()+") {
		return false
	}
	n := len(onlyDigits(s))
	return n == 8 || n == 9
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
