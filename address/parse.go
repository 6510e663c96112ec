package address

import (
	"strconv"
	"strings"

	"github.com/auvosync/auvosync/internal/plaintext"
)

// Parsed is a line split into fields, with the ID of the pattern that
// matched: "omie-1".."omie-4", "contaazul-1".."contaazul-9" or "geocoder".
type Parsed struct {
	Address
	Pattern string `json:"pattern"`
}

type parser struct {
	line  string
	parts [maxParts]part
	n     int // parts before the state (after tail)

	uf, zip, country   string
	hasZip, hasCountry bool
	stateSep, zipSep   sep
	moved              span // the CEP when it was written before the state
	town               int  // 1 + the part a town-level layout wanted as its town, or 0

	fail failure
}

// Parse splits one Auvo address line into fields, accepting the layouts of
// target's catalogue (R-ADDR-2/3) and the geocoder layouts (R-ADDR-4). The
// state comes back as its UF, the CEP as 00000-000, the city in its
// official IBGE spelling; the other fields keep the text as written.
//
// When several patterns fit, the catalogue is tried in order (Omie 1-4,
// then Conta Azul 1-9, strictly as written), then the geocoder layouts,
// then the catalogue again allowing common variations; the first fit wins.
// A line that fits nothing returns a *ParseError saying why.
func Parse(line string, target Target) (Parsed, error) {
	var p parser
	// A line break or tab pasted inside a field separates words, it is not
	// text to keep (issue 13): plaintext is the one place that says so.
	clean := line
	if !plaintext.IsClean(line) {
		clean = plaintext.Clean(line)
	}
	p.line = strings.TrimRight(clean, " .")
	if strings.TrimSpace(p.line) == "" {
		return Parsed{}, parseError(line, ErrEmpty, "empty line")
	}
	if len(p.line) > maxLineLen {
		return Parsed{}, parseError(line, ErrTooLong, "line longer than "+strconv.Itoa(maxLineLen)+" bytes")
	}
	if !p.split() {
		return Parsed{}, parseError(line, ErrLayout, "more than "+strconv.Itoa(maxParts)+" parts")
	}
	if p.n == 0 {
		return Parsed{}, parseError(line, ErrEmpty, "no text between the separators")
	}
	p.splitNumberFromStreet()
	if err := p.tail(); err != nil {
		err.Line = line
		return Parsed{}, err
	}
	p.pullMiddleCEP()
	var out Parsed
	for i := range catalogue {
		if target.accepts(catalogue[i].owner) && p.match(&catalogue[i], false, &out) {
			return out, nil
		}
	}
	if p.geocoder(&out) {
		return out, nil
	}
	for i := range catalogue {
		if target.accepts(catalogue[i].owner) && p.match(&catalogue[i], true, &out) {
			return out, nil
		}
	}
	err := p.explain(target)
	err.Line = line
	return Parsed{}, err
}

// tail takes the country, the CEP and the state off the end of the line.
func (p *parser) tail() *ParseError {
	if p.n >= 2 && isCountry(p.text(p.n-1)) {
		p.country, p.hasCountry = p.text(p.n-1), true
		p.n--
	}
	if p.n >= 2 {
		last := p.n - 1
		t := p.text(last)
		if zip, ok := NormalizeCEP(t); ok {
			p.zip, p.hasZip, p.zipSep = zip, true, p.parts[last].sep
			p.n--
		} else if cut := strings.LastIndexAny(t, " \t"); cut > 0 {
			// "SP 01310-200", "São Paulo - SP CEP 01310-200"
			if zip, ok := NormalizeCEP(t[cut+1:]); ok {
				head := strings.TrimSpace(t[:cut])
				if len(head) >= 3 && strings.EqualFold(head[len(head)-3:], "cep") {
					head = strings.TrimRight(head[:len(head)-3], " \t:")
				} else if len(head) >= 4 && strings.EqualFold(head[len(head)-4:], "cep:") {
					head = strings.TrimRight(head[:len(head)-4], " \t")
				}
				if head != "" {
					p.zip, p.hasZip, p.zipSep = zip, true, sepSpace
					p.parts[last].end = p.parts[last].start + len(head)
				}
			}
		}
		if !p.hasZip && looksLikeCEP(p.text(p.n-1)) {
			return parseError("", ErrInvalidCEP, "invalid CEP "+quote(p.text(p.n-1))+" (want 8 digits, 00000-000)")
		}
		if p.hasZip && !p.hasCountry && p.n >= 2 && isCountry(p.text(p.n-1)) {
			// "…, Brasil, 01310-200"
			p.country, p.hasCountry = p.text(p.n-1), true
			p.n--
		}
	}
	last := p.n - 1
	t := p.text(last)
	if uf, ok := NormalizeState(t); ok && p.n >= 2 {
		p.uf, p.stateSep = uf, p.parts[last].sep
		p.n--
		return nil
	}
	if p.splitCityState(last) {
		return nil
	}
	if p.n == 1 {
		if _, ok := NormalizeState(t); ok {
			return parseError("", ErrLayout, "only a state, no street")
		}
	}
	return stateError(t)
}

// splitCityState separates a state written onto the city: "Campinas-SP",
// "Campinas/SP", "Campinas (SP)", "Campinas SP".
func (p *parser) splitCityState(i int) bool {
	if i == 0 {
		return false
	}
	t := p.text(i)
	try := func(j int, s sep) bool {
		city, state := strings.TrimSpace(t[:j]), strings.TrimSpace(t[j+1:])
		uf, ok := NormalizeState(state)
		if !ok || !hasLetter(city) {
			return false
		}
		if s == sepSpace {
			// Without a separator only a known "City UF" pair is trusted.
			if _, isCity := lookupCityUF(city, uf); !isCity || len(state) != 2 {
				return false
			}
		}
		p.uf, p.stateSep = uf, s
		start := p.parts[i].start
		p.parts[i].end = start + len(strings.TrimRight(t[:j], " \t"))
		return true
	}
	if strings.HasSuffix(t, ")") {
		if open := strings.LastIndexByte(t, '('); open > 0 {
			inner := t[open+1 : len(t)-1]
			uf, ok := NormalizeState(inner)
			if ok && hasLetter(t[:open]) {
				p.uf, p.stateSep = uf, sepParen
				p.parts[i].end = p.parts[i].start + len(strings.TrimRight(t[:open], " \t"))
				return true
			}
		}
	}
	if j := strings.LastIndexByte(t, '/'); j > 0 && try(j, sepSlash) {
		return true
	}
	if j := strings.LastIndexByte(t, '-'); j > 0 && try(j, sepGlued) {
		return true
	}
	if j := strings.LastIndexAny(t, " \t"); j > 0 && try(j, sepSpace) {
		return true
	}
	return false
}

func stateError(t string) *ParseError {
	code := t
	if j := strings.LastIndexAny(t, "-/ "); j >= 0 {
		code = strings.TrimSpace(t[j+1:])
	}
	if _, ok := NormalizeState(code); ok && code != t {
		return parseError("", ErrLayout, "state "+quote(code)+" is not separated from the rest by \", \" or \" - \"")
	}
	if len(code) == 2 && isLetterASCII(code[0]) && isLetterASCII(code[1]) {
		return parseError("", ErrUnknownState, "unknown state "+quote(strings.ToUpper(code)))
	}
	return parseError("", ErrNoState, "no state (UF) at the end: "+quote(t))
}

// explain turns a line that fitted nothing into the most useful reason.
func (p *parser) explain(target Target) *ParseError {
	if target != Any {
		var out Parsed
		for pass := 0; pass < 2; pass++ {
			for i := range catalogue {
				pt := &catalogue[i]
				if !target.accepts(pt.owner) && p.match(pt, pass == 1, &out) {
					return parseError("", ErrOtherTarget, "fits "+pt.id+", which is not accepted for "+target.String())
				}
			}
		}
	}
	if p.town > 0 {
		// "Rua X - Campinas, RJ": a town of another state, not a bairro.
		if t := p.text(p.town - 1); inSomeState(t) {
			return parseError("", ErrCityNotInState, p.cityReason(t))
		}
	}
	if p.fail.rank >= 2 {
		return p.failureError()
	}
	hasNumber := false
	for i := 1; i < p.n; i++ {
		if _, _, _, ok := p.houseNumber(i); ok {
			hasNumber = true
		}
	}
	if !hasNumber {
		return parseError("", ErrNoNumber, "no number after the street")
	}
	if p.fail.rank > 0 {
		return p.failureError()
	}
	return parseError("", ErrLayout, strconv.Itoa(p.n)+" parts before the state fit no accepted layout")
}

func inSomeState(name string) bool {
	for _, uf := range table().ufs {
		if _, ok := lookupCityUF(name, uf); ok {
			return true
		}
	}
	return false
}

func isCountry(t string) bool {
	if len(t) > 12 {
		return false
	}
	var buf [16]byte
	switch string(appendKey(buf[:0], t)) {
	case "brasil", "brazil", "br", "bra":
		return true
	}
	return false
}

func quote(s string) string { return strconv.Quote(s) }
