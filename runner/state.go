package runner

import (
	"context"
	"fmt"
	"os"

	"github.com/auvosync/auvosync/ledger"
)

// The state is opened here and nowhere else: a config's state: value is a
// SQLite file path, or a postgres:// or postgresql:// URL (CONTRACTS.md
// §4) for a state several runner machines share. Errors name a URL
// without its password (the ledger redacts it).

// DefaultState is the state file when the config names none.
const DefaultState = "./auvosync.db"

// State is a state as the runner and the analyst's commands use it, on
// either store.
type State interface {
	ledger.Store
	ledger.ReportStore
	Close() error
}

var (
	_ State = (*ledger.SQLite)(nil)
	_ State = (*ledger.Postgres)(nil)
)

// OpenState opens the state at ref, creating it (a new file, or the schema
// in an empty database) when needed.
func OpenState(ctx context.Context, ref string) (State, error) {
	if ledger.IsPostgresURL(ref) {
		return ledger.OpenPostgres(ctx, ref)
	}
	return ledger.Open(ctx, ref)
}

// openState opens the state a runner works on; closeState closes it.
func openState(ctx context.Context, ref string) (st ledger.Store, closeState func() error, err error) {
	s, err := OpenState(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// OpenExistingState opens a state that must exist already: the analyst's
// commands and the console only read it, and creating an empty one by
// accident would only hide a wrong path (a *UsageError). A PostgreSQL
// database is there when it answers; its schema is brought up to date.
func OpenExistingState(ctx context.Context, ref string) (State, error) {
	if ledger.IsPostgresURL(ref) {
		return ledger.OpenPostgres(ctx, ref)
	}
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
