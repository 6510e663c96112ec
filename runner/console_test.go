package runner

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConsoleConfig_PasswordFromTheEnvironment(t *testing.T) {
	cfg, err := ParseConfig([]byte(contractConfig+"console:\n  password: ${CONSOLE_PASSWORD}\n"),
		WithEnv(envOf(merge(contractEnv, map[string]string{"CONSOLE_PASSWORD": "pw-from-env"}))))
	require.NoError(t, err)
	assert.Equal(t, Secret("pw-from-env"), cfg.Console.Password)
	assert.Equal(t, "(redacted)", fmt.Sprint(cfg.Console.Password), "the password prints redacted")

	none, err := ParseConfig([]byte(contractConfig), WithEnv(envOf(contractEnv)))
	require.NoError(t, err)
	assert.Empty(t, none.Console.Password, "no console block: loopback only")
}

func TestConsoleConfig_Problems(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"unset variable": {"console:\n  password: ${CONSOLE_PASSWORD}\n", "console.password is missing (environment variable CONSOLE_PASSWORD is not set)"},
		"unknown key":    {"console: {password: x, user: y}\n", `unknown key "console.user"`},
		"not a mapping":  {"console: secret\n", "console: want a mapping"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseConfig([]byte(contractConfig+tc.yaml), WithEnv(envOf(contractEnv)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
