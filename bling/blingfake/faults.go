package blingfake

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// fault is one queued failure for an endpoint.
type fault struct {
	status int
	body   string
}

// apply writes the fault. Status 0 drops the connection without an answer.
func (f fault) apply(w http.ResponseWriter) {
	if f.status == 0 {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f.body == "" {
		typ, msg := defaultErrorType(f.status)
		writeError(w, f.status, typ, msg, "falha injetada", nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = w.Write([]byte(f.body))
}

func defaultErrorType(status int) (string, string) {
	switch {
	case status == http.StatusBadRequest:
		return "VALIDATION_ERROR", "Dados inválidos"
	case status == http.StatusUnauthorized:
		return "UNAUTHORIZED", "invalid_token"
	case status == http.StatusForbidden:
		return "FORBIDDEN", "Acesso negado"
	case status == http.StatusNotFound:
		return "RESOURCE_NOT_FOUND", "Recurso não encontrado"
	case status == http.StatusTooManyRequests:
		return "TOO_MANY_REQUESTS", "Limite de requisições atingido"
	case status == http.StatusNotImplemented:
		return "NOT_IMPLEMENTED", "Não implementado"
	case status >= 500:
		return "SERVER_ERROR", "Erro interno"
	default:
		return "UNKNOWN_ERROR", "Erro desconhecido"
	}
}

// FailNext makes the next n requests to endpoint (as Calls names it, e.g.
// "GET /contatos/{id}" or "POST /oauth/token") answer status with body. An
// empty body becomes Bling's error envelope for that status; status 0 drops
// the connection. Faults come before authentication and rate limits.
func (s *Server) FailNext(endpoint string, n, status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[endpoint] = append(s.faults[endpoint], fault{status: status, body: body})
	}
}

func (s *Server) takeFault(endpoint string) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	queue := s.faults[endpoint]
	if len(queue) == 0 {
		return fault{}, false
	}
	s.faults[endpoint] = queue[1:]
	return queue[0], true
}

// SetDelay slows every answer down by d (real time; the request's context
// cuts it short).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

func (s *Server) wait(r *http.Request) error {
	s.mu.Lock()
	d := s.delay
	s.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-r.Context().Done():
		return context.Cause(r.Context())
	}
}

func (s *Server) count(endpoint string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[endpoint]++
}

// Calls counts requests to an endpoint ("GET /contatos", "GET /contatos/{id}",
// "POST /contatos", "PUT /contatos/{id}", "PATCH /contatos/{id}/situacoes",
// "DELETE /contatos/{id}", "POST /oauth/token"), or to every endpoint with a
// method when given only the method ("GET"). Every request counts, including
// the refused ones.
func (s *Server) Calls(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.Contains(endpoint, " ") {
		total := 0
		for k, n := range s.calls {
			if strings.HasPrefix(k, endpoint+" ") {
				total += n
			}
		}
		return total
	}
	return s.calls[endpoint]
}

// WriteCalls counts POST, PUT, PATCH and DELETE requests to the contacts
// API (token calls are not writes).
func (s *Server) WriteCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	for k, n := range s.calls {
		method, path, _ := strings.Cut(k, " ")
		if path == "/oauth/token" {
			continue
		}
		switch method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			total += n
		}
	}
	return total
}

// ResetCalls zeroes the counters.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.calls)
	s.rateLimited = 0
}
