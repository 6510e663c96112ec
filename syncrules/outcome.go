package syncrules

import "strings"

// OutcomeKind is what happened to one record in a run (R-REPORT-1).
type OutcomeKind string

// The outcome kinds of R-REPORT-1.
const (
	Created   OutcomeKind = "created"
	Linked    OutcomeKind = "linked"
	Updated   OutcomeKind = "updated"
	Unchanged OutcomeKind = "unchanged"
	Skipped   OutcomeKind = "skipped"
	Failed    OutcomeKind = "failed"
)

// Valid reports whether k is one of the six outcome kinds.
func (k OutcomeKind) Valid() bool {
	switch k {
	case Created, Linked, Updated, Unchanged, Skipped, Failed:
		return true
	}
	return false
}

// Outcome is the single result recorded for every record a run looked at
// (R-REPORT-1): its kind, the rule that decided it and a human reason.
//
// Build outcomes with [NewOutcome], [Skip] or [Fail]: they pass the reason
// through [Redact], so a vendor error message that echoes a CPF, e-mail or
// phone does not leak it into a report (R-REPORT-2).
type Outcome struct {
	Kind   OutcomeKind `json:"kind"`
	Rule   Rule        `json:"rule,omitempty"`
	Reason string      `json:"reason,omitempty"`
}

// NewOutcome builds an outcome of any kind. An empty reason defaults to the
// rule's summary.
func NewOutcome(kind OutcomeKind, rule Rule, reason string) Outcome {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = rule.Summary()
	}
	return Outcome{Kind: kind, Rule: rule, Reason: Redact(reason)}
}

// Skip is a record left alone on purpose (a rule said so).
func Skip(rule Rule, reason string) Outcome { return NewOutcome(Skipped, rule, reason) }

// Fail is a record the run could not handle (vendor error, bad data).
func Fail(rule Rule, reason string) Outcome { return NewOutcome(Failed, rule, reason) }

// String gives the report form, "R-ELIG-2 no document"; the kind alone when
// there is neither rule nor reason.
func (o Outcome) String() string {
	var parts []string
	if o.Rule != "" {
		parts = append(parts, string(o.Rule))
	}
	if o.Reason != "" {
		parts = append(parts, o.Reason)
	}
	if len(parts) == 0 {
		return string(o.Kind)
	}
	return strings.Join(parts, " ")
}
