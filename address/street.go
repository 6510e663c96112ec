package address

import "strings"

// Street types and their abbreviations (after folding). They are only
// recognised, never expanded: the street is returned as written.
var streetTypes = map[string]bool{
	"rua": true, "r": true, "ru": true, "avenida": true, "av": true, "ave": true, "avda": true,
	"alameda": true, "al": true, "travessa": true, "tv": true, "trav": true, "trv": true,
	"rodovia": true, "rod": true, "estrada": true, "est": true, "estr": true,
	"praca": true, "pc": true, "pca": true, "largo": true, "lgo": true, "lg": true,
	"beco": true, "bc": true, "viela": true, "via": true, "vila": true, "vl": true,
	"ladeira": true, "lad": true, "parque": true, "pq": true, "quadra": true, "qd": true,
	"servidao": true, "passagem": true, "caminho": true, "acesso": true, "marginal": true,
	"boulevard": true, "esplanada": true, "viaduto": true, "conjunto": true, "setor": true,
	"sitio": true, "fazenda": true, "chacara": true, "loteamento": true, "condominio": true,
	"jardim": true, "residencial": true, "linha": true, "br": true, "sqs": true, "sqn": true,
	"shis": true, "shin": true, "cln": true, "cls": true, "qi": true, "ql": true, "qs": true,
	"qn": true, "shces": true, "scs": true, "sgas": true, "sgan": true, "qnm": true,
	"serv": true, "vd": true, "rodoanel": true, // Google's "Serv.", "Vd."
}

// hasStreetType reports whether s starts with a street type ("R. Umari",
// "Av Paulista", "Praça da Sé").
func hasStreetType(s string) bool {
	var buf [32]byte
	head := s
	if len(head) > 24 {
		head = head[:24]
	}
	w := string(appendWords(buf[:0], head))
	first, _, _ := strings.Cut(w, " ")
	return streetTypes[first]
}

// looksLikeStreet reports a street that needs no number or bairro to be
// one: it starts with a street type, a highway code of any state or of the
// Union ("PE-060", "BR 116") or a Brasília sector code ("CLSW 103", "SHIS
// QI 9", "QNA 12").
func looksLikeStreet(s string) bool {
	return hasStreetType(s) || hasRoadCode(s) || hasSectorCode(s)
}

// hasRoadCode reports a street that is a highway: a UF or BR, a dash or
// space, then the road's number ("PE-060", "rs 030", "BR-116").
func hasRoadCode(s string) bool {
	if len(s) < 4 || !isLetterASCII(s[0]) || !isLetterASCII(s[1]) || s[2] != '-' && s[2] != ' ' || !isDigit(s[3]) {
		return false
	}
	return isRoadCode(string([]byte{s[0] &^ 0x20, s[1] &^ 0x20}))
}

// hasSectorCode reports a Brasília-style address: a sector code of two to
// five capitals (SQS, CLSW, SHCGN, QNM, ...) followed by its numbers.
func hasSectorCode(s string) bool {
	n := 0
	for n < len(s) && s[n] >= 'A' && s[n] <= 'Z' {
		n++
	}
	if n < 2 || n > 5 || n == len(s) || s[n] != ' ' {
		return false
	}
	for i := n; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}
