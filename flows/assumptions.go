package flows

import "time"

// The vendors leave undocumented some behaviour the listings rely on;
// "runner doctor" probes each one against the live API, and where an API
// behaves otherwise the adapter is told so by one of these options (the
// runner sets them from the connection's assume: block). Without options
// the adapters assume what the fakes do.

// AdapterOption tells an adapter how its vendor behaves where the
// documentation is silent.
type AdapterOption func(*adapterOptions)

type adapterOptions struct {
	auvoDateFilterAfter bool
	omieWindowBoth      bool
}

func newAdapterOptions(opts []AdapterOption) adapterOptions {
	var o adapterOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

// AuvoDateFilterAfter says Auvo's dateLastUpdate filter keeps customers
// changed strictly after its value, not at or after it: the changes listing
// then starts one second earlier (Auvo compares whole seconds), so a
// customer changed in the second the window starts is still read. Re-reading
// one second more is harmless: unchanged records are recognised by hash.
func AuvoDateFilterAfter() AdapterOption {
	return func(o *adapterOptions) { o.auvoDateFilterAfter = true }
}

// OmieWindowBoth says Omie's date window, sent without a
// filtrar_apenas_* flag, misses inclusions or alterations: the changes
// listing then lists the window twice, once with filtrar_apenas_inclusao and
// once with filtrar_apenas_alteracao, and merges them (a client in both is
// read once). Such a listing reports no pages, so it is read to its end in
// every run rather than resumed (System.Changed).
func OmieWindowBoth() AdapterOption {
	return func(o *adapterOptions) { o.omieWindowBoth = true }
}

// auvoDateFilterStep is how far back a strictly-after filter is moved:
// Auvo's filter has whole seconds.
const auvoDateFilterStep = time.Second
