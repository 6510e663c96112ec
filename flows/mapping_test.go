package flows

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit"
	"github.com/auvosync/auvosync/syncrules"
)

func TestFindByDocumentTriesTheOtherSpellingOnlyWhenTheFirstFindsNothing(t *testing.T) {
	stored := map[string][]Record{
		"529.982.247-25": {{Customer: syncrules.Customer{ID: "7", Document: "529.982.247-25"}}},
	}
	var asked []string
	query := func(form string) ([]Record, error) { asked = append(asked, form); return stored[form], nil }

	got, err := findByDocument(t.Context(), "Test", "52998224725", false, query)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, []string{"52998224725", "529.982.247-25"}, asked, "digits first, then the formatted spelling")

	asked = nil
	_, err = findByDocument(t.Context(), "Test", "52998224725", true, query)
	require.NoError(t, err)
	assert.Equal(t, []string{"529.982.247-25"}, asked, "found on the first spelling: one call")

	asked = nil
	got, err = findByDocument(t.Context(), "Test", "11144477735", false, query)
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Len(t, asked, 2)

	boom := errors.New("down")
	_, err = findByDocument(t.Context(), "Test", "52998224725", false, func(string) ([]Record, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)
}

func TestFindByDocumentKeepsOnlyExactDocumentMatches(t *testing.T) {
	got, err := findByDocument(t.Context(), "Test", "52998224725", false, func(string) ([]Record, error) {
		return []Record{
			{Customer: syncrules.Customer{ID: "1", Document: "529.982.247-25"}},
			{Customer: syncrules.Customer{ID: "2", Document: "111.444.777-35"}}, // a server's loose match
		}, nil
	})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "1", got[0].ID)
}

// A server that ignores the document filter is warned about once per run
// and vendor, not once per record (issue 13 §5).
func TestAnIgnoredDocumentFilterIsWarnedOncePerRun(t *testing.T) {
	var log testkit.Buffer
	r := &run{log: slog.New(slog.NewTextHandler(&log, nil))}
	ctx := withFilterIgnored(t.Context(), r.warnFilterIgnored)
	loose := func(string) ([]Record, error) {
		return []Record{{Customer: syncrules.Customer{ID: "2", Document: "111.444.777-35"}}}, nil
	}
	for range 3 {
		got, err := findByDocument(ctx, "Auvo", "52998224725", false, loose)
		require.NoError(t, err)
		assert.Empty(t, got, "the other document's record is dropped")
	}
	_, err := findByDocument(ctx, "Conta Azul", "52998224725", false, loose)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(log.String(), "vendor=Auvo"), log.String())
	assert.Equal(t, 1, strings.Count(log.String(), `vendor="Conta Azul"`), log.String())
}
