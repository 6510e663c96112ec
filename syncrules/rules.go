package syncrules

// Rule is the ID of a rule in RULES.md ("R-ELIG-2"). Reports cite it next to
// each outcome.
type Rule string

// The rule IDs of RULES.md.
const (
	RSched1 Rule = "R-SCHED-1"
	RSched2 Rule = "R-SCHED-2"
	RSched3 Rule = "R-SCHED-3"

	RBudget1 Rule = "R-BUDGET-1"

	RElig1 Rule = "R-ELIG-1"
	RElig2 Rule = "R-ELIG-2"
	RElig3 Rule = "R-ELIG-3"

	ROut1 Rule = "R-OUT-1"
	ROut2 Rule = "R-OUT-2"
	ROut3 Rule = "R-OUT-3"

	RIn1 Rule = "R-IN-1"
	RIn2 Rule = "R-IN-2"
	RIn3 Rule = "R-IN-3"
	RIn4 Rule = "R-IN-4"

	RTag1 Rule = "R-TAG-1"
	RTag2 Rule = "R-TAG-2"
	RTag3 Rule = "R-TAG-3"
	RTag4 Rule = "R-TAG-4"

	RProfile1 Rule = "R-PROFILE-1"
	RProfile2 Rule = "R-PROFILE-2"

	RAddr1 Rule = "R-ADDR-1"
	RAddr2 Rule = "R-ADDR-2"
	RAddr3 Rule = "R-ADDR-3"
	RAddr4 Rule = "R-ADDR-4"
	RAddr5 Rule = "R-ADDR-5"
	RAddr6 Rule = "R-ADDR-6"

	RUpd1 Rule = "R-UPD-1"
	RUpd2 Rule = "R-UPD-2"
	RUpd3 Rule = "R-UPD-3"
	RUpd4 Rule = "R-UPD-4"

	RLock1 Rule = "R-LOCK-1"
	RLock2 Rule = "R-LOCK-2"
	RLock3 Rule = "R-LOCK-3"

	RBad1 Rule = "R-BAD-1"

	RReport1 Rule = "R-REPORT-1"
	RReport2 Rule = "R-REPORT-2"
)

// ruleSummaries gives each rule a short human phrase, used as the default
// reason when a caller has nothing more specific to say.
var ruleSummaries = map[Rule]string{
	RSched1:   "flows run every 10 minutes",
	RSched2:   "a run still going is not started twice",
	RSched3:   "a run stops at a checkpoint within its share of the slot",
	RBudget1:  "vendor request budgets are shared and kept",
	RElig1:    "inactive",
	RElig2:    "no document",
	RElig3:    "invalid document",
	ROut1:     "no partner record has this document; create and link",
	ROut2:     "an unlinked partner record has this document; link it",
	ROut3:     "every partner record with this document is linked elsewhere; create a new one",
	RIn1:      "already linked to this partner record",
	RIn2:      "every Auvo customer with this document is linked elsewhere; create a new one",
	RIn3:      "an unlinked Auvo customer has this document; link it",
	RIn4:      "no Auvo customer has this document; create one",
	RTag1:     "no Omie tags; counts as a customer",
	RTag2:     "only custom Omie tags; counts as a customer",
	RTag3:     "has the Omie tag Cliente",
	RTag4:     "Omie role tags without Cliente",
	RProfile1: "has the Conta Azul profile Cliente",
	RProfile2: "no Conta Azul profile Cliente",
	RAddr1:    "address not in an accepted pattern",
	RAddr2:    "Omie address pattern",
	RAddr3:    "Conta Azul address pattern",
	RAddr4:    "geocoder address pattern",
	RAddr5:    "state, CEP and number normalised",
	RAddr6:    "structured address written as one Auvo line",
	RUpd1:     "synced fields updated",
	RUpd2:     "inactive on the source side; no more updates",
	RUpd3:     "no echo of our own write",
	RUpd4:     "deletions are never propagated",
	RLock1:    "locked",
	RLock2:    "locked by the ledger",
	RLock3:    "released by the analyst",
	RBad1:     "a record the target cannot take is clipped or failed on its own",
	RReport1:  "one outcome per record",
	RReport2:  "personal data masked",
}

// AllRules lists every rule ID of RULES.md in document order.
func AllRules() []Rule {
	return []Rule{
		RSched1, RSched2, RSched3,
		RBudget1,
		RElig1, RElig2, RElig3,
		ROut1, ROut2, ROut3,
		RIn1, RIn2, RIn3, RIn4,
		RTag1, RTag2, RTag3, RTag4,
		RProfile1, RProfile2,
		RAddr1, RAddr2, RAddr3, RAddr4, RAddr5, RAddr6,
		RUpd1, RUpd2, RUpd3, RUpd4,
		RLock1, RLock2, RLock3,
		RBad1,
		RReport1, RReport2,
	}
}

// Valid reports whether r is one of the rule IDs of RULES.md.
func (r Rule) Valid() bool {
	_, ok := ruleSummaries[r]
	return ok
}

// Summary is a short human phrase for the rule ("no document" for R-ELIG-2),
// or "" for an unknown ID.
func (r Rule) Summary() string { return ruleSummaries[r] }
