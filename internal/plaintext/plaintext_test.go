package plaintext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestCleanReplacesControlRunsWithOneSpace(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"clean text is kept", "Rua Augusta, 100 - Consolação", "Rua Augusta, 100 - Consolação"},
		{"carriage return", "A 0\r 0,AlmAs TO", "A 0  0,AlmAs TO"},
		{"CRLF is one break", "Rua X, 10\r\nCentro", "Rua X, 10 Centro"},
		{"tab", "Rua X,\t10", "Rua X, 10"},
		{"NUL and DEL", "a\x00b\x7fc", "a b c"},
		{"C1 control", "a\u0085b", "a b"},
		{"invalid UTF-8 byte", "S\xe3o Paulo", "S\uFFFDo Paulo"},
		{"leading and trailing controls are spaces, not trimmed", "\nabc\t", " abc "},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Clean(tt.in))
			assert.True(t, IsClean(Clean(tt.in)))
			assert.Equal(t, tt.in == tt.want, IsClean(tt.in))
		})
	}
}

func TestProblemNamesWhatAndWhere(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Rua X", ""},
		{"Rua X\n10", "has a line break at character 6"},
		{"Ção\t", "has a tab at character 4"},
		{"ab\x01", "has a control character at character 3"},
		{"S\xe3o", "is not valid UTF-8 at character 2"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Problem(tt.in), "%q", tt.in)
	}
}

func TestCleanOfCleanStringDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("Avenida Paulista, 1578 - Bela Vista ", 4)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Clean(s) }))
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "A 0\r 0,AlmAs TO", "S\xe3o", "a\u0085b\r\n\t", "Rua Ação"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q is not UTF-8", s, c)
		}
		for _, r := range c {
			if unicode.IsControl(r) {
				t.Fatalf("Clean(%q) = %q keeps a control character", s, c)
			}
		}
		if Clean(c) != c {
			t.Fatalf("Clean is not idempotent on %q", s)
		}
		if IsClean(s) != (c == s) || IsClean(s) != (Problem(s) == "") {
			t.Fatalf("IsClean, Problem and Clean disagree on %q", s)
		}
	})
}
