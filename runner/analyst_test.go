package runner

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

// The analyst's operations return typed errors, so the command can choose
// the exit status: *UsageError (2) for what does not exist, *NotLockedError
// (1) for a record that is not locked (R-LOCK-3).
func TestAnalystErrorsSayWhatDoesNotExist_RLOCK3(t *testing.T) {
	ctx := t.Context()
	_, err := OpenAnalyst(ctx, filepath.Join(t.TempDir(), "none.db"), "")
	var ue *UsageError
	require.ErrorAs(t, err, &ue, "a state file that does not exist is not created")
	assert.Contains(t, err.Error(), "state file")

	cfg, auvoID := fakesWithCustomer(t)
	r, err := New(cfg)
	require.NoError(t, err)
	c := r.RunOnce(ctx)
	require.True(t, c.OK(), "%+v", c.Problems)
	require.NoError(t, r.Close())

	a, err := OpenAnalyst(ctx, cfg.State, "")
	require.NoError(t, err)
	defer a.Close()
	err = a.CheckConnection("acmee")
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, err.Error(), `connection "acmee" is not in the state file (known: acme)`)
	_, err = a.Locks(ctx, "acmee")
	assert.ErrorAs(t, err, &ue)

	_, err = a.Explain(ctx, "acme", "999999", 0)
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, err.Error(), "no record with id 999999")
	ex, err := a.Explain(ctx, "acme", auvoID, 0)
	require.NoError(t, err)
	require.Len(t, ex.Outcomes, 1)
	assert.Equal(t, syncrules.Created, syncrules.OutcomeKind(ex.Outcomes[0].Kind))
	require.Len(t, ex.Links, 1, "the link that holds the record, with its history")
	assert.NotEmpty(t, ex.Links[0].History)

	rel := ReleaseRequest{Conn: "acme", Partner: syncrules.Omie, Who: "alice", Why: "test"}
	rel.AuvoID = "999999"
	err = a.Release(ctx, rel, time.Now())
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, err.Error(), "no link for auvo id 999999 with omie")
	rel.AuvoID = auvoID
	var nl *NotLockedError
	require.ErrorAs(t, a.Release(ctx, rel, time.Now()), &nl, "a linked record that is not locked")
	assert.Equal(t, 1, ExitCode(nl))

	err = a.Reauthorize(ctx, "acme", "bling", "token")
	require.ErrorAs(t, err, &ue, "the state file holds no bling token of acme")
	assert.Contains(t, err.Error(), "give -config")
}
