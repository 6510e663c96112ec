package blingfake

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

const (
	tokenCallLimit  = 20
	tokenCallWindow = time.Minute
	tokenBlock      = time.Hour
)

// tokenAnswer is the fake's own token response shape.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token"`
}

type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.blockedUntil) {
		writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "IP bloqueado", "Limite de requisições ao endpoint de token excedido", nil)
		return
	}
	// Bling blocks the IP for an hour after more than 20 token calls in 60 s.
	kept := s.tokenCalls[:0]
	for _, t := range s.tokenCalls {
		if now.Sub(t) < tokenCallWindow {
			kept = append(kept, t)
		}
	}
	s.tokenCalls = append(kept, now)
	if len(s.tokenCalls) > tokenCallLimit {
		s.blockedUntil = now.Add(tokenBlock)
		writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "IP bloqueado", "Limite de requisições ao endpoint de token excedido", nil)
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, oauthError{Error: "invalid_request"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != s.clientID || secret != s.clientSecret {
		w.Header().Set("WWW-Authenticate", `Basic realm="bling"`)
		writeJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_client", ErrorDescription: "Credenciais do aplicativo inválidas"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_request"})
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
	case "":
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_request", ErrorDescription: "grant_type ausente"})
		return
	default:
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "unsupported_grant_type"})
		return
	}
	given := r.PostForm.Get("refresh_token")
	if given == "" || given != s.refresh || s.refreshRevoked || !now.Before(s.refreshExpiry) {
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_grant", ErrorDescription: "Refresh token inválido"})
		return
	}
	s.tokenSeq++
	access := fmt.Sprintf("blingfake-access-%d-%s", s.tokenSeq, randomHex())
	s.access[access] = now.Add(AccessTokenTTL)
	s.issued = append(s.issued, access)
	s.refresh = fmt.Sprintf("blingfake-refresh-%d-%s", s.tokenSeq, randomHex())
	s.refreshExpiry = now.Add(RefreshTokenTTL)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tokenAnswer{
		AccessToken:  access,
		ExpiresIn:    int(AccessTokenTTL / time.Second),
		TokenType:    "Bearer",
		Scope:        "98309 5990556 318257583",
		RefreshToken: s.refresh,
	})
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	now := s.clock()
	value := r.Header.Get("Authorization")
	token, found := strings.CutPrefix(value, "Bearer ")
	s.mu.Lock()
	expiry, known := s.access[token]
	s.mu.Unlock()
	if !found || !known || !now.Before(expiry) {
		writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", "invalid_token", "Token de acesso inválido ou expirado", nil)
		return false
	}
	return true
}

// blocked answers while the token-call block is on.
func (s *Server) blocked(w http.ResponseWriter) bool {
	now := s.clock()
	s.mu.Lock()
	until := s.blockedUntil
	s.mu.Unlock()
	if now.Before(until) {
		writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "IP bloqueado", "Limite de requisições ao endpoint de token excedido", nil)
		return true
	}
	return false
}

// limited applies the optional 3 requests per second limit (real time).
func (s *Server) limited(w http.ResponseWriter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.rateLimit {
		return false
	}
	n, per := 3, time.Second
	if s.limitN > 0 && s.limitPer > 0 {
		n, per = s.limitN, s.limitPer
	}
	now := time.Now()
	kept := s.recent[:0]
	for _, t := range s.recent {
		if now.Sub(t) < per {
			kept = append(kept, t)
		}
	}
	s.recent = kept
	if len(s.recent) >= n {
		s.rateLimited++
		writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Limite de requisições atingido", "Limite de 3 requisições por segundo excedido", nil)
		return true
	}
	s.recent = append(s.recent, now)
	return false
}

// ExpireTokens makes every access token issued so far invalid (the next API
// call answers 401), as if Bling had revoked them.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.access)
}

// RevokeRefreshTokens makes the current refresh token invalid: the next
// refresh answers invalid_grant until SetRefreshToken.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshRevoked = true
}

// SetRefreshToken installs a new valid refresh token (a person authorised
// the app again).
func (s *Server) SetRefreshToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh, s.refreshRevoked, s.refreshExpiry = token, false, s.clock().Add(RefreshTokenTTL)
}

// CurrentRefreshToken is the one refresh token the fake accepts now.
func (s *Server) CurrentRefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh
}

// IssuedAccessTokens lists every access token handed out, expired or not
// (tests grep logs and errors for them).
func (s *Server) IssuedAccessTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// RateLimited counts the requests refused by the 3 requests per second limit.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// SetRateLimit switches the 3 requests per second limit.
func (s *Server) SetRateLimit(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit, s.recent = on, nil
}

// Blocked reports whether the fake is blocking requests after too many token calls.
func (s *Server) Blocked() bool {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	return now.Before(s.blockedUntil)
}
