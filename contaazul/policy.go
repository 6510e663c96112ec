package contaazul

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/auvosync/auvosync/internal/transport"
)

// maxMessage bounds a vendor message kept in an error.
const maxMessage = 300

// errorBody covers the shapes seen on Conta Azul errors: {code, message,
// field} (API), {error, error_description} (OAuth style), and a list of
// such objects under "errors". The exact 4xx body is undocumented, so every
// field is optional.
type errorBody struct {
	Code             json.RawMessage `json:"code"`
	Message          string          `json:"message"`
	Field            string          `json:"field"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Errors           []struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Field   string          `json:"field"`
	} `json:"errors"`
}

func classify(r *transport.Response) transport.Verdict {
	v := transport.DefaultClassify(r)
	if !v.Failed {
		return v
	}
	var body errorBody
	if len(r.Body) == 0 || json.Unmarshal(r.Body, &body) != nil {
		return v
	}
	v.Code = firstNonEmpty(rawCode(body.Code), body.Error)
	v.Message = clip(firstNonEmpty(body.Message, body.ErrorDescription))
	addField := func(field, msg string) {
		if field == "" {
			return
		}
		if v.Fields == nil {
			v.Fields = map[string][]string{}
		}
		v.Fields[field] = append(v.Fields[field], clip(msg))
	}
	addField(body.Field, body.Message)
	for _, e := range body.Errors {
		if v.Code == "" {
			v.Code = rawCode(e.Code)
		}
		if v.Message == "" {
			v.Message = clip(e.Message)
		}
		addField(e.Field, e.Message)
	}
	return v
}

// rawCode accepts a code sent as a string or a number.
func rawCode(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
