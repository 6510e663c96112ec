package bling

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/document"
	"github.com/auvosync/auvosync/internal/transport"
)

// errorEnvelope is Bling's ErrorResponse component:
// {"error":{"type","message","description","fields":[{code,msg,element,namespace,collection[]}]}}.
type errorEnvelope struct {
	Error *struct {
		Type        string       `json:"type"`
		Message     string       `json:"message"`
		Description string       `json:"description"`
		Fields      []errorField `json:"fields"`
	} `json:"error"`
}

type errorField struct {
	Code       int    `json:"code"`
	Msg        string `json:"msg"`
	Element    string `json:"element"`
	Namespace  string `json:"namespace"`
	Collection []struct {
		Index     int    `json:"index"`
		Code      int    `json:"code"`
		Msg       string `json:"msg"`
		Element   string `json:"element"`
		Namespace string `json:"namespace"`
	} `json:"collection"`
}

func policy() transport.Policy {
	return transport.Policy{
		Vendor:   "bling",
		Classify: classify,
		// 429 carries no Retry-After in the notes: 1, 2, 4, 8 s.
		MaxRetries:   4,
		BaseBackoff:  time.Second,
		MaxWait:      30 * time.Second,
		MaxRetryTime: 2 * time.Minute,
	}
}

// classify refines the status-based verdict with Bling's error.type.
func classify(r *transport.Response) transport.Verdict {
	v := transport.DefaultClassify(r)
	if !v.Failed {
		return v
	}
	var env errorEnvelope
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error == nil {
		if len(r.Body) > 0 {
			v.Message = "unreadable error body"
		}
		return v
	}
	e := env.Error
	v.Code = e.Type
	v.Message = maskPersonal(joinMessage(e.Message, e.Description))
	v.Fields = fieldMessages(e.Fields)
	switch strings.ToUpper(e.Type) {
	case "TOO_MANY_REQUESTS":
		// Refused before acting, so even a create may be resent.
		v.Kind, v.Retry, v.RateLimited = transport.KindRateLimited, true, true
	case "RESOURCE_NOT_FOUND":
		v.Kind = transport.KindNotFound
	case "UNAUTHORIZED", "UNAUTHENTICATED", "INVALID_APIKEY_ERROR":
		v.Kind = transport.KindUnauthorized
	case "FORBIDDEN":
		v.Kind = transport.KindForbidden
	case "VALIDATION_ERROR", "MISSING_REQUIRED_FIELD_ERROR", "EMPTY_REQUEST_BODY", "INVALID_REQUEST_BODY", "BAD_REQUEST":
		if v.Kind == transport.KindOther || v.Kind == transport.KindServer {
			v.Kind, v.Retry = transport.KindInvalid, false
		}
	}
	return v
}

func joinMessage(message, description string) string {
	message, description = strings.TrimSpace(message), strings.TrimSpace(description)
	switch {
	case description == "" || description == message:
		return message
	case message == "":
		return description
	default:
		return message + " (" + description + ")"
	}
}

func fieldMessages(fields []errorField) map[string][]string {
	if len(fields) == 0 {
		return nil
	}
	out := map[string][]string{}
	add := func(key, msg string) {
		if msg = maskPersonal(strings.TrimSpace(msg)); msg != "" {
			out[key] = append(out[key], msg)
		}
	}
	for _, f := range fields {
		key := fieldKey(f.Element, f.Namespace)
		add(key, f.Msg)
		for _, item := range f.Collection {
			add(fmt.Sprintf("%s[%d].%s", key, item.Index, fieldKey(item.Element, item.Namespace)), item.Msg)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func fieldKey(element, namespace string) string {
	switch {
	case element != "":
		return element
	case namespace != "":
		return strings.ToLower(namespace)
	default:
		return "request"
	}
}

var (
	emailPattern = regexp.MustCompile(`[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+`)
	// numberPattern finds digit runs joined by document punctuation.
	numberPattern = regexp.MustCompile(`\d[\d./-]*\d`)
	// cnpjPattern finds what may be an alphanumeric CNPJ (since July 2026),
	// masked or not: its letters keep numberPattern from seeing 8 digits.
	cnpjPattern = regexp.MustCompile(`\b[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?[0-9A-Za-z]{3}/?[0-9A-Za-z]{4}-?[0-9]{2}\b`)
)

// maskPersonal hides e-mail addresses, CNPJs (alphanumeric ones included)
// and any number of 8 or more digits (CPF, CNPJ, phone, even a malformed
// document) that Bling may echo in validation messages, since error strings
// end up in logs and reports.
func maskPersonal(s string) string {
	s = emailPattern.ReplaceAllString(s, "***@***")
	s = cnpjPattern.ReplaceAllStringFunc(s, func(m string) string {
		// A run of letters and digits is a CNPJ only when its check digits
		// say so; otherwise it is probably a word or a code.
		if _, kind, err := document.Validate(m); err == nil && kind == document.CNPJ {
			return "***"
		}
		return m
	})
	return numberPattern.ReplaceAllStringFunc(s, func(m string) string {
		if digitCount(m) >= 8 {
			return "***"
		}
		return m
	})
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
