package transport

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CheckLimits is what every vendor's WithRateLimit(...Limit) runs.
func TestCheckLimitsRefusesWhatCannotBeEnforcedAndDropsZeroLimits(t *testing.T) {
	perSecond := Limit{Requests: 3, Per: time.Second, Burst: 1}
	for name, tc := range map[string]struct {
		in      []Limit
		want    []Limit
		problem string
	}{
		"none: no throttling":                  {in: nil, want: nil},
		"zero limits limit nothing":            {in: []Limit{{}, {}}, want: nil},
		"kept in order, zeros dropped":         {in: []Limit{perSecond, {}, {Concurrency: 4}}, want: []Limit{perSecond, {Concurrency: 4}}},
		"requests per zero period":             {in: []Limit{{Requests: 10}}, problem: "zero period"},
		"negative requests":                    {in: []Limit{perSecond, {Requests: -1, Per: time.Second}}, problem: "negative"},
		"negative concurrency":                 {in: []Limit{{Concurrency: -1}}, problem: "negative"},
		"a cap on concurrency needs no period": {in: []Limit{{Concurrency: 1}}, want: []Limit{{Concurrency: 1}}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := CheckLimits(tc.in)
			if tc.problem != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.problem)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
