package omie

import (
	"context"
	"errors"
)

// ConsultarCliente returns one record by Omie code or integration code
// (Omie does not look up by CPF/CNPJ: use ListarClientes with Document).
//
// Answers are remembered for 60 s per record (Omie refuses the same query
// within 60 s as REDUNDANT), concurrent queries of one key share a request,
// and a record we wrote meanwhile is returned with our write applied.
func (c *Client) ConsultarCliente(ctx context.Context, key ClienteChave) (Cliente, error) {
	if key.empty() {
		return Cliente{}, &ValidationError{Call: callConsultar, Problem: "needs codigo_cliente_omie or codigo_cliente_integracao"}
	}
	if key.CodigoClienteOmie < 0 {
		return Cliente{}, &ValidationError{Call: callConsultar, Field: "codigo_cliente_omie", Problem: "is negative"}
	}
	k := chaveKey(key)
	entry, done, err := c.cache.lookup(ctx, k)
	if err != nil {
		return Cliente{}, err
	}
	if entry != nil {
		if entry.notFound != nil {
			return Cliente{}, entry.notFound
		}
		return entry.cliente.clone(), nil
	}
	defer done()
	param := key
	if param.CodigoClienteOmie != 0 {
		param.CodigoClienteIntegracao = "" // one key: the Omie code wins
	}
	var cl Cliente
	if err := c.call(ctx, callConsultar, readCall, param, &cl); err != nil {
		if errors.Is(err, ErrNotFound) {
			c.cache.storeNotFound(k, err)
		}
		return Cliente{}, err
	}
	c.cache.storeFound(k, cl)
	return cl.clone(), nil
}

// IncluirCliente creates a record. It is never resent after a failure that
// may have reached Omie: on an error with Fault.Uncertain or a
// *NetworkError with Uncertain, look the record up by integration code
// before trying again (or use UpsertCliente, which is safe to repeat).
func (c *Client) IncluirCliente(ctx context.Context, cl Cliente) (Status, error) {
	return c.write(ctx, callIncluir, writeCall, cl)
}

// Create is IncluirCliente returning the record (the vendor package shape's
// Create): cl as sent, with the codes Omie assigned. Omie answers only the
// codes, and reading the record back within 60 s would be refused as
// REDUNDANT: ConsultarCliente it later for what Omie fills in (Info).
func (c *Client) Create(ctx context.Context, cl Cliente) (Cliente, error) {
	st, err := c.IncluirCliente(ctx, cl)
	if err != nil {
		return Cliente{}, err
	}
	cl.CodigoClienteOmie = st.CodigoClienteOmie
	if st.CodigoClienteIntegracao != "" {
		cl.CodigoClienteIntegracao = st.CodigoClienteIntegracao
	}
	cl.Clear = nil // a property of the write, not of the record
	return cl, nil
}

// AlterarCliente changes a record addressed by CodigoClienteOmie or
// CodigoClienteIntegracao. Only non-empty fields are sent.
func (c *Client) AlterarCliente(ctx context.Context, cl Cliente) (Status, error) {
	return c.write(ctx, callAlterar, writeCall, cl)
}

// UpsertCliente creates or changes the record with cl.CodigoClienteIntegracao,
// our idempotency key: sending it twice leaves one record, so it is retried
// after transient failures and REDUNDANT answers.
func (c *Client) UpsertCliente(ctx context.Context, cl Cliente) (Status, error) {
	return c.write(ctx, callUpsert, idempotentWriteCall, cl)
}

// UpsertClienteCpfCnpj creates or changes the record with cl.Document.
func (c *Client) UpsertClienteCpfCnpj(ctx context.Context, cl Cliente) (Status, error) {
	return c.write(ctx, callUpsertCpfCnpj, idempotentWriteCall, cl)
}

func (c *Client) write(ctx context.Context, call string, kind callKind, cl Cliente) (Status, error) {
	if err := validateWrite(call, &cl); err != nil {
		return Status{}, err
	}
	var st Status
	if err := c.call(ctx, call, kind, cl, &st); err != nil {
		return Status{}, err
	}
	c.cache.afterWrite(&cl, st)
	return st, nil
}

// AssociarCodIntCliente attaches our integration code to an existing record
// that was created without it (or by someone else).
func (c *Client) AssociarCodIntCliente(ctx context.Context, codigoOmie int64, codigoIntegracao string) (Status, error) {
	switch {
	case codigoOmie <= 0:
		return Status{}, &ValidationError{Call: callAssociar, Field: "codigo_cliente_omie", Problem: "must be a positive Omie code"}
	case codigoIntegracao == "":
		return Status{}, &ValidationError{Call: callAssociar, Field: "codigo_cliente_integracao", Problem: "is empty"}
	case len([]rune(codigoIntegracao)) > 60:
		return Status{}, &ValidationError{Call: callAssociar, Field: "codigo_cliente_integracao", Problem: "is longer than 60 characters"}
	}
	key := ClienteChave{CodigoClienteOmie: codigoOmie, CodigoClienteIntegracao: codigoIntegracao}
	var st Status
	// Attaching the same code twice changes nothing, so a retry is harmless.
	if err := c.call(ctx, callAssociar, idempotentWriteCall, key, &st); err != nil {
		return Status{}, err
	}
	if st.CodigoClienteOmie == 0 {
		st.CodigoClienteOmie = codigoOmie
	}
	if st.CodigoClienteIntegracao == "" {
		st.CodigoClienteIntegracao = codigoIntegracao
	}
	c.cache.afterWrite(nil, st)
	return st, nil
}
