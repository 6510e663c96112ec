package syncrules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

// R-REPORT-2: no reason built by this package carries an unmasked document,
// e-mail or phone, whatever decision produced it.
func TestReasonsNeverHoldPersonalData_RReport2(t *testing.T) {
	documents := []string{"529.982.247-25", "529.982.247-26", "12.ABC.345/01DE-35", "93.ZB0.VRY/V6KA-66",
		"111.111.111-11", "5299822472", "52998224725"}
	emails := []string{"joao.silva@empresa.com.br", "Maria@Exemplo.com"}
	phones := []string{"(11) 98765-4321", "+55 21 3456-7890"}

	// Raw values and their digit-only forms must not appear.
	var secrets []string
	for _, d := range documents {
		secrets = append(secrets, d, syncrules.NormalizeDocument(d))
	}
	secrets = append(secrets, emails...)
	for _, e := range emails {
		secrets = append(secrets, strings.ToLower(e), strings.Split(strings.ToLower(e), "@")[0])
	}
	for _, p := range phones {
		parsed, err := syncrules.ParsePhone(p)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, p, parsed.Digits(), parsed.Number, parsed.String())
	}

	var reasons []string
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, doc := range documents {
		for _, active := range []bool{true, false} {
			c := syncrules.Customer{
				ID: "42", Name: "João", Document: doc, Active: active, ExternalCode: "906",
				Emails: emails, Phones: syncrules.ParsePhones(strings.Join(phones, ", ")),
				AddressLine: "Rua A, 1, Centro - São Paulo - SP", Note: "fale com " + emails[0] + " ou " + phones[0],
				Modified: t0,
			}
			if _, _, skip := syncrules.CheckEligibility(c); skip != nil {
				reasons = append(reasons, skip.Reason, skip.String())
			}
			other := c
			other.Name, other.Emails, other.Modified = "Maria", emails[:1], t0.Add(time.Hour)
			for _, f := range syncrules.AllFlows() {
				for _, last := range []string{"", syncrules.Hash(f.Fields(), c), syncrules.Hash(f.Fields(), other)} {
					d := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: f, Source: c, Target: other,
						LastSourceHash: last, LastTargetHash: last})
					reasons = append(reasons, d.Reason)
				}
			}
			// Flows often fail with a vendor message that echoes the payload.
			o := syncrules.Fail(syncrules.ROut1, "Omie: cliente com CPF/CNPJ "+doc+", e-mail "+emails[0]+", fone "+phones[0]+" já cadastrado")
			reasons = append(reasons, o.Reason, o.String())
		}
	}
	reasons = append(reasons,
		syncrules.MatchOutbound(nil).Reason,
		syncrules.MatchOutbound([]syncrules.PartnerCandidate{{ID: "1"}}).Reason,
		syncrules.MatchOutbound([]syncrules.PartnerCandidate{{ID: "1", Linked: true}}).Reason,
		syncrules.MatchInbound("906", nil).Reason,
		syncrules.MatchInbound("906", []syncrules.AuvoCandidate{{ID: "1", ExternalCode: "906"}}).Reason,
		syncrules.MatchInbound("906", []syncrules.AuvoCandidate{{ID: "1"}}).Reason,
		syncrules.MatchInbound("906", []syncrules.AuvoCandidate{{ID: "1", ExternalCode: "1"}}).Reason,
	)
	for _, in := range []syncrules.LockInput{
		{Linked: true, LinkState: syncrules.LinkLive},
		{Linked: true, LinkState: syncrules.LinkLive, AuvoExists: true},
		{Linked: true, LinkState: syncrules.LinkAuvoDeleted},
		{Linked: true, LinkState: syncrules.LinkExternalCodeErased},
		{Linked: true, LinkState: syncrules.LinkReleased},
	} {
		_, _, reason := syncrules.DecideLock(in)
		reasons = append(reasons, reason)
	}

	assert.Greater(t, len(reasons), 100)
	for _, r := range reasons {
		for _, s := range secrets {
			assert.NotContains(t, r, s, "reason %q leaks %q", r, s)
		}
	}
}
