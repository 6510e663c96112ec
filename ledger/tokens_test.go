package ledger

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestToken_RotationIsVisibleToAnotherConnectionAtOnce(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	runner := openAt(t, path)
	// A second *sql.DB stands in for the next process: what it reads is what
	// is on disk, not in the first one's memory.
	other := openAt(t, path)

	_, ok, err := runner.LoadToken(ctx, "beta", "contaazul")
	require.NoError(t, err)
	assert.False(t, ok)

	for i := 1; i <= 3; i++ {
		tok := Token{RefreshToken: fmt.Sprintf("refresh-%d", i), AccessToken: fmt.Sprintf("access-%d", i), Expiry: t0.Add(time.Duration(i) * time.Hour)}
		require.NoError(t, runner.SaveToken(ctx, "beta", "contaazul", tok))
		got, ok, err := other.LoadToken(ctx, "beta", "contaazul")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, tok, got)
	}
	_, ok, err = other.LoadToken(ctx, "beta", "bling")
	require.NoError(t, err)
	assert.False(t, ok, "tokens are per vendor")
}

func TestSaveToken_RefusesToForgetTheRefreshToken(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.SaveToken(ctx, "beta", "bling", Token{RefreshToken: "r1"}))

	err := s.SaveToken(ctx, "beta", "bling", Token{AccessToken: "secret-access"})
	assert.ErrorContains(t, err, "refresh token for beta/bling is empty")
	assert.NotContains(t, err.Error(), "secret-access")
	got, _, err := s.LoadToken(ctx, "beta", "bling")
	require.NoError(t, err)
	assert.Equal(t, "r1", got.RefreshToken)
	assert.True(t, got.Expiry.IsZero())
}

func TestToken_NeverPrintsSecrets(t *testing.T) {
	tok := Token{RefreshToken: "r-secret", AccessToken: "a-secret", Expiry: t0}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("token", "tok", tok)
	for _, out := range []string{
		fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok), fmt.Sprintf("%v", &tok), logged.String(),
	} {
		assert.NotContains(t, out, "r-secret")
		assert.NotContains(t, out, "a-secret")
	}
	assert.Contains(t, fmt.Sprint(tok), "redacted")
	assert.Contains(t, fmt.Sprint(Token{}), "empty")
}
