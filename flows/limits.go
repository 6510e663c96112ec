package flows

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/syncrules"
)

// A target that caps a field's length gets a longer value either clipped or
// refused (RULES.md R-BAD-1); writeLimits is that decision, per target and
// field, and the one table both the clipping and the outcome's reason read.
// The numbers come from the vendor packages, whose write checks refuse the
// same values before sending.
//
//	target      field       vendor field       limit  decision
//	Omie        name        nome_fantasia      100    clip: the name reads back from it
//	Omie        name        razao_social       60     clip-copy: nome_fantasia keeps up to 100
//	Omie        email       email              500    clip: whole addresses from the end; fail if the first is too long
//	Omie        address     endereco           60     clip: the head of a street still finds it
//	Omie        address     bairro             60     clip: likewise
//	Omie        address     endereco_numero    60     fail: a cut number is a wrong number
//	Omie        address     cidade             40     fail: a cut city is not a city Omie knows
//	Omie        complement  complemento        60     clip: the head carries the meaning; Auvo keeps it whole
//	Conta Azul  name        nome               200    clip
//	Conta Azul  email       email              100    clip: whole addresses; fail if the first is too long
//	Conta Azul  note        observacao         2000   clip: the customer is still created; Auvo keeps it whole
//	Auvo        name        name               500    clip
//	Auvo        note        note               5000   clip
//	Auvo        complement  adressComplement   1000   clip
//
// Clipping is chosen where the start of the text is still the right value
// and the source keeps it whole, because failing would keep the customer out
// of the target altogether; failing, where a shortened value would be wrong
// data. Every other vendor limit (phones, UF, CEP, documents, our keys) is
// one that canonical values cannot pass; a value over it fails the record
// through the client's refusal, which names the field and limit. Bling is
// no flow's target, so it has no row.
var writeLimits = map[string]targetLimits{
	string(syncrules.Omie): {name: "Omie", fields: []fieldLimit{
		{syncrules.FieldName, partName, "nome_fantasia", omie.MaxLength("nome_fantasia"), clipValue},
		{syncrules.FieldName, partName, "razao_social", omie.MaxLength("razao_social"), clipCopy},
		{syncrules.FieldEmail, partEmails, "email", omie.MaxLength("email"), clipValue},
		{syncrules.FieldAddress, partStreet, "endereco", omie.MaxLength("endereco"), clipValue},
		{syncrules.FieldAddress, partDistrict, "bairro", omie.MaxLength("bairro"), clipValue},
		{syncrules.FieldAddress, partNumber, "endereco_numero", omie.MaxLength("endereco_numero"), refuseValue},
		{syncrules.FieldAddress, partCity, "cidade", omie.MaxLength("cidade"), refuseValue},
		{syncrules.FieldComplement, partComplement, "complemento", omie.MaxLength("complemento"), clipValue},
	}},
	string(syncrules.ContaAzul): {name: "Conta Azul", fields: []fieldLimit{
		{syncrules.FieldName, partName, "nome", contaazul.MaxLength("nome"), clipValue},
		{syncrules.FieldEmail, partEmails, "email", contaazul.MaxLength("email"), clipValue},
		{syncrules.FieldNote, partNote, "observacao", contaazul.MaxLength("observacao"), clipValue},
	}},
	auvoTarget: {name: "Auvo", fields: []fieldLimit{
		{syncrules.FieldName, partName, auvo.FieldName, auvo.MaxLength(auvo.FieldName), clipValue},
		{syncrules.FieldNote, partNote, auvo.FieldNote, auvo.MaxLength(auvo.FieldNote), clipValue},
		{syncrules.FieldComplement, partComplement, auvo.FieldAddressComplement, auvo.MaxLength(auvo.FieldAddressComplement), clipValue},
	}},
}

// auvoTarget is Auvo's key in writeLimits (it is no syncrules.Partner).
const auvoTarget = "auvo"

type targetLimits struct {
	name   string // as reasons name the vendor
	fields []fieldLimit
}

type limitAction int

const (
	clipValue   limitAction = iota + 1 // write the first max characters; they are what reads back
	clipCopy                           // clip this copy; the value reads back whole from another field
	refuseValue                        // fail the record
)

// fieldLimit is one vendor field that holds (part of) a canonical field.
type fieldLimit struct {
	field  syncrules.Field
	part   textPart
	wire   string
	max    int
	action limitAction
}

// textPart is the piece of a canonical customer a vendor field holds.
type textPart int

const (
	partName textPart = iota + 1
	partEmails
	partStreet
	partNumber
	partDistrict
	partCity
	partComplement
	partNote
)

func (p textPart) get(c syncrules.Customer) string {
	switch p {
	case partName:
		return c.Name
	case partEmails:
		return syncrules.JoinEmails(c.Emails)
	case partStreet:
		return c.Address.Street
	case partNumber:
		return c.Address.Number
	case partDistrict:
		return c.Address.District
	case partCity:
		return c.Address.City
	case partComplement:
		return c.Complement
	case partNote:
		return c.Note
	}
	return ""
}

func (p textPart) set(c *syncrules.Customer, v string) {
	switch p {
	case partName:
		c.Name = v
	case partEmails:
		c.Emails = syncrules.SplitEmails(v)
	case partStreet:
		c.Address.Street = v
	case partNumber:
		c.Address.Number = v
	case partDistrict:
		c.Address.District = v
	case partCity:
		c.Address.City = v
	case partComplement:
		c.Complement = v
	case partNote:
		c.Note = v
	}
}

// clipped is v cut to at most max characters: e-mail lists lose whole
// addresses from the end, other text its tail (and the spaces left before
// the cut). ok is false when nothing sensible fits (not even the first
// e-mail address).
func (p textPart) clipped(v string, max int) (string, bool) {
	if p != partEmails {
		return clipText(v, max), true
	}
	var kept []string
	for _, e := range syncrules.SplitEmails(v) {
		if utf8.RuneCountInString(syncrules.JoinEmails(append(kept, e))) > max {
			break
		}
		kept = append(kept, e)
	}
	return syncrules.JoinEmails(kept), len(kept) > 0
}

// clipText cuts s to at most n characters.
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

// fitting is what fit did to a customer: the fields it clipped and, when
// the record cannot be written, why.
type fitting struct {
	clips   []fieldClip
	refusal *fieldClip
	key     string // the target's key in writeLimits
	target  string // its name, for reasons
}

type fieldClip struct {
	field    syncrules.Field
	wire     string
	had, max int
	copyOnly bool
}

// fit makes c fit target's limits: values over a clip limit are clipped,
// a value over a refuse limit is reported in the fitting.
func fit(target string, c syncrules.Customer) (syncrules.Customer, fitting) {
	limits := writeLimits[target]
	f := fitting{key: target, target: limits.name}
	orig := c
	for _, l := range limits.fields {
		v := l.part.get(orig) // a copy's limit is judged on the whole value
		n := utf8.RuneCountInString(v)
		if l.max <= 0 || n <= l.max {
			continue
		}
		clip := fieldClip{field: l.field, wire: l.wire, had: n, max: l.max, copyOnly: l.action == clipCopy}
		short, ok := l.part.clipped(v, l.max)
		switch {
		case l.action == refuseValue || !ok:
			if f.refusal == nil {
				f.refusal = &clip
			}
		case l.action == clipValue:
			l.part.set(&c, short)
			f.clips = append(f.clips, clip)
		default:
			f.clips = append(f.clips, clip)
		}
	}
	return c, f
}

// fitted is c as target stores it, for Project.
func fitted(target string, c syncrules.Customer) syncrules.Customer {
	c, _ = fit(target, c)
	return c
}

// writeLimit is the limit of one vendor field in writeLimits, for the
// adapters that write a clipped copy (Omie's razao_social).
func writeLimit(target, wire string) int {
	for _, l := range writeLimits[target].fields {
		if l.wire == wire {
			return l.max
		}
	}
	return 0
}

// refused is the R-BAD-1 failure of a write that touches a field the
// target cannot hold, or nil.
func (f fitting) refused(fields []syncrules.Field) *result {
	if f.refusal == nil || !slices.Contains(fields, f.refusal.field) {
		return nil
	}
	res := outcome(syncrules.Failed, syncrules.RBad1, "",
		fmt.Sprintf("%s has %d characters, %s allows %d; not written", f.refusal.wire, f.refusal.had, f.target, f.refusal.max))
	res.refusedHere = true
	return &res
}

// note is what the reason of a write adds for the fields it clipped.
func (f fitting) note(fields []syncrules.Field) string {
	var parts []string
	for _, c := range f.clips {
		if !slices.Contains(fields, c.field) {
			continue
		}
		kept := ""
		if whole, ok := f.keeper(c.field); ok && c.copyOnly && c.had <= whole.max {
			kept = ", " + whole.wire + " keeps it whole"
		}
		parts = append(parts, fmt.Sprintf("%s clipped to %d characters (had %d%s)", c.wire, c.max, c.had, kept))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("; %s, to fit %s: %s", syncrules.RBad1, f.target, strings.Join(parts, ", "))
}

// keeper is the field that a clipped copy's value reads back from.
func (f fitting) keeper(field syncrules.Field) (fieldLimit, bool) {
	for _, l := range writeLimits[f.key].fields {
		if l.field == field && l.action == clipValue {
			return l, true
		}
	}
	return fieldLimit{}, false
}

// sameAsClipped makes src (a partner record, in Auvo's terms) carry
// target's value for every field where the partner holds exactly what it
// could keep of target's value: the partner's clipped copy of a long Auvo
// value is no change, and must not overwrite the whole value in Auvo.
func sameAsClipped(partner string, src syncrules.Customer, target syncrules.Customer) syncrules.Customer {
	clippedTarget, _ := fit(partner, target)
	for _, l := range writeLimits[partner].fields {
		if l.action != clipValue {
			continue
		}
		whole, held := l.part.get(target), l.part.get(src)
		if whole != held && l.part.get(clippedTarget) == held {
			l.part.set(&src, whole)
		}
	}
	return src
}
