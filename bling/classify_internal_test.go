package bling

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/transport"
)

func TestClassifyReadsBlingsErrorType(t *testing.T) {
	for _, tc := range []struct {
		status      int
		body        string
		kind        transport.Kind
		retry, rate bool
	}{
		{200, `{"data":[]}`, transport.KindOther, false, false},
		{429, `{"error":{"type":"TOO_MANY_REQUESTS","message":"m","description":"d"}}`, transport.KindRateLimited, true, true},
		{400, `{"error":{"type":"TOO_MANY_REQUESTS","message":"m"}}`, transport.KindRateLimited, true, true},
		{400, `{"error":{"type":"VALIDATION_ERROR","message":"m"}}`, transport.KindInvalid, false, false},
		{500, `{"error":{"type":"INVALID_REQUEST_BODY","message":"m"}}`, transport.KindInvalid, false, false},
		{401, `{"error":{"type":"UNAUTHORIZED","message":"m"}}`, transport.KindUnauthorized, false, false},
		{400, `{"error":{"type":"INVALID_APIKEY_ERROR","message":"m"}}`, transport.KindUnauthorized, false, false},
		{403, `{"error":{"type":"FORBIDDEN","message":"m"}}`, transport.KindForbidden, false, false},
		{404, `{"error":{"type":"RESOURCE_NOT_FOUND","message":"m"}}`, transport.KindNotFound, false, false},
		{503, `not json`, transport.KindServer, true, false},
		{501, `{"error":{"type":"NOT_IMPLEMENTED","message":"m"}}`, transport.KindServer, false, false},
	} {
		v := classify(&transport.Response{Status: tc.status, Header: http.Header{}, Body: []byte(tc.body)})
		assert.Equal(t, tc.status >= 400, v.Failed, tc.body)
		if !v.Failed {
			continue
		}
		assert.Equal(t, tc.kind, v.Kind, "%d %s", tc.status, tc.body)
		assert.Equal(t, tc.retry, v.Retry, "%d %s", tc.status, tc.body)
		assert.Equal(t, tc.rate, v.RateLimited, "%d %s", tc.status, tc.body)
	}
}

func TestMaskPersonalHidesDocumentsPhonesAndEmails(t *testing.T) {
	for in, want := range map[string]string{
		"CPF 529.982.247-25 inválido":                "CPF *** inválido",
		"CNPJ 11.222.333/0001-81 duplicado":          "CNPJ *** duplicado",
		"documento 52998224725":                      "documento ***",
		"e-mail maria.souza@example.com.br inválido": "e-mail ***@*** inválido",
		"telefone (11) 99999-8888":                   "telefone (11) ***",
		"limite 100 por página, código 49":           "limite 100 por página, código 49",
		"CNPJ 12.ABC.345/01DE-35 já cadastrado":      "CNPJ *** já cadastrado",
		"O CNPJ 12abc34501de35 já está cadastrado":   "O CNPJ *** já está cadastrado",
		"lote 12ABC34501DE36, não um CNPJ":           "lote 12ABC34501DE36, não um CNPJ",
	} {
		assert.Equal(t, want, maskPersonal(in))
	}
}

func TestWindowsSplitLongRangesWithoutGapsOrOverlap(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, saoPaulo)
	assert.Equal(t, []window{{}}, windows(time.Time{}, time.Time{}, now))
	from := now.AddDate(0, -6, 0)
	assert.Equal(t, []window{{from, time.Time{}}}, windows(from, time.Time{}, now), "under a year: one open window")

	from = now.AddDate(-3, 0, 0).Add(300 * time.Millisecond)
	ws := windows(from, time.Time{}, now)
	require.Len(t, ws, 4)
	assert.Equal(t, from.Truncate(time.Second), ws[0].from)
	for i, w := range ws {
		if i > 0 {
			assert.Equal(t, ws[i-1].to.Add(time.Second), w.from, "consecutive seconds, nothing lost")
		}
		if !w.to.IsZero() {
			assert.LessOrEqual(t, w.to.Sub(w.from), MaxWindow)
		}
	}
	assert.True(t, ws[3].to.IsZero(), "the last window stays open")

	to := from.Add(MaxWindow + time.Hour)
	ws = windows(from, to, now)
	require.Len(t, ws, 2)
	assert.Equal(t, to, ws[1].to)
}

func FuzzClassify(f *testing.F) {
	f.Add(400, []byte(`{"error":{"type":"VALIDATION_ERROR","message":"m","description":"d","fields":[{"code":1,"msg":"x","element":"nome","collection":[{"index":0,"code":1,"msg":"y","element":"id"}]}]}}`))
	f.Add(429, []byte(`{"error":{"type":"TOO_MANY_REQUESTS"}}`))
	f.Add(500, []byte(`<html>`))
	f.Add(404, []byte(`{"error":null}`))
	f.Add(400, []byte(`{"error":{"fields":[{}]}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			return
		}
		v := classify(&transport.Response{Status: status, Header: http.Header{}, Body: body})
		if status >= 400 && !v.Failed {
			t.Fatalf("status %d not failed", status)
		}
		if status < 400 && v.Failed {
			t.Fatalf("status %d failed", status)
		}
	})
}

func FuzzDecodeDetail(f *testing.F) {
	f.Add([]byte(`{"id":1,"nome":"A","indicadorIe":"9","endereco":{"geral":{"uf":"SP"}},"tiposContato":[{"id":2}]}`))
	f.Add([]byte(`{"indicadorIe":null,"endereco":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := decodeDetail(data)
		if err != nil {
			return
		}
		if !c.Detailed {
			t.Fatal("a decoded detail must be marked Detailed")
		}
		// Whatever was read must be writable back without losing the JSON shape.
		if _, err := c.updateBody(c.raw); err != nil {
			t.Fatalf("update body: %v", err)
		}
	})
}
