package flows

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
