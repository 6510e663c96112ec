package runner

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/auvosync/auvosync/syncrules"
)

// freeTextKeys are the attributes that may carry text from a vendor (an
// error body, a reason): they are redacted once more before they are
// written (R-REPORT-2). IDs are left alone: a Bling id has 11 digits and
// would otherwise read as a CPF.
var freeTextKeys = map[string]bool{"error": true, "err": true, "reason": true, "evidence": true, "body": true}

// NewLogger is the runner's logger on w: text or json, at level (debug, info,
// warn or error), with free text (errors, reasons) redacted once more
// before it is written.
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{
		Level: lv,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if freeTextKeys[a.Key] {
				switch a.Value.Kind() {
				case slog.KindString:
					return slog.String(a.Key, syncrules.Redact(a.Value.String()))
				case slog.KindAny:
					if err, ok := a.Value.Any().(error); ok {
						return slog.String(a.Key, syncrules.Redact(err.Error()))
					}
				}
			}
			return a
		},
	}
	switch strings.ToLower(format) {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want text or json", format)
}
