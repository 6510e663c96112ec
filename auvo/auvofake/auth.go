package auvofake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// loginTime is the layout of "created" and "expiration" in login answers.
const loginTime = "2006-01-02 15:04:05"

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var key, token string
	if r.Method == http.MethodGet {
		// The documented GET form; the client never uses it because it puts
		// the credentials in the URL.
		q := lowerQuery(r)
		key, token = q["apikey"], q["apitoken"]
	} else {
		if !isJSON(r) {
			writeRaw(w, http.StatusUnsupportedMediaType, "")
			return
		}
		raw, ok := decodeObject(w, r)
		if !ok {
			return
		}
		_ = json.Unmarshal(raw["apikey"], &key)
		_ = json.Unmarshal(raw["apitoken"], &token)
	}
	switch {
	case key == "":
		writeJSON(w, http.StatusBadRequest, map[string][]string{"apiKey": {`The value '""' is not valid.`}})
		return
	case token == "":
		writeJSON(w, http.StatusBadRequest, map[string][]string{"apiToken": {`The value '""' is not valid.`}})
		return
	case key != s.apiKey:
		writeRaw(w, http.StatusNotFound, "")
		return
	case token != s.apiToken:
		writeResult(w, http.StatusOK, map[string]any{
			"authenticated": false, "created": nil, "expiration": nil, "accessToken": nil,
			"message": "Invalid apiToken.",
		})
		return
	}
	now := s.clock()
	access := newAccessToken()
	s.mu.Lock()
	s.tokens[access] = now.Add(s.tokenLifetime)
	s.mu.Unlock()
	writeResult(w, http.StatusOK, map[string]any{
		"authenticated": true,
		"created":       now.In(saoPaulo).Format(loginTime),
		"expiration":    now.Add(s.tokenLifetime).In(saoPaulo).Format(loginTime),
		"accessToken":   access,
		"message":       "OK",
	})
}

func newAccessToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "fake." + hex.EncodeToString(b)
}

// authorized checks the bearer token against the fake's clock.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[token]
	if !ok {
		return false
	}
	if !s.clock().Before(exp) {
		delete(s.tokens, token)
		return false
	}
	return true
}

// ExpireTokens invalidates every access token issued so far, as if their 30
// minutes had run out.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]time.Time{}
}

// ValidTokens is the number of access tokens that are still valid.
func (s *Server) ValidTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	now := s.clock()
	for _, exp := range s.tokens {
		if now.Before(exp) {
			n++
		}
	}
	return n
}
