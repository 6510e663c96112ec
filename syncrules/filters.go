package syncrules

import "strings"

// Omie's built-in role tags, folded (lower case, no accents).
const (
	omieTagClient = "cliente"
)

var omieRoleTags = map[string]bool{
	"cliente":        true,
	"fornecedor":     true,
	"transportadora": true,
	"funcionario":    true,
}

// OmieTagsAllow applies R-TAG-1..4 to an Omie record's tags (compared
// case- and accent-insensitively) and returns whether the record may enter
// Omie→Auvo and the rule that decided it.
func OmieTagsAllow(tags []string) (bool, Rule) {
	hasTag, hasRole := false, false
	for _, t := range tags {
		f := foldText(t)
		if f == "" {
			continue
		}
		hasTag = true
		if f == omieTagClient {
			return true, RTag3
		}
		if omieRoleTags[f] {
			hasRole = true
		}
	}
	switch {
	case !hasTag:
		return true, RTag1
	case hasRole:
		return false, RTag4
	default:
		return true, RTag2
	}
}

// ContaAzulProfilesAllow applies R-PROFILE-1/2 to a Conta Azul person's
// profiles, given either as the list spelling ("CLIENTE") or the object's
// tipo_perfil ("Cliente"). Only a record with the Cliente profile is
// integrated; any other set, including none, waits until Cliente is added.
func ContaAzulProfilesAllow(profiles []string) (bool, Rule) {
	for _, p := range profiles {
		if foldText(p) == "cliente" {
			return true, RProfile1
		}
	}
	return false, RProfile2
}

// foldText lower-cases, strips Portuguese accents and collapses spaces, for
// comparisons that must ignore all three ("Funcionário" = "FUNCIONARIO").
func foldText(s string) string {
	return collapseSpaces(strings.Map(foldRune, strings.ToLower(s)))
}

func foldRune(r rune) rune {
	switch r {
	case 'á', 'à', 'â', 'ã', 'ä', 'Á', 'À', 'Â', 'Ã', 'Ä':
		return 'a'
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return 'e'
	case 'í', 'ì', 'î', 'ï', 'Í', 'Ì', 'Î', 'Ï':
		return 'i'
	case 'ó', 'ò', 'ô', 'õ', 'ö', 'Ó', 'Ò', 'Ô', 'Õ', 'Ö':
		return 'o'
	case 'ú', 'ù', 'û', 'ü', 'Ú', 'Ù', 'Û', 'Ü':
		return 'u'
	case 'ç', 'Ç':
		return 'c'
	case 'ñ', 'Ñ':
		return 'n'
	case 'º', '°':
		return 'o'
	case 'ª':
		return 'a'
	}
	return r
}

func collapseSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }
