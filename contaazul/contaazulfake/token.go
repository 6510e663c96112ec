package contaazulfake

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"time"
)

// handleToken serves the refresh-token grant the way Cognito does for
// Conta Azul: Basic client credentials, a new refresh token on every
// refresh (the old one stops working), a 1-hour access token. Error bodies
// follow RFC 6749 and never echo a token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if !equal(id, s.clientID) || !equal(secret, s.clientSecret) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
	case "authorization_code":
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code")
		return
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be refresh_token")
		return
	}
	presented := r.PostForm.Get("refresh_token")
	if presented == "" || s.refreshToken == "" || !equal(presented, s.refreshToken) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Refresh Token")
		return
	}
	now := s.clock()
	for tok, exp := range s.accessTokens {
		if !now.Before(exp) {
			delete(s.accessTokens, tok)
		}
	}
	access := newToken("fake-at-")
	s.accessTokens[access] = now.Add(accessTokenLifetime)
	s.refreshToken = newToken("fake-rt-")
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":  access,
		"refresh_token": s.refreshToken,
		"expires_in":    accessTokenExpiresIn,
		"token_type":    "Bearer",
	})
}

func (s *Server) authorised(r *http.Request) bool {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return false
	}
	exp, ok := s.accessTokens[h[len(prefix):]]
	return ok && s.clock().Before(exp)
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func newToken(prefix string) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// CurrentRefreshToken is the one refresh token the token endpoint accepts
// now ("" after RevokeRefreshTokens).
func (s *Server) CurrentRefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshToken
}

// RevokeRefreshTokens makes every refresh fail with invalid_grant until
// Reauthorize, as when the user disconnects the app.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshToken = ""
}

// Reauthorize stands for a person authorising the app again: it issues and
// returns a new valid refresh token (the previous one stops working).
func (s *Server) Reauthorize() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshToken = newToken("fake-rt-")
	return s.refreshToken
}

// RevokeAccessTokens makes every issued access token answer 401.
func (s *Server) RevokeAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessTokens = map[string]time.Time{}
}

// ExpireTokens ends every issued access token now, as if its hour had
// passed; the refresh token still works.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	for tok := range s.accessTokens {
		s.accessTokens[tok] = now
	}
}
