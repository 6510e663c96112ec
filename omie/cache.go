package omie

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// consultTTL is how long a ConsultarCliente answer is reused. Omie refuses a
// second query of the same record within 60 s (REDUNDANT); the extra second
// absorbs the latency between Omie receiving our query and us receiving the
// answer, which is when the entry is stamped.
const consultTTL = 61 * time.Second

// consultCache remembers ConsultarCliente answers (and not-found answers)
// per record, under both its Omie code and its integration code, and makes
// concurrent queries of the same key share one request.
//
// Writes do not evict an entry: evicting would make the next read ask Omie
// inside the 60 s window and be refused. Instead a successful write overlays
// what we sent (and the codes Omie returned) on the cached answer, keeping
// the entry's expiry, so a read after our own write reflects it; once the
// entry expires the next read asks Omie afresh.
type consultCache struct {
	now func() time.Time

	mu       sync.Mutex
	entries  map[string]*consultEntry
	inflight map[string]chan struct{}
}

type consultEntry struct {
	cliente  Cliente
	notFound error // the fault, when Omie said there is no such record
	fetched  time.Time
}

func newConsultCache(now func() time.Time) *consultCache {
	return &consultCache{now: now, entries: map[string]*consultEntry{}, inflight: map[string]chan struct{}{}}
}

func omieKey(code int64) string { return "o:" + strconv.FormatInt(code, 10) }
func intKey(code string) string { return "i:" + code }

func chaveKey(k ClienteChave) string {
	if k.CodigoClienteOmie != 0 {
		return omieKey(k.CodigoClienteOmie)
	}
	return intKey(k.CodigoClienteIntegracao)
}

func (c *consultCache) fresh(e *consultEntry) bool {
	return e != nil && c.now().Sub(e.fetched) < consultTTL
}

// lookup returns a fresh entry, or claims the key for a request (done must
// then be called), or waits for another goroutine's request to finish.
func (c *consultCache) lookup(ctx context.Context, key string) (entry *consultEntry, done func(), err error) {
	for {
		c.mu.Lock()
		if e := c.entries[key]; c.fresh(e) {
			c.mu.Unlock()
			return e, nil, nil
		}
		wait, busy := c.inflight[key]
		if !busy {
			ch := make(chan struct{})
			c.inflight[key] = ch
			c.mu.Unlock()
			return nil, func() {
				c.mu.Lock()
				delete(c.inflight, key)
				c.mu.Unlock()
				close(ch)
			}, nil
		}
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

func (c *consultCache) storeFound(requested string, cl Cliente) {
	e := &consultEntry{cliente: cl.clone(), fetched: c.now()}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prune()
	c.entries[requested] = e
	if cl.CodigoClienteOmie != 0 {
		c.entries[omieKey(cl.CodigoClienteOmie)] = e
	}
	if cl.CodigoClienteIntegracao != "" {
		c.entries[intKey(cl.CodigoClienteIntegracao)] = e
	}
}

func (c *consultCache) storeNotFound(requested string, fault error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prune()
	c.entries[requested] = &consultEntry{notFound: fault, fetched: c.now()}
}

// afterWrite overlays a successful write on the fresh entries of the record.
// sent is nil for AssociarCodIntCliente, which carries no record: a cached
// not-found for the code is then only dropped.
func (c *consultCache) afterWrite(sent *Cliente, st Status) {
	keys := []string{}
	if st.CodigoClienteOmie != 0 {
		keys = append(keys, omieKey(st.CodigoClienteOmie))
	}
	if st.CodigoClienteIntegracao != "" {
		keys = append(keys, intKey(st.CodigoClienteIntegracao))
	}
	if sent != nil && sent.CodigoClienteIntegracao != "" {
		keys = append(keys, intKey(sent.CodigoClienteIntegracao))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var base *consultEntry
	var fetched time.Time
	for _, k := range keys {
		e := c.entries[k]
		if !c.fresh(e) {
			continue
		}
		if fetched.IsZero() || e.fetched.Before(fetched) {
			fetched = e.fetched
		}
		if e.notFound == nil && base == nil {
			base = e
		}
	}
	if fetched.IsZero() {
		return // nothing cached: the next read may ask Omie
	}
	var view Cliente
	switch {
	case base != nil:
		view = base.cliente.clone()
	case sent == nil:
		for _, k := range keys {
			delete(c.entries, k)
		}
		return
	}
	if sent != nil {
		overlay(&view, sent)
	}
	if st.CodigoClienteOmie != 0 {
		view.CodigoClienteOmie = st.CodigoClienteOmie
	}
	if st.CodigoClienteIntegracao != "" {
		view.CodigoClienteIntegracao = st.CodigoClienteIntegracao
	}
	view.Info.Alterado = c.now().Truncate(time.Second)
	if view.Info.Incluido.IsZero() {
		view.Info.Incluido = view.Info.Alterado
		view.Info.ImportadoAPI = true
	}
	e := &consultEntry{cliente: view, fetched: fetched}
	for _, k := range keys {
		c.entries[k] = e
	}
	c.entries[omieKey(view.CodigoClienteOmie)] = e
}

// overlay copies what a write sends (non-empty strings, cleared fields,
// inativo, non-nil tags) onto dst: the same fields Omie changes.
func overlay(dst, sent *Cliente) {
	set := func(d *string, v string) {
		if v != "" {
			*d = v
		}
	}
	if sent.CodigoClienteOmie != 0 {
		dst.CodigoClienteOmie = sent.CodigoClienteOmie
	}
	set(&dst.CodigoClienteIntegracao, sent.CodigoClienteIntegracao)
	set(&dst.RazaoSocial, sent.RazaoSocial)
	set(&dst.NomeFantasia, sent.NomeFantasia)
	set(&dst.Document, sent.Document)
	set(&dst.Telefone1DDD, sent.Telefone1DDD)
	set(&dst.Telefone1Numero, sent.Telefone1Numero)
	set(&dst.Telefone2DDD, sent.Telefone2DDD)
	set(&dst.Telefone2Numero, sent.Telefone2Numero)
	set(&dst.Email, sent.Email)
	set(&dst.Endereco, sent.Endereco)
	set(&dst.EnderecoNumero, sent.EnderecoNumero)
	set(&dst.Complemento, sent.Complemento)
	set(&dst.Bairro, sent.Bairro)
	set(&dst.Cidade, sent.Cidade)
	set(&dst.Estado, sent.Estado)
	set(&dst.CEP, sent.CEP)
	set(&dst.Observacao, sent.Observacao)
	dst.Inativo = sent.Inativo
	if sent.Tags != nil {
		dst.Tags = append([]string{}, sent.Tags...)
	}
	for _, f := range sent.Clear {
		if v, d := sent.field(f), dst.field(f); v != nil && *v == "" {
			*d = ""
		}
	}
	dst.Clear = nil
}

// prune drops expired entries once the map grows; callers hold mu.
func (c *consultCache) prune() {
	if len(c.entries) < 4096 {
		return
	}
	for k, e := range c.entries {
		if !c.fresh(e) {
			delete(c.entries, k)
		}
	}
}
