package syncrules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/syncrules"
)

func TestSplitEmails(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"joao@empresa.com.br", []string{"joao@empresa.com.br"}},
		{"a@x.com, b@y.com", []string{"a@x.com", "b@y.com"}},
		{" a@x.com;b@y.com ;; ", []string{"a@x.com", "b@y.com"}},
		{"a@x.com b@y.com\nc@z.com", []string{"a@x.com", "b@y.com", "c@z.com"}},
		{"Joao@Empresa.com, joao@empresa.COM", []string{"Joao@Empresa.com"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.SplitEmails(tt.in), tt.in)
	}
}

func TestCleanAndJoinEmails(t *testing.T) {
	// Auvo keeps an array whose items sometimes hold several addresses.
	auvo := []string{"a@x.com", " b@y.com; c@z.com ", "", "A@X.com"}
	assert.Equal(t, []string{"a@x.com", "b@y.com", "c@z.com"}, syncrules.CleanEmails(auvo))
	// Conta Azul keeps one comma-separated string.
	assert.Equal(t, "a@x.com, b@y.com, c@z.com", syncrules.JoinEmails(auvo))
	assert.Equal(t, "", syncrules.JoinEmails(nil))
}

func TestValidEmail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"joao@empresa.com.br", true},
		{"j.silva+nf@sub.empresa.com", true},
		{"joao@empresa", false},
		{"@empresa.com", false},
		{"joao@", false},
		{"joao", false},
		{"joao@@empresa.com", false},
		{"jo ao@empresa.com", false},
		{"a@x.com,b@y.com", false},
		{"joao@empresa..com", false},
		{"joao@-empresa.com", false},
		{"joao@empresa-.com", false},
		{"<joao@empresa.com>", false},
		{"", false},
		{string(make([]byte, 255)) + "@x.com", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.ValidEmail(tt.in), tt.in)
	}
}
