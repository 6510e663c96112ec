package ledger

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRows is a result set of rows of values, failing where told.
type fakeRows struct {
	rows    [][]any
	next    int
	scanErr error
	err     error
}

func (f *fakeRows) Next() bool { f.next++; return f.next <= len(f.rows) }
func (f *fakeRows) Err() error { return f.err }

func (f *fakeRows) Scan(dest ...any) error {
	if f.scanErr != nil {
		return f.scanErr
	}
	for i, v := range f.rows[f.next-1] {
		switch d := dest[i].(type) {
		case *int64:
			*d = v.(int64)
		case *int:
			*d = v.(int)
		case *string:
			*d = v.(string)
		case *bool:
			*d = v.(bool)
		}
	}
	return nil
}

func runRow(id int64, counts string) []any {
	return []any{id, "c1", "omie-out", true, time.Unix(5, 0).UnixNano(), int64(0), counts, "", "", -1}
}

func TestCollectScansEveryRowAndConvertsNanosecondTimes(t *testing.T) {
	runs, err := collect(&fakeRows{rows: [][]any{runRow(1, `{"created":2}`), runRow(2, `{}`)}}, scanRun, wrapf("read runs"))
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.Equal(t, Run{ID: 1, Conn: "c1", Flow: "omie-out", DryRun: true, StartedAt: time.Unix(5, 0).UTC(),
		Counts: map[string]int{"created": 2}, Remaining: -1}, runs[0])
	assert.True(t, runs[1].EndedAt.IsZero(), "0 ns is the zero time")
}

func TestCollectOfNoRowsIsNil(t *testing.T) {
	links, err := collect(&fakeRows{}, scanLink, wrapf("read links"))
	require.NoError(t, err)
	assert.Nil(t, links)
}

func TestCollectWrapsReadFailuresButNotCorruptStoredData(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		rows *fakeRows
		want string
	}{
		{"scan failure", &fakeRows{rows: [][]any{runRow(1, `{}`)}, scanErr: boom}, "ledger: read runs: boom"},
		{"iteration failure", &fakeRows{err: boom}, "ledger: read runs: boom"},
		{"corrupt counts", &fakeRows{rows: [][]any{runRow(7, `{`)}}, "ledger: run 7 has corrupt counts: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := collect(tt.rows, scanRun, wrapf("read runs"))
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestRelinkRecordsWhatChanged(t *testing.T) {
	at := time.Unix(100, 0).UTC()
	now := at.Add(time.Hour)
	old := Link{Conn: "c", Partner: "omie", AuvoID: "a1", PartnerID: "p1", DocHash: "h1", State: LinkLive, LinkedAt: at, UpdatedAt: at}
	tests := []struct {
		name        string
		old         Link
		given       Link
		wantKind    EventKind
		wantChanged bool
		wantLinked  time.Time
	}{
		{"same link", old, Link{PartnerID: "p1"}, "", false, at},
		{"new partner id", old, Link{PartnerID: "p2"}, EventRelinked, true, now},
		{"live again after a release", func() Link { l := old; l.State = LinkReleased; return l }(), Link{PartnerID: "p1"}, EventRelinked, true, now},
		{"new document hash", old, Link{PartnerID: "p1", DocHash: "h2"}, EventChanged, true, at},
		{"echo hash only", old, Link{PartnerID: "p1", AuvoHash: "e"}, "", true, at},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, kind, changed := relink(tt.old, tt.given, now)
			assert.Equal(t, tt.wantKind, kind)
			assert.Equal(t, tt.wantChanged, changed)
			assert.Equal(t, tt.wantLinked, next.LinkedAt)
			if changed {
				assert.Equal(t, LinkLive, next.State)
				assert.Equal(t, now, next.UpdatedAt)
			}
		})
	}
}
