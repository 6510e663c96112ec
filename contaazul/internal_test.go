package contaazul

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/transport"
)

func TestParseTimeReadsContaAzulTimestamps(t *testing.T) {
	cases := map[string]time.Time{
		"2026-02-10T15:45:01.339338": time.Date(2026, 2, 10, 15, 45, 1, 339338000, saoPaulo),
		"2024-01-15T10:30:00":        time.Date(2024, 1, 15, 10, 30, 0, 0, saoPaulo),
		"2024-01-15T10:30:00-03:00":  time.Date(2024, 1, 15, 10, 30, 0, 0, saoPaulo),
		"2024-01-15T13:30:00Z":       time.Date(2024, 1, 15, 10, 30, 0, 0, saoPaulo),
		"2024-01-15 10:30:00":        time.Date(2024, 1, 15, 10, 30, 0, 0, saoPaulo),
		"2024-01-15":                 time.Date(2024, 1, 15, 0, 0, 0, 0, saoPaulo),
		"":                           {},
		"null":                       {},
	}
	for in, want := range cases {
		got, err := parseTime(in)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "%s: got %s want %s", in, got, want)
	}
	_, err := parseTime("15/01/2024")
	assert.Error(t, err)
}

func TestWindowsNeverExceed365Days(t *testing.T) {
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, saoPaulo)
	for _, span := range []time.Duration{0, time.Hour, maxWindow, maxWindow + time.Second, 3*maxWindow + 5*time.Hour} {
		ws := windows(from, from.Add(span))
		require.NotEmpty(t, ws)
		assert.True(t, ws[0].from.Equal(from))
		assert.True(t, ws[len(ws)-1].to.Equal(from.Add(span)))
		for i, w := range ws {
			assert.LessOrEqual(t, w.to.Sub(w.from), maxWindow)
			if i > 0 {
				assert.True(t, w.from.Equal(ws[i-1].to), "windows touch, leaving no gap")
			}
		}
	}
	assert.Len(t, windows(from, from.Add(maxWindow)), 1)
	assert.Len(t, windows(from, from.Add(maxWindow+time.Second)), 2)
}

func TestDefaultLimitsAreTenPerSecondAndSixHundredPerMinute(t *testing.T) {
	assert.Equal(t, []transport.Limit{
		{Requests: 10, Per: time.Second, Burst: 1},
		{Requests: 600, Per: time.Minute, Burst: 1},
	}, DefaultRateLimits())
	cfg := config{Settings: transport.Settings{Limits: DefaultRateLimits()}}
	require.NoError(t, WithRateLimit()(&cfg))
	assert.Empty(t, cfg.Limits, "no limits turns throttling off")
}

func TestClassifyReadsTheErrorShapes(t *testing.T) {
	cases := []struct {
		body             string
		code, msg, field string
	}{
		{`{"code":"VALIDATION_ERROR","message":"nome é obrigatório","field":"nome"}`, "VALIDATION_ERROR", "nome é obrigatório", "nome"},
		{`{"code":400,"message":"x"}`, "400", "x", ""},
		{`{"error":"invalid_token","error_description":"expired"}`, "invalid_token", "expired", ""},
		{`{"errors":[{"code":"E1","message":"m1","field":"email"},{"message":"m2","field":"cep"}]}`, "E1", "m1", "email"},
		{`<html>Bad Gateway</html>`, "", "", ""},
		{``, "", "", ""},
	}
	for _, tc := range cases {
		v := classify(&transport.Response{Status: http.StatusBadRequest, Header: http.Header{}, Body: []byte(tc.body)})
		assert.True(t, v.Failed)
		assert.Equal(t, transport.KindInvalid, v.Kind)
		assert.Equal(t, tc.code, v.Code, tc.body)
		assert.Equal(t, tc.msg, v.Message, tc.body)
		if tc.field != "" {
			assert.Contains(t, v.Fields, tc.field)
		}
	}
	v := classify(&transport.Response{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"3"}}})
	assert.True(t, v.RateLimited)
	assert.Equal(t, 3*time.Second, v.Wait)
	assert.False(t, classify(&transport.Response{Status: http.StatusNoContent}).Failed)
}

// The sample list item from the .NET SDK's contract tests (reference §1.6).
func TestDecodesTheReferenceListItem(t *testing.T) {
	raw := `{"totalItems":1,"items":[{"id":"7f1d3c1e-1b1a-4c55-9b86-0d4ad8a1b111","id_legado":123,"uuid_legado":null,
	"nome":"Empresa X","tipo_pessoa":"Jurídica","documento":"11.222.333/0001-81","email":null,"telefone":null,"ativo":true,
	"observacoes_gerais":null,"perfis":["CLIENTE","FORNECEDOR"],"endereco":null,
	"data_criacao":"2025-01-01T08:00:00","data_alteracao":"2026-02-10T15:45:01.339338"}]}`
	var page wireListPage
	require.NoError(t, json.Unmarshal([]byte(raw), &page))
	p, err := page.Items[0].person()
	require.NoError(t, err)
	assert.Equal(t, PersonTypeCompany, p.PersonType)
	assert.Equal(t, []string{ProfileCustomer, ProfileSupplier}, p.Profiles)
	assert.Equal(t, int64(123), p.LegacyID)
	assert.Empty(t, p.Addresses)
	assert.True(t, p.UpdatedAt.Equal(time.Date(2026, 2, 10, 18, 45, 1, 339338000, time.UTC)))
}

func TestDetailWithoutAtivoCountsAsActive(t *testing.T) {
	var d wireDetail
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","nome":"A","perfis":[{"id":"p","tipo_perfil":"Cliente"}]}`), &d))
	p, err := d.person()
	require.NoError(t, err)
	assert.True(t, p.Active)
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","nome":"A","ativo":false}`), &d))
	p, _ = d.person()
	assert.False(t, p.Active)
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-02-10T15:45:01.339338", "2024-01-15T10:30:00-03:00", "2024-01-15", "", "null", "2024-13-45T99:00:00", "Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseTime(s)
		if err != nil {
			assert.True(t, got.IsZero())
			assert.NotContains(t, err.Error(), "\x00")
			return
		}
		if !got.IsZero() {
			// A parsed time formats back to a filter value the API accepts.
			_, err := time.ParseInLocation(wireTimeFormat, formatTime(got), saoPaulo)
			assert.NoError(t, err)
		}
	})
}

func FuzzProfilesDecode(f *testing.F) {
	for _, s := range []string{`["CLIENTE","FORNECEDOR"]`, `[{"tipo_perfil":"Cliente"}]`, `null`, `[]`, `[1]`, `{}`, `["", {"id":"x"}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p wireProfiles
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			return
		}
		for _, name := range p {
			assert.NotEmpty(t, name)
		}
	})
}
