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

// isLooseComplement reports text that reads as a complement when the layout
// says a complement stands there (R-ADDR-3 "complemento"): a keyword
// complement, a unit word on its own ("LOJA", "Sala"), or one word followed
// by identifiers ("Quiosque 3", "Barracão 2", "Galpão B 2"). Free text of
// several words ("Jardim América") is not.
func isLooseComplement(s string) bool {
	if isComplement(s) {
		return true
	}
	var buf [128]byte
	if len(s) > 120 {
		return false
	}
	w := string(appendWords(buf[:0], s))
	first, rest, _ := strings.Cut(w, " ")
	if first == "" || isDigit(first[0]) {
		return false
	}
	if rest == "" {
		return unitWords[first]
	}
	if len(first) < 3 || stopWords[first] {
		return false
	}
	for n := 0; rest != ""; n++ {
		var id string
		id, rest, _ = strings.Cut(rest, " ")
		if n == 2 || !isIdentifier(id) || id == "no" || id == "n" {
			return false
		}
	}
	return true
}

// lotWords are the complements that stand for the house number in planned
// towns and rural lots ("Rua 10, Qd 12 Lt 5, Setor Oeste, Goiânia, GO").
var lotWords = map[string]bool{
	"quadra": true, "qd": true, "qdr": true, "qdra": true, "q": true,
	"lote": true, "lotes": true, "lt": true, "lte": true, "lts": true,
	"conj": true, "conjunto": true, "cj": true, "chacara": true,
}

var gluedLotWords = []string{"quadra", "qd", "q", "lote", "lt", "conj", "cj"}

// isLotComplement reports a quadra/lote complement ("QD 12 LT 5", "Lote 3").
func isLotComplement(s string) bool {
	var buf [32]byte
	head := s
	if len(head) > 24 {
		head = head[:24]
	}
	first, _, _ := strings.Cut(string(appendWords(buf[:0], head)), " ")
	if !lotWords[first] {
		for _, kw := range gluedLotWords {
			if len(first) > len(kw) && strings.HasPrefix(first, kw) && isDigit(first[len(kw)]) {
				return isComplement(s)
			}
		}
		return false
	}
	return isComplement(s)
}
