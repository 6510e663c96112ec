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
	failedDistrictIsCity
)

// Ranks: a wrong city says more than a missing number, which says more
// than a part that is not the complement or bairro a pattern wanted.
var failureRank = [...]int{failedStreet: 1, failedCompl: 1, failedDistrict: 1,
	failedNumber: 2, failedNoStreet: 2, failedDistrictIsCity: 2, failedCity: 3}

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
	case failedDistrictIsCity:
		return parseError("", ErrLayout, "the bairro "+quote(t)+" reads as a city of "+p.uf+
			": write the bairro before the city (\"…, Centro, "+t+", "+p.uf+"\") or leave the city out")
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

// fit is what a pattern has read of the line so far.
type fit struct {
	a        Address
	compl    span // where the complement stands: it is returned as written
	loose    bool // the complement is one only because of where it stands
	district int  // part holding the bairro, or -1
}

// span is a stretch of the line; end == 0 means none.
type span struct{ start, end int }

func (s *span) add(start, end int) {
	if s.end == 0 {
		s.start = start
	}
	s.end = end
}

// match fits the line to one catalogue pattern. The lenient pass accepts
// the variations people actually type around a pattern: "123A" where a
// plain number is expected, " - " for ", " between street, number and
// bairro, "Cidade/UF", a complement after the number, a trailing "Brasil",
// and a quadra/lote standing for the number ("Rua 10, Qd 12 Lt 5, ...").
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
	f := fit{district: -1}
	hasCity := false
	i = 0
	for k, sl := range pt.slots {
		if !p.fill(sl, i, lenient, &f) {
			return false
		}
		hasCity = hasCity || sl == slotCity
		i++
		if k == numberAt && extra > 0 {
			for j := i; j < i+extra; j++ {
				if !p.isLooseCompl(j) {
					return false
				}
				f.loose = f.loose || !p.isCompl(j)
			}
			f.compl.add(p.parts[i].start, p.parts[i+extra-1].end)
			i += extra
		}
	}
	// Without a city the bairro stands right before the state. When only
	// its place made the complement one, or the pattern was stretched, a
	// bairro that is a municipality of the state means the line was the
	// other reading: "…, Quiosque 3, Campinas, SP" is bairro and city.
	if !hasCity && f.district >= 0 && (lenient || f.loose) && p.cityOf(f.district) != "" {
		p.noteFailure(failedDistrictIsCity, f.district)
		return false
	}
	p.finish(&f)
	*out = Parsed{Address: f.a, Pattern: pt.id}
	return true
}

// fill checks part i against a slot and stores it in f.
func (p *parser) fill(sl slot, i int, lenient bool, f *fit) bool {
	t := p.text(i)
	switch sl {
	case slotStreet:
		if !p.isStreet(i) {
			p.noteFailure(failedStreet, i)
			return false
		}
		f.a.Street = t
	case slotNumber, slotNumGlued, slotNumSpaced:
		num, rest, form, isNumber := p.houseNumber(i)
		if !isNumber {
			if lenient && sl == slotNumber && (isLotComplement(t) || p.uf == "DF" && p.isCompl(i)) {
				// Planned towns, rural lots and Brasília's sectors: the
				// quadra and lote, or the bloco, locate the house; there is
				// no number to give.
				f.compl.add(p.parts[i].start, p.parts[i].end)
				return true
			}
			p.noteFailure(failedNumber, i)
			return false
		}
		// contaazul-2 and -4 exist because of how the complement is
		// written, so only a plain number slot takes every form.
		if !(sl == slotNumber && (form == numPure || lenient) ||
			sl == slotNumGlued && form == numGlued || sl == slotNumSpaced && form == numSpaced) {
			return false
		}
		f.a.Number = num
		if rest != "" {
			f.compl.add(p.parts[i].end-len(rest), p.parts[i].end)
			f.loose = f.loose || form == numSpaced && !isShortID(rest) && !isComplement(rest)
		}
	case slotCompl:
		if !p.isLooseCompl(i) {
			p.noteFailure(failedCompl, i)
			return false
		}
		f.loose = f.loose || !p.isCompl(i)
		f.compl.add(p.parts[i].start, p.parts[i].end)
	case slotDistrict:
		if !p.isDistrict(i) || p.isCompl(i) {
			p.noteFailure(failedDistrict, i)
			return false
		}
		f.a.District = t
		f.district = i
	case slotCity:
		city := p.cityOf(i)
		if city == "" {
			p.noteFailure(failedCity, i)
			return false
		}
		f.a.City = city
	}
	return true
}

// isStreet reports a part that can be a street or a bairro: text with
// letters that is neither a house number nor a CEP. "7 de Setembro" and
// "1º de Maio" are names.
func (p *parser) isStreet(i int) bool {
	t := p.text(i)
	if !hasLetter(t) {
		return false
	}
	if _, _, _, ok := p.houseNumber(i); ok {
		return false
	}
	_, isZip := NormalizeCEP(t)
	return !isZip
}

func (p *parser) isDistrict(i int) bool {
	return p.isStreet(i)
}

// finish stores the complement as written and what the tail of the line
// gave.
func (p *parser) finish(f *fit) {
	f.a.Complement = p.complementText(f.compl)
	f.a.State = p.uf
	f.a.ZIP = p.zip
	f.a.Country = p.country
}

// complementText is the complement exactly as written, separators included
// ("Apto 4; Bloco B", "A - Apto 4"), except for a CEP taken out of its
// middle.
func (p *parser) complementText(s span) string {
	if s.end == 0 {
		return ""
	}
	if p.zipSep == sepMoved && s.start < p.moved.start && p.moved.end <= s.end {
		return strings.TrimRight(p.line[s.start:p.moved.start], " ,;-") + ", " +
			strings.TrimLeft(p.line[p.moved.end:s.end], " ,;-")
	}
	return p.line[s.start:s.end]
}

// geocoder fits the uncatalogued layouts HERE and Google produce
// (R-ADDR-4): "Street[, Number][ - District], City - UF[, CEP][, Brasil]",
// with "Street, District, City - UF", "Street, Number, Complement,
// District, City - UF" and "City/UF" or "City-UF" as well; the city and
// state are joined by a dash or slash after a comma. For a town without
// bairros Google writes the town where the bairro goes and the state after
// a comma: "Street[, Number] - Town, UF[, CEP][, Brasil]". In the Federal
// District a region of Brasília written as the city ("Taguatinga - DF") is
// the bairro of Brasília.
func (p *parser) geocoder(out *Parsed) bool {
	if p.n < 2 || p.stateSep == sepSpace && p.n < 3 {
		return false
	}
	cityAt := p.n - 1
	townLevel := p.stateSep == sepComma
	if townLevel {
		if p.parts[cityAt].sep != sepDash || cityAt > 2 {
			return false
		}
	} else if p.parts[cityAt].sep != sepComma {
		return false
	}
	f := fit{district: -1}
	if !p.isStreet(0) {
		return false
	}
	f.a.Street = p.text(0)
	i := 1
	if i < cityAt {
		if num, rest, _, ok := p.houseNumber(i); ok {
			f.a.Number = num
			if rest != "" {
				f.compl.add(p.parts[i].end-len(rest), p.parts[i].end)
			}
			i++
		}
	}
	switch left := cityAt - i; {
	case townLevel && left != 0:
		return false
	case left == 1:
		// Google writes "Number - District": after a dash it is the bairro
		// whatever it looks like; after a comma a complement stays one.
		if p.parts[i].sep == sepComma && p.isCompl(i) {
			f.compl.add(p.parts[i].start, p.parts[i].end)
		} else if p.isDistrict(i) {
			f.a.District, f.district = p.text(i), i
		} else {
			return false
		}
	case left > 1:
		last := cityAt - 1
		if !p.isDistrict(last) {
			return false
		}
		for j := i; j < last; j++ {
			if !p.isLooseCompl(j) {
				p.noteFailure(failedCompl, j)
				return false
			}
		}
		f.compl.add(p.parts[i].start, p.parts[last-1].end)
		f.a.District, f.district = p.text(last), last
	}
	if f.a.Number == "" && f.a.District == "" && !looksLikeStreet(f.a.Street) {
		// "Alphaville, Barueri - SP": a HERE district-level result, no street.
		p.noteFailure(failedNoStreet, 0)
		return false
	}
	city := p.cityOf(cityAt)
	if city == "" && f.district < 0 && p.uf == "DF" && isRegionOfBrasilia(p.text(cityAt)) {
		f.a.District, city = p.text(cityAt), brasilia
	}
	if city == "" {
		if townLevel {
			// More likely a bairro than a town; explain decides, on failure.
			p.town = cityAt + 1
		} else {
			p.noteFailure(failedCity, cityAt)
		}
		return false
	}
	f.a.City = city
	p.finish(&f)
	*out = Parsed{Address: f.a, Pattern: "geocoder"}
	return true
}

func (p *parser) cityReason(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 48)
	b.WriteString("city ")
	b.WriteString(strconv.Quote(name))
	if p.uf == "DF" && isRegionOfBrasilia(name) {
		b.WriteString(" is a region of Brasília, not a municipality: write it as the bairro (\"…, " +
			name + ", Brasília - DF\")")
		return b.String()
	}
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
