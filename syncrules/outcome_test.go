package syncrules_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

func TestOutcome_RReport1(t *testing.T) {
	tests := []struct {
		name string
		o    syncrules.Outcome
		kind syncrules.OutcomeKind
		str  string
	}{
		{"R-REPORT-1 skip with rule and reason", syncrules.Skip(syncrules.RElig2, "no document"), syncrules.Skipped, "R-ELIG-2 no document"},
		{"R-REPORT-1 empty reason defaults to the rule summary", syncrules.Skip(syncrules.RLock1, " "), syncrules.Skipped, "R-LOCK-1 locked"},
		{"R-REPORT-1 failure", syncrules.Fail(syncrules.RAddr1, `address not in an accepted pattern: "Rua X"`), syncrules.Failed,
			`R-ADDR-1 address not in an accepted pattern: "Rua X"`},
		{"R-REPORT-1 created", syncrules.NewOutcome(syncrules.Created, syncrules.ROut1, ""), syncrules.Created,
			"R-OUT-1 no partner record has this document; create and link"},
		{"R-REPORT-1 kind alone", syncrules.Outcome{Kind: syncrules.Unchanged}, syncrules.Unchanged, "unchanged"},
		{"R-REPORT-1 reason without rule", syncrules.NewOutcome(syncrules.Failed, "", "timeout"), syncrules.Failed, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.kind, tt.o.Kind)
			assert.Equal(t, tt.str, tt.o.String())
		})
	}
}

func TestOutcomeKinds_RReport1(t *testing.T) {
	for _, k := range []syncrules.OutcomeKind{syncrules.Created, syncrules.Linked, syncrules.Updated,
		syncrules.Unchanged, syncrules.Skipped, syncrules.Failed} {
		assert.True(t, k.Valid(), k)
	}
	assert.False(t, syncrules.OutcomeKind("deleted").Valid(), "R-UPD-4: there is no deleted outcome")
}

// Every rule ID in RULES.md has a constant with a summary, and nothing else
// does.
func TestRulesMatchRulesMD(t *testing.T) {
	rules := syncrules.AllRules()
	for _, r := range rules {
		assert.True(t, r.Valid(), r)
		assert.NotEmpty(t, r.Summary(), r)
	}
	assert.False(t, syncrules.Rule("R-OUT-9").Valid())
	assert.Equal(t, "", syncrules.Rule("R-OUT-9").Summary())

	spec, err := os.ReadFile("/work/shared/spec/RULES.md")
	if err != nil {
		t.Skip("RULES.md not available outside the build machine")
	}
	ids := map[syncrules.Rule]bool{}
	for _, m := range regexp.MustCompile(`\*\*(R-[A-Z]+-\d+)\*\*`).FindAllStringSubmatch(string(spec), -1) {
		ids[syncrules.Rule(m[1])] = true
	}
	require.NotEmpty(t, ids)
	have := map[syncrules.Rule]bool{}
	for _, r := range rules {
		have[r] = true
	}
	assert.Equal(t, ids, have)
}
