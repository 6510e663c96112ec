package address

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxLineLen = 1000 // longer input is not an address; bounds the work per line
	maxParts   = 16
)

// sep is the separator written before a part of the line.
type sep byte

const (
	sepNone  sep = 0
	sepComma sep = ',' // ", " (and ";")
	sepDash  sep = '-' // " - " with a space on at least one side
	sepGlued sep = 'g' // "Campinas-SP"
	sepSlash sep = '/' // "Campinas/SP"
	sepParen sep = '(' // "Campinas (SP)"
	sepSpace sep = ' ' // "SP 01310-200", "Campinas SP", "Rua X nº 12"
	sepMoved sep = 'm' // a CEP found before the state, not at the end
)

// part is one field of the line, with what Parse learned about it cached so
// that trying thirteen patterns does not redo the work.
type part struct {
	start, end int // trimmed text is line[start:end]
	sep        sep // separator before this part

	known     uint8 // which of the cached facts below are filled in
	form      numberForm
	num, rest string // number and complement written with it
	compl     bool
	loose     bool   // a complement where the layout puts one (isLooseCompl)
	city      string // official spelling, "" when not a city of the UF
}

const (
	knowNumber uint8 = 1 << iota
	knowCompl
	knowCity
	knowLoose
)

// split cuts the line at commas and spaced dashes.
func (p *parser) split() bool {
	line := p.line
	segStart := 0
	pending := sepNone
	for i := 0; i < len(line); {
		c := line[i]
		width := 0
		s := sepNone
		switch {
		case c == ',' && isKilometreDecimal(line[segStart:i], line[i+1:]):
		case c == ',' || c == ';':
			s, width = sepComma, 1
		case c == '-':
			width = 1
		case c == 0xE2 && i+2 < len(line) && line[i+1] == 0x80 && (line[i+2] == 0x93 || line[i+2] == 0x94):
			width = 3 // en dash, em dash
		}
		if width > 0 && s == sepNone {
			if spaceBefore(line, i) || spaceAfter(line, i+width) {
				s = sepDash
			} else {
				width = 0
			}
		}
		if s == sepNone {
			i++
			continue
		}
		added, ok := p.add(segStart, i, pending)
		if !ok {
			return false
		}
		if added || pending == sepNone {
			pending = s // an empty part (", ,") keeps the separator before it
		}
		segStart = i + width
		i += width
	}
	_, ok := p.add(segStart, len(line), pending)
	return ok
}

// add appends a non-empty part; an empty one (", ,") is dropped.
func (p *parser) add(start, end int, s sep) (added, ok bool) {
	// A dash at the edge of a part (",-A", "Centro -,") is a stray
	// separator, not text: written back, it would split differently.
	t := p.line[start:end]
	l := strings.TrimLeftFunc(t, isSpaceOrDash)
	start += len(t) - len(l)
	end = start + len(strings.TrimRightFunc(l, isSpaceOrDash))
	if start == end {
		return false, true
	}
	if p.n == maxParts {
		return false, false
	}
	p.parts[p.n] = part{start: start, end: end, sep: s}
	p.n++
	return true, true
}

// splitNumberFromStreet separates a number written inside the street part
// with an explicit marker ("Rua X nº 123", "Av. Y, n. 45" is already apart).
// A bare trailing number is left alone: "Rua 7" is a street name.
func (p *parser) splitNumberFromStreet() {
	if p.n < 2 || p.n == maxParts {
		return
	}
	t := p.text(0)
	for i := 1; i+1 < len(t); i++ {
		if t[i-1] != ' ' || (t[i]|0x20) != 'n' {
			continue
		}
		j := i + 1
		switch {
		case strings.HasPrefix(t[j:], "º"), strings.HasPrefix(t[j:], "°"):
			j += 2
		case t[j] == '.':
			j++
		case len(t) >= j+len("úmero") && strings.EqualFold(t[j:j+len("úmero")], "úmero"):
			j += len("úmero")
		default:
			continue
		}
		for j < len(t) && (t[j] == ' ' || t[j] == '.' || t[j] == ':') {
			j++
		}
		if j == len(t) || !isDigit(t[j]) {
			continue
		}
		if _, _, form := parseNumber(t[i:]); form == numNone || !hasLetter(t[:i]) {
			return
		}
		start := p.parts[0].start
		copy(p.parts[2:p.n+1], p.parts[1:p.n])
		p.parts[1] = part{start: start + i, end: p.parts[0].end, sep: sepSpace}
		p.parts[0] = part{start: start, end: start + len(strings.TrimRight(t[:i], " ,"))}
		p.n++
		return
	}
	p.splitBareNumber()
}

// splitBareNumber separates a house number written after the street with no
// comma ("Avenida Paulista 1578, ...", "Rua das Flores 45 Apto 12, ...",
// "Rodovia GO-020 Km 12, ..."),
// when the line has no number part of its own. What is split off must be a
// plain number ending the part, or a number followed by a complement. The
// street keeps a name of two words or more whose last word is neither a
// road code ("Rodovia BR 101"), a kilometre mark ("Km 12"), nor a street
// type ("Rua 7", "Quadra 5"): there the digits are the name.
func (p *parser) splitBareNumber() {
	if p.n < 2 || p.n == maxParts {
		return
	}
	if _, _, form := p.number(1); form != numNone {
		return
	}
	t := p.text(0)
	for sp := strings.IndexByte(t, ' '); sp > 0; {
		name := strings.TrimRight(t[:sp], " ")
		tail := strings.TrimLeft(t[sp:], " ")
		if bareNumberAt(name, tail) {
			start := p.parts[0].start
			copy(p.parts[2:p.n+1], p.parts[1:p.n])
			p.parts[1] = part{start: start + len(t) - len(tail), end: p.parts[0].end, sep: sepSpace}
			p.parts[0] = part{start: start, end: start + len(name)}
			p.n++
			return
		}
		next := strings.IndexByte(t[sp+1:], ' ')
		if next < 0 {
			return
		}
		sp += next + 1
	}
}

// bareNumberAt reports whether tail, written after the street name, is its
// house number (with or without a complement).
func bareNumberAt(name, tail string) bool {
	if len(tail) > 2 && (tail[0]|0x20) == 'k' && (tail[1]|0x20) == 'm' {
		// "Rodovia GO-020 Km 12": on a highway the kilometre is the number.
		num, _, form := parseNumber(tail)
		return form == numPure && num == tail && hasLetter(name)
	}
	name = strings.TrimRight(name, " \t")
	cut := strings.LastIndexAny(name, " \t")
	if cut < 0 || strings.TrimSpace(name[:cut]) == "" || tail == "" || !isDigit(tail[0]) {
		return false // one word: "Rua 7" is a name
	}
	prev := name[cut+1:]
	if isRoadCode(prev) || strings.EqualFold(strings.TrimSuffix(prev, "."), "km") || hasStreetType(prev) ||
		isComplement(prev+" "+tail) { // "Bloco C Apto 101": the digits belong to "Apto"
		return false
	}
	num, rest, form := parseNumber(tail)
	switch form {
	case numPure:
		return num == tail
	case numSpaced:
		return isComplement(rest)
	}
	return false
}

// isRoadCode reports a highway code written in capitals, a state's UF or
// BR ("Rodovia BR 101", "Rodovia SP 340"): the digits after it are the
// road's number, not a house number.
func isRoadCode(w string) bool {
	if w == "BR" {
		return true
	}
	if len(w) != 2 || w[0] < 'A' || w[0] > 'Z' || w[1] < 'A' || w[1] > 'Z' {
		return false
	}
	_, ok := NormalizeState(w)
	return ok
}

// pullMiddleCEP takes a CEP written before the state ("…, 13010-000,
// Campinas - SP") out of the parts.
func (p *parser) pullMiddleCEP() {
	if p.hasZip {
		return
	}
	for i := 1; i < p.n; i++ {
		if zip, ok := NormalizeCEP(p.text(i)); ok {
			p.zip, p.hasZip, p.zipSep = zip, true, sepMoved
			p.moved = span{p.parts[i].start, p.parts[i].end}
			copy(p.parts[i:], p.parts[i+1:p.n])
			p.n--
			return
		}
	}
}

// isKilometreDecimal reports the comma of "Km 128,5": written between the
// digits of a kilometre mark, it is a decimal comma, not a separator.
func isKilometreDecimal(before, after string) bool {
	if after == "" || !isDigit(after[0]) {
		return false
	}
	b := strings.TrimRight(before, "0123456789")
	if len(b) == len(before) {
		return false
	}
	b = strings.TrimRight(b, " .")
	n := len(b)
	return n >= 2 && (b[n-2]|0x20) == 'k' && (b[n-1]|0x20) == 'm' && (n == 2 || !isLetterASCII(b[n-3]))
}

func isSpaceOrDash(r rune) bool {
	return unicode.IsSpace(r) || r == '-' || r == '–' || r == '—'
}

func spaceBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i > 0 && unicode.IsSpace(r)
}

func spaceAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && unicode.IsSpace(r)
}

func (p *parser) text(i int) string { return p.line[p.parts[i].start:p.parts[i].end] }

func (p *parser) number(i int) (num, rest string, form numberForm) {
	pt := &p.parts[i]
	if pt.known&knowNumber == 0 {
		pt.num, pt.rest, pt.form = parseNumber(p.text(i))
		pt.known |= knowNumber
	}
	return pt.num, pt.rest, pt.form
}

// houseNumber reads part i as a house number, with the complement written
// after it ("123", "123A", "123 Apto 4", "12 A"). Digits followed by words
// that are no complement ("7 de Setembro", "40 Horas") start a name: a
// bairro or street called after a date, not a number.
func (p *parser) houseNumber(i int) (num, rest string, form numberForm, ok bool) {
	num, rest, form = p.number(i)
	ok = form != numNone && (form != numSpaced || isShortID(rest) || isLooseComplement(rest))
	return num, rest, form, ok
}

func (p *parser) isCompl(i int) bool {
	pt := &p.parts[i]
	if pt.known&knowCompl == 0 {
		pt.compl = isComplement(p.text(i))
		pt.known |= knowCompl
	}
	return pt.compl
}

// isLooseCompl is isCompl widened to what stands where a layout puts a
// complement: a unit word alone ("LOJA") or any word with an identifier
// ("Quiosque 3", "Barracão 2").
func (p *parser) isLooseCompl(i int) bool {
	pt := &p.parts[i]
	if pt.known&knowLoose == 0 {
		pt.loose = p.isCompl(i) || isLooseComplement(p.text(i))
		pt.known |= knowLoose
	}
	return pt.loose
}

func (p *parser) cityOf(i int) string {
	pt := &p.parts[i]
	if pt.known&knowCity == 0 {
		pt.city, _ = lookupCityUF(p.text(i), p.uf)
		pt.known |= knowCity
	}
	return pt.city
}
