package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The setters hold the checks of the common options for all four vendors;
// their wording is what the vendors' errors have always said, after
// "<vendor>: invalid option: " (docs/vendor-shape.md).
func TestSettingsSettersRefuseWhatTheOptionsRefuseInTheirWords(t *testing.T) {
	for name, tc := range map[string]struct {
		set  func(*Settings) error
		want string
	}{
		"nil HTTP client":        {func(s *Settings) error { return s.SetHTTPClient(nil) }, "WithHTTPClient: nil client"},
		"nil clock":              {func(s *Settings) error { return s.SetClock(nil) }, "WithClock: nil clock"},
		"negative retries":       {func(s *Settings) error { return s.SetMaxRetries(-1) }, "WithMaxRetries: -1 is negative"},
		"a limit with no period": {func(s *Settings) error { return s.SetLimits(Limit{Requests: 10}) }, "WithRateLimit: "},
	} {
		t.Run(name, func(t *testing.T) {
			s := Settings{MaxRetries: 4, Limits: []Limit{{Requests: 1, Per: time.Second}}}
			before := s
			err := tc.set(&s)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, before.MaxRetries, s.MaxRetries, "a refused setting leaves the old value")
			assert.Equal(t, before.Limits, s.Limits, "a refused setting leaves the old value")
		})
	}
}

func TestSettingsSettersKeepWhatTheyAccept(t *testing.T) {
	var s Settings
	hc := &http.Client{Timeout: time.Second}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	require.NoError(t, s.SetHTTPClient(hc))
	require.NoError(t, s.SetClock(func() time.Time { return at }))
	require.NoError(t, s.SetMaxRetries(0))
	require.NoError(t, s.SetLimits(Limit{}, Limit{Requests: 3, Per: time.Second, Burst: 1}))
	assert.Same(t, hc, s.HTTPClient)
	assert.Equal(t, at, s.Clock())
	assert.Zero(t, s.MaxRetries)
	assert.Equal(t, []Limit{{Requests: 3, Per: time.Second, Burst: 1}}, s.Limits, "zero limits are dropped")
	require.NoError(t, s.SetLimits())
	assert.Empty(t, s.Limits, "no limits turns throttling off")
}

func TestSettingsConfigCarriesEverySettingAndThrottlesOnlyWithLimits(t *testing.T) {
	wait := func(context.Context, time.Duration) error { return nil }
	s := Settings{
		BaseURL: "https://api.example.com", HTTPClient: &http.Client{}, UserAgent: "ua",
		Budget: &Budget{}, RetryWait: wait, InsecureHTTP: true,
	}
	cfg := s.Config(Policy{Vendor: "v"})
	assert.Equal(t, "https://api.example.com", cfg.BaseURL)
	assert.Equal(t, "v", cfg.Policy.Vendor)
	assert.Same(t, s.HTTPClient, cfg.HTTPClient)
	assert.Same(t, s.Budget, cfg.Budget)
	assert.Equal(t, "ua", cfg.UserAgent)
	assert.NotNil(t, cfg.Sleep)
	assert.True(t, cfg.AllowInsecureHTTP)
	assert.Nil(t, cfg.Throttle, "no limits, no throttle")

	s.Limits = []Limit{{Requests: 1, Per: time.Second, Burst: 1}}
	assert.NotNil(t, s.Config(Policy{Vendor: "v"}).Throttle)
}

func TestSettingsFillDefaultsKeepsWhatWasGiven(t *testing.T) {
	var none Settings
	none.FillDefaults()
	require.NotNil(t, none.Logger)
	require.NotNil(t, none.HTTPClient)
	assert.Equal(t, 60*time.Second, none.HTTPClient.Timeout, "a minute per attempt by default")
	assert.Nil(t, none.HTTPClient.Transport, "over http.DefaultTransport")

	given := Settings{HTTPClient: &http.Client{Timeout: time.Second}, Logger: slog.New(slog.DiscardHandler)}
	hc, logger := given.HTTPClient, given.Logger
	given.FillDefaults()
	assert.Same(t, hc, given.HTTPClient)
	assert.Same(t, logger, given.Logger)
}

func TestApplyRunsTheOptionsInOrderSkipsNilAndStopsAtTheFirstError(t *testing.T) {
	type option func(*Settings) error
	var ran []string
	set := func(name string, err error) option {
		return func(*Settings) error { ran = append(ran, name); return err }
	}
	boom := errors.New("WithClock: nil clock")
	err := Apply(&Settings{}, []option{set("a", nil), nil, set("b", boom), set("c", nil)})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"a", "b"}, ran)

	ran = nil
	require.NoError(t, Apply(&Settings{}, []option{set("a", nil), set("b", nil)}))
	assert.Equal(t, []string{"a", "b"}, ran)
}
