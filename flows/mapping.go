package flows

import (
	"iter"
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

// documentForms are the spellings a vendor may have stored a document in:
// the one we try first, then the other. Servers may match the filter
// exactly, and a record typed by hand is usually formatted while one
// created through an API usually is not; missing it would mean a duplicate.
func documentForms(doc string, formattedFirst bool) []string {
	formatted := documentForPartner(doc)
	if formatted == doc {
		return []string{doc}
	}
	if formattedFirst {
		return []string{formatted, doc}
	}
	return []string{doc, formatted}
}

// findByDocument asks for each spelling of doc in turn and keeps the
// records whose document normalises to doc, stopping at the first spelling
// that finds any.
func findByDocument(doc string, formattedFirst bool, query func(form string) ([]Record, error)) ([]Record, error) {
	for _, form := range documentForms(doc, formattedFirst) {
		found, err := query(form)
		if err != nil {
			return nil, err
		}
		var out []Record
		for _, r := range found {
			if syncrules.NormalizeDocument(r.Document) == doc {
				out = append(out, r)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}

// collect drains a listing.
func collect(seq iter.Seq2[Record, error]) ([]Record, error) {
	var out []Record
	for r, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
