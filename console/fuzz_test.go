package console

import (
	"net/url"
	"strings"
	"testing"
)

// A redirect target taken from a form (sign-in's next, a release's back)
// never leaves the site, whatever was typed or forged.
func FuzzLocalPath(f *testing.F) {
	for _, seed := range []string{"/", "/c/acme", "//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)",
		"/c/acme/records/auvo/A1?released=1", "", " /x", "/%2F%2Fevil", "\\\\evil", "/\t/evil.example", "/\n/evil"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		// What a browser makes of it: tabs and line breaks dropped, a
		// backslash read as a slash (WHATWG URL).
		seen := strings.Map(func(r rune) rune {
			switch r {
			case '\t', '\n', '\r':
				return -1
			case '\\':
				return '/'
			}
			return r
		}, got)
		if !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") {
			t.Fatalf("localPath(%q) = %q: not a local absolute path", p, got)
		}
		u, err := url.Parse(got)
		if err == nil && (u.Host != "" || u.Scheme != "") {
			t.Fatalf("localPath(%q) = %q: names host %q, scheme %q", p, got, u.Host, u.Scheme)
		}
	})
}
