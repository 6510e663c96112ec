package demo

import (
	"context"
	"strconv"
	"time"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// seed fills the fakes with customers that exercise every rule, and writes
// into the state file the links of an imagined earlier run whose Auvo side
// was later deleted or unlinked, so that the lock (R-LOCK-1) shows.
func (d *Demo) seed(ctx context.Context, store ledger.Store) error {
	now := time.Now().Truncate(time.Second)
	s := &seeder{d: d, store: store, now: now, old: now.Add(-30 * 24 * time.Hour), edited: now.Add(-48 * time.Hour)}
	s.acme()
	s.beta()
	s.gamma()
	return s.err
}

type seeder struct {
	d     *Demo
	store ledger.Store
	now   time.Time
	// old is when linked records were created; edited when their
	// unchanged side was last touched.
	old, edited time.Time
	err         error
}

// pastLink records a link made by an earlier run.
func (s *seeder) pastLink(conn string, flow syncrules.Flow, auvoID, partnerID, doc string) {
	if s.err != nil {
		return
	}
	s.err = s.store.PutLink(context.Background(), ledger.Link{
		Conn: conn, Partner: string(flow.Partner()), Flow: string(flow), AuvoID: auvoID, PartnerID: partnerID,
		DocHash: s.store.DocumentHash(syncrules.NormalizeDocument(doc)),
	}, s.old)
}

func (s *seeder) auvo(conn string, c auvofake.Customer) string {
	s.d.Seeded++
	return strconv.FormatInt(s.d.Auvo[conn].Seed(c), 10)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func phones(p ...string) []string { return p }

// acme: Auvo ↔ Omie (F1 and F3).
func (s *seeder) acme() {
	const conn = "acme"
	o := s.d.Omie
	om := func(c omiefake.Cliente) int64 { s.d.Seeded++; return o.Seed(c) }
	active := func(name, doc, addr string) auvofake.Customer {
		return auvofake.Customer{Name: name, CpfCnpj: doc, Address: addr, Active: true,
			PhoneNumbers: phones("(11) 98765-4321"), Emails: []string{"contato@example.com.br"}}
	}

	// F1: one customer per Omie address pattern, and the geocoder layout.
	s.auvo(conn, active("Ana Souza", demoCPF(101_001_001), "Av. Paulista, 1578, Bela Vista - São Paulo - SP"))
	s.auvo(conn, active("Construtora Horizonte Ltda", demoCNPJ("110010010001"), "Av. Afonso Pena, 1212, Centro, Belo Horizonte, MG"))
	s.auvo(conn, active("Bruno Lima", demoCPF(101_001_003), "Av. Boa Viagem, 3500, Boa Viagem - Recife - PE, 51020-000"))
	s.auvo(conn, active("Carla Mendes", demoCPF(101_001_004), "Av. Presidente Vargas, 3000, Centro, Rio de Janeiro, RJ, 20210-030"))
	s.auvo(conn, active("Diego Rocha", demoCPF(101_001_005), "Avenida Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil"))
	// F1 eligibility and address refusals.
	inactive := active("Elaine Prado", demoCPF(101_001_006), "Rua Chile, 20, Comércio, Salvador, Bahia")
	inactive.Active = false
	s.auvo(conn, inactive)
	s.auvo(conn, active("Fábio Nunes", "", "Rua da Consolação, 2300, Consolação - São Paulo - SP"))
	s.auvo(conn, active("Gisele Matos", breakCheckDigits(demoCPF(101_001_008)), "Rua Padre Chagas, 79, Moinhos de Vento - Porto Alegre - RS"))
	s.auvo(conn, active("Hugo Teixeira", demoCPF(101_001_009), "Perto da padaria do Zé, casa azul"))
	s.auvo(conn, active("Karina Alves", demoCPF(101_001_013), "Rua das Flores, 123, Apto 4, Centro - SP, 13010-000"))

	// R-OUT-2: an Omie customer with the document, linked to nobody.
	iris := demoCPF(101_001_010)
	om(omiefake.Cliente{RazaoSocial: "Iris Campos ME", CnpjCpf: iris, Tags: []string{"Cliente"},
		Endereco: "Rua Augusta", EnderecoNumero: "500", Bairro: "Consolação", Cidade: "São Paulo", Estado: "SP", CEP: "01305-000",
		Incluido: s.old})
	s.auvo(conn, active("Iris Campos", iris, "Rua Augusta, 500, Consolação - São Paulo - SP"))

	// R-OUT-3: the only Omie customer with this document is linked to
	// another Auvo customer, so a second Omie customer is created.
	mara := demoCPF(101_001_016)
	maraCode := om(omiefake.Cliente{RazaoSocial: "Mara Lopes", CnpjCpf: mara, Telefone1DDD: "11", Telefone1Numero: "98765-4321",
		Email: "contato@example.com.br", Endereco: "Rua Augusta", EnderecoNumero: "700", Bairro: "Consolação",
		Cidade: "São Paulo", Estado: "SP", Incluido: s.old, Alterado: s.old})
	matriz := active("Mara Lopes", mara, "Rua Augusta, 700, Consolação - São Paulo - SP")
	matriz.ExternalID = id(maraCode)
	matriz.CreationDate = s.old
	s.auvo(conn, matriz)
	s.auvo(conn, active("Mara Lopes (filial)", mara, "Rua Augusta, 702, Consolação - São Paulo - SP"))

	// A linked pair edited in Auvo since: the change goes to Omie (R-UPD-1).
	jonas := demoCPF(101_001_011)
	jonasCode := om(omiefake.Cliente{RazaoSocial: "Jonas Freitas", CnpjCpf: jonas, Telefone1DDD: "11", Telefone1Numero: "3333-4444",
		Endereco: "Rua Oscar Freire", EnderecoNumero: "900", Bairro: "Jardins", Cidade: "São Paulo", Estado: "SP",
		Incluido: s.old, Alterado: s.edited})
	linked := active("Jonas Freitas", jonas, "Rua Oscar Freire, 900, Jardins - São Paulo - SP")
	linked.ExternalID = id(jonasCode)
	linked.PhoneNumbers = phones("(11) 97777-1234")
	linked.CreationDate, linked.DateLastUpdate = s.old, s.now
	s.auvo(conn, linked)

	// R-IN-3: skipped by F1 for its address, linked by F3 by document.
	lucas := demoCPF(101_001_014)
	s.auvo(conn, active("Lucas Barros", lucas, "Sítio Boa Vista, estrada velha"))
	om(omiefake.Cliente{RazaoSocial: "Lucas Barros", CnpjCpf: lucas, Endereco: "Rua Chile", EnderecoNumero: "20",
		Bairro: "Comércio", Cidade: "Salvador", Estado: "BA", CEP: "40020-000"})

	// R-UPD-4 in F1 (the linked Omie record is gone), then R-IN-2 in F3:
	// the Auvo customer with this document points at another record.
	tiago := demoCPF(101_001_015)
	gone := active("Tiago Farias", tiago, "Rua Jose de Alencar, 500, Meireles, Fortaleza, CE")
	gone.ExternalID = "999999"
	gone.CreationDate = s.old
	s.auvo(conn, gone)
	om(omiefake.Cliente{RazaoSocial: "Tiago Farias", CnpjCpf: tiago, Endereco: "Rua Jose de Alencar", EnderecoNumero: "500",
		Bairro: "Meireles", Cidade: "Fortaleza", Estado: "CE", CEP: "60110-000"})

	// F3: tags, eligibility.
	addr := func(c omiefake.Cliente) omiefake.Cliente {
		c.Endereco, c.EnderecoNumero, c.Bairro, c.Cidade, c.Estado, c.CEP = "Rua das Flores", "123", "Centro", "Campinas", "SP", "13010-000"
		c.Telefone1DDD, c.Telefone1Numero, c.Email = "19", "3232-1010", "financeiro@example.com.br"
		return c
	}
	om(addr(omiefake.Cliente{RazaoSocial: "Mariana Costa", CnpjCpf: demoCPF(101_002_001)}))
	om(addr(omiefake.Cliente{RazaoSocial: "Nelson Pires", CnpjCpf: demoCPF(101_002_002), Tags: []string{"VIP"}}))
	om(addr(omiefake.Cliente{RazaoSocial: "Olga Ramos Comércio Ltda", CnpjCpf: demoCNPJ("110020030001"), Tags: []string{"Cliente", "Fornecedor"}}))
	om(addr(omiefake.Cliente{RazaoSocial: "Paulo Transportes Ltda", CnpjCpf: demoCNPJ("110020040001"), Tags: []string{"Fornecedor"}}))
	om(addr(omiefake.Cliente{RazaoSocial: "Quitéria Dias", CnpjCpf: demoCPF(101_002_005), Inativo: true}))
	om(addr(omiefake.Cliente{RazaoSocial: "Rafael Moura"}))
	om(addr(omiefake.Cliente{RazaoSocial: "Sueli Andrade", CnpjCpf: breakCheckDigits(demoCPF(101_002_007))}))

	// R-LOCK-1: integrated by an earlier run, then deleted in Auvo.
	padaria := demoCPF(101_002_008)
	code := om(addr(omiefake.Cliente{RazaoSocial: "Padaria Antiga", CnpjCpf: padaria, Tags: []string{"Cliente"}, Incluido: s.old}))
	s.pastLink(conn, syncrules.OmieToAuvo, "90001", id(code), padaria)
}

// beta: Auvo ↔ Conta Azul (F2 and F5).
func (s *seeder) beta() {
	const conn = "beta"
	ca := s.d.ContaAzul
	person := func(p contaazulfake.Person) string { s.d.Seeded++; return ca.Seed(p) }
	active := func(name, doc, addr string) auvofake.Customer {
		return auvofake.Customer{Name: name, CpfCnpj: doc, Address: addr, Active: true, Note: "cliente desde 2024",
			PhoneNumbers: phones("(21) 99888-7766"), Emails: []string{"compras@example.com.br"}}
	}
	// F2: one customer per Conta Azul address pattern; one alphanumeric CNPJ.
	patterns := []struct{ name, doc, addr string }{
		{"Bar do Alemão", demoCPF(202_001_001), "Rua das Flores, 123, Apto 4, Centro, SP, 13010-000"},
		{"Clínica Sorriso", demoCPF(202_001_002), "Rua Oscar Freire, 900B, Jardins, São Paulo, SP, 01426-001"},
		{"Daniela Fontes", demoCPF(202_001_003), "Av. Sete de Setembro, 4000, Sala 5, Batel - PR, 80250-210"},
		{"Estúdio Pilates Vida", demoCPF(202_001_004), "Rua das Flores, 123 Apto 4, Centro, Campinas, SP, 13010-000"},
		{"Farmácia Central", demoCPF(202_001_005), "Rua Alagoas, 300, Ap 101, Funcionários, MG"},
		{"Gráfica Rápida", demoCPF(202_001_006), "Rua Uruguai, 20, Tijuca, RJ, 20510-060"},
		{"Hotel Beira Mar", demoCPF(202_001_007), "Av. Beira Mar - 1500 - Apto 1201 - Meireles - CE - 60165-120"},
		{"Instituto Saber", demoCPF(202_001_008), "Rua Silva Jardim, Bloco C, Centro, Florianópolis - SC, 88010-000, Brasil"},
		{"Tech Alfa Soluções S.A.", demoCNPJ("AB12CD340001"), "Rua Gonçalves Dias, Centro, São Luís-MA, 65020-240, Brasil"},
	}
	for _, p := range patterns {
		s.auvo(conn, active(p.name, p.doc, p.addr))
	}
	s.auvo(conn, active("Vitor Hugo", demoCPF(202_001_010), "Rua Padre Chagas, 79, Moinhos de Vento - Porto Alegre - RS"))

	caAddr := []contaazulfake.Address{{Street: "Rua Silva Jardim", Number: "100", District: "Centro", City: "Florianópolis", State: "SC", ZIP: "88010-000"}}
	// R-OUT-2.
	wagner := demoCPF(202_002_001)
	person(contaazulfake.Person{Name: "Wagner Pinto", Document: wagner, Active: true, Profiles: []string{"Cliente"}, Addresses: caAddr, CreatedAt: s.old})
	s.auvo(conn, active("Wagner Pinto", wagner, "Rua Silva Jardim, 100, Sala 2, Centro, SC, 88010-000"))

	// A linked pair edited in Auvo since: F2 writes the changes to Conta
	// Azul (R-UPD-1), and F5 then sees its own echo (R-UPD-3).
	xenia := demoCPF(202_002_002)
	xid := person(contaazulfake.Person{Name: "Xênia Lopes", Document: xenia, Active: true, Profiles: []string{"Cliente"},
		PhoneMobile: "(21) 97654-3210", Email: "xenia@example.com.br", Addresses: caAddr, CreatedAt: s.old, UpdatedAt: s.edited})
	x := active("Xênia Lopes", xenia, "Rua Silva Jardim, 100, Sala 2, Centro, SC, 88010-000")
	x.ExternalID, x.CreationDate, x.DateLastUpdate = xid, s.old, s.now
	s.auvo(conn, x)

	// R-OUT-3: the only Conta Azul record with this document is linked.
	yara := demoCPF(202_002_003)
	yid := person(contaazulfake.Person{Name: "Yara Bastos", Document: yara, Active: true, Profiles: []string{"Cliente"}, Addresses: caAddr, CreatedAt: s.old})
	y := active("Yara Bastos", yara, "Rua Silva Jardim, 100, Sala 2, Centro, SC, 88010-000")
	y.ExternalID, y.CreationDate, y.DateLastUpdate = yid, s.old, s.old
	s.auvo(conn, y)
	s.auvo(conn, active("Yara Bastos (2ª unidade)", yara, "Rua Uruguai, 20, Casa 2, Tijuca, RJ, 20510-060"))

	// R-LOCK-1: linked by an earlier run; since then someone erased the
	// external code in Auvo. F2 locks it; F5 then skips its partner.
	zeca := demoCPF(202_002_004)
	zid := person(contaazulfake.Person{Name: "Zeca Moreira", Document: zeca, Active: true, Profiles: []string{"Cliente"}, Addresses: caAddr, CreatedAt: s.old})
	z := active("Zeca Moreira", zeca, "Rua Silva Jardim, 100, Sala 2, Centro, SC, 88010-000")
	z.CreationDate = s.old
	s.pastLink(conn, syncrules.AuvoToContaAzul, s.auvo(conn, z), zid, zeca)

	// F5: profiles and eligibility.
	profile := func(name, doc string, active bool, profiles ...string) {
		person(contaazulfake.Person{Name: name, Document: doc, Active: active, Profiles: profiles, Addresses: caAddr,
			Email: "contato@example.com.br", PhoneCommercial: "(48) 3222-1100"})
	}
	profile("Alice Ferraz", demoCPF(202_003_001), true, "Cliente")
	profile("Bento Cardoso Ltda", demoCNPJ("220030020001"), true, "Cliente", "Fornecedor")
	profile("Cia Fornecedora de Papel", demoCNPJ("220030030001"), true, "Fornecedor")
	profile("Rápido Sul Transportes", demoCNPJ("220030040001"), true, "Transportadora")
	profile("Denise Vale", demoCPF(202_003_005), false, "Cliente")
	profile("Eduardo Sá", "", true, "Cliente")
	profile("Nuvem Beta Tecnologia", demoCNPJ("XY9Z8W760001"), true, "Cliente")
}

// gamma: Bling → Auvo (F4).
func (s *seeder) gamma() {
	const conn = "gamma"
	b := s.d.Bling
	contact := func(c blingfake.Contact) string {
		s.d.Seeded++
		if c.Endereco.Geral.Endereco == "" {
			c.Endereco.Geral = blingfake.EnderecoDados{Endereco: "Av. Afonso Pena", Numero: "3000", Bairro: "Centro",
				Municipio: "Campo Grande", UF: "MS", CEP: "79002-070"}
		}
		if c.Celular == "" {
			c.Celular = "(67) 99123-4567"
		}
		return id(b.Seed(c))
	}
	contact(blingfake.Contact{Nome: "Fernanda Reis", NumeroDocumento: demoCPF(303_001_001), Email: "fernanda@example.com.br"})
	contact(blingfake.Contact{Nome: "Gomes & Filhos Ltda", NumeroDocumento: demoCNPJ("330010020001")})
	contact(blingfake.Contact{Nome: "Heitor Cunha", NumeroDocumento: demoCPF(303_001_003), Situacao: "I"})
	contact(blingfake.Contact{Nome: "Isabela Nogueira"})
	contact(blingfake.Contact{Nome: "João Pedro Melo", NumeroDocumento: breakCheckDigits(demoCPF(303_001_005))})

	auvoCustomer := func(name, doc, external string) auvofake.Customer {
		return auvofake.Customer{Name: name, CpfCnpj: doc, ExternalID: external, Active: true,
			Address: "Av. Afonso Pena, 3000, Centro - Campo Grande - MS", CreationDate: s.old, DateLastUpdate: s.edited}
	}
	// R-IN-3 and R-IN-2.
	katia := demoCPF(303_002_001)
	s.auvo(conn, auvoCustomer("Kátia Ribeiro", katia, ""))
	contact(blingfake.Contact{Nome: "Kátia Ribeiro", NumeroDocumento: katia})
	leandro := demoCPF(303_002_002)
	s.auvo(conn, auvoCustomer("Leandro Siqueira", leandro, "555"))
	contact(blingfake.Contact{Nome: "Leandro Siqueira", NumeroDocumento: leandro})

	// A linked pair edited in Bling (R-UPD-1).
	monica := demoCPF(303_002_003)
	mid := contact(blingfake.Contact{Nome: "Mônica Araújo", NumeroDocumento: monica, Celular: "(67) 98888-0001",
		DataInclusao: s.old, DataAlteracao: s.now})
	s.auvo(conn, auvoCustomer("Mônica Araújo", monica, mid))

	// R-LOCK-1: linked by an earlier run, external code since erased in Auvo.
	norberto := demoCPF(303_002_004)
	nid := contact(blingfake.Contact{Nome: "Norberto Lima", NumeroDocumento: norberto, DataInclusao: s.old})
	s.pastLink(conn, syncrules.BlingToAuvo, s.auvo(conn, auvoCustomer("Norberto Lima", norberto, "")), nid, norberto)
}
