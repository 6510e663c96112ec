package bling

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

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
)

// maskPersonal hides e-mail addresses and any number of 8 or more digits
// (CPF, CNPJ, phone, even a malformed document) that Bling may echo in
// validation messages, since error strings end up in logs and reports.
func maskPersonal(s string) string {
	s = emailPattern.ReplaceAllString(s, "***@***")
	return numberPattern.ReplaceAllStringFunc(s, func(m string) string {
		if len(digits(m)) >= 8 {
			return "***"
		}
		return m
	})
}
