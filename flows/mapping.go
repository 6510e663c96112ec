package flows

import (
	"strings"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/syncrules"
)

// structuredAddress builds the canonical address of a partner record
// (R-ADDR-6): state as UF, CEP as 00000-000, and the one Auvo line that the
// outbound parser reads back unchanged.
func structuredAddress(street, number, district, city, state, zip string) (address.Address, string) {
	a := address.Address{
		Street:   strings.TrimSpace(street),
		Number:   strings.TrimSpace(number),
		District: strings.TrimSpace(district),
		City:     strings.TrimSpace(city),
		State:    strings.TrimSpace(state),
		ZIP:      strings.TrimSpace(zip),
	}
	if uf, ok := address.NormalizeState(a.State); ok {
		a.State = uf
	}
	if cep, ok := address.NormalizeCEP(a.ZIP); ok {
		a.ZIP = cep
	}
	if official, ok := address.LookupCity(a.City, a.State); ok {
		a.City = official
	}
	if a == (address.Address{}) {
		return a, ""
	}
	return a, address.Format(a)
}

// phones parses every phone in the given fields, in order, without repeats.
func phones(fields ...string) []syncrules.Phone {
	var out []syncrules.Phone
	seen := map[string]bool{}
	for _, f := range fields {
		for _, p := range syncrules.ParsePhones(f) {
			if !seen[p.Digits()] {
				seen[p.Digits()] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// phoneAt returns the i-th phone formatted, or "".
func phoneAt(list []syncrules.Phone, i int) string {
	if i < len(list) {
		return list[i].String()
	}
	return ""
}

// firstEmail returns the first e-mail, for vendors with room for one.
func firstEmail(list []string) string {
	if len(list) > 0 {
		return list[0]
	}
	return ""
}

// documentForPartner writes a normalised document the way ERPs show it.
func documentForPartner(doc string) string {
	if n, _, err := syncrules.ValidateDocument(doc); err == nil {
		return syncrules.FormatDocument(n)
	}
	return doc
}

func hasField(fields []syncrules.Field, f syncrules.Field) bool {
	for _, x := range fields {
		if x == f {
			return true
		}
	}
	return false
}
