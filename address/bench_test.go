package address_test

import (
	"strings"
	"testing"

	"github.com/auvosync/auvosync/address"
)

// benchCorpus mixes every catalogue pattern, geocoder layouts, hard cases
// and rejected lines, roughly in the proportion a sync run sees them.
func benchCorpus(tb testing.TB) []string {
	var lines []string
	for _, text := range []string{omieCorpus, contaAzulCorpus, geocoderCorpus, hardCorpus} {
		for _, c := range readCorpus(tb, text) {
			lines = append(lines, c.line)
		}
	}
	lines = append(lines,
		"Rua das Flores, 123, Centro - Campinas - RJ",
		"Rua das Flores, Centro, Campinas, SP",
		"Rua das Flores, 123, Centro - Campinas - XX",
		"???",
	)
	return lines
}

// BenchmarkParse reports the cost of one line (target ≥ 300,000 lines/s on
// one core, ≤ 10 allocations per line).
func BenchmarkParse(b *testing.B) {
	lines := benchCorpus(b)
	address.Parse(lines[0], address.Any) // the municipality table loads once, outside the loop
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		address.Parse(lines[i], address.Any)
		i++
		if i == len(lines) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkParseRealWorld is the cost of one line of the issue 19 corpora:
// geocoder town-level layouts, highways, Receita rows, Brasília sectors.
func BenchmarkParseRealWorld(b *testing.B) {
	var lines []string
	for _, text := range realWorldCorpora {
		for _, c := range readCorpus(b, text) {
			lines = append(lines, c.line)
		}
	}
	address.Parse(lines[0], address.Any)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		address.Parse(lines[i], address.Any)
		i++
		if i == len(lines) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkFormat(b *testing.B) {
	a := address.Address{Street: "Av. Paulista", Number: "1578", District: "Bela Vista",
		City: "São Paulo", State: "SP", ZIP: "01310-200"}
	b.ReportAllocs()
	for b.Loop() {
		if !strings.HasPrefix(address.Format(a), "Av.") {
			b.Fatal("bad format")
		}
	}
}

// The ≤ 10 allocations per line target holds for every line, not just on
// average: rejected lines build their error message too.
func TestParseAllocatesAtMostTenTimesPerLine(t *testing.T) {
	lines := benchCorpus(t)
	lines = append(lines, "Rua A, 1, Centro, Água Branca, SP", "Rua das Flores, 123, Centro, Campinas, SP, 1301-000",
		"Rua das Flores - 123 - Apto 4 - Centro - SP - 13010-000")
	for _, l := range lines {
		for _, target := range []address.Target{address.Any, address.Omie, address.ContaAzul} {
			allocs := testing.AllocsPerRun(20, func() { address.Parse(l, target) })
			if allocs > 10 {
				t.Errorf("%q (%s): %.0f allocations", l, target, allocs)
			}
		}
	}
}
