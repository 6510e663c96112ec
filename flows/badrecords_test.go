package flows_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/internal/plaintext"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// Documents with valid check digits, beyond the harness's.
const (
	cpfD = "93541134780"
	cpfE = "28625587887"
	cpfF = "12345678062"
)

// badCase is one outbound flow with one record it clips and one it cannot
// take at all, between good records.
type badCase struct {
	name       string
	flow       syncrules.Flow
	partnerLen func(h *harness) int
	// clip makes a customer carry a value the partner must clip; clipped
	// names the vendor field and limit the reason must give.
	clip    func(c *auvofake.Customer)
	clipped string
	// bad makes a customer the partner cannot take; refused names the
	// field (and limit) the failure must give.
	bad     func(c *auvofake.Customer)
	refused string
	// stored reads back, from the partner's fake, the clipped field of the
	// record created for the clipped customer.
	stored func(h *harness, partnerID string) string
	limit  int
}

func badCases() []badCase {
	return []badCase{
		{
			name: "Auvo→Omie, an 81-character complement", flow: syncrules.AuvoToOmie,
			partnerLen: func(h *harness) int { return h.omie.Len() },
			clip:       func(c *auvofake.Customer) { c.AddressComplement = strings.Repeat("Bloco B ", 10) + "x" },
			clipped:    "complemento clipped to 60 characters (had 81)",
			bad:        func(c *auvofake.Customer) { c.Name = "\t" }, // only a tab: no name once cleaned
			refused:    "razao_social is required",
			stored: func(h *harness, partnerID string) string {
				n, err := parseInt(partnerID)
				require.NoError(h.t, err)
				c, ok := h.omie.Cliente(n)
				require.True(h.t, ok)
				return c.Complemento
			},
			limit: 60,
		},
		{
			name: "Auvo→Conta Azul, a 2,001-character note", flow: syncrules.AuvoToContaAzul,
			partnerLen: func(h *harness) int { return h.ca.Len() },
			clip:       func(c *auvofake.Customer) { c.Note = strings.Repeat("a", 2001) },
			clipped:    "observacao clipped to 2000 characters (had 2001)",
			bad: func(c *auvofake.Customer) {
				c.Emails = []string{strings.Repeat("financeiro.", 10) + "@example.com"} // one address of 122 characters
			},
			refused: "email has 122 characters, Conta Azul allows 100",
			stored: func(h *harness, partnerID string) string {
				p, ok := h.ca.Person(partnerID)
				require.True(h.t, ok)
				return p.Note
			},
			limit: 2000,
		},
	}
}

// R-BAD-1: a record the partner cannot take as it is never stalls the flow:
// the good records around it sync in the same cycle, the cursor moves, a
// record added later syncs, the clipped one is created once and not
// rewritten, and the refused one fails (naming the field) every time it is
// seen and is never created.
func TestBadRecordsNeverStallAnOutboundFlow(t *testing.T) {
	for _, tc := range badCases() {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			good1 := h.auvo.Seed(auvoCustomer("Padaria Central", cpfA))
			clip := auvoCustomer("Mercado do Bairro", cpfB)
			tc.clip(&clip)
			clipped := h.auvo.Seed(clip)
			bad := auvoCustomer("Oficina", cpfC)
			tc.bad(&bad)
			badID := h.auvo.Seed(bad)
			good2 := h.auvo.Seed(auvoCustomer("Farmácia Boa Saúde", cnpjA))

			sums := h.run(tc.flow)
			require.Len(t, sums, 1)
			require.NoError(t, sums[0].Err, "the run completes")
			for _, g := range []int64{good1, good2} {
				r := h.report(tc.flow, id(g))
				assert.Equal(t, syncrules.Created, r.Outcome, r.Reason)
			}
			r := h.report(tc.flow, id(clipped))
			require.Equal(t, syncrules.Created, r.Outcome, r.Reason)
			assert.Contains(t, r.Reason, string(syncrules.RBad1))
			assert.Contains(t, r.Reason, tc.clipped)
			stored := tc.stored(h, r.TargetID)
			assert.Equal(t, tc.limit, utf8.RuneCountInString(stored), "clipped to the limit, not refused")

			r = h.report(tc.flow, id(badID))
			assert.Equal(t, syncrules.Failed, r.Outcome)
			assert.Equal(t, syncrules.RBad1, r.Rule)
			assert.Contains(t, r.Reason, tc.refused)
			assert.Equal(t, 3, tc.partnerLen(h))
			_, moved, err := h.store.Cursor(context.Background(), "acme", string(tc.flow))
			require.NoError(t, err)
			assert.True(t, moved, "the cursor moved past the bad record")

			// The next cycle re-reads the overlap: the refused record fails
			// again without a request, the clipped one reads back unchanged.
			h.resetCalls()
			h.run(tc.flow)
			assert.Zero(t, h.writeCalls(), "nothing rewritten")
			assert.Equal(t, syncrules.Unchanged, h.report(tc.flow, id(clipped)).Outcome)
			r = h.report(tc.flow, id(badID))
			assert.Equal(t, syncrules.Failed, r.Outcome)
			assert.Contains(t, r.Reason, tc.refused)

			// A record added later syncs; the bad one, edited, fails again.
			good3 := h.auvo.Seed(auvoCustomer("Livraria Letras", cpfD))
			h.auvo.Update(badID, func(c *auvofake.Customer) { c.PhoneNumbers = []string{"11912345678"} })
			h.run(tc.flow)
			assert.Equal(t, syncrules.Created, h.report(tc.flow, id(good3)).Outcome)
			assert.Equal(t, syncrules.Failed, h.report(tc.flow, id(badID)).Outcome)
			assert.Equal(t, 4, tc.partnerLen(h), "the bad record was never created")
			c, _ := h.auvo.Customer(badID)
			assert.Empty(t, c.ExternalID)
			intents, err := h.store.OpenIntents(context.Background(), "acme", string(tc.flow))
			require.NoError(t, err)
			assert.Empty(t, intents, "a refused record leaves no intent behind")

			// The clipped record, edited in another field, updates only that
			// field: the clipped one reads back as the same.
			h.auvo.Update(clipped, func(c *auvofake.Customer) { c.PhoneNumbers = []string{"11955554444"} })
			h.run(tc.flow)
			r = h.report(tc.flow, id(clipped))
			assert.Equal(t, syncrules.Updated, r.Outcome, r.Reason)
			assert.Equal(t, "changed: phone", r.Reason)
		})
	}
}

// R-BAD-1 with R-UPD-3: the partner's clipped copy of a long Auvo value is
// not a change to carry back. Editing another field in the partner updates
// that field in Auvo and leaves the whole value there.
func TestClippedCopyInThePartnerNeverShortensAuvo(t *testing.T) {
	for _, tc := range []struct {
		name          string
		out, in       syncrules.Flow
		editInPartner func(h *harness, partnerID string)
	}{
		{"Omie", syncrules.AuvoToOmie, syncrules.OmieToAuvo, func(h *harness, partnerID string) {
			n, err := parseInt(partnerID)
			require.NoError(h.t, err)
			require.NoError(h.t, h.omie.Update(n, func(c *omiefake.Cliente) { c.Telefone1Numero = "33334444" }))
		}},
		{"Conta Azul", syncrules.AuvoToContaAzul, syncrules.ContaAzulToAuvo, func(h *harness, partnerID string) {
			require.NoError(h.t, h.ca.Update(partnerID, func(p *contaazulfake.Person) { p.PhoneCommercial = "(11) 3333-4444" }))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			long := strings.Repeat("Bloco B ", 10) + "fundos"
			note := strings.Repeat("n", 2100)
			c := auvoCustomer("Mercado do Bairro", cpfB)
			c.AddressComplement, c.Note = long, note
			a := h.auvo.Seed(c)
			h.run(tc.out)
			partnerID := h.report(tc.out, id(a)).TargetID
			require.NotEmpty(t, partnerID)
			h.run(tc.in) // the echo of our own write
			tc.editInPartner(h, partnerID)
			h.run(tc.in)
			r := h.report(tc.in, partnerID)
			assert.Equal(t, syncrules.Updated, r.Outcome, r.Reason)
			assert.Equal(t, "changed: phone", r.Reason)
			got, _ := h.auvo.Customer(a)
			assert.Equal(t, long, got.AddressComplement, "Auvo keeps the whole complement")
			assert.Equal(t, note, got.Note, "Auvo keeps the whole note")
		})
	}
}

// R-BAD-1 inbound: a value too long for Auvo is clipped (and not rewritten),
// and a record Auvo refuses fails alone while the next one is created.
func TestBadRecordsNeverStallAnInboundFlow(t *testing.T) {
	h := newHarness(t)
	refusedID := h.ca.Seed(caPerson("Loja A Recusada", cpfB, "Cliente"))
	long := caPerson("Loja B Longa", cpfA, "Cliente")
	long.Addresses[0].Complement = strings.Repeat("c", 1001)
	longID := h.ca.Seed(long)
	goodID := h.ca.Seed(caPerson("Loja C Boa", cpfC, "Cliente"))
	// Auvo refuses the first create: a value it will not take.
	h.auvo.FailNext(auvofake.EndpointUpsert, 1, 400, `{"description":["The field description is invalid."]}`)

	sums := h.run(syncrules.ContaAzulToAuvo)
	require.NoError(t, sums[0].Err)
	r := h.report(syncrules.ContaAzulToAuvo, refusedID)
	assert.Equal(t, syncrules.Failed, r.Outcome)
	assert.Equal(t, syncrules.RBad1, r.Rule)
	assert.Contains(t, r.Reason, "description: The field description is invalid.")
	r = h.report(syncrules.ContaAzulToAuvo, longID)
	require.Equal(t, syncrules.Created, r.Outcome, r.Reason)
	assert.Contains(t, r.Reason, "adressComplement clipped to 1000 characters (had 1001)")
	auvoRec, ok := h.auvo.Customer(mustInt(t, r.TargetID))
	require.True(t, ok)
	assert.Equal(t, 1000, utf8.RuneCountInString(auvoRec.AddressComplement))
	assert.Equal(t, syncrules.Created, h.report(syncrules.ContaAzulToAuvo, goodID).Outcome)

	// The overlap re-reads all three: the refused one is created now, the
	// clipped one is not rewritten.
	h.run(syncrules.ContaAzulToAuvo)
	assert.Equal(t, syncrules.Created, h.report(syncrules.ContaAzulToAuvo, refusedID).Outcome)
	assert.Equal(t, syncrules.Unchanged, h.report(syncrules.ContaAzulToAuvo, longID).Outcome)
	assert.Equal(t, 3, h.auvo.Len())
	h.resetCalls()
	h.run(syncrules.ContaAzulToAuvo)
	assert.Zero(t, h.writeCalls(), "nothing rewritten")
}

// Control characters pasted into Auvo fields (R-BAD-1, plaintext) are
// cleaned once, where the record becomes canonical: the address parses and
// nothing with a control character reaches the partner.
func TestControlCharactersInAuvoFieldsAreCleanedBeforeTheyAreSent(t *testing.T) {
	h := newHarness(t)
	c := auvoCustomer("Padaria\tCentral", cpfA)
	c.Address = "Avenida Paulista, 1578\n- Bela Vista, São Paulo - SP, 01310-200"
	c.Note = "entregar\r\nsó de manhã"
	a := h.auvo.Seed(c)
	h.run(syncrules.AuvoToContaAzul)
	r := h.report(syncrules.AuvoToContaAzul, id(a))
	require.Equal(t, syncrules.Created, r.Outcome, r.Reason)
	p, ok := h.ca.Person(r.TargetID)
	require.True(t, ok)
	for _, v := range []string{p.Name, p.Note, p.Addresses[0].Street, p.Addresses[0].District} {
		assert.True(t, plaintext.IsClean(v), "%q", v)
	}
	assert.Equal(t, "Padaria Central", p.Name)
	assert.Equal(t, "Avenida Paulista", p.Addresses[0].Street)
}

// R-IN-1..4 with an undocumented filter: Auvo ignoring cpfCnpj changes
// nothing, since matching reads the index, which compares keyed hashes of
// normalised documents: no record of another document is linked, and no
// lookup by document is made, so there is nothing to warn of.
func TestAuvoIgnoringTheDocumentFilterMakesNoWrongLink(t *testing.T) {
	h := newHarness(t, auvofake.WithIgnoredDocumentFilter())
	logs := &capture{}
	h.conn.Logger = slog.New(logs)
	unlinked := h.auvo.Seed(auvoCustomer("Outro Cliente", cpfF)) // empty external code: a link target for R-IN-3
	first := h.ca.Seed(caPerson("Loja Um", cpfA, "Cliente"))
	second := h.ca.Seed(caPerson("Loja Dois", cpfB, "Cliente"))

	h.run(syncrules.ContaAzulToAuvo)
	for _, p := range []string{first, second} {
		r := h.report(syncrules.ContaAzulToAuvo, p)
		assert.Equal(t, syncrules.Created, r.Outcome, r.Reason)
		assert.Equal(t, syncrules.RIn4, r.Rule, "no Auvo customer has this document")
		assert.NotEqual(t, id(unlinked), r.TargetID)
	}
	other, _ := h.auvo.Customer(unlinked)
	assert.Empty(t, other.ExternalID, "the customer of another document was not linked")

	h.ca.Seed(caPerson("Loja Três", cpfC, "Cliente"))
	h.run(syncrules.ContaAzulToAuvo)
	assert.Equal(t, 4, h.auvo.Len())
	assert.Zero(t, logs.count("the server seems to ignore the document filter"), "no lookup by document was made")
}

// capture is a slog.Handler that keeps messages.
type capture struct {
	mu   sync.Mutex
	msgs []string
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, r.Message)
	return nil
}
func (c *capture) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *capture) WithGroup(string) slog.Handler      { return c }

func (c *capture) count(substr string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, m := range c.msgs {
		if strings.Contains(m, substr) {
			n++
		}
	}
	return n
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := parseInt(s)
	require.NoError(t, err)
	return n
}

// R-BAD-1: refusals found before sending say nothing about the vendor's
// health, so a backlog of bad records longer than the failure streak does
// not stop every run at the same place.
func TestMoreBadRecordsInARowThanTheFailureStreakStillLetTheRunFinish(t *testing.T) {
	h := newHarness(t)
	var bad []int64
	for range 25 {
		c := auvoCustomer("\t", cpfA)
		bad = append(bad, h.auvo.Seed(c))
	}
	good := h.auvo.Seed(auvoCustomer("Padaria Central", cpfB))
	sums := h.run(syncrules.AuvoToOmie)
	require.NoError(t, sums[0].Err)
	assert.Equal(t, 25, sums[0].Counts[syncrules.Failed])
	assert.Equal(t, syncrules.Created, h.report(syncrules.AuvoToOmie, id(good)).Outcome)
	assert.Equal(t, syncrules.RBad1, h.report(syncrules.AuvoToOmie, id(bad[24])).Rule)
}

// The guard stays for a vendor that is really down: a vendor error on one
// record fails that record, but 20 in a row stop the run and the cursor
// stays, so nothing is skipped.
func TestAVendorFailingEveryRecordStillStopsTheRun(t *testing.T) {
	h := newHarness(t)
	docs := []string{cpfA, cpfB, cpfC, cnpjA, cpfD, cpfE, cpfF}
	for i := range 25 {
		h.auvo.Seed(auvoCustomer(fmt.Sprintf("Cliente %d", i), docs[i%len(docs)]))
	}
	h.omie.FailNext(omiefake.UpsertCliente, 1000, 500, "SOAP-ENV:Server", "ERROR: instabilidade")
	sums := h.run(syncrules.AuvoToOmie)
	require.Error(t, sums[0].Err)
	assert.Contains(t, sums[0].Err.Error(), "20 records failed in a row")
	assert.Equal(t, 20, sums[0].Counts[syncrules.Failed])
	_, moved, err := h.store.Cursor(context.Background(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	assert.False(t, moved, "the cursor stays: the next run reads them again")
}

// A line break someone typed in Omie, in a field the flow does not touch,
// never fails the update of another field: only changed fields are sent.
func TestAnOmieFieldWithALineBreakDoesNotFailAnUpdateOfAnotherField(t *testing.T) {
	h := newHarness(t)
	a := h.auvo.Seed(auvoCustomer("Padaria Central", cpfA))
	h.run(syncrules.AuvoToOmie)
	partnerID := mustInt(t, h.report(syncrules.AuvoToOmie, id(a)).TargetID)
	require.NoError(t, h.omie.Update(partnerID, func(c *omiefake.Cliente) { c.Observacao = "linha 1\nlinha 2" }))
	h.auvo.Update(a, func(c *auvofake.Customer) { c.PhoneNumbers = []string{"11955554444"} })
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	assert.Equal(t, syncrules.Updated, r.Outcome, r.Reason)
	c, _ := h.omie.Cliente(partnerID)
	assert.Equal(t, "955554444", c.Telefone1Numero)
	assert.Equal(t, "linha 1\nlinha 2", c.Observacao, "left as it was")
}

// R-BAD-1 for Omie's two name fields: razao_social is clipped, nome_fantasia
// keeps the whole name, and the name reads back unchanged.
func TestALongCompanyNameIsClippedInRazaoSocialOnly(t *testing.T) {
	h := newHarness(t)
	name := "Comércio Atacadista de Materiais de Construção e Ferragens Irmãos Souza Ltda" // 76 characters
	a := h.auvo.Seed(auvoCustomer(name, cnpjA))
	h.run(syncrules.AuvoToOmie)
	r := h.report(syncrules.AuvoToOmie, id(a))
	require.Equal(t, syncrules.Created, r.Outcome, r.Reason)
	assert.Contains(t, r.Reason, "razao_social clipped to 60 characters (had 76, nome_fantasia keeps it whole)")
	c, _ := h.omie.Cliente(mustInt(t, r.TargetID))
	assert.Equal(t, name, c.NomeFantasia)
	assert.Equal(t, []rune(name)[:60], []rune(c.RazaoSocial))

	h.auvo.Update(a, func(c *auvofake.Customer) { c.PhoneNumbers = []string{"11955554444"} })
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Equal(t, "changed: phone", h.report(syncrules.AuvoToOmie, id(a)).Reason)
	got, _ := h.auvo.Customer(a)
	assert.Equal(t, name, got.Name)
	h.resetCalls()
	h.run(syncrules.AuvoToOmie, syncrules.OmieToAuvo)
	assert.Zero(t, h.writeCalls())
}

// failingLinks is a ledger whose link writes fail, as a full disk would.
type failingLinks struct{ ledger.Store }

func (failingLinks) PutLink(context.Context, ledger.Link, time.Time) error {
	return errors.New("disk I/O error")
}

// The ledger failing is not one record's problem: the run stops at once and
// the cursor stays (fatal's positive list).
func TestTheLedgerFailingStopsTheRun(t *testing.T) {
	h := newHarness(t)
	h.auvo.Seed(auvoCustomer("Padaria Central", cpfA))
	h.auvo.Seed(auvoCustomer("Mercado", cpfB))
	h.conn.Ledger = failingLinks{h.store}
	sums := h.run(syncrules.AuvoToOmie)
	require.Error(t, sums[0].Err)
	assert.Contains(t, sums[0].Err.Error(), "disk I/O error")
	assert.Equal(t, 1, sums[0].Seen, "stopped at the first record")
	_, moved, err := h.store.Cursor(context.Background(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	assert.False(t, moved)
}
