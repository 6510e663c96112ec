package syncrules

import (
	"fmt"
	"strings"
)

// Flow is one of the five sync directions of RULES.md.
type Flow string

// The five flows, named as in configuration and reports.
const (
	AuvoToOmie      Flow = "auvo-to-omie"      // F1
	AuvoToContaAzul Flow = "auvo-to-contaazul" // F2
	OmieToAuvo      Flow = "omie-to-auvo"      // F3
	BlingToAuvo     Flow = "bling-to-auvo"     // F4
	ContaAzulToAuvo Flow = "contaazul-to-auvo" // F5
)

// Partner is the ERP on the other side of a flow.
type Partner string

// The three partners.
const (
	Omie      Partner = "omie"
	ContaAzul Partner = "contaazul"
	Bling     Partner = "bling"
)

type flowSpec struct {
	partner  Partner
	outbound bool
	fields   FieldSet
	reverse  Flow
}

// flowSpecs is the flow table of RULES.md.
var flowSpecs = map[Flow]flowSpec{
	AuvoToOmie: {Omie, true,
		NewFieldSet(FieldName, FieldPhone, FieldAddress, FieldComplement, FieldEmail), OmieToAuvo},
	AuvoToContaAzul: {ContaAzul, true,
		NewFieldSet(FieldName, FieldPhone, FieldAddress, FieldEmail, FieldNote), ContaAzulToAuvo},
	OmieToAuvo: {Omie, false,
		NewFieldSet(FieldName, FieldPhone, FieldAddress, FieldComplement, FieldEmail), AuvoToOmie},
	BlingToAuvo: {Bling, false,
		NewFieldSet(FieldName, FieldPhone, FieldAddress, FieldEmail), ""},
	ContaAzulToAuvo: {ContaAzul, false,
		NewFieldSet(FieldName, FieldPhone, FieldAddress, FieldEmail, FieldNote), AuvoToContaAzul},
}

// AllFlows lists the flows in their fixed run order: outbound before inbound,
// so a customer created in Auvo is linked before an inbound flow could create
// a duplicate of it.
func AllFlows() []Flow {
	return []Flow{AuvoToOmie, AuvoToContaAzul, OmieToAuvo, BlingToAuvo, ContaAzulToAuvo}
}

// ParseFlow reads a flow name as written in configuration; surrounding space
// and case are ignored.
func ParseFlow(s string) (Flow, error) {
	f := Flow(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := flowSpecs[f]; ok {
		return f, nil
	}
	names := make([]string, 0, len(flowSpecs))
	for _, f := range AllFlows() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("syncrules: unknown flow %q; want one of %s", s, strings.Join(names, ", "))
}

// Valid reports whether f is one of the five flows.
func (f Flow) Valid() bool {
	_, ok := flowSpecs[f]
	return ok
}

// Partner is the ERP the flow talks to; "" for an unknown flow.
func (f Flow) Partner() Partner { return flowSpecs[f].partner }

// Outbound reports whether the flow goes from Auvo to a partner (F1, F2).
func (f Flow) Outbound() bool { return flowSpecs[f].outbound }

// Fields is the set of fields the flow keeps in sync (the table of RULES.md).
// The external code is never among them (R-UPD-1).
func (f Flow) Fields() FieldSet { return flowSpecs[f].fields }

// Reverse is the flow that carries changes the other way for the same pair
// (F1↔F3, F2↔F5). Bling→Auvo has none.
func (f Flow) Reverse() (Flow, bool) {
	r := flowSpecs[f].reverse
	return r, r != ""
}
