package auvo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// rateLimitMarker is the text of Auvo's rate-limit body.
const rateLimitMarker = "rate limit"

// errorBody holds the error shapes Auvo uses: {"error": "..."} (rate limit),
// {"message", "target", "errorCode", "errors"}, and ASP.NET's ModelState
// {"field": ["message"]}.
type errorBody struct {
	Message string
	Code    string
	Fields  map[string][]string
}

func parseErrorBody(body []byte) errorBody {
	var out errorBody
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return out
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		out.Message = firstLine(string(body), 200)
		return out
	}
	for key, raw := range obj {
		switch strings.ToLower(key) {
		case "error", "message", "title":
			var s string
			if json.Unmarshal(raw, &s) == nil && s != "" && out.Message == "" {
				out.Message = s
			}
			continue
		case "errorcode":
			var n json.Number
			if json.Unmarshal(raw, &n) == nil && n != "0" && n != "" {
				out.Code = n.String()
			}
			continue
		case "errors":
			var fields map[string][]string
			if json.Unmarshal(raw, &fields) == nil {
				for f, msgs := range fields {
					out.addField(f, msgs)
				}
			}
			continue
		case "target":
			continue
		}
		var msgs []string
		if json.Unmarshal(raw, &msgs) == nil {
			out.addField(key, msgs)
			continue
		}
		var one string
		if json.Unmarshal(raw, &one) == nil {
			out.addField(key, []string{one})
		}
	}
	return out
}

func (e *errorBody) addField(name string, msgs []string) {
	if e.Fields == nil {
		e.Fields = map[string][]string{}
	}
	e.Fields[name] = append(e.Fields[name], msgs...)
}

func firstLine(s string, limit int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}

// classifier reads Auvo's answers. A 403 is Auvo's rate limit when its body
// says so (or is empty: the documentation gives 403 no other meaning); 429 is
// treated alike. Auvo sends no Retry-After, so the wait is rateLimitWait.
func classifier(rateLimitWait time.Duration) func(*transport.Response) transport.Verdict {
	return func(r *transport.Response) transport.Verdict {
		v := transport.DefaultClassify(r)
		if !v.Failed {
			return v
		}
		body := parseErrorBody(r.Body)
		v.Message, v.Code, v.Fields = body.Message, body.Code, body.Fields
		limited := r.Status == http.StatusTooManyRequests ||
			(r.Status == http.StatusForbidden &&
				(body.Message == "" && len(body.Fields) == 0 || strings.Contains(strings.ToLower(body.Message), rateLimitMarker)))
		if limited {
			v.Kind, v.Retry, v.RateLimited = transport.KindRateLimited, true, true
			if v.Wait <= 0 {
				v.Wait = transport.RetryAfter(r.Header)
			}
			if v.Wait <= 0 {
				v.Wait = rateLimitWait
			}
		}
		return v
	}
}

// redactor removes secrets from error text. Auvo's validation messages echo
// rejected values ("The value 'x' is not valid."), which for login are the
// api key and token.
type redactor struct {
	secrets []string
}

const redacted = "[redacted]"

func (r redactor) string(s string) string {
	for _, secret := range r.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// error rewrites the vendor text inside err. Errors that are not ours pass
// through unchanged.
func (r redactor) error(err error) error {
	if err == nil {
		return nil
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		cp := *rl
		cp.APIError = r.apiError(rl.APIError)
		return &cp
	}
	var api *APIError
	if errors.As(err, &api) {
		return r.apiError(api)
	}
	if msg := err.Error(); r.string(msg) != msg {
		return &redactedError{msg: r.string(msg), err: err}
	}
	return err
}

func (r redactor) apiError(e *APIError) *APIError {
	cp := *e
	cp.Message = r.string(e.Message)
	cp.Code = r.string(e.Code)
	if e.Fields != nil {
		cp.Fields = make(map[string][]string, len(e.Fields))
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			msgs := make([]string, len(e.Fields[name]))
			for i, m := range e.Fields[name] {
				msgs[i] = r.string(m)
			}
			cp.Fields[r.string(name)] = msgs
		}
	}
	return &cp
}

// redactedError keeps the chain of an error whose text held a secret.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// errorf prefixes client-side errors with the vendor name.
func errorf(format string, args ...any) error {
	return fmt.Errorf("auvo: "+format, args...)
}
