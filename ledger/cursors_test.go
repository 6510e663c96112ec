package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCursor_AbsentUntilAdvanced(t *testing.T) {
	s, _ := openTemp(t)
	_, ok, err := s.Cursor(context.Background(), "acme", "omie-to-auvo")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestAdvanceCursor_NeverMovesBackwards(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	steps := []struct {
		advanceTo time.Time
		want      time.Time
	}{
		{t0, t0},
		{t0.Add(10 * time.Minute), t0.Add(10 * time.Minute)},
		{t0.Add(5 * time.Minute), t0.Add(10 * time.Minute)},
		{t0.Add(10 * time.Minute), t0.Add(10 * time.Minute)},
		{t0.Add(10*time.Minute + time.Nanosecond), t0.Add(10*time.Minute + time.Nanosecond)},
	}
	for i, step := range steps {
		require.NoError(t, s.AdvanceCursor(ctx, "acme", "omie-to-auvo", step.advanceTo))
		got, ok, err := s.Cursor(ctx, "acme", "omie-to-auvo")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, step.want, got, "step %d", i)
	}
}

func TestCursor_OnePerConnectionAndFlow(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "omie-to-auvo", t0))
	require.NoError(t, s.AdvanceCursor(ctx, "acme", "auvo-to-omie", t0.Add(time.Hour)))
	require.NoError(t, s.AdvanceCursor(ctx, "beta", "omie-to-auvo", t0.Add(2*time.Hour)))

	for _, tt := range []struct {
		conn, flow string
		want       time.Time
	}{
		{"acme", "omie-to-auvo", t0},
		{"acme", "auvo-to-omie", t0.Add(time.Hour)},
		{"beta", "omie-to-auvo", t0.Add(2 * time.Hour)},
	} {
		got, ok, err := s.Cursor(ctx, tt.conn, tt.flow)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, tt.want, got, "%s/%s", tt.conn, tt.flow)
	}
}

func TestAdvanceCursor_RejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	assert.ErrorContains(t, s.AdvanceCursor(ctx, "acme", "omie-to-auvo", time.Time{}), "zero time")
	assert.ErrorContains(t, s.AdvanceCursor(ctx, "", "omie-to-auvo", t0), "conn is empty")
	assert.ErrorContains(t, s.AdvanceCursor(ctx, "acme", "", t0), "flow is empty")
	_, _, err := s.Cursor(ctx, "acme", "")
	assert.ErrorContains(t, err, "flow is empty")
}
