package address

import (
	"strconv"
	"strings"
)

// slot is the role a part of the line plays in a catalogue pattern.
type slot uint8

const (
	slotStreet    slot = iota
	slotNumber         // "123", "S/N"
	slotNumGlued       // "123A", "123-B": number and complement together (contaazul-2)
	slotNumSpaced      // "123 Apto 4": separated by a space (contaazul-4)
	slotCompl          // "Apto 4", "Sala 12"
	slotDistrict       // bairro
	slotCity           // must be a municipality of the UF
)

type presence uint8

const (
	forbidden presence = iota
	required
)

// pattern is one layout of a partner's catalogue. The state (and the CEP
// and country when present) was already taken off the end of the line, so
// slots describe the parts before the state.
type pattern struct {
	id      string
	owner   Target
	slots   []slot
	seps    string // separator before slots[1:], one byte each
	state   string // separators accepted before the state
	zip     presence
	zipSep  sep
	country presence
}

var (
	streetNumDistrictCity = []slot{slotStreet, slotNumber, slotDistrict, slotCity}
	streetNumComplDist    = []slot{slotStreet, slotNumber, slotCompl, slotDistrict}
)

// catalogue lists RULES.md R-ADDR-2 and R-ADDR-3 in the order they are
// tried; the first that fits wins (see "Tie-break order" in doc.go).
var catalogue = []pattern{
	{id: "omie-1", owner: Omie, slots: streetNumDistrictCity, seps: ",,-", state: "-"},
	{id: "omie-2", owner: Omie, slots: streetNumDistrictCity, seps: ",,,", state: ","},
	{id: "omie-3", owner: Omie, slots: streetNumDistrictCity, seps: ",,-", state: "-", zip: required, zipSep: sepComma},
	{id: "omie-4", owner: Omie, slots: streetNumDistrictCity, seps: ",,,", state: ",", zip: required, zipSep: sepComma},

	{id: "contaazul-1", owner: ContaAzul, slots: streetNumComplDist, seps: ",,,", state: ",", zip: required, zipSep: sepComma},
	{id: "contaazul-2", owner: ContaAzul, slots: []slot{slotStreet, slotNumGlued, slotDistrict, slotCity}, seps: ",,,", state: ",", zip: required, zipSep: sepComma},
	{id: "contaazul-3", owner: ContaAzul, slots: streetNumComplDist, seps: ",,,", state: "-,", zip: required, zipSep: sepComma},
	{id: "contaazul-4", owner: ContaAzul, slots: []slot{slotStreet, slotNumSpaced, slotDistrict, slotCity}, seps: ",,,", state: ",", zip: required, zipSep: sepComma},
	{id: "contaazul-5", owner: ContaAzul, slots: streetNumComplDist, seps: ",,,", state: ","},
	{id: "contaazul-6", owner: ContaAzul, slots: []slot{slotStreet, slotNumber, slotDistrict}, seps: ",,", state: ",", zip: required, zipSep: sepComma},
	{id: "contaazul-7", owner: ContaAzul, slots: streetNumComplDist, seps: "---", state: "-", zip: required, zipSep: sepDash},
	{id: "contaazul-8", owner: ContaAzul, slots: []slot{slotStreet, slotCompl, slotDistrict, slotCity}, seps: ",,,", state: "-g", zip: required, zipSep: sepComma, country: required},
	{id: "contaazul-9", owner: ContaAzul, slots: []slot{slotStreet, slotDistrict, slotCity}, seps: ",,", state: "g", zip: required, zipSep: sepComma, country: required},
}

// failure remembers the most telling reason a pattern whose shape fitted
// the line rejected it. The message is only written if Parse fails, so
// trying patterns on a good line costs no allocation.
type failure struct {
	rank int
	what failed
	part int
}

type failed uint8

const (
	failedStreet failed = iota + 1
	failedNumber
	failedCompl
	failedDistrict
	failedCity
	failedNoStreet
)

// Ranks: a wrong city says more than a missing number, which says more
// than a part that is not the complement or bairro a pattern wanted.
var failureRank = [...]int{failedStreet: 1, failedCompl: 1, failedDistrict: 1,
	failedNumber: 2, failedNoStreet: 2, failedCity: 3}

func (p *parser) noteFailure(what failed, part int) {
	if rank := failureRank[what]; rank > p.fail.rank {
		p.fail = failure{rank: rank, what: what, part: part}
	}
}

func (p *parser) failureError() *ParseError {
	t := p.text(p.fail.part)
	switch p.fail.what {
	case failedStreet:
		return parseError("", ErrLayout, quote(t)+" is not a street")
	case failedNumber:
		return parseError("", ErrNoNumber, "no number: "+quote(t)+" is where the number should be")
	case failedCompl:
		return parseError("", ErrLayout, quote(t)+" is not a complement (Apto, Sala, Bloco, Casa, ...)")
	case failedDistrict:
		return parseError("", ErrLayout, quote(t)+" is not a bairro")
	case failedCity:
		return parseError("", ErrCityNotInState, p.cityReason(t))
	case failedNoStreet:
		return parseError("", ErrNoNumber, "no street and no number: "+quote(t)+" is not a street")
	}
	return nil
}

func sepIn(s sep, set string) bool {
	for i := 0; i < len(set); i++ {
		if sep(set[i]) == s {
			return true
		}
	}
	return false
}

// match fits the line to one catalogue pattern. The lenient pass accepts
// the variations people actually type around a pattern: "123A" where a
// plain number is expected, " - " for ", " between street, number and
// bairro, "Cidade/UF", a complement after the number, a trailing "Brasil".
func (p *parser) match(pt *pattern, lenient bool, out *Parsed) bool {
	if (pt.zip == required) != p.hasZip {
		return false
	}
	if p.hasZip && p.zipSep != pt.zipSep && !lenient {
		return false
	}
	if pt.country == required && !p.hasCountry || pt.country == forbidden && p.hasCountry && !lenient {
		return false
	}
	if !lenient && !sepIn(p.stateSep, pt.state) {
		return false
	}
	extra := p.n - len(pt.slots)
	numberAt := -1
	if extra != 0 {
		if !lenient || extra < 0 {
			return false
		}
		for k := 0; k+1 < len(pt.slots); k++ {
			if pt.slots[k] == slotNumber && (pt.slots[k+1] == slotDistrict || pt.slots[k+1] == slotCompl) {
				numberAt = k
			}
		}
		if numberAt < 0 {
			return false
		}
	}
	// Shape: the separators between the parts.
	i := 0
	for k := range pt.slots {
		if k > 0 {
			want, got := sep(pt.seps[k-1]), p.parts[i].sep
			loose := got == sepComma || got == sepDash || got == sepSpace && pt.slots[k] == slotNumber
			if got != want && (!lenient || pt.slots[k] == slotCity || !loose) {
				return false
			}
		}
		i++
		if k == numberAt {
			i += extra
		}
	}
	// Contents.
	var a Address
	i = 0
	for k, sl := range pt.slots {
		if !p.fill(sl, i, lenient, &a) {
			return false
		}
		i++
		if k == numberAt && extra > 0 {
			for j := i; j < i+extra; j++ {
				if !p.isCompl(j) {
					return false
				}
			}
			a.Complement = joinComplement(a.Complement, p.line[p.parts[i].start:p.parts[i+extra-1].end])
			i += extra
		}
	}
	p.finish(&a)
	*out = Parsed{Address: a, Pattern: pt.id}
	return true
}

// fill checks part i against a slot and stores it in a.
func (p *parser) fill(sl slot, i int, lenient bool, a *Address) bool {
	t := p.text(i)
	switch sl {
	case slotStreet:
		if !p.isStreet(i) {
			p.noteFailure(failedStreet, i)
			return false
		}
		a.Street = t
	case slotNumber, slotNumGlued, slotNumSpaced:
		num, rest, form := p.number(i)
		ok := false
		switch {
		case form == numNone:
		case form == numSpaced && !isShortID(rest) && !isComplement(rest):
		// contaazul-2 and -4 exist because of how the complement is
		// written, so only a plain number slot takes every form.
		case sl == slotNumber && (form == numPure || lenient),
			sl == slotNumGlued && form == numGlued, sl == slotNumSpaced && form == numSpaced:
			ok = true
		}
		if !ok {
			if form == numNone {
				p.noteFailure(failedNumber, i)
			}
			return false
		}
		a.Number, a.Complement = num, rest
	case slotCompl:
		if !p.isCompl(i) {
			p.noteFailure(failedCompl, i)
			return false
		}
		a.Complement = joinComplement(a.Complement, t)
	case slotDistrict:
		if !p.isDistrict(i) || p.isCompl(i) {
			p.noteFailure(failedDistrict, i)
			return false
		}
		a.District = t
	case slotCity:
		city := p.cityOf(i)
		if city == "" {
			p.noteFailure(failedCity, i)
			return false
		}
		a.City = city
	}
	return true
}

func (p *parser) isStreet(i int) bool {
	t := p.text(i)
	if !hasLetter(t) {
		return false
	}
	if _, _, form := p.number(i); form != numNone {
		return false
	}
	_, isZip := NormalizeCEP(t)
	return !isZip
}

func (p *parser) isDistrict(i int) bool {
	return p.isStreet(i)
}

func joinComplement(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

func (p *parser) finish(a *Address) {
	a.State = p.uf
	a.ZIP = p.zip
	a.Country = p.country
}

// geocoder fits the uncatalogued layouts HERE and Google produce
// (R-ADDR-4): "Street[, Number][ - District], City - UF[, CEP][, Brasil]",
// with "Street, District, City - UF" and "City/UF" or "City-UF" as well.
// The city and state are always joined by a dash or slash, and a comma
// always comes before the city.
func (p *parser) geocoder(out *Parsed) bool {
	if p.n < 2 || p.stateSep == sepComma || p.stateSep == sepSpace && p.n < 3 {
		return false
	}
	cityAt := p.n - 1
	if p.parts[cityAt].sep != sepComma {
		return false
	}
	var a Address
	if !p.isStreet(0) {
		return false
	}
	a.Street = p.text(0)
	i := 1
	if i < cityAt {
		if num, rest, form := p.number(i); form != numNone && (form != numSpaced || isShortID(rest) || isComplement(rest)) {
			a.Number, a.Complement = num, rest
			i++
		}
	}
	switch left := cityAt - i; {
	case left == 1:
		// Google writes "Number - District": after a dash it is the bairro
		// whatever it looks like; after a comma a complement stays one.
		if p.parts[i].sep == sepComma && p.isCompl(i) {
			a.Complement = joinComplement(a.Complement, p.text(i))
		} else if p.isDistrict(i) {
			a.District = p.text(i)
		} else {
			return false
		}
	case left > 1:
		last := cityAt - 1
		if !p.isDistrict(last) {
			return false
		}
		for j := i; j < last; j++ {
			if !p.isCompl(j) {
				return false
			}
		}
		a.Complement = joinComplement(a.Complement, p.line[p.parts[i].start:p.parts[last-1].end])
		a.District = p.text(last)
	}
	if a.Number == "" && a.District == "" && !hasStreetType(a.Street) {
		// "Alphaville, Barueri - SP": a HERE district-level result, no street.
		p.noteFailure(failedNoStreet, 0)
		return false
	}
	city := p.cityOf(cityAt)
	if city == "" {
		p.noteFailure(failedCity, cityAt)
		return false
	}
	a.City = city
	p.finish(&a)
	*out = Parsed{Address: a, Pattern: "geocoder"}
	return true
}

func (p *parser) cityReason(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 48)
	b.WriteString("city ")
	b.WriteString(strconv.Quote(name))
	n := 0
	for _, uf := range table().ufs {
		if _, ok := lookupCityUF(name, uf); !ok {
			continue
		}
		if n == 0 {
			b.WriteString(" is not in " + p.uf + " (it is in ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(uf)
		n++
	}
	if n == 0 {
		b.WriteString(" is not a municipality of " + p.uf)
	} else {
		b.WriteString(")")
	}
	return b.String()
}
