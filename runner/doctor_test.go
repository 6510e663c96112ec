package runner

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/bling/blingfake"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// doctorFakes is an Auvo and an Omie fake seeded with customers whose
// documents and addresses are valid, one Omie client altered after its
// inclusion, and a config of one connection running flows on them.
type doctorFakes struct {
	auvo *auvofake.Server
	omie *omiefake.Server
	cfg  *Config
}

var doctorDocs = []string{"529.982.247-25", "111.444.777-35", "123.456.789-09"}

func newDoctorFakes(t *testing.T, flowsToRun []syncrules.Flow, auvoOpts []auvofake.Option, omieOpts []omiefake.Option) *doctorFakes {
	t.Helper()
	f := &doctorFakes{
		auvo: auvofake.New(auvoOpts...),
		omie: omiefake.New(append([]omiefake.Option{omiefake.WithRedundantCheck(false)}, omieOpts...)...),
	}
	for i, doc := range doctorDocs[:2] {
		f.auvo.Seed(auvofake.Customer{Name: "Cliente Auvo " + strconv.Itoa(i), CpfCnpj: doc, Active: true,
			Address: "Av. Paulista, 1578, Bela Vista - São Paulo - SP"})
	}
	f.auvo.Seed(auvofake.Customer{Name: "Sem Endereço", CpfCnpj: doctorDocs[2], Active: true, Address: "somewhere"})
	included := time.Now().Add(-48 * time.Hour)
	f.omie.Seed(omiefake.Cliente{RazaoSocial: "Omie Alterado", CnpjCpf: "168.995.350-09", Incluido: included, Alterado: included.Add(time.Hour)})
	auvoAPI, omieAPI := httptest.NewServer(f.auvo), httptest.NewServer(f.omie)
	t.Cleanup(auvoAPI.Close)
	t.Cleanup(omieAPI.Close)
	f.cfg = &Config{
		State: filepath.Join(t.TempDir(), "state.db"),
		Connections: []ConnConfig{{
			Name:  "acme",
			Flows: flowsToRun,
			Auvo:  AuvoConfig{BaseURL: auvoAPI.URL + "/v2", APIKey: auvofake.DefaultAPIKey, APIToken: auvofake.DefaultAPIToken},
			Omie:  &OmieConfig{BaseURL: omieAPI.URL + "/api/v1", AppKey: omiefake.DefaultAppKey, AppSecret: omiefake.DefaultAppSecret},
		}},
	}
	return f
}

func checkNamed(t *testing.T, d Diagnosis, name string) Check {
	t.Helper()
	require.Len(t, d.Connections, 1)
	for _, c := range d.Connections[0].Checks {
		if c.Name == name {
			return c
		}
	}
	require.Failf(t, "no such check", "%s in %+v", name, d.Connections[0].Checks)
	return Check{}
}

// assertNoWrites: the fakes' request logs hold only reads.
func (f *doctorFakes) assertNoWrites(t *testing.T) {
	t.Helper()
	for _, r := range f.auvo.Requests() {
		if r.Endpoint != auvofake.EndpointLogin {
			assert.Equal(t, http.MethodGet, r.Method, "doctor sent %s %s to Auvo", r.Method, r.URL)
		}
	}
	assert.Zero(t, f.omie.WriteCalls(), "doctor called Omie's write methods")
}

// CONTRACTS.md §6: on APIs that behave as assumed every check passes,
// the first sync is forecast from a dry run (R-OUT-1 creates, R-ADDR-1
// skips by rule ID) and no write reaches any vendor.
func TestDoctorPassesOnAPIsThatBehaveAsAssumedAndWritesNothing(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.AuvoToOmie}, nil, nil)
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	for _, c := range d.Connections[0].Checks {
		assert.NotEqual(t, CheckFail, c.Status, "%s: %s", c.Name, c.Evidence)
	}
	assert.True(t, d.OK())
	for _, name := range []string{ProbeState, ProbeAuvoLogin, ProbeAuvoDocFilter, ProbeAuvoDateFilter, ProbeAuvoPageSize, ProbeOmieKeys, ProbeOmieWindow, ProbeOmieZone, ProbeFirstSync} {
		assert.Equal(t, CheckPass, checkNamed(t, d, name).Status, name)
	}
	cd := d.Connections[0]
	require.Len(t, cd.Forecast, 1)
	fc := cd.Forecast[0]
	assert.Equal(t, 3, fc.Seen)
	assert.True(t, fc.Complete)
	assert.Equal(t, 2, fc.Outcomes[syncrules.Created], "R-OUT-1")
	assert.Equal(t, 1, fc.Outcomes[syncrules.Skipped])
	assert.Equal(t, map[string]int{string(syncrules.RAddr1): 1}, fc.Why)
	assert.Equal(t, 3, fc.Backlog)
	assert.Positive(t, fc.Calls)
	assert.Contains(t, fc.BindingLimit, "per method", "Omie's 237 a minute per method binds")
	require.NotNil(t, cd.Address)
	assert.Equal(t, AddressFit{Target: "omie", Lines: 3, Fit: 2, Reasons: map[string]int{address.ErrNoState.Error(): 1}}, *cd.Address)
	assert.Positive(t, cd.Calls)
	f.assertNoWrites(t)
	assert.Equal(t, 1, f.omie.Len(), "the dry run created nothing")
}

// A state whose schema is newer than this binary fails the state check
// (ledger.SchemaTooNewError) without a call to any vendor.
func TestDoctorFailsTheStateCheckOnAStateTooNew(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.AuvoToOmie}, nil, nil)
	st, err := ledger.Open(t.Context(), f.cfg.State)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	db, err := sql.Open("sqlite", f.cfg.State)
	require.NoError(t, err)
	_, err = db.ExecContext(t.Context(), "INSERT INTO schema_migrations (version) VALUES (?)", ledger.SchemaVersion+1)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	assert.False(t, d.OK())
	assert.Equal(t, CheckFail, checkNamed(t, d, ProbeState).Status)
	assert.Empty(t, f.auvo.Requests())
}

func TestDoctorRefusesAConnectionTheConfigDoesNotHave(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.AuvoToOmie}, nil, nil)
	_, err := Doctor(t.Context(), f.cfg, DoctorOptions{Connection: "nope"})
	assert.Equal(t, 2, ExitCode(err))
}

// The call budget bounds the dry run: its counts are of what was decided
// and the check says the budget ran out.
func TestDoctorForecastStopsAtTheCallBudget(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.AuvoToOmie}, nil, nil)
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{Calls: 2})
	require.NoError(t, err)
	assert.Equal(t, CheckWarn, checkNamed(t, d, ProbeFirstSync).Status)
	require.Len(t, d.Connections[0].Forecast, 1)
	assert.False(t, d.Connections[0].Forecast[0].Complete)
	f.assertNoWrites(t)
}

// An Auvo that ignores cpfCnpj is reported (a warning: lookups drop
// mismatches client-side already), and the inbound flow, whose lookups
// then list every customer, still links the right one (R-IN-3) and
// creates the missing one (R-IN-4), each once.
func TestDoctorWarnsWhenAuvoIgnoresTheDocumentFilterAndTheFlowsStillLinkTheRightCustomer(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.OmieToAuvo}, []auvofake.Option{auvofake.WithIgnoredDocumentFilter()}, nil)
	code := f.omie.Seed(omiefake.Cliente{RazaoSocial: "Mesmo Documento", CnpjCpf: doctorDocs[1]})
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	c := checkNamed(t, d, ProbeAuvoDocFilter)
	assert.Equal(t, CheckWarn, c.Status)
	assert.Contains(t, c.Evidence, "2 customers with other documents")
	assert.NotContains(t, c.Evidence, "52998224725", "the document is masked (R-REPORT-2)")
	assert.True(t, d.OK())
	f.assertNoWrites(t)

	syncTwice(t, f.cfg)
	byDoc := map[string][]auvofake.Customer{}
	for _, cust := range f.auvo.Customers() {
		doc := syncrules.NormalizeDocument(cust.CpfCnpj)
		byDoc[doc] = append(byDoc[doc], cust)
	}
	require.Len(t, byDoc["11144477735"], 1)
	assert.Equal(t, strconv.FormatInt(code, 10), byDoc["11144477735"][0].ExternalID, "R-IN-3 linked the customer with that document")
	assert.Len(t, byDoc["16899535009"], 1, "R-IN-4 created once")
	assert.Empty(t, byDoc["52998224725"][0].ExternalID, "no other customer was linked")
}

// syncTwice runs two cycles, which must both complete.
func syncTwice(t *testing.T, cfg *Config) {
	t.Helper()
	r, err := New(cfg)
	require.NoError(t, err)
	defer r.Close()
	for range 2 {
		c := r.RunOnce(t.Context())
		require.True(t, c.OK(), "%+v", c)
	}
}

// An Auvo that serves smaller pages than asked is reported with the cost.
func TestDoctorWarnsWhenAuvoServesSmallerPagesAndTheFlowsStillReadEveryPage(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.AuvoToOmie}, []auvofake.Option{auvofake.WithPageSizeMax(2)}, nil)
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	c := checkNamed(t, d, ProbeAuvoPageSize)
	assert.Equal(t, CheckWarn, c.Status)
	assert.Contains(t, c.Evidence, "got 2 of 3")
	assert.Equal(t, 3, d.Connections[0].Forecast[0].Seen, "the listing follows the served size")

	syncTwice(t, f.cfg)
	assertOmieHoldsOnce(t, f.omie, "52998224725", "11144477735")
}

// An Auvo that compares dateLastUpdate as "strictly after" fails its
// probe, which names the setting; set, the probe passes and the flows still
// read a customer changed in the very second the next window starts from:
// every customer reaches Omie once.
func TestDoctorFindsAuvoDateFilterStrictlyAfterAndTheSettingSyncsEveryCustomerOnce(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.AuvoToOmie}, []auvofake.Option{auvofake.WithDateFilterAfter()}, nil)
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	c := checkNamed(t, d, ProbeAuvoDateFilter)
	assert.Equal(t, CheckFail, c.Status, c.Evidence)
	assert.Equal(t, "assume: {auvo_date_filter: after}", c.Set)
	assert.False(t, d.OK())
	f.assertNoWrites(t)

	f.cfg.Connections[0].Assume.AuvoDateFilterAfter = true
	d, err = Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	assert.Equal(t, CheckPass, checkNamed(t, d, ProbeAuvoDateFilter).Status)

	r, err := New(f.cfg)
	require.NoError(t, err)
	defer r.Close()
	require.True(t, r.RunOnce(t.Context()).OK())
	cursor, ok, err := r.Store().Cursor(t.Context(), "acme", string(syncrules.AuvoToOmie))
	require.NoError(t, err)
	require.True(t, ok)
	// Changed in the first second of the next window: a strict filter
	// drops it unless the window starts a second earlier.
	f.auvo.Seed(auvofake.Customer{Name: "Na Borda", CpfCnpj: "935.411.347-80", Active: true,
		Address: "Av. Paulista, 1578, Bela Vista - São Paulo - SP", DateLastUpdate: cursor.Truncate(time.Second),
		CreationDate: cursor.Add(-time.Hour)})
	require.True(t, r.RunOnce(t.Context()).OK())
	assertOmieHoldsOnce(t, f.omie, "93541134780", "52998224725", "11144477735")
}

// An Omie whose window, sent without a flag, covers inclusions only fails
// its probe, which names the setting; set, a client included long ago and
// changed now still reaches Auvo, once.
func TestDoctorFindsOmieWindowCoversInclusionsOnlyAndTheSettingSyncsEveryClientOnce(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.OmieToAuvo}, nil, []omiefake.Option{omiefake.WithWindowInclusionsOnly()})
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	c := checkNamed(t, d, ProbeOmieWindow)
	assert.Equal(t, CheckFail, c.Status, c.Evidence)
	assert.Equal(t, "assume: {omie_window: both}", c.Set)
	assert.Contains(t, c.Evidence, "without a flag: false, with filtrar_apenas_alteracao: true")
	f.assertNoWrites(t)

	f.cfg.Connections[0].Assume.OmieWindowBoth = true
	d, err = Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	assert.Equal(t, CheckPass, checkNamed(t, d, ProbeOmieWindow).Status)
	assert.True(t, d.OK(), "%+v", d.Connections[0].Checks)

	r, err := New(f.cfg)
	require.NoError(t, err)
	defer r.Close()
	require.True(t, r.RunOnce(t.Context()).OK())
	code := f.omie.Seed(omiefake.Cliente{RazaoSocial: "Antigo Alterado", CnpjCpf: "935.411.347-80",
		Incluido: time.Now().Add(-365 * 24 * time.Hour), Alterado: time.Now()})
	require.True(t, r.RunOnce(t.Context()).OK())
	require.True(t, r.RunOnce(t.Context()).OK(), "a third run finds nothing new to create")
	n := 0
	for _, cust := range f.auvo.Customers() {
		if cust.ExternalID == strconv.FormatInt(code, 10) {
			n++
		}
	}
	assert.Equal(t, 1, n, "the changed client reached Auvo once")
}

// assertOmieHoldsOnce: each document is on exactly one Omie client.
func assertOmieHoldsOnce(t *testing.T, o *omiefake.Server, docs ...string) {
	t.Helper()
	for _, doc := range docs {
		n := 0
		for _, c := range o.Clientes() {
			if syncrules.NormalizeDocument(c.CnpjCpf) == doc {
				n++
			}
		}
		assert.Equal(t, 1, n, "Omie clients with %s", syncrules.MaskDocument(doc))
	}
}

// A Conta Azul that refuses date filters without a UTC offset fails the
// window probe; the doctor tries the offset and names the setting. Set, the
// probe passes and a person changed after the first sync reaches Auvo, once;
// without it the second run's changes listing is refused.
func TestDoctorFindsContaAzulRefusesOffsetlessDatesAndTheSettingSyncsEveryPersonOnce(t *testing.T) {
	a := auvofake.New()
	ca := contaazulfake.New(contaazulfake.WithOffsetDatesOnly())
	ca.Seed(contaazulfake.Person{Name: "Pessoa Um", Document: doctorDocs[0], Active: true, Profiles: []string{"Cliente"}})
	auvoAPI, caAPI := httptest.NewServer(a), httptest.NewServer(ca)
	t.Cleanup(auvoAPI.Close)
	t.Cleanup(caAPI.Close)
	cfg := &Config{State: filepath.Join(t.TempDir(), "state.db"), Connections: []ConnConfig{{
		Name: "beta", Flows: []syncrules.Flow{syncrules.ContaAzulToAuvo},
		Auvo: AuvoConfig{BaseURL: auvoAPI.URL + "/v2", APIKey: auvofake.DefaultAPIKey, APIToken: auvofake.DefaultAPIToken},
		ContaAzul: &OAuthConfig{BaseURL: caAPI.URL, TokenURL: caAPI.URL + "/oauth2/token", ClientID: contaazulfake.DefaultClientID,
			ClientSecret: contaazulfake.DefaultClientSecret, RefreshToken: contaazulfake.DefaultRefreshToken},
	}}}

	d, err := Doctor(t.Context(), cfg, DoctorOptions{})
	require.NoError(t, err)
	assert.Equal(t, CheckFail, checkNamed(t, d, ProbeContaAzulWindow).Status)
	offset := checkNamed(t, d, ProbeContaAzulOffset)
	assert.Equal(t, "assume: {contaazul_dates: offset}", offset.Set)
	assert.Equal(t, CheckPass, checkNamed(t, d, ProbeContaAzulToken).Status, "the rotated token was saved")
	assert.Zero(t, ca.WriteCalls(), "the doctor wrote to Conta Azul")
	assert.Zero(t, a.WriteCalls(), "the doctor wrote to Auvo")

	cfg.Connections[0].Assume.ContaAzulOffsetDates = true
	d, err = Doctor(t.Context(), cfg, DoctorOptions{})
	require.NoError(t, err)
	assert.True(t, d.OK(), "%+v", d.Connections[0].Checks)

	r, err := New(cfg)
	require.NoError(t, err)
	defer r.Close()
	require.True(t, r.RunOnce(t.Context()).OK())
	ca.Seed(contaazulfake.Person{Name: "Pessoa Dois", Document: doctorDocs[1], Active: true, Profiles: []string{"Cliente"}})
	c := r.RunOnce(t.Context())
	require.True(t, c.OK(), "%+v", c)
	byDoc := map[string]int{}
	for _, cust := range a.Customers() {
		byDoc[syncrules.NormalizeDocument(cust.CpfCnpj)]++
	}
	assert.Equal(t, map[string]int{"52998224725": 1, "11144477735": 1}, byDoc)
}

// Credentials the vendors refuse fail their check with the reason, and
// the doctor goes no further on that connection.
func TestDoctorFailsTheLoginCheckOnRefusedCredentials(t *testing.T) {
	f := newDoctorFakes(t, []syncrules.Flow{syncrules.AuvoToOmie}, nil, nil)
	f.cfg.Connections[0].Auvo.APIToken = "wrong"
	d, err := Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	assert.False(t, d.OK())
	c := checkNamed(t, d, ProbeAuvoLogin)
	assert.Equal(t, CheckFail, c.Status)
	assert.NotContains(t, c.Evidence, "wrong", "no secret in the evidence")
	assert.Empty(t, d.Connections[0].Forecast)

	f.cfg.Connections[0].Auvo.APIToken = auvofake.DefaultAPIToken
	f.cfg.Connections[0].Omie.AppSecret = "wrong"
	d, err = Doctor(t.Context(), f.cfg, DoctorOptions{})
	require.NoError(t, err)
	assert.Equal(t, CheckFail, checkNamed(t, d, ProbeOmieKeys).Status)
}

// blingDoctorConfig is a Bling→Auvo connection on the two fakes.
func blingDoctorConfig(t *testing.T, bl *blingfake.Server) *Config {
	t.Helper()
	auvoAPI, blAPI := httptest.NewServer(auvofake.New()), httptest.NewServer(bl)
	t.Cleanup(auvoAPI.Close)
	t.Cleanup(blAPI.Close)
	return &Config{State: filepath.Join(t.TempDir(), "state.db"), Connections: []ConnConfig{{
		Name: "gamma", Flows: []syncrules.Flow{syncrules.BlingToAuvo},
		Auvo: AuvoConfig{BaseURL: auvoAPI.URL + "/v2", APIKey: auvofake.DefaultAPIKey, APIToken: auvofake.DefaultAPIToken},
		Bling: &OAuthConfig{BaseURL: blAPI.URL, TokenURL: blAPI.URL + "/oauth/token", ClientID: blingfake.DefaultClientID,
			ClientSecret: blingfake.DefaultClientSecret, RefreshToken: blingfake.DefaultRefreshToken},
	}}}
}

// A Bling that ignores criterio answers criterio=2 (deleted only) with
// its default, the latest added: the probe fails naming what a changes
// listing would miss. One that honours it passes, a deleted contact and
// all. Neither probe writes.
func TestDoctorFindsBlingIgnoringCriterioReadOnly(t *testing.T) {
	tests := []struct {
		name   string
		opts   []blingfake.Option
		status CheckStatus
		says   string
	}{
		{"honoured", nil, CheckPass, "got 1, all deleted"},
		{"ignored", []blingfake.Option{blingfake.WithCriterioIgnored()}, CheckFail, "got 2 of 2 with another situacao: Bling ignores criterio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bl := blingfake.New(tt.opts...)
			bl.Seed(blingfake.Contact{Nome: "Ativo", Situacao: "A"})
			bl.Seed(blingfake.Contact{Nome: "Inativo", Situacao: "I"})
			bl.Seed(blingfake.Contact{Nome: "Excluído", Situacao: "E"})
			d, err := Doctor(t.Context(), blingDoctorConfig(t, bl), DoctorOptions{})
			require.NoError(t, err)
			got := checkNamed(t, d, ProbeBlingCriterio)
			assert.Equal(t, tt.status, got.Status, got.Evidence)
			assert.Contains(t, got.Evidence, tt.says)
			assert.Zero(t, bl.WriteCalls(), "the doctor wrote to Bling")
		})
	}
}

// The doctor reports the age of the token the state held before its own
// refresh (the ledger's Saved): none on the first run, its age on the
// next, and a warning once over half of Bling's 30-day refresh-token
// lifetime has passed without a refresh.
func TestDoctorReportsTheStoredTokensAgeAndWarnsPastHalfItsLifetime(t *testing.T) {
	bl := blingfake.New()
	cfg := blingDoctorConfig(t, bl)
	// The Bling client keeps the real clock, so its access token stays
	// valid and the state keeps the first run's token: its age grows.
	first := time.Now()
	clock := testkit.NewClock(first)

	tests := []struct {
		after  time.Duration
		status CheckStatus
		says   string
	}{
		{0, CheckPass, "the state held no token"},
		{3 * time.Hour, CheckPass, "the stored token was 3h0m0s old"},
		{16 * 24 * time.Hour, CheckWarn, "the stored token was 387h0m0s old, over half of bling's refresh-token lifetime"},
	}
	for _, tt := range tests {
		clock.Advance(tt.after)
		d, err := Doctor(t.Context(), cfg, DoctorOptions{}, WithClock(clock))
		require.NoError(t, err)
		got := checkNamed(t, d, ProbeBlingToken)
		assert.Equal(t, tt.status, got.Status, got.Evidence)
		assert.Contains(t, got.Evidence, tt.says)
		assert.Contains(t, got.Evidence, "rotated token saved to the state")
		assert.NotContains(t, got.Evidence, "blingfake-refresh", "the token itself never appears")
	}
	st, err := ledger.Open(t.Context(), cfg.State)
	require.NoError(t, err)
	defer st.Close()
	tok, ok, err := st.LoadToken(t.Context(), "gamma", "bling")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, first.UTC(), tok.Saved, "the saved token carries the doctor's clock")
	assert.Zero(t, bl.WriteCalls(), "the doctor wrote to Bling")
}
