package flows

import (
	"testing"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/syncrules"
)

// BenchmarkDecidePerRecord is the flows' own work on one record, without
// any I/O: translate an Auvo customer and its linked Omie client to the
// canonical form, check eligibility, split the address with the Omie
// catalogue, project it, decide the update and hash both sides — what an
// outbound run does per record besides calling APIs and the ledger.
func BenchmarkDecidePerRecord(b *testing.B) {
	a := auvo.Customer{ID: 1001, ExternalID: "2000000001", Name: "Padaria Central Ltda", Document: "529.982.247-25",
		PhoneNumbers: []string{"11987654321", "1134567890"}, Emails: []string{"contato@padaria.com.br"},
		Address: "Av. Paulista, 1578, Bela Vista - São Paulo - SP, 01310-200", AddressComplement: "Loja 2", Active: true}
	o := omie.Cliente{CodigoClienteOmie: 2000000001, RazaoSocial: "Padaria Central", NomeFantasia: "Padaria Central",
		Document: "529.982.247-25", Telefone1DDD: "11", Telefone1Numero: "987654321", Email: "contato@padaria.com.br",
		Endereco: "Av. Paulista", EnderecoNumero: "1578", Bairro: "Bela Vista", Cidade: "São Paulo", Estado: "SP", CEP: "01310-200"}
	r := &run{flow: syncrules.AuvoToOmie, fields: syncrules.AuvoToOmie.Fields()}
	sys := omieSystem{}
	b.ReportAllocs()
	for b.Loop() {
		src := fromAuvo(a)
		if _, _, skip := syncrules.CheckEligibility(src.Customer); skip != nil {
			b.Fatal(skip)
		}
		parsed, _, ok := r.outboundAddress(src)
		if !ok {
			b.Fatal("address")
		}
		target := fromOmie(o)
		dec := syncrules.DecideUpdate(syncrules.UpdateInput{Flow: r.flow, Source: sys.Project(parsed), Target: target.Customer, LastTargetHash: "x"})
		if dec.Action != syncrules.UpdateWrite {
			b.Fatal(dec)
		}
		_ = syncrules.Hash(r.fields, src.Customer)
		_ = syncrules.Hash(r.fields, target.Customer)
	}
}
