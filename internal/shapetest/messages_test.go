package shapetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/omie"
)

// The common options' checks live once (transport.Settings), but each
// vendor's errors read as they always have, to the letter: users match on
// them. Conta Azul's clock, retry and retry-wait wording is its own.
func TestCommonOptionErrorsKeepEachVendorsWording(t *testing.T) {
	noPeriod := auvo.Limit{Requests: 10}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"auvo nil HTTP client", second(auvo.New(auvo.WithHTTPClient(nil))), "auvo: invalid option: WithHTTPClient: nil client"},
		{"auvo nil clock", second(auvo.New(auvo.WithClock(nil))), "auvo: invalid option: WithClock: nil clock"},
		{"auvo limit with no period", second(auvo.New(auvo.WithRateLimit(noPeriod))), "auvo: invalid option: WithRateLimit: 10 requests per zero period"},
		{"auvo negative retries", second(auvo.New(auvo.WithMaxRetries(-2))), "auvo: invalid option: WithMaxRetries: -2 is negative"},
		{"omie nil HTTP client", second(omie.New(omie.WithHTTPClient(nil))), "omie: WithHTTPClient: nil client"},
		{"omie nil clock", second(omie.New(omie.WithClock(nil))), "omie: WithClock: nil clock"},
		{"omie limit with no period", second(omie.New(omie.WithRateLimit(noPeriod))), "omie: WithRateLimit: 10 requests per zero period"},
		{"omie method limit with no period", second(omie.New(omie.WithMethodRateLimit(noPeriod))), "omie: WithMethodRateLimit: 10 requests per zero period"},
		{"omie negative retries", second(omie.New(omie.WithMaxRetries(-2))), "omie: WithMaxRetries: -2 is negative"},
		{"omie nil retry wait", second(omie.New(omie.WithRetryWait(nil))), "omie: WithRetryWait: nil function"},
		{"omie empty base URL", second(omie.New(omie.WithBaseURL(" "))), "omie: WithBaseURL: empty URL"},
		{"omie negative write concurrency", second(omie.New(omie.WithWriteConcurrency(-1))), "omie: WithWriteConcurrency: -1 is negative"},
		{"contaazul nil HTTP client", second(contaazul.New(contaazul.WithHTTPClient(nil))), "contaazul: invalid option: WithHTTPClient: nil client"},
		{"contaazul nil clock", second(contaazul.New(contaazul.WithClock(nil))), "contaazul: invalid option: WithClock: clock is nil"},
		{"contaazul limit with no period", second(contaazul.New(contaazul.WithRateLimit(noPeriod))), "contaazul: invalid option: WithRateLimit: 10 requests per zero period"},
		{"contaazul negative retries", second(contaazul.New(contaazul.WithMaxRetries(-2))), "contaazul: invalid option: WithMaxRetries: max retries is negative"},
		{"contaazul nil retry wait", second(contaazul.New(contaazul.WithRetryWait(nil))), "contaazul: invalid option: WithRetryWait: retry wait function is nil"},
		{"bling nil HTTP client", second(bling.New(bling.WithHTTPClient(nil))), "bling: invalid option: WithHTTPClient: nil client"},
		{"bling nil clock", second(bling.New(bling.WithClock(nil))), "bling: invalid option: WithClock: nil clock"},
		{"bling limit with no period", second(bling.New(bling.WithRateLimit(noPeriod))), "bling: invalid option: WithRateLimit: 10 requests per zero period"},
		{"bling negative retries", second(bling.New(bling.WithMaxRetries(-2))), "bling: invalid option: WithMaxRetries: -2 is negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.EqualError(t, tc.err, tc.want)
		})
	}
}
