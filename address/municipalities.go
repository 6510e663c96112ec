package address

import (
	"bytes"
	_ "embed"
	"strings"
	"sync"
)

// The IBGE municipality list (MIT, see data/LICENSE and data/README.md).
//
//go:embed data/municipios.csv
var municipiosCSV string

//go:embed data/estados.csv
var estadosCSV string

// gazetteer is the read-only lookup table built once from the embedded CSVs.
type gazetteer struct {
	// cities maps folded UF + folded city name ("spsaopaulo") to the official
	// spelling. Keying by UF resolves homonyms such as Água Branca (AL, PB, PI).
	cities map[string]string
	// states maps a folded UF ("sp") or state name ("saopaulo") to the UF.
	states map[string]string
	// ufs lists the 27 UFs in IBGE code order.
	ufs []string
	// byUF lists the official names of each UF's municipalities, in file order.
	byUF map[string][]string
}

var (
	gazetteerOnce  sync.Once
	gazetteerTable *gazetteer
)

func table() *gazetteer {
	gazetteerOnce.Do(func() { gazetteerTable = loadGazetteer() })
	return gazetteerTable
}

// loadGazetteer parses the embedded CSVs. They are known-good build inputs
// (a test checks the counts), so malformed rows are skipped, not reported.
func loadGazetteer() *gazetteer {
	g := &gazetteer{
		cities: make(map[string]string, 5700),
		states: make(map[string]string, 60),
		byUF:   make(map[string][]string, 27),
	}
	ufByCode := make(map[string]string, 27)
	estados := strings.TrimPrefix(estadosCSV, "\uFEFF")
	for i, line := range splitLines(estados) {
		if i == 0 {
			continue // header: codigo_uf,uf,nome,latitude,longitude,regiao
		}
		f := csvFields(line, 3)
		if f[2] == "" {
			continue
		}
		uf := f[1]
		ufByCode[f[0]] = uf
		g.ufs = append(g.ufs, uf)
		var buf [64]byte
		g.states[string(appendKey(buf[:0], uf))] = uf
		g.states[string(appendKey(buf[:0], f[2]))] = uf
	}
	var key []byte
	for i, line := range splitLines(municipiosCSV) {
		if i == 0 {
			continue // header: codigo_ibge,nome,latitude,longitude,capital,codigo_uf,...
		}
		f := csvFields(line, 6)
		uf := ufByCode[f[5]]
		if uf == "" || f[1] == "" {
			continue
		}
		name := f[1]
		g.byUF[uf] = append(g.byUF[uf], name)
		g.addCity(&key, uf, name, name)
		// "Alta Floresta D'Oeste" is often written "Alta Floresta do Oeste".
		if i := strings.Index(strings.ToLower(name), "d'"); i > 0 && name[i-1] == ' ' {
			g.addCity(&key, uf, name[:i]+"do "+name[i+2:], name)
			g.addCity(&key, uf, name[:i]+"da "+name[i+2:], name)
		}
		// "Augusto Severo (Campo Grande)": people write either name.
		if open := strings.IndexByte(name, '('); open > 0 && strings.HasSuffix(name, ")") {
			g.addCity(&key, uf, name[:open], name)
			g.addCity(&key, uf, name[open+1:len(name)-1], name)
		}
	}
	return g
}

// addCity indexes one spelling; scratch is reused between calls.
func (g *gazetteer) addCity(scratch *[]byte, uf, spelling, official string) {
	b := appendKey((*scratch)[:0], uf)
	b = appendKey(b, spelling)
	*scratch = b
	if _, dup := g.cities[string(b)]; !dup {
		g.cities[string(b)] = official
	}
}

func splitLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// csvFields returns the first n comma-separated fields of an unquoted CSV
// line (the data has no quoted fields); missing fields are empty.
func csvFields(line string, n int) []string {
	out := make([]string, n)
	for i := 0; i < n; i++ {
		j := strings.IndexByte(line, ',')
		if j < 0 {
			out[i] = line
			break
		}
		out[i], line = line[:j], line[j+1:]
	}
	return out
}

// LookupCity reports the official IBGE spelling of the municipality called
// name in the given state (UF or state name), ignoring case, accents and
// punctuation: LookupCity("sao paulo", "SP") returns "São Paulo", true.
func LookupCity(name, state string) (official string, ok bool) {
	uf, ok := NormalizeState(state)
	if !ok {
		return "", false
	}
	return lookupCityUF(name, uf)
}

// Common abbreviations inside city names ("S. J. dos Campos" is left alone,
// but "Sto. André" and "S. Paulo" are found).
var cityWordExpansions = map[string]string{
	"s": "sao", "sto": "santo", "sta": "santa", "sra": "senhora", "n": "nossa",
	"pres": "presidente", "dr": "doutor", "cel": "coronel", "mal": "marechal",
	"gov": "governador", "eng": "engenheiro", "gal": "general", "fco": "francisco",
}

func lookupCityUF(name, uf string) (string, bool) {
	g := table()
	var buf [80]byte
	if len(name) > 64 {
		return "", false
	}
	key := appendKey(buf[:0], uf)
	key = appendKey(key, name)
	if official, ok := g.cities[string(key)]; ok {
		return official, true
	}
	// Slow path, only for names that missed: expand abbreviated words.
	var words [80]byte
	w := appendWords(words[:0], name)
	expanded := false
	key = appendKey(buf[:0], uf)
	for len(w) > 0 {
		word := w
		if i := bytes.IndexByte(w, ' '); i >= 0 {
			word, w = w[:i], w[i+1:]
		} else {
			w = nil
		}
		if full, ok := cityWordExpansions[string(word)]; ok {
			key = append(key, full...)
			expanded = true
		} else {
			key = append(key, word...)
		}
	}
	if !expanded {
		return "", false
	}
	official, ok := g.cities[string(key)]
	return official, ok
}

// NormalizeState returns the two-letter UF for a UF or a state name in any
// case, with or without accents ("sp", "São Paulo", "SAO PAULO",
// "Estado de São Paulo" → "SP").
func NormalizeState(s string) (uf string, ok bool) {
	var buf [64]byte
	if len(s) > 60 {
		return "", false
	}
	key := appendKey(buf[:0], s)
	if uf, ok := table().states[string(key)]; ok {
		return uf, true
	}
	for _, prefix := range [...]string{"estadode", "estadodo", "estadoda", "estado"} {
		if bytes.HasPrefix(key, []byte(prefix)) {
			if uf, ok := table().states[string(key[len(prefix):])]; ok {
				return uf, true
			}
		}
	}
	return "", false
}

// Cities returns the official names of the municipalities of a state (UF
// or name), sorted as in the IBGE list; nil for an unknown state.
func Cities(state string) []string {
	uf, ok := NormalizeState(state)
	if !ok {
		return nil
	}
	return append([]string(nil), table().byUF[uf]...)
}

// StateCodes returns the 27 UFs in IBGE code order.
func StateCodes() []string {
	return append([]string(nil), table().ufs...)
}
