// Package flows runs the five customer flows of RULES.md: Auvo → Omie,
// Auvo → Conta Azul, Omie → Auvo, Bling → Auvo and Conta Azul → Auvo.
//
// It is the only package that combines the vendor clients, the pure rules
// of syncrules and address, and the ledger. Each vendor is seen through a
// small System interface in canonical terms (syncrules.Customer), so tests can
// substitute anything; the adapters over the real clients live in one file
// per vendor (auvo_system.go, omie_system.go, ...).
//
// One run of one flow: take the connection's lease, read the cursor, list the
// source's changed records, decide each with syncrules, act through the
// target (recording an intent before any create), record one outcome per
// record, and advance the cursor only once the whole listing was processed.
// A run keeps to its share of the connection's time box (RULES.md
// R-SCHED-3): a listing longer than that is a pass over several runs, each
// stopping at a page boundary with a checkpoint the next one resumes from
// (checkpoint.go).
//
// Matching an unlinked record (R-OUT-1..3, R-IN-1..4, the oldest candidate)
// reads the connection's matching index in the ledger (index.go), not the
// vendor: a create costs the create plus, outbound, the Auvo write-back,
// and Bling's detail read inbound. The index keeps, per side, each record's
// id, keyed document hash, external code or integration key, created time
// and active flag. The source listing of every run feeds its side; a match
// decision refreshes the side it reads, by modification time, when it was
// not refreshed since the current source page arrived or 60 s ago, so a
// record created on the other side during a long run is still found. A
// refresh that finds nothing costs one call, and a cycle with nothing new
// makes no index call at all (the refresh is lazy). The first match
// decision of a connection lists the target in full, once:
//
//	side        listing that keeps it fresh                           full listing of 50,000 records
//	Auvo        GET /customers, paramFilter dateLastUpdate (100/page)  500 calls
//	Omie        ListarClientes, filtrar_por_data_de/hora_de (500/page) 100 calls
//	Conta Azul  GET /v1/pessoas, data_alteracao_de/ate (1,000/page)    50 calls
//
// Bling is only a source (no flow writes to it), so it has no side. The
// index never learns of deletions (no vendor lists them): a candidate is
// read or written before anything is decided on it, and one the vendor no
// longer has is dropped and the record matched again. A Conta Azul create
// whose intent is still open (a crash or an uncertain answer) is read back
// from Conta Azul itself by document, as before; Omie's and Auvo's creates
// are upserts on their keys.
//
// The lease makes a connection run once at a time: each Connection.Run holds
// it under its own name (host, process, run), renews it while it runs, and
// gives it back at the end; a second Run meanwhile, in this process or
// another, gets ErrLeaseHeld. A lease whose process has died on this host
// is taken over at once, so a crash costs the record in hand, not a cycle.
//
// A connection is one Auvo account and one ERP. Its flows may go both ways
// with that ERP, but Validate and Run refuse flows of two ERPs: the link
// lives in Auvo's one external code per customer, which can hold the id of
// one ERP's record only. For the same reason an Auvo account is synced with
// one ERP, whatever the number of connections.
//
// One record never stops the others (RULES.md R-BAD-1). A run stops only for
// what no other record could get past either (see fatal: credentials, limits,
// blocks, the network, cancellation, the ledger); anything else fails that
// record alone. A value longer than the target holds is clipped or refused
// by the one table writeLimits (limits.go), which the adapters' writes and
// Project, and the outcomes' reasons, all read. Free text is cleaned of
// control characters once, where a vendor record becomes canonical.
//
// Where a vendor's documentation is silent, the adapters assume what the
// fakes do, and "runner doctor" probes each assumption on the live API
// (assumptions.go). An adapter told otherwise takes the safe answer:
// NewAuvo(c, AuvoDateFilterAfter()) starts the changes listing a second
// earlier; NewOmie(c, OmieWindowBoth()) lists inclusions and alterations
// apart and merges them. Lookups by document already drop records whose
// document differs, whatever the vendor's filter did.
package flows
