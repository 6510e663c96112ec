package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// fakes is a fake Auvo account with one customer and a fake Omie, on
// loopback, and a Config of one auvo-to-omie connection pointing at them.
func fakes(t *testing.T) *Config {
	cfg, _ := fakesWithCustomer(t)
	return cfg
}

// fakesWithCustomer is fakes, and the Auvo id of its customer.
func fakesWithCustomer(t *testing.T) (*Config, string) {
	t.Helper()
	a := auvofake.New()
	id := a.Seed(auvofake.Customer{Name: "Ana Souza", CpfCnpj: "529.982.247-25", Active: true,
		Address: "Av. Paulista, 1578, Bela Vista - São Paulo - SP"})
	auvoAPI, omieAPI := httptest.NewServer(a), httptest.NewServer(omiefake.New())
	t.Cleanup(auvoAPI.Close)
	t.Cleanup(omieAPI.Close)
	return &Config{
		State: filepath.Join(t.TempDir(), "state.db"),
		Connections: []ConnConfig{{
			Name:  "acme",
			Flows: []syncrules.Flow{syncrules.AuvoToOmie},
			Auvo:  AuvoConfig{BaseURL: auvoAPI.URL + "/v2", APIKey: auvofake.DefaultAPIKey, APIToken: auvofake.DefaultAPIToken},
			Omie:  &OmieConfig{BaseURL: omieAPI.URL + "/api/v1", AppKey: omiefake.DefaultAppKey, AppSecret: omiefake.DefaultAppSecret},
		}},
	}, strconv.FormatInt(id, 10)
}

// A Config built in Go gets the checks of a file, with the same messages
// naming the connection and the key (CONTRACTS.md §3).
func TestNewChecksAConfigBuiltInGoLikeAFile(t *testing.T) {
	cfg := &Config{Connections: []ConnConfig{{
		Name:  "acme",
		Flows: []syncrules.Flow{syncrules.AuvoToOmie, syncrules.BlingToAuvo},
		Auvo:  AuvoConfig{BaseURL: "http://api.auvo.com.br/v2", APIKey: "k"},
		Omie:  &OmieConfig{AppKey: "k", AppSecret: "s"},
	}}}
	_, err := New(cfg)
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	for _, want := range []string{
		`connection "acme": auvo.base_url must use https`,
		`connection "acme": auvo.api_token is missing`,
		`connection "acme": flow bling-to-auvo needs a "bling" block, which is missing`,
		`connection "acme": flows go to 2 ERPs`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	_, err = New(&Config{})
	assert.ErrorContains(t, err, "no connections")
	_, err = New(nil)
	assert.ErrorAs(t, err, &ce)
}

// Values from Go are taken as written: "${" in a secret is not a variable.
func TestNewTakesGoValuesLiterallyAndFillsDefaults(t *testing.T) {
	cfg := &Config{State: filepath.Join(t.TempDir(), "s.db"), Connections: []ConnConfig{{
		Name:      "beta",
		Flows:     []syncrules.Flow{syncrules.ContaAzulToAuvo},
		Auvo:      AuvoConfig{APIKey: "k${NOT_A_VAR}", APIToken: "t"},
		ContaAzul: &OAuthConfig{ClientID: "id", ClientSecret: "s$", RefreshToken: "r"},
	}}}
	r, err := New(cfg)
	require.NoError(t, err)
	defer r.Close()
	got := r.Config().Connections[0]
	assert.Equal(t, Secret("k${NOT_A_VAR}"), got.Auvo.APIKey)
	assert.Equal(t, defaultAuvoBaseURL, got.Auvo.BaseURL)
	assert.Equal(t, defaultContaAzulBase, got.ContaAzul.BaseURL)
	assert.Equal(t, defaultContaAzulToken, got.ContaAzul.TokenURL)
	assert.Empty(t, cfg.Connections[0].Auvo.BaseURL, "the caller's Config is left as it was")
	require.Len(t, r.Connections(), 1)
	assert.Equal(t, "beta", r.Connections()[0].Name())
	assert.Equal(t, []syncrules.Flow{syncrules.ContaAzulToAuvo}, r.Connections()[0].Flows())
}

// With no refresh token in the config nor in the state no call could ever
// succeed: a config error (exit 2).
func TestNewRefusesAnOAuthConnectionWithoutAnyRefreshToken(t *testing.T) {
	cfg := &Config{State: filepath.Join(t.TempDir(), "s.db"), Connections: []ConnConfig{{
		Name: "gamma", Flows: []syncrules.Flow{syncrules.BlingToAuvo},
		Auvo:  AuvoConfig{APIKey: "k", APIToken: "t"},
		Bling: &OAuthConfig{ClientID: "id", ClientSecret: "s"},
	}}}
	_, err := New(cfg)
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, err.Error(), `connection "gamma": bling.refresh_token is missing and the state file holds no bling token yet`)
}

// R-SCHED-2: a connection whose lease another runner holds is not run
// twice; Connection.Run waits, on the runner's clock, and runs once the
// lease is free.
func TestConnectionRunWaitsForTheLeaseOfAnotherRunner_RSCHED2(t *testing.T) {
	ctx := t.Context()
	cfg := fakes(t)
	st, err := ledger.Open(ctx, cfg.State)
	require.NoError(t, err)
	defer st.Close()
	other := ledger.Holder{Host: "another-machine", PID: 1, Run: "other"}
	ok, err := st.AcquireLease(ctx, "acme", other, time.Hour, time.Now())
	require.NoError(t, err)
	require.True(t, ok)

	fc := newFakeClock()
	waits := 0
	fc.OnWait(func(d time.Duration) {
		waits++
		assert.Equal(t, leaseRetry, d)
		if waits == 3 {
			assert.NoError(t, st.ReleaseLease(ctx, "acme", other))
		}
	})
	r, err := New(cfg, WithStore(st), WithClock(fc))
	require.NoError(t, err)
	defer r.Close()
	sums, err := r.Connections()[0].Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, waits, "it waited until the lease was free, and no longer")
	require.Len(t, sums, 1)
	assert.Equal(t, 1, sums[0].Counts[syncrules.Created])
	require.NoError(t, r.Close())
	_, err = st.Runs(ctx, "", 0)
	assert.NoError(t, err, "WithStore: Close leaves the caller's store open")
}

func TestConnectionRunStopsWaitingForTheLeaseWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cfg := fakes(t)
	st, err := ledger.Open(ctx, cfg.State)
	require.NoError(t, err)
	defer st.Close()
	_, err = st.AcquireLease(ctx, "acme", ledger.Holder{Host: "another-machine", Run: "other"}, time.Hour, time.Now())
	require.NoError(t, err)
	r, err := New(cfg, WithStore(st), WithClock(cancelling{cancel}))
	require.NoError(t, err)
	_, err = r.Connections()[0].Run(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	c := r.RunOnce(ctx)
	assert.False(t, c.OK(), "a connection that could not run fails the cycle")
}

type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(req)
}

func TestWithHTTPClientCarriesEveryVendorCall(t *testing.T) {
	var rt countingTransport
	var progress atomic.Int64
	r, err := New(fakes(t), WithHTTPClient(&http.Client{Transport: &rt}), WithRecords(),
		WithProgress(func(flows.Progress) { progress.Add(1) }))
	require.NoError(t, err)
	defer r.Close()
	c := r.RunOnce(t.Context())
	require.True(t, c.OK(), "%+v", c.Problems)
	assert.Equal(t, 1, c.Number)
	assert.Positive(t, rt.n.Load(), "the vendor clients went through the given client")
	assert.Positive(t, progress.Load(), "WithProgress hears of each page")
	recs := c.Records[FlowKey{"acme", syncrules.AuvoToOmie}]
	require.Len(t, recs, 1, "WithRecords keeps the cycle's reports")
	assert.Equal(t, syncrules.Created, recs[0].Outcome)
	assert.Equal(t, 2, r.RunOnce(t.Context()).Number)
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{&ConfigError{Problems: []string{"x"}}, 2},
		{fmt.Errorf("wrapped: %w", usageErrorf("no such connection")), 2},
		{&NotLockedError{}, 1},
		{errors.New("api unreachable"), 1},
	} {
		assert.Equal(t, tc.want, ExitCode(tc.err), "%v", tc.err)
	}
}

// R-SCHED-1: Run runs a cycle at once and the next one an Interval after
// the previous start, on the runner's clock, until ctx ends; WithOnCycle
// sees each.
func TestRunRunsEveryIntervalUntilCancelled_RSCHED1(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	fc := newFakeClock()
	var seen []int
	r, err := New(fakes(t), WithClock(fc), WithOnCycle(func(c Cycle) {
		seen = append(seen, c.Number)
		assert.True(t, c.OK(), "%+v", c.Problems)
		if len(seen) == 2 {
			cancel()
		}
	}))
	require.NoError(t, err)
	defer r.Close()
	assert.ErrorIs(t, r.Run(ctx), context.Canceled)
	assert.Equal(t, []int{1, 2}, seen)
	assert.Equal(t, []time.Duration{Interval}, fc.Waits(), "the fake clock does not move during a cycle")
}
