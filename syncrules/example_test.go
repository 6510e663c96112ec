package syncrules_test

import (
	"fmt"

	"github.com/auvosync/auvosync/syncrules"
)

func ExampleValidateDocument() {
	for _, s := range []string{"529.982.247-25", "12.abc.345/01de-35", "93.ZB0.VRY/V6KA-66", ""} {
		norm, kind, err := syncrules.ValidateDocument(s)
		if err != nil {
			fmt.Printf("%q: %v\n", s, err)
			continue
		}
		fmt.Printf("%s %s %s\n", kind, norm, syncrules.FormatDocument(norm))
	}
	// Output:
	// CPF 52998224725 529.982.247-25
	// CNPJ 12ABC34501DE35 12.ABC.345/01DE-35
	// "93.ZB0.VRY/V6KA-66": CNPJ: bad check digits
	// "": no document
}

func ExampleMaskDocument() {
	fmt.Println(syncrules.MaskDocument("529.982.247-25"))
	fmt.Println(syncrules.MaskDocument("12.ABC.345/01DE-35"))
	fmt.Println(syncrules.MaskEmail("joao@exemplo.com"))
	fmt.Println(syncrules.MaskPhone("(11) 98765-4321"))
	// Output:
	// ***.982.247-**
	// **.ABC.345/01**-**
	// j***@e***.com
	// (11) *****-**21
}

func ExampleParsePhones() {
	for _, p := range syncrules.ParsePhones("Cel: +55 11 98765-4321 / 3456-7890 e (21) 2345-6789") {
		fmt.Println(p.DDD, p.Number, p)
	}
	// Output:
	// 11 987654321 (11) 98765-4321
	// 11 34567890 (11) 3456-7890
	// 21 23456789 (21) 2345-6789
}

func ExampleSplitEmails() {
	list := syncrules.SplitEmails("joao@exemplo.com; financeiro@exemplo.com ,JOAO@exemplo.com")
	fmt.Println(len(list), syncrules.JoinEmails(list))
	// Output:
	// 2 joao@exemplo.com, financeiro@exemplo.com
}

func ExampleCheckEligibility() {
	for _, c := range []syncrules.Customer{
		{Active: true, Document: "529.982.247-25"},
		{Active: false, Document: "529.982.247-25"},
		{Active: true},
		{Active: true, Document: "529.982.247-26"},
	} {
		doc, kind, skip := syncrules.CheckEligibility(c)
		if skip != nil {
			fmt.Println(skip)
			continue
		}
		fmt.Println("eligible", kind, syncrules.MaskDocument(doc))
	}
	// Output:
	// eligible CPF ***.982.247-**
	// R-ELIG-1 inactive
	// R-ELIG-2 no document
	// R-ELIG-3 invalid document ***.982.247-**: CPF: bad check digits; treated as no document
}

func ExampleOmieTagsAllow() {
	for _, tags := range [][]string{nil, {"VIP"}, {"Fornecedor", "CLIENTE"}, {"Funcionário"}} {
		ok, rule := syncrules.OmieTagsAllow(tags)
		fmt.Println(tags, ok, rule)
	}
	// Output:
	// [] true R-TAG-1
	// [VIP] true R-TAG-2
	// [Fornecedor CLIENTE] true R-TAG-3
	// [Funcionário] false R-TAG-4
}

func ExampleMatchOutbound() {
	d := syncrules.MatchOutbound([]syncrules.PartnerCandidate{
		{ID: "100", Linked: true},
		{ID: "101"},
	})
	fmt.Println(d.Action, d.PartnerID, d.Rule)
	// Output:
	// link 101 R-OUT-2
}

func ExampleMatchInbound() {
	d := syncrules.MatchInbound("906", []syncrules.AuvoCandidate{
		{ID: "42", ExternalCode: "555"},
		{ID: "43", ExternalCode: ""},
	})
	fmt.Println(d.Action, d.AuvoID, d.Rule)
	// Output:
	// link 43 R-IN-3
}

func ExampleDecideUpdate() {
	auvo := syncrules.Customer{Name: "João da Silva", Active: true, ExternalCode: "906",
		Phones: []syncrules.Phone{{DDD: "11", Number: "987654321"}}}
	omie := syncrules.Customer{Name: "JOÃO DA SILVA", Active: true,
		Phones: []syncrules.Phone{{DDD: "11", Number: "34567890"}}}
	d := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: syncrules.AuvoToOmie, Source: auvo, Target: omie})
	fmt.Println(d.Action, d.Fields, d.Rule, d.Reason)
	// Output:
	// write [phone] R-UPD-1 changed: phone
}

func ExampleDecideLock() {
	locked, rule, reason := syncrules.DecideLock(syncrules.LockInput{
		Linked: true, LinkState: syncrules.LinkLive, AuvoExists: true, AuvoExternalCode: "",
	})
	fmt.Println(locked, rule, reason)
	// Output:
	// true R-LOCK-1 locked: external code erased in Auvo
}

func ExampleOutcome_String() {
	fmt.Println(syncrules.Skip(syncrules.RElig2, ""))
	fmt.Println(syncrules.Fail(syncrules.ROut1, "Omie: CPF 529.982.247-25 já cadastrado"))
	// Output:
	// R-ELIG-2 no document
	// R-OUT-1 Omie: CPF ***.982.247-** já cadastrado
}

func ExampleParseFlow() {
	f, _ := syncrules.ParseFlow("omie-to-auvo")
	rev, _ := f.Reverse()
	fmt.Println(f.Partner(), f.Outbound(), f.Fields(), rev)
	// Output:
	// omie false name, phone, address, complement, email auvo-to-omie
}
