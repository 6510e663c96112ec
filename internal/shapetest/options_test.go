package shapetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/omie"
)

// New returns the first bad option's error, naming the option, in every
// vendor package alike. Each row builds one client per case: a nil HTTP
// client followed by a nil clock, a rate limit with no period, a nil clock.
func TestNewNamesTheFirstBadOptionInEveryVendor(t *testing.T) {
	period := auvo.Limit{Requests: 10} // the same type in all four
	for vendor, errs := range map[string][3]error{
		"auvo": {
			second(auvo.New(auvo.WithCredentials("k", "t"), auvo.WithHTTPClient(nil), auvo.WithClock(nil))),
			second(auvo.New(auvo.WithCredentials("k", "t"), auvo.WithRateLimit(period))),
			second(auvo.New(auvo.WithCredentials("k", "t"), auvo.WithClock(nil))),
		},
		"omie": {
			second(omie.New(omie.WithCredentials("k", "s"), omie.WithHTTPClient(nil), omie.WithClock(nil))),
			second(omie.New(omie.WithCredentials("k", "s"), omie.WithRateLimit(period))),
			second(omie.New(omie.WithCredentials("k", "s"), omie.WithClock(nil))),
		},
		"contaazul": {
			second(contaazul.New(contaazul.WithCredentials("id", "s"), contaazul.WithHTTPClient(nil), contaazul.WithClock(nil))),
			second(contaazul.New(contaazul.WithCredentials("id", "s"), contaazul.WithRateLimit(period))),
			second(contaazul.New(contaazul.WithCredentials("id", "s"), contaazul.WithClock(nil))),
		},
		"bling": {
			second(bling.New(bling.WithCredentials("id", "s"), bling.WithHTTPClient(nil), bling.WithClock(nil))),
			second(bling.New(bling.WithCredentials("id", "s"), bling.WithRateLimit(period))),
			second(bling.New(bling.WithCredentials("id", "s"), bling.WithClock(nil))),
		},
	} {
		t.Run(vendor, func(t *testing.T) {
			for i, want := range []string{"WithHTTPClient", "WithRateLimit", "WithClock"} {
				require.Error(t, errs[i], want)
				assert.Contains(t, errs[i].Error(), want)
				assert.Contains(t, errs[i].Error(), vendor+":", "the error names the vendor")
			}
			assert.NotContains(t, errs[0].Error(), "WithClock", "only the first bad option is reported")
		})
	}
}

func second[T any](_ T, err error) error { return err }
