package omie

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/transport"
)

// What Omie's faults mean for the shared sentinels (shared.go):
// ErrUnauthorized, the app key or secret was refused; ErrNotFound, no record
// for the given code; ErrConflict, the integration code or CPF/CNPJ already
// belongs to a record (Fault.ExistingCodigoOmie names it when Omie said);
// ErrBlocked, MISUSE_API_PROCESS, the key is blocked for about 30 minutes
// and is never retried here (stop the run); ErrRateLimited, Omie refused
// before acting (429, concurrency, or a REDUNDANT read) and the same request
// may be sent again after the wait.

// ErrRedundant: Omie answered "consumo redundante" (Client-6, REDUNDANT) or
// "requisição já foi processada" (Client-8020). On a write this does not
// prove the write failed: Fault.Uncertain is set, read back first.
var ErrRedundant = errors.New("omie: redundant request")

// Fault is an error Omie reported for one call. It wraps the transport's
// *APIError (or *RateLimitError), so errors.As reaches those too.
type Fault struct {
	Call    string        // the Omie method, e.g. "IncluirCliente"
	Status  int           // HTTP status (usually 500)
	Code    string        // faultcode, e.g. "SOAP-ENV:Client-5113"
	Message string        // faultstring, scrubbed of credentials and CPF/CNPJ digits
	Wait    time.Duration // how long Omie asked us to wait, when it said
	// ExistingCodigoOmie is the record a duplicate fault points at
	// ("... com o nCod [N]", "... com o Id [N]"), 0 when not given.
	ExistingCodigoOmie int64
	// Uncertain marks a write answered REDUNDANT: it may have been applied.
	Uncertain bool

	redundant bool
	err       error
}

func (f *Fault) Error() string {
	msg := fmt.Sprintf("omie %s: %v", f.Call, f.err)
	if f.Uncertain {
		msg += " (the write may have been applied: read back before sending it again)"
	}
	return msg
}

func (f *Fault) Unwrap() error { return f.err }

// Is matches ErrRedundant; the other sentinels match through the wrapped
// *APIError's kind.
func (f *Fault) Is(target error) bool { return target == ErrRedundant && f.redundant }

const endOfListCode = "Client-5113"

// isEndOfList reports Omie's "Não existem registros para a página [N]!".
func isEndOfList(err error) bool {
	var f *Fault
	return errors.As(err, &f) && (strings.HasSuffix(f.Code, endOfListCode) ||
		strings.Contains(strings.ToLower(f.Message), "não existem registros"))
}

// wrapError turns a transport error for call into a *Fault when it is a
// vendor answer; network and context errors only gain the call name.
func wrapError(call string, write bool, err error) error {
	var api *APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("omie %s: %w", call, err)
	}
	f := &Fault{
		Call:      call,
		Status:    api.Status,
		Code:      api.Code,
		Message:   api.Message,
		Wait:      api.Wait,
		redundant: isRedundant(api.Code, api.Message),
		err:       err,
	}
	f.Uncertain = write && f.redundant
	if api.Kind == transport.KindConflict {
		f.ExistingCodigoOmie = existingCode(api.Message)
	}
	return f
}

var existingCodeRE = regexp.MustCompile(`(?i)(?:\bnCod\w*|\bId|c[óo]digo(?: do cliente| omie)?)\s*:?\s*\[(\d+)\]`)

// existingCode finds the record a duplicate fault names:
// "Cliente já cadastrado para o Código de Integração [X] com o nCod [N] !",
// "Cliente já cadastrado para o CPF/CNPJ [D] com o Id [N] e código de integração [X]".
func existingCode(msg string) int64 {
	for _, m := range existingCodeRE.FindAllStringSubmatch(msg, -1) {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// faultBody is Omie's error envelope.
type faultBody struct {
	FaultString string `json:"faultstring"`
	FaultCode   string `json:"faultcode"`
}

func parseFault(body []byte) (faultBody, bool) {
	var f faultBody
	if err := json.Unmarshal(body, &f); err != nil {
		return faultBody{}, false
	}
	return f, f.FaultString != "" || f.FaultCode != ""
}

func isRedundant(code, msg string) bool {
	lower := strings.ToLower(msg)
	return faultNumber(code) == 6 || faultNumber(code) == 8020 ||
		strings.Contains(code, "REDUNDANT") || strings.Contains(msg, "REDUNDANT") ||
		strings.Contains(lower, "redundante") || strings.Contains(lower, "já foi processada")
}

// faultNumber is n in "SOAP-ENV:Client-n" (-1 if there is none).
func faultNumber(code string) int {
	i := strings.LastIndex(code, "Client-")
	if i < 0 {
		return -1
	}
	n, err := strconv.Atoi(code[i+len("Client-"):])
	if err != nil {
		return -1
	}
	return n
}

var documentInMessage = regexp.MustCompile(`(?i)(CPF/CNPJ\s*\[)([^\]]*)(\])`)

// scrubber removes what must never reach an error or a log: the app key and
// secret (in case a fault echoes them) and the CPF/CNPJ Omie quotes in
// duplicate faults.
type scrubber struct{ secrets []string }

func (s scrubber) scrub(msg string) string {
	for _, secret := range s.secrets {
		if secret != "" {
			msg = strings.ReplaceAll(msg, secret, "[redacted]")
		}
	}
	return documentInMessage.ReplaceAllStringFunc(msg, func(m string) string {
		parts := documentInMessage.FindStringSubmatch(m)
		return parts[1] + maskDigits(parts[2]) + parts[3]
	})
}

// maskDigits keeps the last two digits of a document, enough to tell records
// apart in a report.
func maskDigits(doc string) string {
	digits := 0
	for _, r := range doc {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	var b strings.Builder
	seen := 0
	for _, r := range doc {
		if r >= '0' && r <= '9' {
			seen++
			if seen <= digits-2 {
				b.WriteByte('*')
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

var retryAtRE = regexp.MustCompile(`(\d{1,2}):(\d{2}):(\d{2})`)

// waitUntilClock reads Client-8020's "tente novamente às [hh:mm:ss]"
// (São Paulo time) as a wait from now.
func waitUntilClock(msg string, now time.Time) (time.Duration, bool) {
	m := retryAtRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	s, _ := strconv.Atoi(m[3])
	if h > 23 || mi > 59 || s > 59 {
		return 0, false
	}
	local := now.In(SaoPaulo)
	at := time.Date(local.Year(), local.Month(), local.Day(), h, mi, s, 0, SaoPaulo)
	wait := at.Sub(local)
	if wait < -12*time.Hour { // the time is past midnight
		wait += 24 * time.Hour
	}
	if wait <= 0 {
		wait = time.Second
	}
	return wait.Truncate(time.Second) + time.Second, true
}

// classifier reads Omie responses. read is true for ListarClientes and
// ConsultarCliente, whose REDUNDANT answers are refusals that may be resent;
// for writes the same answer may hide an applied write.
type classifier struct {
	read  bool
	now   func() time.Time
	clean scrubber
}

func (c classifier) classify(r *transport.Response) transport.Verdict {
	v := transport.DefaultClassify(r)
	fault, ok := parseFault(r.Body)
	if !ok {
		if v.Failed && v.Message == "" {
			v.Message = nonJSONMessage(r)
		}
		return v
	}
	msg := c.clean.scrub(strings.TrimSpace(fault.FaultString))
	lower := strings.ToLower(msg)
	v = transport.Verdict{Failed: true, Code: fault.FaultCode, Message: msg}
	wait, hasWait := transport.SecondsIn(msg)
	if !hasWait {
		wait = transport.RetryAfter(r.Header)
	}
	n := faultNumber(fault.FaultCode)
	switch {
	case strings.Contains(fault.FaultCode, "MISUSE_API_PROCESS") || strings.Contains(lower, "consumo indevido"):
		// Half an hour is beyond any in-process wait: refuse at once so the
		// run stops and the next one starts after the block.
		v.Kind, v.RateLimited, v.Retry, v.Wait = transport.KindBlocked, true, false, wait
	case isRedundant(fault.FaultCode, msg):
		if !hasWait {
			if w, ok := waitUntilClock(msg, c.now()); ok {
				wait = w
			} else {
				wait = time.Minute
			}
		}
		v.Wait, v.Retry, v.Redundant = wait, true, true
		if c.read {
			v.Kind, v.RateLimited = transport.KindRateLimited, true
		} else {
			// Not RateLimited: only an idempotent write (UpsertCliente) is resent.
			v.Kind = transport.KindOther
		}
	case r.Status == http.StatusTooManyRequests || n == 1880 || strings.Contains(lower, "too many"):
		v.Kind, v.RateLimited, v.Retry, v.Wait = transport.KindRateLimited, true, true, wait
	case n == 5113 || strings.Contains(lower, "não existem registros"):
		v.Kind = transport.KindNotFound
	case strings.Contains(lower, "chave de acesso") || strings.Contains(lower, "app_key") || strings.Contains(lower, "app_secret"):
		v.Kind = transport.KindUnauthorized
	case strings.Contains(lower, "já cadastrad") || strings.Contains(lower, "já existe") || strings.Contains(lower, "já possui"):
		v.Kind = transport.KindConflict
	case strings.Contains(lower, "não cadastrad") || strings.Contains(lower, "não encontrad") || strings.Contains(lower, "não existe"):
		v.Kind = transport.KindNotFound
	case strings.Contains(fault.FaultCode, "Client"):
		v.Kind = transport.KindInvalid
	default:
		// SOAP-ENV:Server and the like: Omie's instability. Reads may retry.
		v.Kind, v.Retry = transport.KindServer, true
	}
	return v
}

// nonJSONMessage describes an error body that is not Omie's JSON (an HTML
// error page) without quoting it.
func nonJSONMessage(r *transport.Response) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "unknown content type"
	}
	return fmt.Sprintf("non-JSON error body (%s, %d bytes)", ct, len(r.Body))
}
