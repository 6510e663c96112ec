package flows

import (
	"context"
	"iter"
	"slices"
	"strings"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/internal/plaintext"
	"github.com/auvosync/auvosync/syncrules"
)

// structuredAddress builds the canonical address of a partner record
// (R-ADDR-6): state as UF, CEP as 00000-000, and the one Auvo line that the
// outbound parser reads back unchanged.
func structuredAddress(street, number, district, city, state, zip string) (address.Address, string) {
	clean := func(s string) string { return strings.TrimSpace(plaintext.Clean(s)) }
	a := address.Address{
		Street:   clean(street),
		Number:   clean(number),
		District: clean(district),
		City:     clean(city),
		State:    clean(state),
		ZIP:      clean(zip),
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

// cleanText normalises the free text of a canonical customer: line breaks,
// tabs and other control characters become spaces and bytes that are not
// UTF-8 become U+FFFD (plaintext.Clean). Every vendor record passes here as
// it becomes canonical, so the flows compare, hash and send clean text, and
// no client's write check ever refuses what a person pasted into a field.
func cleanText(c syncrules.Customer) syncrules.Customer {
	for _, s := range []*string{&c.Name, &c.Document, &c.AddressLine, &c.Complement, &c.Note,
		&c.Address.Street, &c.Address.Number, &c.Address.Complement, &c.Address.District,
		&c.Address.City, &c.Address.State, &c.Address.ZIP, &c.Address.Country} {
		*s = plaintext.Clean(*s)
	}
	c.Emails, c.Tags, c.Profiles = cleanList(c.Emails), cleanList(c.Tags), cleanList(c.Profiles)
	return c
}

// cleanList cleans a list, copying it only when something changes: the
// list may be the vendor record's own.
func cleanList(list []string) []string {
	for i, s := range list {
		if !plaintext.IsClean(s) {
			out := slices.Clone(list)
			for j := i; j < len(out); j++ {
				out[j] = plaintext.Clean(out[j])
			}
			return out
		}
	}
	return list
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

// findByDocument asks vendor for each spelling of doc in turn and keeps the
// records whose document normalises to doc, stopping at the first spelling
// that finds any. A record of another document is dropped whatever the
// server meant by it (a loose match, or a filter it does not know and
// ignored, as Auvo's undocumented cpfCnpj may be): linking it would join two
// different customers. The run hears of it to warn once.
func findByDocument(ctx context.Context, vendor, doc string, formattedFirst bool, query func(form string) ([]Record, error)) ([]Record, error) {
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
		if len(out) < len(found) {
			reportFilterIgnored(ctx, vendor)
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}

type filterIgnoredKey struct{}

// withFilterIgnored makes findByDocument tell heard, once per lookup that
// got records of other documents, which vendor answered so.
func withFilterIgnored(ctx context.Context, heard func(vendor string)) context.Context {
	return context.WithValue(ctx, filterIgnoredKey{}, heard)
}

func reportFilterIgnored(ctx context.Context, vendor string) {
	if heard, ok := ctx.Value(filterIgnoredKey{}).(func(string)); ok {
		heard(vendor)
	}
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
