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
package flows
