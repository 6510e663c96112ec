package omie

import (
	"context"
	"fmt"
	"iter"
	"time"
)

// MaxPageSize is Omie's recommended maximum of records per page.
const MaxPageSize = 500

// ListOptions selects records for ListarClientes. The zero value lists
// every record, MaxPageSize at a time.
type ListOptions struct {
	Document                string // clientesFiltro.cnpj_cpf
	Inativo                 *bool  // clientesFiltro.inativo; nil: both
	CodigoClienteIntegracao string // clientesFiltro.codigo_cliente_integracao

	// ChangedSince and ChangedUntil bound the inclusion/alteration time
	// (inclusive, to the second, sent as São Paulo local time); a zero
	// value leaves that side open. This is Omie's incremental-sync path.
	ChangedSince, ChangedUntil time.Time
	// OnlyChanged matches the window against alterations only
	// (filtrar_apenas_alteracao); OnlyIncluded against inclusions only.
	OnlyChanged, OnlyIncluded bool

	PageSize int // 1..500, default 500

	// OnPage, when set, is called as each page arrives (progress reports).
	OnPage func(Page)
	// StartPage is the first page to read, 1-based; 0 means 1. A run that
	// stopped at its time box resumes its listing there (R-SCHED-3).
	StartPage int
}

type listFilter struct {
	Document                string `json:"cnpj_cpf,omitempty"`
	Inativo                 string `json:"inativo,omitempty"`
	CodigoClienteIntegracao string `json:"codigo_cliente_integracao,omitempty"`
}

type listRequest struct {
	Pagina                 int         `json:"pagina"`
	RegistrosPorPagina     int         `json:"registros_por_pagina"`
	ApenasImportadoAPI     string      `json:"apenas_importado_api"`
	FiltrarPorDataDe       string      `json:"filtrar_por_data_de,omitempty"`
	FiltrarPorHoraDe       string      `json:"filtrar_por_hora_de,omitempty"`
	FiltrarPorDataAte      string      `json:"filtrar_por_data_ate,omitempty"`
	FiltrarPorHoraAte      string      `json:"filtrar_por_hora_ate,omitempty"`
	FiltrarApenasAlteracao string      `json:"filtrar_apenas_alteracao,omitempty"`
	FiltrarApenasInclusao  string      `json:"filtrar_apenas_inclusao,omitempty"`
	ExibirObs              string      `json:"exibir_obs"`
	ClientesFiltro         *listFilter `json:"clientesFiltro,omitempty"`
}

type listResponse struct {
	Pagina           int       `json:"pagina"`
	TotalDePaginas   int       `json:"total_de_paginas"`
	Registros        int       `json:"registros"`
	TotalDeRegistros int       `json:"total_de_registros"`
	Clientes         []Cliente `json:"clientes_cadastro"`
}

func (o ListOptions) request() (listRequest, error) {
	bad := func(field, problem string) error {
		return &ValidationError{Call: callListar, Field: field, Problem: problem}
	}
	size := o.PageSize
	switch {
	case size == 0:
		size = MaxPageSize
	case size < 0 || size > MaxPageSize:
		return listRequest{}, bad("PageSize", fmt.Sprintf("is %d, want 1..%d", size, MaxPageSize))
	}
	if o.StartPage < 0 {
		return listRequest{}, bad("StartPage", fmt.Sprintf("is %d, want 1 or more", o.StartPage))
	}
	if o.OnlyChanged && o.OnlyIncluded {
		return listRequest{}, bad("", "OnlyChanged and OnlyIncluded exclude each other")
	}
	if !o.ChangedSince.IsZero() && !o.ChangedUntil.IsZero() && o.ChangedUntil.Before(o.ChangedSince) {
		return listRequest{}, bad("ChangedUntil", "is before ChangedSince")
	}
	if (o.OnlyChanged || o.OnlyIncluded) && o.ChangedSince.IsZero() && o.ChangedUntil.IsZero() {
		return listRequest{}, bad("", "OnlyChanged/OnlyIncluded need ChangedSince or ChangedUntil")
	}
	req := listRequest{Pagina: max(o.StartPage, 1), RegistrosPorPagina: size, ApenasImportadoAPI: "N", ExibirObs: "S"}
	if !o.ChangedSince.IsZero() {
		req.FiltrarPorDataDe, req.FiltrarPorHoraDe = formatDateTime(o.ChangedSince)
	}
	if !o.ChangedUntil.IsZero() {
		req.FiltrarPorDataAte, req.FiltrarPorHoraAte = formatDateTime(o.ChangedUntil)
	}
	if o.OnlyChanged {
		req.FiltrarApenasAlteracao = "S"
	}
	if o.OnlyIncluded {
		req.FiltrarApenasInclusao = "S"
	}
	f := listFilter{Document: o.Document, CodigoClienteIntegracao: o.CodigoClienteIntegracao}
	if o.Inativo != nil {
		f.Inativo = flag(*o.Inativo)
	}
	if f != (listFilter{}) {
		req.ClientesFiltro = &f
	}
	return req, nil
}

// ListarClientes yields every record matching opts, page by page, in Omie's
// order. Omie's Client-5113 ("no records for page N") ends the listing
// without an error; any other failure is yielded once and ends it.
func (c *Client) ListarClientes(ctx context.Context, opts ListOptions) iter.Seq2[Cliente, error] {
	req, reqErr := opts.request() // opts is read now: later changes by the caller do not leak in
	onPage := opts.OnPage
	return func(yield func(Cliente, error) bool) {
		if reqErr != nil {
			yield(Cliente{}, reqErr)
			return
		}
		req := req
		for page := req.Pagina; ; page++ {
			req.Pagina = page
			var resp listResponse
			if err := c.call(ctx, callListar, readCall, req, &resp); err != nil {
				if !isEndOfList(err) {
					yield(Cliente{}, err)
				}
				return
			}
			if onPage != nil {
				onPage(Page{Number: page, Items: len(resp.Clientes), Total: resp.TotalDeRegistros})
			}
			for _, cl := range resp.Clientes {
				if !yield(cl, nil) {
					return
				}
			}
			if len(resp.Clientes) == 0 || page >= resp.TotalDePaginas {
				return
			}
		}
	}
}
