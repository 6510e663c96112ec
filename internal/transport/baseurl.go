package transport

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrPlainHTTP matches, with errors.Is, the error CheckBaseURL returns for
// plain http:// to a host that is not loopback.
var ErrPlainHTTP = errors.New("plain http to a non-loopback host")

// InsecureHTTPHint is how a caller of a vendor client lifts the refusal; all
// four clients name their option the same.
const InsecureHTTPHint = "on a test network, the client's WithInsecureHTTP() option allows it"

type plainHTTPError struct{ host string }

func (e *plainHTTPError) Error() string {
	return fmt.Sprintf("must use https: plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8, ::1), not %q, because credentials travel with every request", e.host)
}

func (e *plainHTTPError) Is(target error) bool { return target == ErrPlainHTTP }

// CheckBaseURL accepts an absolute https:// URL, or plain http:// to a
// loopback host (localhost, 127.0.0.0/8, ::1): API keys, client secrets and
// tokens travel with the requests, so anything else would send them
// unencrypted. allowInsecure accepts plain http to any host, for test
// networks. The error reads after the setting's name ("base URL must use
// https: ...") and names the fix; only the plain-http refusal names the
// host (that is the point); never the query string or user info, which may
// hold secrets.
func CheckBaseURL(raw string, allowInsecure bool) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return errors.New("is not an absolute URL (want https://host/path)")
	}
	if u.User != nil {
		return errors.New("must not carry credentials (user info); give them in their own settings")
	}
	if u.RawQuery != "" || u.ForceQuery {
		return errors.New("must not carry a query string")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if allowInsecure || IsLoopback(u.Hostname()) {
			return nil
		}
		return &plainHTTPError{host: u.Hostname()}
	default:
		return fmt.Errorf("must be an https URL, not %q", u.Scheme)
	}
}

// IsLoopback reports whether host (no port) is localhost or a loopback IP
// (127.0.0.0/8, ::1). A name that merely resolves to one (127.0.0.1.nip.io)
// is not: the check must not depend on DNS.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckClientURL is CheckBaseURL for a vendor client's own settings (its
// base URL, its token endpoint): the error starts with what (e.g. "token
// URL"), and a plain-http refusal says how to lift it.
func CheckClientURL(what, raw string, allowInsecure bool) error {
	err := CheckBaseURL(raw, allowInsecure)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrPlainHTTP):
		return fmt.Errorf("%s %w (%s)", what, err, InsecureHTTPHint)
	default:
		return fmt.Errorf("%s %w", what, err)
	}
}
