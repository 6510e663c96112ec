package address

import "fmt"

// Target selects which partner's catalogue of accepted layouts Parse uses
// (RULES.md R-ADDR-1..4). Geocoder layouts are accepted for every target.
type Target int

const (
	// Any accepts the Omie catalogue, then the Conta Azul catalogue.
	Any Target = iota
	// Omie accepts R-ADDR-2 patterns omie-1..omie-4.
	Omie
	// ContaAzul accepts R-ADDR-3 patterns contaazul-1..contaazul-9.
	ContaAzul
)

// ParseTarget reads the command-line spelling of a target: "any", "omie"
// or "contaazul".
func ParseTarget(s string) (Target, error) {
	switch s {
	case "any":
		return Any, nil
	case "omie":
		return Omie, nil
	case "contaazul":
		return ContaAzul, nil
	}
	return Any, fmt.Errorf("address: unknown target %q (want any, omie or contaazul)", s)
}

func (t Target) String() string {
	switch t {
	case Any:
		return "any"
	case Omie:
		return "omie"
	case ContaAzul:
		return "contaazul"
	}
	return fmt.Sprintf("Target(%d)", int(t))
}

// accepts reports whether a pattern owned by catalogue may be used for t.
func (t Target) accepts(catalogue Target) bool {
	return t == Any || catalogue == Any || t == catalogue
}
