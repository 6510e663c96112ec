package address

import "testing"

// BenchmarkLoadMunicipalities is the one-time cost of building the table
// from the embedded CSVs (target ≤ 20 ms).
func BenchmarkLoadMunicipalities(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if g := loadGazetteer(); len(g.cities) < 5571 {
			b.Fatalf("only %d cities", len(g.cities))
		}
	}
}
