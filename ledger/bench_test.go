package ledger

import (
	"context"
	"strconv"
	"testing"
)

const benchRecords = 10_000

// One iteration records 10,000 outcomes in batches of 500, as a flow does
// page by page.
func BenchmarkRecordOutcomes10k(b *testing.B) {
	ctx := context.Background()
	s := openAt(b, tempPath(b))
	const batchSize = 500
	batch := make([]Outcome, batchSize)
	b.ResetTimer()
	for b.Loop() {
		run, err := s.StartRun(ctx, "acme", "auvo-to-omie", false, t0)
		if err != nil {
			b.Fatal(err)
		}
		for start := 0; start < benchRecords; start += batchSize {
			for i := range batch {
				batch[i] = Outcome{SourceID: strconv.Itoa(start + i), TargetID: "P", Kind: OutcomeUnchanged, Rule: "R-UPD-3", Reason: "no change", At: t0}
			}
			if err := s.RecordOutcomes(ctx, run, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRecords), "ns/outcome")
}

func seedLinks(b *testing.B, s *SQLite) {
	b.Helper()
	tx, err := s.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchRecords {
		id := strconv.Itoa(i)
		if _, err := tx.Exec(`INSERT INTO links (conn, partner, auvo_id, partner_id, doc_hash, flow, state, linked_at_ns, updated_at_ns)
			VALUES ('acme', 'omie', ?, ?, ?, 'auvo-to-omie', 'live', 1, 1)`, id, "P"+id, s.DocumentHash(id)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// One iteration looks up each of 10,000 links by Auvo ID (target ≤ 50 µs
// per lookup).
func BenchmarkLinkByAuvo10k(b *testing.B) {
	ctx := context.Background()
	s := openAt(b, tempPath(b))
	seedLinks(b, s)
	ids := make([]string, benchRecords)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, id := range ids {
			if _, err := s.LinkByAuvo(ctx, "acme", "omie", id); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRecords), "ns/lookup")
}

// One iteration loads all 10,000 links of a connection, as a flow does once
// per run.
func BenchmarkLinks10k(b *testing.B) {
	ctx := context.Background()
	s := openAt(b, tempPath(b))
	seedLinks(b, s)
	b.ResetTimer()
	for b.Loop() {
		links, err := s.Links(ctx, "acme", "omie")
		if err != nil || len(links) != benchRecords {
			b.Fatal(len(links), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRecords), "ns/link")
}
