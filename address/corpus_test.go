package address_test

import (
	"strings"
	"testing"

	"github.com/auvosync/auvosync/address"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusCase is one labelled line: what Parse must return for it.
type corpusCase struct {
	line    string
	pattern string
	want    [8]string // street, number, complement, district, city, state, zip, country
}

// readCorpus reads "input => pattern|street|number|complement|district|city|state|zip|country"
// lines; blank lines and lines starting with # are skipped.
func readCorpus(t testing.TB, text string) []corpusCase {
	t.Helper()
	var cases []corpusCase
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		in, out, ok := strings.Cut(l, " => ")
		require.True(t, ok, "corpus line without =>: %q", l)
		f := strings.Split(out, "|")
		require.Len(t, f, 9, "corpus line needs 9 fields: %q", l)
		c := corpusCase{line: in, pattern: f[0]}
		copy(c.want[:], f[1:])
		cases = append(cases, c)
	}
	return cases
}

// R-ADDR-2: the four Omie patterns.
const omieCorpus = `
# omie-1: Logradouro, Número, Bairro - Cidade - Estado
Av. Paulista, 1578, Bela Vista - São Paulo - SP => omie-1|Av. Paulista|1578||Bela Vista|São Paulo|SP||
Rua da Consolação, 2300, Consolação - Sao Paulo - São Paulo => omie-1|Rua da Consolação|2300||Consolação|São Paulo|SP||
Rua Padre Chagas, 79, Moinhos de Vento - Porto Alegre - RS => omie-1|Rua Padre Chagas|79||Moinhos de Vento|Porto Alegre|RS||
Avenida Sete de Setembro, 1500, Centro - Curitiba - PR => omie-1|Avenida Sete de Setembro|1500||Centro|Curitiba|PR||
R. Barão de Itapetininga, 255, República - São Paulo - sp => omie-1|R. Barão de Itapetininga|255||República|São Paulo|SP||
Rua 25 de Março, 800, Centro - São Paulo - SP => omie-1|Rua 25 de Março|800||Centro|São Paulo|SP||
Travessa Padre Eutíquio, 1200, Batista Campos - Belém - Pará => omie-1|Travessa Padre Eutíquio|1200||Batista Campos|Belém|PA||
Rua do Bom Jesus, s/n, Bairro do Recife - Recife - PE => omie-1|Rua do Bom Jesus|S/N||Bairro do Recife|Recife|PE||
Rodovia SC-401, 8600, Santo Antônio de Lisboa - Florianópolis - SC => omie-1|Rodovia SC-401|8600||Santo Antônio de Lisboa|Florianópolis|SC||
Rua Goiás, Nº 45, Centro - Goiás - GO => omie-1|Rua Goiás|45||Centro|Goiás|GO||
AV. NOSSA SENHORA DE COPACABANA, 1.032, COPACABANA - RIO DE JANEIRO - RJ => omie-1|AV. NOSSA SENHORA DE COPACABANA|1.032||COPACABANA|Rio de Janeiro|RJ||
Alameda Santos, 2159, Jardim Paulista - Sao Paulo - SP => omie-1|Alameda Santos|2159||Jardim Paulista|São Paulo|SP||

# omie-2: Logradouro, Número, Bairro, Cidade, Estado
Rua das Flores, 123, Centro, Campinas, SP => omie-2|Rua das Flores|123||Centro|Campinas|SP||
Av. Afonso Pena, 1212, Centro, Belo Horizonte, MG => omie-2|Av. Afonso Pena|1212||Centro|Belo Horizonte|MG||
Rua Chile, 20, Comércio, Salvador, Bahia => omie-2|Rua Chile|20||Comércio|Salvador|BA||
Rua Jose de Alencar, 500, Meireles, Fortaleza, CE => omie-2|Rua Jose de Alencar|500||Meireles|Fortaleza|CE||
Al. Dr. Carlos de Carvalho, 417, Centro, Curitiba, Paraná => omie-2|Al. Dr. Carlos de Carvalho|417||Centro|Curitiba|PR||
Rua do Sol, 55, Centro, Agua Branca, PB => omie-2|Rua do Sol|55||Centro|Água Branca|PB||
Rua Quinze de Novembro, n. 320, Centro, Blumenau, SC => omie-2|Rua Quinze de Novembro|320||Centro|Blumenau|SC||
Praça da Sé, S/N, Sé, São Paulo, SP => omie-2|Praça da Sé|S/N||Sé|São Paulo|SP||
Estrada do Coco, 1000, Catu de Abrantes, Camaçari, BA => omie-2|Estrada do Coco|1000||Catu de Abrantes|Camaçari|BA||
Rua Amazonas, 77, Centro, Alta Floresta d'Oeste, RO => omie-2|Rua Amazonas|77||Centro|Alta Floresta D'Oeste|RO||
Rua Marechal Deodoro, 15, Centro, Santana, AP => omie-2|Rua Marechal Deodoro|15||Centro|Santana|AP||

# omie-3: Logradouro, Número, Bairro - Cidade - Estado, CEP
Rua das Flores, 123, Centro - Campinas - SP, 13010-000 => omie-3|Rua das Flores|123||Centro|Campinas|SP|13010-000|
Av. Boa Viagem, 3500, Boa Viagem - Recife - PE, 51020-000 => omie-3|Av. Boa Viagem|3500||Boa Viagem|Recife|PE|51020-000|
Rua Tereza Cristina, 90, Centro - Cuiabá - MT, 78005-150 => omie-3|Rua Tereza Cristina|90||Centro|Cuiabá|MT|78005-150|
Avenida Getúlio Vargas, 1300, Centro - Feira de Santana - BA, 44001-525 => omie-3|Avenida Getúlio Vargas|1300||Centro|Feira de Santana|BA|44001-525|
Rua Barão do Rio Branco, 2000, Centro - Rio Branco - AC, 69900062 => omie-3|Rua Barão do Rio Branco|2000||Centro|Rio Branco|AC|69900-062|
Rua Osvaldo Cruz, 42, Centro - Macapá - AP, 68.900-019 => omie-3|Rua Osvaldo Cruz|42||Centro|Macapá|AP|68900-019|
Avenida Epitácio Pessoa, 1500, Tambauzinho - João Pessoa - PB, 58040-000 => omie-3|Avenida Epitácio Pessoa|1500||Tambauzinho|João Pessoa|PB|58040-000|
Rua Sete de Setembro, SN, Centro - Manaus - Amazonas, 69005-140 => omie-3|Rua Sete de Setembro|S/N||Centro|Manaus|AM|69005-140|
Rua Barão de Jaguara, 1000, Centro - Campinas - São Paulo, CEP 13015-001 => omie-3|Rua Barão de Jaguara|1000||Centro|Campinas|SP|13015-001|
Av. Beira Mar, 2000, Centro - Vitória - ES, 29010-000 => omie-3|Av. Beira Mar|2000||Centro|Vitória|ES|29010-000|
Rua Rui Barbosa, 88, Centro - Água Branca - AL, 57490-000 => omie-3|Rua Rui Barbosa|88||Centro|Água Branca|AL|57490-000|

# omie-4: Logradouro, Número, Bairro, Cidade, Estado, CEP
Rua das Flores, 123, Centro, Campinas, SP, 13010-000 => omie-4|Rua das Flores|123||Centro|Campinas|SP|13010-000|
Av. Presidente Vargas, 3000, Centro, Rio de Janeiro, RJ, 20210-030 => omie-4|Av. Presidente Vargas|3000||Centro|Rio de Janeiro|RJ|20210-030|
Rua XV de Novembro, 700, Centro, Joinville, SC, 89201-600 => omie-4|Rua XV de Novembro|700||Centro|Joinville|SC|89201-600|
Av. Tancredo Neves, 1632, Caminho das Árvores, Salvador, BA, 41820-020 => omie-4|Av. Tancredo Neves|1632||Caminho das Árvores|Salvador|BA|41820-020|
Rua Dom Pedro II, 1000, Centro, Porto Velho, RO, 76801-066 => omie-4|Rua Dom Pedro II|1000||Centro|Porto Velho|RO|76801-066|
Rua Coronel Fonseca, 10, Centro, Sao Jose dos Campos, SP, 12245-000 => omie-4|Rua Coronel Fonseca|10||Centro|São José dos Campos|SP|12245-000|
Avenida Jerônimo Monteiro, 1000, Centro, Vitória, Espírito Santo, 29010-003 => omie-4|Avenida Jerônimo Monteiro|1000||Centro|Vitória|ES|29010-003|
Rua Teresina, 400, Centro, Teresina, PI, 64000-000 => omie-4|Rua Teresina|400||Centro|Teresina|PI|64000-000|
Rua Goiás, 123, Centro, Santa Rita, PB, 58300-000 => omie-4|Rua Goiás|123||Centro|Santa Rita|PB|58300-000|
Avenida Brasil, Nº 2500, Centro, Cascavel, PR, 85810-000 => omie-4|Avenida Brasil|2500||Centro|Cascavel|PR|85810-000|
Rua Mato Grosso, 1.500, Centro, Campo Grande, MS, 79002-000 => omie-4|Rua Mato Grosso|1.500||Centro|Campo Grande|MS|79002-000|
`

// R-ADDR-3: the nine Conta Azul patterns.
const contaAzulCorpus = `
# contaazul-1: logradouro, número, complemento, bairro, estado, cep
Rua das Flores, 123, Apto 4, Centro, SP, 13010-000 => contaazul-1|Rua das Flores|123|Apto 4|Centro||SP|13010-000|
Av. Paulista, 1000, Sala 1203, Bela Vista, SP, 01310-100 => contaazul-1|Av. Paulista|1000|Sala 1203|Bela Vista||SP|01310-100|
Rua Augusta, 500, Bloco B, Consolação, São Paulo, 01305-000 => contaazul-1|Rua Augusta|500|Bloco B|Consolação||SP|01305-000|
Rua da Bahia, 1148, Loja 2, Centro, MG, 30160-011 => contaazul-1|Rua da Bahia|1148|Loja 2|Centro||MG|30160-011|
Rua Uruguai, 20, Casa 2, Tijuca, RJ, 20510-060 => contaazul-1|Rua Uruguai|20|Casa 2|Tijuca||RJ|20510-060|
Av. Rio Branco, 156, 10º andar, Centro, RJ, 20040-003 => contaazul-1|Av. Rio Branco|156|10º andar|Centro||RJ|20040-003|
Rua Padre Anchieta, 1500, Conj. 12, Bigorrilho, PR, 80730-000 => contaazul-1|Rua Padre Anchieta|1500|Conj. 12|Bigorrilho||PR|80730-000|
Rua das Palmeiras, 45, Fundos, Jardim América, GO, 74000-000 => contaazul-1|Rua das Palmeiras|45|Fundos|Jardim América||GO|74000-000|
Rua 10, 250, Qd 3 Lt 4, Setor Oeste, GO, 74120-050 => contaazul-1|Rua 10|250|Qd 3 Lt 4|Setor Oeste||GO|74120-050|
Rua Jerônimo Coelho, 88, Apto. 302, Centro, Santa Catarina, 88010-030 => contaazul-1|Rua Jerônimo Coelho|88|Apto. 302|Centro||SC|88010-030|
Av. Ipiranga, 6681, Prédio 32, Partenon, RS, 90619-900 => contaazul-1|Av. Ipiranga|6681|Prédio 32|Partenon||RS|90619-900|

# contaazul-2: logradouro, número + complemento (juntos), bairro, cidade, estado, cep
Rua das Flores, 123A, Centro, Campinas, SP, 13010-000 => contaazul-2|Rua das Flores|123|A|Centro|Campinas|SP|13010-000|
Rua Oscar Freire, 900B, Jardins, São Paulo, SP, 01426-001 => contaazul-2|Rua Oscar Freire|900|B|Jardins|São Paulo|SP|01426-001|
Av. Brasil, 45-B, Centro, Maringá, PR, 87013-000 => contaazul-2|Av. Brasil|45|B|Centro|Maringá|PR|87013-000|
Rua Haddock Lobo, 595-A, Cerqueira César, São Paulo, SP, 01414-001 => contaazul-2|Rua Haddock Lobo|595|A|Cerqueira César|São Paulo|SP|01414-001|
Rua Visconde de Pirajá, 330C, Ipanema, Rio de Janeiro, RJ, 22410-002 => contaazul-2|Rua Visconde de Pirajá|330|C|Ipanema|Rio de Janeiro|RJ|22410-002|
Rua Frei Caneca, 12a, Boa Vista, Recife, PE, 50070-000 => contaazul-2|Rua Frei Caneca|12|a|Boa Vista|Recife|PE|50070-000|
Rua São Paulo, 1020-D, Centro, Belo Horizonte, MG, 30170-131 => contaazul-2|Rua São Paulo|1020|D|Centro|Belo Horizonte|MG|30170-131|
Av. Getúlio Vargas, 77/A, Centro, Aracaju, SE, 49010-000 => contaazul-2|Av. Getúlio Vargas|77|A|Centro|Aracaju|SE|49010-000|
Rua Quintino Bocaiúva, 250-C, Centro, Porto Velho, RO, 76801-026 => contaazul-2|Rua Quintino Bocaiúva|250|C|Centro|Porto Velho|RO|76801-026|
Rua Barão do Triunfo, 9B, Azenha, Porto Alegre, RS, 90130-100 => contaazul-2|Rua Barão do Triunfo|9|B|Azenha|Porto Alegre|RS|90130-100|

# contaazul-3: logradouro, número, complemento, bairro[- ou ,]estado, cep
Rua das Flores, 123, Apto 4, Centro - SP, 13010-000 => contaazul-3|Rua das Flores|123|Apto 4|Centro||SP|13010-000|
Av. Sete de Setembro, 4000, Sala 5, Batel - PR, 80250-210 => contaazul-3|Av. Sete de Setembro|4000|Sala 5|Batel||PR|80250-210|
Rua Silva Jardim, 100, Bloco C, Centro - SC, 88010-000 => contaazul-3|Rua Silva Jardim|100|Bloco C|Centro||SC|88010-000|
Rua Gonçalves Dias, 52, Loja 1, Centro - MA, 65020-240 => contaazul-3|Rua Gonçalves Dias|52|Loja 1|Centro||MA|65020-240|
Av. Beira Mar, 1500, Apto 1201, Meireles - Ceará, 60165-120 => contaazul-3|Av. Beira Mar|1500|Apto 1201|Meireles||CE|60165-120|
Rua do Catete, 228, Casa 3, Catete - RJ, 22220-000 => contaazul-3|Rua do Catete|228|Casa 3|Catete||RJ|22220-000|
Rua Alagoas, 300, Ap 101, Funcionários - MG, 30130-160 => contaazul-3|Rua Alagoas|300|Ap 101|Funcionários||MG|30130-160|
Av. Ana Costa, 450, 3º andar, Gonzaga - SP, 11060-002 => contaazul-3|Av. Ana Costa|450|3º andar|Gonzaga||SP|11060-002|
Rua Marechal Floriano, 19, Sala 801, Centro - ES, 29010-090 => contaazul-3|Rua Marechal Floriano|19|Sala 801|Centro||ES|29010-090|
Rua Coronel Diogo, 70, Bloco 2, Jardim Glória - sp, 01545-000 => contaazul-3|Rua Coronel Diogo|70|Bloco 2|Jardim Glória||SP|01545-000|

# contaazul-4: logradouro, número + complemento (com espaço), bairro, cidade, estado, cep
Rua das Flores, 123 Apto 4, Centro, Campinas, SP, 13010-000 => contaazul-4|Rua das Flores|123|Apto 4|Centro|Campinas|SP|13010-000|
Av. Atlântica, 1702 Apto 801, Copacabana, Rio de Janeiro, RJ, 22021-001 => contaazul-4|Av. Atlântica|1702|Apto 801|Copacabana|Rio de Janeiro|RJ|22021-001|
Rua Bela Cintra, 1200 Sala 12, Consolação, São Paulo, SP, 01415-000 => contaazul-4|Rua Bela Cintra|1200|Sala 12|Consolação|São Paulo|SP|01415-000|
Rua Tiradentes, 45 Casa 2, Centro, Uberlândia, MG, 38400-100 => contaazul-4|Rua Tiradentes|45|Casa 2|Centro|Uberlândia|MG|38400-100|
Av. Dom Luís, 500 Loja 3, Aldeota, Fortaleza, CE, 60160-230 => contaazul-4|Av. Dom Luís|500|Loja 3|Aldeota|Fortaleza|CE|60160-230|
Rua Antônio Basílio, 12 A, Tijuca, Rio de Janeiro, RJ, 20511-190 => contaazul-4|Rua Antônio Basílio|12|A|Tijuca|Rio de Janeiro|RJ|20511-190|
Rua dos Andradas, 1001 Bloco B, Centro Histórico, Porto Alegre, RS, 90020-007 => contaazul-4|Rua dos Andradas|1001|Bloco B|Centro Histórico|Porto Alegre|RS|90020-007|
Rua Ceará, 800 Fundos, Funcionários, Belo Horizonte, MG, 30150-311 => contaazul-4|Rua Ceará|800|Fundos|Funcionários|Belo Horizonte|MG|30150-311|
Av. Djalma Batista, 1661 Sala 304, Chapada, Manaus, AM, 69050-010 => contaazul-4|Av. Djalma Batista|1661|Sala 304|Chapada|Manaus|AM|69050-010|
Rua Visconde de Mauá, 98 Apto 22 Bloco 3, Centro, Londrina, PR, 86010-070 => contaazul-4|Rua Visconde de Mauá|98|Apto 22 Bloco 3|Centro|Londrina|PR|86010-070|

# contaazul-5: logradouro, número, complemento, bairro, estado
Rua das Flores, 123, Apto 4, Centro, SP => contaazul-5|Rua das Flores|123|Apto 4|Centro||SP||
Av. Paulista, 2000, Conj. 101, Bela Vista, São Paulo => contaazul-5|Av. Paulista|2000|Conj. 101|Bela Vista||SP||
Rua Halfeld, 414, Sala 1005, Centro, MG => contaazul-5|Rua Halfeld|414|Sala 1005|Centro||MG||
Rua Primeiro de Março, 66, 5º andar, Centro, RJ => contaazul-5|Rua Primeiro de Março|66|5º andar|Centro||RJ||
Rua XV de Novembro, 1299, Loja 7, Centro, PR => contaazul-5|Rua XV de Novembro|1299|Loja 7|Centro||PR||
Av. Eduardo Ribeiro, 520, Sala 2, Centro, AM => contaazul-5|Av. Eduardo Ribeiro|520|Sala 2|Centro||AM||
Rua Felipe Schmidt, 303, Bloco A, Centro, SC => contaazul-5|Rua Felipe Schmidt|303|Bloco A|Centro||SC||
Rua General Osório, 85, Casa 1, Centro, RS => contaazul-5|Rua General Osório|85|Casa 1|Centro||RS||
Rua Grão Pará, 12, Apto 12, Centro, Maranhão => contaazul-5|Rua Grão Pará|12|Apto 12|Centro||MA||
Rua Jaguaribe, 400, Térreo, Vila Buarque, SP => contaazul-5|Rua Jaguaribe|400|Térreo|Vila Buarque||SP||

# contaazul-6: logradouro, número, bairro, estado, cep
Rua das Flores, 123, Centro, SP, 13010-000 => contaazul-6|Rua das Flores|123||Centro||SP|13010-000|
Av. Paulista, 1578, Bela Vista, SP, 01310-200 => contaazul-6|Av. Paulista|1578||Bela Vista||SP|01310-200|
Rua da Praia, 200, Centro Histórico, RS, 90010-000 => contaazul-6|Rua da Praia|200||Centro Histórico||RS|90010-000|
Av. Dom Pedro I, 77, Centro, AL, 57020-000 => contaazul-6|Av. Dom Pedro I|77||Centro||AL|57020-000|
Rua João Pessoa, 500, Centro, RN, 59025-500 => contaazul-6|Rua João Pessoa|500||Centro||RN|59025-500|
Rua Senador Pompeu, 1000, Centro, Ceará, 60025-000 => contaazul-6|Rua Senador Pompeu|1000||Centro||CE|60025-000|
Avenida Amazonas, 5253, Nova Suíça, MG, 30421-000 => contaazul-6|Avenida Amazonas|5253||Nova Suíça||MG|30421-000|
Rua Benjamin Constant, s/n, Centro, TO, 77001-000 => contaazul-6|Rua Benjamin Constant|S/N||Centro||TO|77001-000|
Av. Jaime Brasil, 1.500, Centro, RR, 69301-350 => contaazul-6|Av. Jaime Brasil|1.500||Centro||RR|69301-350|
Rua Humaitá, 30, Botafogo, RJ, 22261-000 => contaazul-6|Rua Humaitá|30||Botafogo||RJ|22261-000|

# contaazul-7: logradouro - número - complemento - bairro - estado - cep
Rua das Flores - 123 - Apto 4 - Centro - SP - 13010-000 => contaazul-7|Rua das Flores|123|Apto 4|Centro||SP|13010-000|
Av. Paulista - 1000 - Sala 12 - Bela Vista - SP - 01310-100 => contaazul-7|Av. Paulista|1000|Sala 12|Bela Vista||SP|01310-100|
Rua Chile - 15 - Loja 3 - Comércio - BA - 40020-000 => contaazul-7|Rua Chile|15|Loja 3|Comércio||BA|40020-000|
Rua do Ouvidor - 50 - 2º andar - Centro - RJ - 20040-030 => contaazul-7|Rua do Ouvidor|50|2º andar|Centro||RJ|20040-030|
Av. Brasil - 300 - Bloco B - Centro - PR - 85801-000 => contaazul-7|Av. Brasil|300|Bloco B|Centro||PR|85801-000|
Rua Sergipe - 120 - Casa 2 - Savassi - MG - 30130-170 => contaazul-7|Rua Sergipe|120|Casa 2|Savassi||MG|30130-170|
Rua Oscar Freire - 1100 - Conj. 5 - Jardim Paulista - São Paulo - 01426-001 => contaazul-7|Rua Oscar Freire|1100|Conj. 5|Jardim Paulista||SP|01426-001|
Av. Sete de Setembro - 3200 - Apto 302 - Barra - Bahia - 40130-000 => contaazul-7|Av. Sete de Setembro|3200|Apto 302|Barra||BA|40130-000|
Rua Tiradentes - 88 - Fundos - Centro - Goiás - 74015-000 => contaazul-7|Rua Tiradentes|88|Fundos|Centro||GO|74015-000|
Rua Pernambuco – 10 – Sala 3 – Centro – SE – 49010-000 => contaazul-7|Rua Pernambuco|10|Sala 3|Centro||SE|49010-000|

# contaazul-8: logradouro, complemento, bairro, cidade - estado, CEP, país
Rua das Flores, Apto 4, Centro, Campinas - SP, 13010-000, Brasil => contaazul-8|Rua das Flores||Apto 4|Centro|Campinas|SP|13010-000|Brasil
Av. Paulista, Sala 1203, Bela Vista, São Paulo - SP, 01310-100, Brasil => contaazul-8|Av. Paulista||Sala 1203|Bela Vista|São Paulo|SP|01310-100|Brasil
Rua da Aurora, Bloco B, Boa Vista, Recife - PE, 50050-000, Brasil => contaazul-8|Rua da Aurora||Bloco B|Boa Vista|Recife|PE|50050-000|Brasil
Rua Mauá, Loja 2, Centro, Porto Alegre - RS, 90010-110, Brazil => contaazul-8|Rua Mauá||Loja 2|Centro|Porto Alegre|RS|90010-110|Brazil
Av. Cristóvão Colombo, Casa 3, Savassi, Belo Horizonte - MG, 30140-150, Brasil => contaazul-8|Av. Cristóvão Colombo||Casa 3|Savassi|Belo Horizonte|MG|30140-150|Brasil
Rua Sete de Setembro, Conj. 801, Centro, Curitiba - PR, 80060-070, Brasil => contaazul-8|Rua Sete de Setembro||Conj. 801|Centro|Curitiba|PR|80060-070|Brasil
Rua Barata Ribeiro, Apto 502, Copacabana, Rio de Janeiro - RJ, 22011-001, Brasil => contaazul-8|Rua Barata Ribeiro||Apto 502|Copacabana|Rio de Janeiro|RJ|22011-001|Brasil
Rua Pedro Ivo, Fundos, Centro, Florianópolis-SC, 88010-070, Brasil => contaazul-8|Rua Pedro Ivo||Fundos|Centro|Florianópolis|SC|88010-070|Brasil
Av. Tancredo Neves, Sala 10, Caminho das Árvores, Salvador - Bahia, 41820-020, Brasil => contaazul-8|Av. Tancredo Neves||Sala 10|Caminho das Árvores|Salvador|BA|41820-020|Brasil
Rua Tenente Silveira, 3º andar, Centro, Florianópolis - SC, 88010-300, BR => contaazul-8|Rua Tenente Silveira||3º andar|Centro|Florianópolis|SC|88010-300|BR

# contaazul-9: logradouro, bairro, cidade-estado, CEP, país
Rua das Flores, Centro, Campinas-SP, 13010-000, Brasil => contaazul-9|Rua das Flores|||Centro|Campinas|SP|13010-000|Brasil
Av. Paulista, Bela Vista, São Paulo-SP, 01310-200, Brasil => contaazul-9|Av. Paulista|||Bela Vista|São Paulo|SP|01310-200|Brasil
Rua da Aurora, Boa Vista, Recife-PE, 50050-000, Brasil => contaazul-9|Rua da Aurora|||Boa Vista|Recife|PE|50050-000|Brasil
Rua Mauá, Centro, Porto Alegre-RS, 90010-110, Brasil => contaazul-9|Rua Mauá|||Centro|Porto Alegre|RS|90010-110|Brasil
Av. Afonso Pena, Centro, Campo Grande-MS, 79002-070, Brasil => contaazul-9|Av. Afonso Pena|||Centro|Campo Grande|MS|79002-070|Brasil
Rua Direita, Centro, Ouro Preto-MG, 35400-000, Brazil => contaazul-9|Rua Direita|||Centro|Ouro Preto|MG|35400-000|Brazil
Rua do Lazer, Jardim Camburi, Vitória-ES, 29090-000, Brasil => contaazul-9|Rua do Lazer|||Jardim Camburi|Vitória|ES|29090-000|Brasil
Av. Beira Mar Norte, Centro, Florianópolis-SC, 88015-700, Brasil => contaazul-9|Av. Beira Mar Norte|||Centro|Florianópolis|SC|88015-700|Brasil
Rua Santa Clara, Copacabana, Rio de Janeiro-RJ, 22041-011, Brasil => contaazul-9|Rua Santa Clara|||Copacabana|Rio de Janeiro|RJ|22041-011|Brasil
Rua Santos Dumont, Centro, Embu-Guaçu-SP, 06900-000, Brasil => contaazul-9|Rua Santos Dumont|||Centro|Embu-Guaçu|SP|06900-000|Brasil
`

// R-ADDR-4: uncatalogued HERE / Google layouts, all 27 UFs.
const geocoderCorpus = `
Avenida Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil => geocoder|Avenida Paulista|1578||Bela Vista|São Paulo|SP|01310-200|Brasil
R. Dr. Armando D'Otaviano, 221 - Jardim Vista Alegre, Paulínia - SP, 13140-153, Brasil => geocoder|R. Dr. Armando D'Otaviano|221||Jardim Vista Alegre|Paulínia|SP|13140-153|Brasil
R. Elpídio Portes Mendes, 367 - Morro do Demétrio, Miracema - RJ, 28460-000, Brazil => geocoder|R. Elpídio Portes Mendes|367||Morro do Demétrio|Miracema|RJ|28460-000|Brazil
R. Umari - Mucuripe, Fortaleza - CE, 60175-280, Brazil => geocoder|R. Umari|||Mucuripe|Fortaleza|CE|60175-280|Brazil
R. Pernambuco, 1000 - Savassi, Belo Horizonte - MG, Brasil => geocoder|R. Pernambuco|1000||Savassi|Belo Horizonte|MG||Brasil
Avenida Getúlio Vargas, Feira de Santana - BA, Brasil => geocoder|Avenida Getúlio Vargas||||Feira de Santana|BA||Brasil
Rua dos Andradas, Centro Histórico, Porto Alegre - RS, 90020-000, Brasil => geocoder|Rua dos Andradas|||Centro Histórico|Porto Alegre|RS|90020-000|Brasil
Av. Sete de Setembro, 2775 - Rebouças, Curitiba - PR, 80230-010 => geocoder|Av. Sete de Setembro|2775||Rebouças|Curitiba|PR|80230-010|
Rua Felipe Schmidt, 515 - Centro, Florianópolis - SC => geocoder|Rua Felipe Schmidt|515||Centro|Florianópolis|SC||
Av. Afonso Pena, 3000 - Centro, Campo Grande/MS => geocoder|Av. Afonso Pena|3000||Centro|Campo Grande|MS||
Av. Historiador Rubens de Mendonça, 1856 - Bosque da Saúde, Cuiabá-MT, 78050-000 => geocoder|Av. Historiador Rubens de Mendonça|1856||Bosque da Saúde|Cuiabá|MT|78050-000|
Av. T-63, 1296 - Setor Bueno, Goiânia - GO, 74230-100, Brasil => geocoder|Av. T-63|1296||Setor Bueno|Goiânia|GO|74230-100|Brasil
Eixo Monumental, S/N - Asa Norte, Brasília - DF, 70070-350, Brasil => geocoder|Eixo Monumental|S/N||Asa Norte|Brasília|DF|70070-350|Brasil
Av. Djalma Batista, 1661 - Chapada, Manaus - AM, 69050-010, Brasil => geocoder|Av. Djalma Batista|1661||Chapada|Manaus|AM|69050-010|Brasil
Tv. Padre Eutíquio, 1078 - Batista Campos, Belém - PA, 66023-710, Brasil => geocoder|Tv. Padre Eutíquio|1078||Batista Campos|Belém|PA|66023-710|Brasil
Av. FAB, 1000 - Central, Macapá - AP, 68900-073, Brasil => geocoder|Av. FAB|1000||Central|Macapá|AP|68900-073|Brasil
R. Rui Barbosa, 88 - Centro, Boa Vista - RR, 69301-020, Brasil => geocoder|R. Rui Barbosa|88||Centro|Boa Vista|RR|69301-020|Brasil
Av. Ceará, 2000 - Jardim Nazle, Rio Branco - AC, 69900-460, Brasil => geocoder|Av. Ceará|2000||Jardim Nazle|Rio Branco|AC|69900-460|Brasil
Av. Sete de Setembro, 1000 - Centro, Porto Velho - RO, 76801-000 => geocoder|Av. Sete de Setembro|1000||Centro|Porto Velho|RO|76801-000|
Av. JK, 500 - Plano Diretor Sul, Palmas - TO, 77015-012, Brasil => geocoder|Av. JK|500||Plano Diretor Sul|Palmas|TO|77015-012|Brasil
Av. dos Holandeses, 10 - Calhau, São Luís - MA, 65071-380, Brasil => geocoder|Av. dos Holandeses|10||Calhau|São Luís|MA|65071-380|Brasil
Av. Frei Serafim, 2280 - Centro, Teresina - PI, 64001-020, Brasil => geocoder|Av. Frei Serafim|2280||Centro|Teresina|PI|64001-020|Brasil
Av. Eng. Roberto Freire, 340 - Ponta Negra, Natal - RN, 59090-000, Brasil => geocoder|Av. Eng. Roberto Freire|340||Ponta Negra|Natal|RN|59090-000|Brasil
Av. Epitácio Pessoa, 1250 - Estados, João Pessoa - PB, 58030-001, Brasil => geocoder|Av. Epitácio Pessoa|1250||Estados|João Pessoa|PB|58030-001|Brasil
Av. Boa Viagem, 1000 - Boa Viagem, Recife - PE, 51011-000, Brasil => geocoder|Av. Boa Viagem|1000||Boa Viagem|Recife|PE|51011-000|Brasil
Av. Fernandes Lima, 8 - Farol, Maceió - AL, 57050-000, Brasil => geocoder|Av. Fernandes Lima|8||Farol|Maceió|AL|57050-000|Brasil
Av. Beira Mar, 500 - Treze de Julho, Aracaju - SE, 49020-010, Brasil => geocoder|Av. Beira Mar|500||Treze de Julho|Aracaju|SE|49020-010|Brasil
Av. Nossa Senhora da Penha, 1000 - Praia do Canto, Vitória - ES, 29055-130, Brasil => geocoder|Av. Nossa Senhora da Penha|1000||Praia do Canto|Vitória|ES|29055-130|Brasil
Avenida Paulista, 1000 - Bela Vista, São Paulo - São Paulo, 01310-100, Brasil => geocoder|Avenida Paulista|1000||Bela Vista|São Paulo|SP|01310-100|Brasil
Rua Augusta, 1500 - Consolação, Sao Paulo/SP, 01304001 => geocoder|Rua Augusta|1500||Consolação|São Paulo|SP|01304-001|
Rua Vergueiro, 3185, Vila Mariana, São Paulo - SP, 04101-300 => geocoder|Rua Vergueiro|3185||Vila Mariana|São Paulo|SP|04101-300|
Av. Paulista, 1000 - Sala 5 - Bela Vista, São Paulo - SP, 01310-100, Brasil => geocoder|Av. Paulista|1000|Sala 5|Bela Vista|São Paulo|SP|01310-100|Brasil
Alameda Santos, 1000, São Paulo - SP, 01418-100 => geocoder|Alameda Santos|1000|||São Paulo|SP|01418-100|
Rua do Sol, 10 - Centro, Agua Branca - PI, 64460-000, Brasil => geocoder|Rua do Sol|10||Centro|Água Branca|PI|64460-000|Brasil
Rua Sete de Setembro, 50 - Centro, Santa Rita - MA, 65145-000, Brasil => geocoder|Rua Sete de Setembro|50||Centro|Santa Rita|MA|65145-000|Brasil
Praça da Sé, 100 - Sé, São Paulo - SP 01001-000 => geocoder|Praça da Sé|100||Sé|São Paulo|SP|01001-000|
Rua Doutor Quirino, 1000 - Centro, Campinas (SP), Brasil => geocoder|Rua Doutor Quirino|1000||Centro|Campinas|SP||Brasil
`

// Hard cases: variations people type around the catalogue patterns.
const hardCorpus = `
Av. Brasil, 1245 - Bloco 2 Ap 203 - Centro - Belo Horizonte - MG => omie-1|Av. Brasil|1245|Bloco 2 Ap 203|Centro|Belo Horizonte|MG||
R. A, 4-24 - Marambaia - Belém - PA => omie-1|R. A|4-24||Marambaia|Belém|PA||
Rua 25 de Março, Nº 1.234, Centro - São Paulo - SP, 01.021-200 => omie-3|Rua 25 de Março|1.234||Centro|São Paulo|SP|01021-200|
Av. 9 de Julho, 5000, Jardim Paulista, São Paulo, SP => omie-2|Av. 9 de Julho|5000||Jardim Paulista|São Paulo|SP||
Rua das Flores, 123A, Centro, Campinas, SP => omie-2|Rua das Flores|123|A|Centro|Campinas|SP||
Rua das Flores, 123, Apto 4, Centro - Campinas - SP => omie-1|Rua das Flores|123|Apto 4|Centro|Campinas|SP||
RUA DAS FLORES, 123, CENTRO, CAMPINAS, SAO PAULO, 13010-000 => omie-4|RUA DAS FLORES|123||CENTRO|Campinas|SP|13010-000|
Rua das Flores, 123, Centro, Campinas, Estado de São Paulo => omie-2|Rua das Flores|123||Centro|Campinas|SP||
rua das flores, s/nº, centro, campinas, sp => omie-2|rua das flores|S/N||centro|Campinas|SP||
Estrada Municipal, Km 12, Zona Rural, Ibiúna, SP => omie-2|Estrada Municipal|Km 12||Zona Rural|Ibiúna|SP||
Rua Casa Verde, 10, Casa Verde, São Paulo, SP => omie-2|Rua Casa Verde|10||Casa Verde|São Paulo|SP||
Rua das Flores, 123, Centro, Sto. André, SP => omie-2|Rua das Flores|123||Centro|Santo André|SP||
Rua Principal, 100, Centro, Augusto Severo, RN => omie-2|Rua Principal|100||Centro|Augusto Severo (Campo Grande)|RN||
Rua das Flores, 123, Centro, Campinas, SP, 13010-000, Brasil => omie-4|Rua das Flores|123||Centro|Campinas|SP|13010-000|Brasil
Rua das Flores, 123 - Centro - Campinas - SP => omie-1|Rua das Flores|123||Centro|Campinas|SP||
Rua das Flores,123,Centro,Campinas,SP,13010-000 => omie-4|Rua das Flores|123||Centro|Campinas|SP|13010-000|
  Rua das Flores ,  123 , Centro - Campinas - SP.  => omie-1|Rua das Flores|123||Centro|Campinas|SP||
Rua das Flores, número 123, Centro, Campinas, SP => omie-2|Rua das Flores|123||Centro|Campinas|SP||
Rua das Flores, sem número, Centro, Campinas, SP => omie-2|Rua das Flores|S/N||Centro|Campinas|SP||
Rua das Flores, 123, Centro, Campinas - SP, CEP: 13010-000 => geocoder|Rua das Flores|123||Centro|Campinas|SP|13010-000|
Rua das Flores nº 123, Centro, Campinas, SP => omie-2|Rua das Flores|123||Centro|Campinas|SP||
Rua Barão de Jaguara n. 45, Centro, Campinas - SP => geocoder|Rua Barão de Jaguara|45||Centro|Campinas|SP||
Rua das Flores, 123, Centro, CEP 13010-000, Campinas - SP => geocoder|Rua das Flores|123||Centro|Campinas|SP|13010-000|
Rua das Flores, 123, Centro, Campinas, 13010-000, SP => omie-4|Rua das Flores|123||Centro|Campinas|SP|13010-000|
Rua das Flores, 123, Apto 4, Bloco B, Centro, SP, 13010-000 => contaazul-1|Rua das Flores|123|Apto 4, Bloco B|Centro||SP|13010-000|
Rua das Flores, 123A, Apto 4, Centro - Campinas - SP => omie-1|Rua das Flores|123|A, Apto 4|Centro|Campinas|SP||
Rua Sete, 10, Centro, Alta Floresta do Oeste, RO => omie-2|Rua Sete|10||Centro|Alta Floresta D'Oeste|RO||
Rua 7, Centro, Goiânia - GO => geocoder|Rua 7|||Centro|Goiânia|GO||
Rua Direita, 123, Centro, SAO PAULO (SP) => geocoder|Rua Direita|123||Centro|São Paulo|SP||
Av. Brasil, 1000 – Centro – Cascavel/PR => omie-1|Av. Brasil|1000||Centro|Cascavel|PR||
Rua das Flores - 123 - Centro - SP - 13010-000 => contaazul-6|Rua das Flores|123||Centro||SP|13010-000|
R. Tal, 55 - Loja 2 - Centro, Campinas - SP, 13010-000, Brasil => geocoder|R. Tal|55|Loja 2|Centro|Campinas|SP|13010-000|Brasil
SQS 308 Bloco C Apto 101, Asa Sul, Brasília - DF, 70360-030 => geocoder|SQS 308 Bloco C Apto 101|||Asa Sul|Brasília|DF|70360-030|
Rua das Flores, 123, Centro - Campinas - SP, 13010-000, Brasil => omie-3|Rua das Flores|123||Centro|Campinas|SP|13010-000|Brasil
Rua das Flores, 123, Centro, Campinas SP => geocoder|Rua das Flores|123||Centro|Campinas|SP||
Avenida Paulista 1578, Bela Vista, São Paulo - SP => geocoder|Avenida Paulista|1578||Bela Vista|São Paulo|SP||
Avenida Paulista 1578, Bela Vista, São Paulo, SP => omie-2|Avenida Paulista|1578||Bela Vista|São Paulo|SP||
Rua Augusta 1500 - Consolação, São Paulo - SP, 01304-001 => geocoder|Rua Augusta|1500||Consolação|São Paulo|SP|01304-001|
Rua 25 de Março 500, Centro, São Paulo - SP => geocoder|Rua 25 de Março|500||Centro|São Paulo|SP||
Rua Dom Pedro II 500, Centro, Petrópolis - RJ => geocoder|Rua Dom Pedro II|500||Centro|Petrópolis|RJ||
Rua das Flores 45 Apto 12, Jardim América, Rio de Janeiro, RJ, 22000-000 => omie-4|Rua das Flores|45|Apto 12|Jardim América|Rio de Janeiro|RJ|22000-000|
Avenida 9 de Julho 3000 Sala 5, Bela Vista, São Paulo - SP => geocoder|Avenida 9 de Julho|3000|Sala 5|Bela Vista|São Paulo|SP||
Rodovia SP 340, Zona Rural, Mogi Mirim - SP => geocoder|Rodovia SP 340|||Zona Rural|Mogi Mirim|SP||
Rua 7 de Setembro, Centro, Blumenau - SC => geocoder|Rua 7 de Setembro|||Centro|Blumenau|SC||
RUA AUGUSTA, 1500, CONSOLACAO, SAO PAULO, SP => omie-2|RUA AUGUSTA|1500||CONSOLACAO|São Paulo|SP||
Rua B, 20, Centro, Embu-Guaçu-SP, 06900-000, Brasil => geocoder|Rua B|20||Centro|Embu-Guaçu|SP|06900-000|Brasil
Rua do Comércio, 55, Centro, Santa Bárbara d'Oeste, SP, 13450-000 => omie-4|Rua do Comércio|55||Centro|Santa Bárbara d'Oeste|SP|13450-000|
`

func TestParseCorpus(t *testing.T) {
	for name, text := range map[string]string{
		"omie": omieCorpus, "contaazul": contaAzulCorpus, "geocoder": geocoderCorpus, "hard": hardCorpus,
	} {
		for _, c := range readCorpus(t, text) {
			t.Run(name+"/"+c.line, func(t *testing.T) {
				got, err := address.Parse(c.line, address.Any)
				require.NoError(t, err)
				assert.Equal(t, c.pattern, got.Pattern)
				a := got.Address
				assert.Equal(t, c.want, [8]string{a.Street, a.Number, a.Complement, a.District, a.City, a.State, a.ZIP, a.Country})
			})
		}
	}
}
