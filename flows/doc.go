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
//
// One record never stops the others (RULES.md R-BAD-1). A run stops only for
// what no other record could get past either (see fatal: credentials, limits,
// blocks, the network, cancellation, the ledger); anything else fails that
// record alone. A value longer than the target holds is clipped or refused
// by the one table writeLimits (limits.go), which the adapters' writes and
// Project, and the outcomes' reasons, all read. Free text is cleaned of
// control characters once, where a vendor record becomes canonical.
package flows
