package address

import "strings"

// Format writes a as the one canonical Auvo line (R-ADDR-6), in the
// geocoder layout that Parse accepts for every target:
//
//	Street, Number - District, City - UF, 00000-000
//
// Empty parts are left out with their separator ("Street - District, City
// - UF" without a number). Complement and Country are not written: Auvo
// keeps the complement in its own field. For an address with a street, a
// city of the state and fields free of ", " and " - ", Parse(Format(a))
// returns a without Complement and Country, and with the city in its
// official spelling.
func Format(a Address) string {
	uf := strings.TrimSpace(a.State)
	if code, ok := NormalizeState(uf); ok {
		uf = code
	}
	zip := strings.TrimSpace(a.ZIP)
	if z, ok := NormalizeCEP(zip); ok {
		zip = z
	}
	var b strings.Builder
	b.Grow(len(a.Street) + len(a.Number) + len(a.District) + len(a.City) + 24)
	write := func(separator, field string) {
		if field == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString(separator)
		}
		b.WriteString(field)
	}
	write("", strings.TrimSpace(a.Street))
	write(", ", strings.TrimSpace(a.Number))
	write(" - ", strings.TrimSpace(a.District))
	write(", ", strings.TrimSpace(a.City))
	if strings.TrimSpace(a.City) != "" {
		write(" - ", uf)
	} else {
		write(", ", uf)
	}
	write(", ", zip)
	return b.String()
}
