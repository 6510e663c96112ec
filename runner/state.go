package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
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
// database must hold a state already (the same *UsageError if not).
func OpenExistingState(ctx context.Context, ref string) (State, error) {
	if ledger.IsPostgresURL(ref) {
		st, err := ledger.OpenExistingPostgres(ctx, ref)
		if errors.Is(err, ledger.ErrNoState) {
			return nil, usageErrorf("state %v", err)
		}
		return st, err
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

// MigrateState copies the whole state at from (which must exist) into a new
// state at to: an empty PostgreSQL database or schema, or a SQLite file that
// does not exist yet. Both may name ${VAR}s, so a password need not be on
// the command line. Stop every runner on from first. It returns the rows
// copied per table, verified against both states.
func MigrateState(ctx context.Context, from, to string, getenv func(string) string) (ledger.CopyCounts, error) {
	var unset []string
	for _, ref := range []*string{&from, &to} {
		var missing []string
		*ref, missing = expand(*ref, getenv)
		unset = append(unset, missing...)
	}
	if len(unset) > 0 {
		return nil, usageErrorf("migrate-state: environment variable(s) %v are unset or empty", unset)
	}
	if from == "" || to == "" {
		return nil, usageErrorf("migrate-state: both -from and -to are required")
	}
	if from == to {
		return nil, usageErrorf("migrate-state: -from and -to name the same state")
	}
	src, err := OpenExistingState(ctx, from)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if !ledger.IsPostgresURL(to) {
		if _, err := os.Stat(to); err == nil {
			return nil, usageErrorf("migrate-state: %s already exists; copy only into a new state", to)
		}
	}
	dst, err := OpenState(ctx, to)
	if err != nil {
		return nil, err
	}
	counts, err := ledger.Copy(ctx, src, dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, ledger.ErrTargetNotEmpty) {
		return nil, usageErrorf("migrate-state: %s: %v", StateName(to), err)
	}
	if err != nil {
		return counts, err
	}
	// A runner still writing to from would lose what it wrote after the
	// snapshot.
	after, err := ledger.CountRows(ctx, src)
	if err != nil {
		return counts, err
	}
	if !maps.Equal(after, counts) {
		return counts, fmt.Errorf("migrate-state: %s was written to while copying (rows now %v, copied %v); stop every runner on it and copy again into a new state",
			StateName(from), after, counts)
	}
	return counts, nil
}

// StateName names a state in messages: a file path as it is, a PostgreSQL
// URL without its password.
func StateName(ref string) string {
	if ledger.IsPostgresURL(ref) {
		return ledger.RedactPostgresURL(ref)
	}
	return ref
}
