package contaazulfake

import (
	"github.com/google/uuid"

	"github.com/auvosync/auvosync/internal/brtime"
)

var saoPaulo = brtime.SaoPaulo

// List items carry microseconds, details whole seconds; neither an offset.
const (
	listTimeFormat   = "2006-01-02T15:04:05.000000"
	detailTimeFormat = "2006-01-02T15:04:05"
)

type addressJSON struct {
	ID          string `json:"id"`
	IDCidade    *int   `json:"id_cidade"`
	Logradouro  string `json:"logradouro"`
	Numero      string `json:"numero"`
	Complemento string `json:"complemento"`
	Bairro      string `json:"bairro"`
	Cidade      string `json:"cidade"`
	Estado      string `json:"estado"`
	CEP         string `json:"cep"`
	Pais        string `json:"pais"`
}

// listItemJSON is ItemResumoPessoa: perfis as upper-case strings, one
// telefone, endereco only with com_endereco=true.
type listItemJSON struct {
	ID                string       `json:"id"`
	IDLegado          int64        `json:"id_legado"`
	Nome              string       `json:"nome"`
	TipoPessoa        string       `json:"tipo_pessoa"`
	Documento         string       `json:"documento"`
	Email             string       `json:"email"`
	Telefone          string       `json:"telefone"`
	Ativo             bool         `json:"ativo"`
	ObservacoesGerais string       `json:"observacoes_gerais"`
	Perfis            []string     `json:"perfis"`
	Endereco          *addressJSON `json:"endereco"`
	DataCriacao       string       `json:"data_criacao"`
	DataAlteracao     string       `json:"data_alteracao"`
}

type listJSON struct {
	TotalItems int            `json:"totalItems"`
	Items      []listItemJSON `json:"items"`
}

type profileJSON struct {
	ID         string `json:"id"`
	TipoPerfil string `json:"tipo_perfil"`
}

type legacyJSON struct {
	ID     int64  `json:"id"`
	UUID   string `json:"uuid"`
	Perfil string `json:"perfil"`
}

type detailJSON struct {
	ID                     string        `json:"id"`
	Codigo                 string        `json:"codigo"`
	Nome                   string        `json:"nome"`
	NomeEmpresa            string        `json:"nome_empresa"`
	TipoPessoa             string        `json:"tipo_pessoa"`
	Documento              string        `json:"documento"`
	RG                     string        `json:"rg"`
	DataNascimento         *string       `json:"data_nascimento"`
	Email                  string        `json:"email"`
	TelefoneCelular        string        `json:"telefone_celular"`
	TelefoneComercial      string        `json:"telefone_comercial"`
	Ativo                  bool          `json:"ativo"`
	OptanteSimplesNacional bool          `json:"optante_simples_nacional"`
	OrgaoPublico           bool          `json:"orgao_publico"`
	Observacao             string        `json:"observacao"`
	CriadoEm               string        `json:"criado_em"`
	DataAlteracao          string        `json:"data_alteracao"`
	Perfis                 []profileJSON `json:"perfis"`
	Enderecos              []addressJSON `json:"enderecos"`
	Inscricoes             []struct{}    `json:"inscricoes"`
	OutrosContatos         []struct{}    `json:"outros_contatos"`
	PessoasLegado          []legacyJSON  `json:"pessoas_legado"`
}

// createdJSON is the summary POST answers with.
type createdJSON struct {
	ID         string        `json:"id"`
	Nome       string        `json:"nome"`
	TipoPessoa string        `json:"tipo_pessoa"`
	Documento  string        `json:"documento"`
	Ativo      bool          `json:"ativo"`
	Perfis     []profileJSON `json:"perfis"`
}

func addressOut(a Address) addressJSON {
	return addressJSON{
		ID: a.ID, Logradouro: a.Street, Numero: a.Number, Complemento: a.Complement,
		Bairro: a.District, Cidade: a.City, Estado: a.State, CEP: a.ZIP, Pais: a.Country,
	}
}

var upperProfile = map[string]string{"Cliente": "CLIENTE", "Fornecedor": "FORNECEDOR", "Transportadora": "TRANSPORTADORA"}

func (r *record) listItem(withAddress bool) listItemJSON {
	item := listItemJSON{
		ID: r.ID, IDLegado: r.LegacyID, Nome: r.Name, TipoPessoa: r.PersonType,
		Documento: formatDocument(r.docKey), Email: r.Email, Telefone: r.PhoneCommercial,
		Ativo: r.Active, ObservacoesGerais: r.Note, Perfis: make([]string, 0, len(r.Profiles)),
		DataCriacao:   r.CreatedAt.In(saoPaulo).Format(listTimeFormat),
		DataAlteracao: r.UpdatedAt.In(saoPaulo).Format(listTimeFormat),
	}
	if item.Telefone == "" {
		item.Telefone = r.PhoneMobile
	}
	for _, p := range r.Profiles {
		if up, ok := upperProfile[p]; ok {
			item.Perfis = append(item.Perfis, up)
		} else {
			item.Perfis = append(item.Perfis, p)
		}
	}
	if withAddress && len(r.Addresses) > 0 {
		a := addressOut(r.Addresses[0])
		item.Endereco = &a
	}
	return item
}

// profileID is stable per person and profile, as the vendor's would be.
func profileID(personID, profile string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(personID+"/"+profile)).String()
}

func profilesOut(r *record) []profileJSON {
	out := make([]profileJSON, 0, len(r.Profiles))
	for _, p := range r.Profiles {
		out = append(out, profileJSON{ID: profileID(r.ID, p), TipoPerfil: p})
	}
	return out
}

func (r *record) detail() detailJSON {
	d := detailJSON{
		ID: r.ID, Codigo: r.Code, Nome: r.Name, NomeEmpresa: r.TradeName, TipoPessoa: r.PersonType,
		Documento: formatDocument(r.docKey), Email: r.Email, TelefoneCelular: r.PhoneMobile,
		TelefoneComercial: r.PhoneCommercial, Ativo: r.Active, Observacao: r.Note,
		CriadoEm:      r.CreatedAt.In(saoPaulo).Format(detailTimeFormat),
		DataAlteracao: r.UpdatedAt.In(saoPaulo).Format(detailTimeFormat),
		Perfis:        profilesOut(r), Enderecos: make([]addressJSON, 0, len(r.Addresses)),
		Inscricoes: []struct{}{}, OutrosContatos: []struct{}{},
		PessoasLegado: []legacyJSON{},
	}
	if r.BirthDate != "" {
		b := r.BirthDate
		d.DataNascimento = &b
	}
	for _, a := range r.Addresses {
		d.Enderecos = append(d.Enderecos, addressOut(a))
	}
	if r.LegacyID != 0 {
		d.PessoasLegado = append(d.PessoasLegado, legacyJSON{ID: r.LegacyID, UUID: profileID(r.ID, "legado"), Perfil: "CLIENTE"})
	}
	return d
}
