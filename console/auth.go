package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"
)

const (
	sessionCookie = "auvosync_console"
	// signInCookie binds the sign-in form's CSRF token to the browser
	// before there is a session.
	signInCookie = "auvosync_console_signin"
	csrfField    = "csrf"
)

// Sign-in attempts are refused for a while after this many failures in
// failureWindow, so the password cannot be guessed at network speed.
const (
	maxFailures   = 5
	failureWindow = time.Minute
)

type session struct {
	csrf    string
	expires time.Time
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// currentSession returns the request's live session, extending it.
func (h *Handler) currentSession(r *http.Request) (*session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, false
	}
	now := h.set.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, s := range h.sessions {
		if now.After(s.expires) {
			delete(h.sessions, id)
		}
	}
	s, ok := h.sessions[c.Value]
	if !ok {
		return nil, false
	}
	s.expires = now.Add(h.set.sessionTTL)
	return s, true
}

// maxSessions bounds the memory sessions take: past it, the session that
// would expire first makes room.
const maxSessions = 1000

func (h *Handler) newSession(w http.ResponseWriter, r *http.Request) *session {
	id := randomToken()
	s := &session{csrf: randomToken(), expires: h.set.now().Add(h.set.sessionTTL)}
	h.mu.Lock()
	if len(h.sessions) >= maxSessions {
		var oldest string
		for k, v := range h.sessions {
			if oldest == "" || v.expires.Before(h.sessions[oldest].expires) {
				oldest = k
			}
		}
		delete(h.sessions, oldest)
	}
	h.sessions[id] = s
	h.mu.Unlock()
	h.setCookie(w, r, sessionCookie, id, 0)
	return s
}

// authed serves next to a signed-in session, and checks every POST's CSRF
// token. Without a password a loopback browser gets a session on its first
// page, so its forms carry a token too.
func (h *Handler) authed(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.currentSession(r)
		if !ok {
			switch {
			case r.Method != http.MethodGet && r.Method != http.MethodHead:
				h.fail(w, r, http.StatusForbidden, "Your session has expired. Reload the page and try again.")
				return
			case h.set.password != "":
				http.Redirect(w, r, "/signin?next="+localPath(r.URL.RequestURI()), http.StatusSeeOther)
				return
			default:
				s = h.newSession(w, r)
			}
		}
		if r.Method == http.MethodPost && !h.parseForm(w, r) {
			return
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue(csrfField), s.csrf) {
			h.log.Warn("console: refused a POST without a valid CSRF token", "route", r.URL.Path)
			h.fail(w, r, http.StatusForbidden, "The form's security token is missing or stale. Reload the page and try again.")
			return
		}
		next(w, r, s)
	}
}

// parseForm reads a POST's form, answering 413 or 400 when it cannot.
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm()
	if err == nil {
		return true
	}
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
		h.fail(w, r, http.StatusRequestEntityTooLarge, "The form is too large.")
	} else {
		h.fail(w, r, http.StatusBadRequest, "The form could not be read.")
	}
	return false
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// localPath keeps a redirect target on this site: an absolute path that
// is not scheme-relative ("//evil.example"). Browsers drop tabs and line
// breaks from a URL and read a backslash as a slash, so "/\t/evil.example"
// would become "//evil.example": a target with either is refused.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	return p
}

type signInView struct {
	Token, Next, Problem string
}

func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request) {
	if h.set.password == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	token := randomToken()
	h.setCookie(w, r, signInCookie, token, 600)
	h.render(w, r, http.StatusOK, "signin", nil, signInView{Token: token, Next: localPath(r.URL.Query().Get("next"))})
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	if h.set.password == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	c, err := r.Cookie(signInCookie)
	if err != nil || !sameToken(r.PostFormValue(csrfField), c.Value) {
		h.fail(w, r, http.StatusForbidden, "The sign-in form's security token is missing or stale. Reload the page and try again.")
		return
	}
	next := localPath(r.PostFormValue("next"))
	if !h.allowAttempt() {
		h.log.Warn("console: sign-in refused: too many failed attempts", "remote", r.RemoteAddr)
		h.render(w, r, http.StatusTooManyRequests, "signin", nil,
			signInView{Token: c.Value, Next: next, Problem: "Too many failed attempts. Wait a minute and try again."})
		return
	}
	if !h.passwordMatches(r.PostFormValue("password")) {
		h.recordFailure()
		h.log.Warn("console: sign-in failed: wrong password", "remote", r.RemoteAddr)
		h.render(w, r, http.StatusUnauthorized, "signin", nil, signInView{Token: c.Value, Next: next, Problem: "Wrong password."})
		return
	}
	h.setCookie(w, r, signInCookie, "", -1)
	h.newSession(w, r)
	h.log.Info("console: signed in", "remote", r.RemoteAddr)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// passwordMatches compares digests in constant time, so neither the
// password's content nor its length shows in the timing.
func (h *Handler) passwordMatches(given string) bool {
	a, b := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(h.set.password))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func (h *Handler) allowAttempt() bool {
	now := h.set.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	recent := h.failures[:0]
	for _, t := range h.failures {
		if now.Sub(t) < failureWindow {
			recent = append(recent, t)
		}
	}
	h.failures = recent
	return len(recent) < maxFailures
}

func (h *Handler) recordFailure() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures = append(h.failures, h.set.now())
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request, _ *session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		h.mu.Lock()
		delete(h.sessions, c.Value)
		h.mu.Unlock()
	}
	h.setCookie(w, r, sessionCookie, "", -1)
	target := "/signin"
	if h.set.password == "" {
		target = "/"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
