package address

import "strings"

// Complement keywords decide complement vs bairro (the tie-break in
// doc.go): "Apto 4" is a complement, "Casa Verde" a bairro.

// unitWords introduce a complement only when an identifier follows them
// ("Casa 2", "Bloco B", "Qd 3 Lt 4"), because many bairros start with the
// same words ("Casa Forte", "Conjunto Habitacional Padre Manoel").
var unitWords = map[string]bool{
	"ap": true, "apt": true, "apto": true, "aptos": true, "apart": true, "apartamento": true,
	"sala": true, "salas": true, "sl": true, "bloco": true, "bl": true, "blc": true, "blco": true,
	"casa": true, "cs": true, "loja": true, "lojas": true, "lj": true,
	"lote": true, "lotes": true, "lt": true, "lte": true, "lts": true,
	"quadra": true, "qd": true, "qdr": true, "qdra": true, "q": true,
	"conj": true, "conjunto": true, "cj": true, "torre": true, "box": true,
	"unidade": true, "galpao": true, "pavimento": true, "pav": true, "modulo": true,
	"chacara": true, "kit": true, "kitnet": true, "vaga": true, "deposito": true,
}

// Longest first, so "apto101" is cut as "apto"+"101", not "ap"+"to101".
var gluedUnitWords = []string{"apartamento", "apto", "apt", "ap", "sala", "sl", "bloco", "bl",
	"casa", "cs", "loja", "lj", "lote", "lt", "quadra", "qd", "q", "conj", "cj", "torre", "box"}

// placeWords are complements on their own ("Fundos", "Térreo", "Edifício Itália").
var placeWords = map[string]bool{
	"fundos": true, "fundo": true, "frente": true, "terreo": true, "cobertura": true,
	"sobreloja": true, "subsolo": true, "mezanino": true, "edificio": true, "edif": true,
	"edf": true, "ed": true, "predio": true, "anexo": true, "proximo": true, "prox": true,
	"perto": true, "esquina": true, "lado": true, "andar": true, "cxpostal": true,
	"caixa": true, "cx": true, "condominio": true, "cond": true,
}

var stopWords = map[string]bool{"de": true, "da": true, "do": true, "das": true, "dos": true, "e": true}

// isComplement reports whether s reads as a complement.
func isComplement(s string) bool {
	var buf [128]byte
	if len(s) > 120 {
		return false
	}
	w := string(appendWords(buf[:0], s))
	first, rest, _ := strings.Cut(w, " ")
	if first == "" {
		return false
	}
	if placeWords[first] {
		return true
	}
	if unitWords[first] {
		next, _, _ := strings.Cut(rest, " ")
		return isIdentifier(next)
	}
	for _, kw := range gluedUnitWords {
		if len(first) > len(kw) && strings.HasPrefix(first, kw) && isDigit(first[len(kw)]) {
			return true
		}
	}
	// "1º andar", "10 andar": the floor comes first.
	if isDigit(first[0]) && (strings.HasPrefix(rest, "andar") || strings.HasPrefix(rest, "pavimento")) {
		return true
	}
	return false
}

// isIdentifier is what follows a unit word: "4", "12B", "B", "II", "nº 3".
func isIdentifier(w string) bool {
	switch {
	case w == "":
		return false
	case isDigit(w[0]):
		return true
	case stopWords[w]:
		return false
	case w == "no" || w == "n":
		return true
	}
	return len(w) <= 2
}

// isShortID is the complement in "123 A" or "45 B2": a short token.
func isShortID(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !isLetterASCII(s[i]) {
			return false
		}
	}
	return true
}
