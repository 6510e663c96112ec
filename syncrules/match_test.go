package syncrules_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

var (
	day1 = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	day2 = day1.AddDate(0, 0, 1)
	day3 = day1.AddDate(0, 0, 2)
)

func TestMatchOutbound_ROut(t *testing.T) {
	type pc = syncrules.PartnerCandidate
	tests := []struct {
		name   string
		cands  []pc
		action syncrules.Action
		id     string
		rule   syncrules.Rule
	}{
		{"R-OUT-1 no partner record", nil, syncrules.ActionCreate, "", syncrules.ROut1},
		{"R-OUT-2 one unlinked", []pc{{ID: "7", Created: day1}}, syncrules.ActionLink, "7", syncrules.ROut2},
		{"R-OUT-2 links the unlinked one, not the linked older one",
			[]pc{{ID: "1", Created: day1, Linked: true}, {ID: "2", Created: day3}}, syncrules.ActionLink, "2", syncrules.ROut2},
		{"R-OUT-2 oldest unlinked",
			[]pc{{ID: "3", Created: day3}, {ID: "2", Created: day2}, {ID: "4", Created: day3}}, syncrules.ActionLink, "2", syncrules.ROut2},
		{"R-OUT-2 tie goes to the lowest numeric ID",
			[]pc{{ID: "10", Created: day1}, {ID: "9", Created: day1}}, syncrules.ActionLink, "9", syncrules.ROut2},
		{"R-OUT-2 tie with non-numeric IDs compares text",
			[]pc{{ID: "b-uuid", Created: day1}, {ID: "a-uuid", Created: day1}}, syncrules.ActionLink, "a-uuid", syncrules.ROut2},
		{"R-OUT-2 unknown creation time counts as newest",
			[]pc{{ID: "1"}, {ID: "5", Created: day3}}, syncrules.ActionLink, "5", syncrules.ROut2},
		{"R-OUT-2 unknown creation time counts as newest, whatever the order",
			[]pc{{ID: "5", Created: day3}, {ID: "1"}}, syncrules.ActionLink, "5", syncrules.ROut2},
		{"R-OUT-2 all times unknown: lowest ID",
			[]pc{{ID: "12"}, {ID: "11"}}, syncrules.ActionLink, "11", syncrules.ROut2},
		{"R-OUT-3 all linked",
			[]pc{{ID: "1", Linked: true}, {ID: "2", Linked: true}}, syncrules.ActionCreate, "", syncrules.ROut3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := syncrules.MatchOutbound(tt.cands)
			assert.Equal(t, tt.action, d.Action)
			assert.Equal(t, tt.id, d.PartnerID)
			assert.Equal(t, tt.rule, d.Rule)
			assert.NotEmpty(t, d.Reason)
		})
	}
}

func TestMatchInbound_RIn(t *testing.T) {
	type ac = syncrules.AuvoCandidate
	tests := []struct {
		name      string
		partnerID string
		cands     []ac
		action    syncrules.Action
		id        string
		rule      syncrules.Rule
	}{
		{"R-IN-4 no Auvo customer", "906", nil, syncrules.ActionCreate, "", syncrules.RIn4},
		{"R-IN-1 already linked", "906", []ac{{ID: "42", ExternalCode: "906"}}, syncrules.ActionNone, "42", syncrules.RIn1},
		{"R-IN-1 wins over an unlinked candidate",
			"906", []ac{{ID: "41", Created: day1}, {ID: "42", ExternalCode: " 906 ", Created: day3}}, syncrules.ActionNone, "42", syncrules.RIn1},
		{"R-IN-1 with two linked here picks the oldest",
			"906", []ac{{ID: "50", ExternalCode: "906", Created: day2}, {ID: "51", ExternalCode: "906", Created: day1}}, syncrules.ActionNone, "51", syncrules.RIn1},
		{"R-IN-2 every candidate linked to another partner ID",
			"906", []ac{{ID: "42", ExternalCode: "905"}, {ID: "43", ExternalCode: "907"}}, syncrules.ActionCreate, "", syncrules.RIn2},
		{"R-IN-3 empty external code",
			"906", []ac{{ID: "42", ExternalCode: "905"}, {ID: "43", ExternalCode: "  "}}, syncrules.ActionLink, "43", syncrules.RIn3},
		{"R-IN-3 several unlinked: the oldest",
			"906", []ac{{ID: "44", Created: day3}, {ID: "45", Created: day1}, {ID: "46", Created: day2}}, syncrules.ActionLink, "45", syncrules.RIn3},
		{"R-IN-3 an empty partner ID never counts as linked here",
			"", []ac{{ID: "44"}}, syncrules.ActionLink, "44", syncrules.RIn3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := syncrules.MatchInbound(tt.partnerID, tt.cands)
			assert.Equal(t, tt.action, d.Action)
			assert.Equal(t, tt.id, d.AuvoID)
			assert.Equal(t, tt.rule, d.Rule)
			assert.NotEmpty(t, d.Reason)
		})
	}
}
