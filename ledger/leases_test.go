package ledger

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcquireLease_FreeHeldExpired(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	const ttl = 2 * time.Minute
	steps := []struct {
		name   string
		holder string
		at     time.Time
		want   bool
	}{
		{"free lease is taken", "runner-1", t0, true},
		{"held lease is refused", "runner-2", t0.Add(time.Minute), false},
		{"holder extends it", "runner-1", t0.Add(time.Minute), true},
		{"still held after the first ttl", "runner-2", t0.Add(ttl), false},
		{"expired lease is taken over", "runner-2", t0.Add(time.Minute + ttl), true},
		{"old holder lost it", "runner-1", t0.Add(time.Minute + ttl), false},
	}
	for _, step := range steps {
		ok, err := s.AcquireLease(ctx, "acme", step.holder, ttl, step.at)
		require.NoError(t, err, step.name)
		assert.Equal(t, step.want, ok, step.name)
	}
	ok, err := s.AcquireLease(ctx, "beta", "runner-1", ttl, t0)
	require.NoError(t, err)
	assert.True(t, ok, "leases are per connection")
}

func TestReleaseLease(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	ok, err := s.AcquireLease(ctx, "acme", "runner-1", time.Minute, t0)
	require.NoError(t, err)
	require.True(t, ok)

	assert.ErrorIs(t, s.ReleaseLease(ctx, "acme", "runner-2"), ErrLeaseNotHeld, "only the holder releases")
	require.NoError(t, s.ReleaseLease(ctx, "acme", "runner-1"))
	assert.ErrorIs(t, s.ReleaseLease(ctx, "acme", "runner-1"), ErrLeaseNotHeld)

	ok, err = s.AcquireLease(ctx, "acme", "runner-2", time.Minute, t0)
	require.NoError(t, err)
	assert.True(t, ok, "a released lease is free at once")
}

func TestAcquireLease_RejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	_, err := s.AcquireLease(ctx, "acme", "r", 0, t0)
	assert.ErrorContains(t, err, "ttl 0s is not positive")
	_, err = s.AcquireLease(ctx, "acme", "", time.Minute, t0)
	assert.ErrorContains(t, err, "holder is empty")
	_, err = s.AcquireLease(ctx, "acme", "r", time.Minute, time.Time{})
	assert.ErrorContains(t, err, "zero time")
}

func TestAcquireLease_ExactlyOneOfSeveralDatabaseHandlesWins(t *testing.T) {
	path := tempPath(t)
	const contenders = 6
	stores := make([]*SQLite, contenders)
	for i := range stores {
		stores[i] = openAt(t, path)
	}
	for round := range 10 {
		conn := fmt.Sprintf("conn-%d", round)
		won := make([]bool, contenders)
		errs := make([]error, contenders)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Go(func() {
				<-start
				won[i], errs[i] = s.AcquireLease(context.Background(), conn, fmt.Sprintf("runner-%d", i), time.Minute, t0)
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		for i := range stores {
			require.NoError(t, errs[i])
			if won[i] {
				winners++
			}
		}
		assert.Equal(t, 1, winners, "round %d", round)
	}
}
