package flows

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/syncrules"
)

// R-BAD-1: fatal is a positive list; anything it does not name fails only
// the record.
func TestFatalStopsTheRunOnlyForWhatNoOtherRecordCouldPass(t *testing.T) {
	api := func(kind omie.Kind) *omie.APIError {
		return &omie.APIError{Vendor: "omie", Status: 500, Kind: kind}
	}
	for _, tc := range []struct {
		name  string
		err   error
		fatal bool
	}{
		{"no error", nil, false},
		{"refresh token refused", &contaazul.ReauthorizeError{Vendor: "contaazul"}, true},
		{"credentials refused", api(omie.KindUnauthorized), true},
		{"not allowed", api(omie.KindForbidden), true},
		{"rate limit after the retries", &omie.RateLimitError{APIError: api(omie.KindRateLimited)}, true},
		{"Omie misuse block", api(omie.KindBlocked), true},
		{"Bling daily budget", &bling.BudgetError{Used: 1, Limit: 1, ResetAt: time.Now()}, true},
		{"Bling circuit open", &bling.CircuitOpenError{Failures: 20, Until: time.Now()}, true},
		{"network gone", fmt.Errorf("omie UpsertCliente: %w", &omie.NetworkError{Vendor: "omie", Err: errors.New("connection refused")}), true},
		{"token endpoint unreachable", fmt.Errorf("contaazul: %w", contaazul.ErrTokenEndpoint), true},
		{"run cancelled", fmt.Errorf("auvo: %w", context.Canceled), true},
		{"record budget spent", context.DeadlineExceeded, true},
		{"ledger failing", inLedger(errors.New("database is locked")), true},
		{"ledger failing, wrapped by a token source", fmt.Errorf("contaazul: loading the saved token: %w", inLedger(errors.New("disk I/O error"))), true},
		{"ledger: this record is locked", inLedger(fmt.Errorf("put link: %w", ledger.ErrLocked)), false},
		{"ledger: no such link", inLedger(ledger.ErrNotFound), false},
		{"ledger: intent already closed", inLedger(ledger.ErrIntentClosed), false},
		{"Omie refuses a value before sending", &omie.ValidationError{Call: "UpsertCliente", Field: "complemento", Problem: "has 81 characters, Omie allows 60"}, false},
		{"Conta Azul refuses a value before sending", &contaazul.ValidationError{Op: "create person", Problems: []contaazul.FieldProblem{{Field: "observacao"}}}, false},
		{"Auvo refuses a value before sending", &auvo.ValidationError{Op: "Upsert", Field: "note"}, false},
		{"Bling refuses a value before sending", &bling.ValidationError{Problems: []bling.FieldProblem{{Field: "nome"}}}, false},
		{"the vendor refuses a value", api(omie.KindInvalid), false},
		{"the vendor fails on this record after retries", api(omie.KindServer), false},
		{"a duplicate", api(omie.KindConflict), false},
		{"not found", api(omie.KindNotFound), false},
		{"an answer that cannot be read", errors.New("contaazul: GET /v1/pessoas: answer is not JSON (offset 1)"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.fatal, fatal(tc.err))
		})
	}
}

// A refusal is R-BAD-1 whatever step met it, and one found before sending
// does not count toward the failure streak.
func TestFailureNamesRBad1ForRefusedValues(t *testing.T) {
	local := failure(syncrules.ROut1, "creating the Omie record", &omie.ValidationError{Call: "UpsertCliente", Field: "razao_social", Problem: "is required"})
	assert.Equal(t, syncrules.RBad1, local.rule)
	assert.Equal(t, "creating the Omie record: omie UpsertCliente: razao_social is required", local.reason)
	assert.True(t, local.refusedHere)
	assert.NoError(t, local.err)

	vendor := failure(syncrules.ROut1, "creating the Omie record", &omie.APIError{Vendor: "omie", Kind: omie.KindInvalid, Status: 500})
	assert.Equal(t, syncrules.RBad1, vendor.rule)
	assert.False(t, vendor.refusedHere, "the vendor's refusals still count toward the streak")

	server := failure(syncrules.ROut1, "creating the Omie record", &omie.APIError{Vendor: "omie", Kind: omie.KindServer, Status: 500})
	assert.Equal(t, syncrules.ROut1, server.rule)
}

func TestFitClipsOrRefusesByTheTable(t *testing.T) {
	addr := func(street, number, district, city string) syncrules.Customer {
		var c syncrules.Customer
		c.Address.Street, c.Address.Number, c.Address.District, c.Address.City = street, number, district, city
		return c
	}
	for _, tc := range []struct {
		name    string
		target  string
		in      syncrules.Customer
		check   func(t *testing.T, out syncrules.Customer)
		note    string
		refused string
	}{
		{
			name: "Omie: a name longer than razao_social stays whole in nome_fantasia", target: "omie",
			in:    syncrules.Customer{Name: strings.Repeat("n", 75)},
			check: func(t *testing.T, out syncrules.Customer) { assert.Equal(t, strings.Repeat("n", 75), out.Name) },
			note:  "razao_social clipped to 60 characters (had 75, nome_fantasia keeps it whole)",
		},
		{
			name: "Omie: a name longer than nome_fantasia is clipped in both", target: "omie",
			in:    syncrules.Customer{Name: strings.Repeat("n", 120)},
			check: func(t *testing.T, out syncrules.Customer) { assert.Equal(t, strings.Repeat("n", 100), out.Name) },
			note:  "nome_fantasia clipped to 100 characters (had 120), razao_social clipped to 60 characters (had 120)",
		},
		{
			name: "Omie: long street and bairro are clipped", target: "omie",
			in: addr(strings.Repeat("r", 61), "10", strings.Repeat("b", 70), "São Paulo"),
			check: func(t *testing.T, out syncrules.Customer) {
				assert.Equal(t, 60, utf8.RuneCountInString(out.Address.Street))
				assert.Equal(t, 60, utf8.RuneCountInString(out.Address.District))
			},
			note: "endereco clipped to 60 characters (had 61), bairro clipped to 60 characters (had 70)",
		},
		{
			name: "Omie: a city too long is refused, not cut", target: "omie",
			in:      addr("Rua A", "1", "Centro", strings.Repeat("c", 41)),
			refused: "cidade has 41 characters, Omie allows 40",
		},
		{
			name: "Omie: a number too long is refused", target: "omie",
			in:      addr("Rua A", strings.Repeat("1", 61), "Centro", "Santos"),
			refused: "endereco_numero has 61 characters, Omie allows 60",
		},
		{
			name: "Conta Azul: e-mails lose whole addresses from the end", target: "contaazul",
			in: syncrules.Customer{Emails: []string{strings.Repeat("a", 40) + "@x.com", strings.Repeat("b", 40) + "@x.com", "c@x.com"}},
			check: func(t *testing.T, out syncrules.Customer) {
				assert.Equal(t, []string{strings.Repeat("a", 40) + "@x.com", strings.Repeat("b", 40) + "@x.com"}, out.Emails)
			},
			note: "email clipped to 100 characters (had 103)",
		},
		{
			name: "Conta Azul: a single e-mail too long is refused", target: "contaazul",
			in:      syncrules.Customer{Emails: []string{strings.Repeat("a", 101) + "@x.com"}},
			refused: "email has 107 characters, Conta Azul allows 100",
		},
		{
			name: "Conta Azul: a note is clipped at 2000, by characters", target: "contaazul",
			in:    syncrules.Customer{Note: strings.Repeat("é", 2001)},
			check: func(t *testing.T, out syncrules.Customer) { assert.Equal(t, strings.Repeat("é", 2000), out.Note) },
			note:  "observacao clipped to 2000 characters (had 2001)",
		},
		{
			name: "Auvo: complement clipped at 1000", target: auvoTarget,
			in:    syncrules.Customer{Complement: strings.Repeat("c", 1001)},
			check: func(t *testing.T, out syncrules.Customer) { assert.Len(t, out.Complement, 1000) },
			note:  "adressComplement clipped to 1000 characters (had 1001)",
		},
		{
			name: "values within the limits are left alone", target: "omie",
			in:    syncrules.Customer{Name: "Padaria", Complement: "fundos", Emails: []string{"a@b.com"}},
			check: func(t *testing.T, out syncrules.Customer) { assert.Equal(t, "fundos", out.Complement) },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, f := fit(tc.target, tc.in)
			all := syncrules.AllFields()
			if tc.refused != "" {
				res := f.refused(all)
				require.NotNil(t, res)
				assert.Equal(t, syncrules.Failed, res.kind)
				assert.Equal(t, syncrules.RBad1, res.rule)
				assert.Contains(t, res.reason, tc.refused)
				return
			}
			assert.Nil(t, f.refused(all))
			tc.check(t, out)
			if tc.note == "" {
				assert.Empty(t, f.note(all))
				return
			}
			assert.Contains(t, f.note(all), tc.note)
			assert.Contains(t, f.note(all), string(syncrules.RBad1))
			again, f2 := fit(tc.target, out)
			assert.Equal(t, out, again, "fitting is idempotent")
			for _, c := range f2.clips {
				assert.True(t, c.copyOnly, "a fitted value needs no more clipping: %s", c.wire)
			}
		})
	}
}

// Every limit in the table is the vendor package's own number.
func TestWriteLimitsComeFromTheVendorPackages(t *testing.T) {
	for target, limits := range writeLimits {
		for _, l := range limits.fields {
			assert.Positive(t, l.max, "%s %s has no limit in its vendor package", target, l.wire)
		}
	}
	assert.Equal(t, 60, writeLimit("omie", "complemento"))
	assert.Equal(t, 2000, writeLimit("contaazul", "observacao"))
}

func TestProjectReadsAClippedValueBackAsWritten(t *testing.T) {
	c := syncrules.Customer{Name: strings.Repeat("N", 130), Complement: strings.Repeat("c", 81), Note: strings.Repeat("o", 2100),
		Emails: []string{strings.Repeat("a", 60) + "@x.com", strings.Repeat("b", 60) + "@x.com"}}
	omieP := omieSystem{}.Project(c)
	assert.Equal(t, strings.Repeat("N", 100), omieP.Name)
	assert.Equal(t, strings.Repeat("c", 60), omieP.Complement)
	assert.Equal(t, omieP, omieSystem{}.Project(omieP), "a projected record projects to itself")
	caP := contaAzulSystem{}.Project(c)
	assert.Equal(t, strings.Repeat("o", 2000), caP.Note)
	assert.Len(t, caP.Emails, 1)
	assert.Equal(t, caP, contaAzulSystem{}.Project(caP))
}

// The table in writeLimits' doc comment is the table the code reads: it
// cannot drift from it.
func TestWriteLimitsDocCommentIsTheTable(t *testing.T) {
	src, err := os.ReadFile("limits.go")
	require.NoError(t, err)
	var documented []string
	inTable := false
	for _, line := range strings.Split(string(src), "\n") {
		row, ok := strings.CutPrefix(line, "//\t")
		switch {
		case ok && strings.HasPrefix(row, "target "):
			inTable = true
		case ok && inTable:
			cols := regexp.MustCompile(`\s{2,}`).Split(row, 5)
			require.Len(t, cols, 5, row)
			decision, _, _ := strings.Cut(cols[4], ":")
			documented = append(documented, strings.Join(append(cols[:4:4], decision), "|"))
		case inTable:
			inTable = false
		}
	}
	words := map[limitAction]string{clipValue: "clip", clipCopy: "clip-copy", refuseValue: "fail"}
	var coded []string
	for _, target := range []string{string(syncrules.Omie), string(syncrules.ContaAzul), auvoTarget} {
		l := writeLimits[target]
		for _, f := range l.fields {
			coded = append(coded, fmt.Sprintf("%s|%s|%s|%d|%s", l.name, f.field, f.wire, f.max, words[f.action]))
		}
	}
	assert.Equal(t, coded, documented)
	assert.Len(t, writeLimits, 3, "every target is in the documented order")
}
