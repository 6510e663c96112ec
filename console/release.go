package console

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/plaintext"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/syncrules"
)

// ErrBadRelease: a release without who or why, or with an unknown partner.
var ErrBadRelease = errors.New("console: bad release")

// ReleaseRequest is an analyst's release of one locked record (R-LOCK-3).
type ReleaseRequest struct {
	Conn    string
	Partner syncrules.Partner
	AuvoID  string
	// Who releases it and Why it may be integrated again; both are
	// required and recorded in the record's history.
	Who string
	Why string
}

// Release unlocks a locked record the one way every analyst tool does it
// (the console's form and the runner's release command): who and why are
// cleaned of control characters and trimmed, why is redacted (R-REPORT-2),
// and the store records both in the link's history. Errors from the store
// keep their kind (ledger.ErrNotLocked, ledger.ErrNotFound).
func Release(ctx context.Context, store ledger.LockStore, r ReleaseRequest, now time.Time) error {
	conn := strings.TrimSpace(r.Conn)
	auvoID := strings.TrimSpace(r.AuvoID)
	who := strings.TrimSpace(plaintext.Clean(r.Who))
	why := strings.TrimSpace(plaintext.Clean(r.Why))
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"connection", conn}, {"partner", string(r.Partner)}, {"auvo id", auvoID}, {"who", who}, {"why", why},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s missing", ErrBadRelease, strings.Join(missing, ", "))
	}
	switch r.Partner {
	case syncrules.Omie, syncrules.ContaAzul, syncrules.Bling:
	default:
		return fmt.Errorf("%w: partner %q: want omie, contaazul or bling", ErrBadRelease, r.Partner)
	}
	return store.Release(ctx, conn, string(r.Partner), auvoID, who, syncrules.Redact(why), now)
}
