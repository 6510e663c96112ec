package runner

import (
	"context"
	"fmt"
	"os"

	"github.com/auvosync/auvosync/ledger"
)

// The state is opened here and nowhere else: the config's state: value
// (a SQLite file path today; a postgres:// URL will be switched on here,
// CONTRACTS.md §4).

// DefaultState is the state file when the config names none.
const DefaultState = "./auvosync.db"

// openState opens the state a runner works on; closeState closes it.
func openState(ctx context.Context, ref string) (st ledger.Store, closeState func() error, err error) {
	sq, err := ledger.Open(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	return sq, sq.Close, nil
}

// OpenExistingState opens a state that must exist already: the analyst's
// commands and the console only read it, and creating an empty one by
// accident would only hide a wrong path (a *UsageError).
func OpenExistingState(ctx context.Context, ref string) (*ledger.SQLite, error) {
	if _, err := os.Stat(ref); err != nil {
		return nil, usageErrorf("state file %s: %v", ref, UnwrapPathError(err))
	}
	return ledger.Open(ctx, ref)
}

// UsageError is a request that cannot be met as asked: a state file that
// does not exist, a connection, partner or record the config or the state
// does not have. The runner exits 2 on it.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}
