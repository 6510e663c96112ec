package omiefake

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Seed stores c as if it had been registered in Omie and returns its code
// (assigned when c.CodigoClienteOmie is 0). Zero Incluido is now on the
// fake clock; zero Alterado is Incluido. Like httptest helpers it panics on
// misuse (a code or integration code already taken); TrySeed returns the
// error instead.
func (s *Server) Seed(c Cliente) int64 {
	code, err := s.TrySeed(c)
	if err != nil {
		panic("omiefake: Seed: " + err.Error())
	}
	return code
}

// TrySeed is Seed returning an error for a taken code or integration code.
// Documents may repeat (Omie holds such registers), unlike through the API.
func (s *Server) TrySeed(c Cliente) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.conflict(&c, 0); err != nil {
		return 0, err
	}
	if c.Incluido.IsZero() {
		c.Incluido = s.now()
	}
	if c.Alterado.IsZero() {
		c.Alterado = c.Incluido
	}
	c.Incluido, c.Alterado = c.Incluido.Truncate(time.Second), c.Alterado.Truncate(time.Second)
	return s.store.insert(c), nil
}

// Cliente returns a copy of the record with code.
func (s *Server) Cliente(code int64) (Cliente, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.store.get(code); c != nil {
		return c.clone(), true
	}
	return Cliente{}, false
}

// FindByIntegracao returns the record with the integration code.
func (s *Server) FindByIntegracao(code string) (Cliente, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.store.byIntegracao(code); c != nil {
		return c.clone(), true
	}
	return Cliente{}, false
}

// FindByDocumento returns the records whose CPF/CNPJ has the same digits.
func (s *Server) FindByDocumento(doc string) []Cliente {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Cliente
	for _, c := range s.store.byDocumento(doc) {
		out = append(out, c.clone())
	}
	return out
}

// Clientes returns copies of every record in code order.
func (s *Server) Clientes() []Cliente {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Cliente, 0, len(s.store.order))
	for _, code := range s.store.order {
		out = append(out, s.store.get(code).clone())
	}
	return out
}

// Len is the number of records.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.store.order)
}

// Update edits a record as a user in Omie's screen would and stamps
// Alterado with the fake clock (unless fn set it itself).
func (s *Server) Update(code int64, fn func(*Cliente)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	existing := s.store.get(code)
	if existing == nil {
		return fmt.Errorf("omiefake: Update: %w: %d", ErrNotFound, code)
	}
	c := existing.clone()
	fn(&c)
	c.CodigoClienteOmie = code
	if c.Alterado.Equal(existing.Alterado) {
		c.Alterado = s.now()
	}
	c.Alterado = c.Alterado.Truncate(time.Second)
	if err := s.store.conflict(&c, code); err != nil {
		return errors.New("omiefake: Update: " + err.Error())
	}
	s.store.replace(code, c)
	return nil
}

// ErrNotFound is returned by Update for a code the fake does not hold.
var ErrNotFound = errors.New("no record with this code")

// Delete removes a record, as a deletion in Omie's screen would.
func (s *Server) Delete(code int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.remove(code)
}

// Calls is the number of requests received for call ("" counts envelopes
// that could not be read), refused ones included.
func (s *Server) Calls(call string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[call]
}

// WriteCalls sums the requests to write methods.
func (s *Server) WriteCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for call, c := range s.calls {
		if writeCalls[call] {
			n += c
		}
	}
	return n
}

// TotalCalls sums every request received.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n
}

// Refused is how many requests for call the fake's own policing refused
// (rate limits, concurrency cap, REDUNDANT); "" sums every call.
func (s *Server) Refused(call string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if call != "" {
		return s.refused[call]
	}
	n := 0
	for _, c := range s.refused {
		n += c
	}
	return n
}

// MaxInFlight is the most concurrent requests for call seen since the last
// ResetCalls.
func (s *Server) MaxInFlight(call string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight[call]
}

// ResetCalls zeroes the request, refusal and in-flight counters.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
	s.refused = map[string]int{}
	s.maxInFlight = map[string]int{}
}

// FailNext makes the next n requests for call ("" = any call) answer
// httpStatus with {faultstring, faultcode} without acting.
func (s *Server) FailNext(call string, n, httpStatus int, faultcode, faultstring string) {
	s.inject(call, n, injection{status: httpStatus, body: faultJSON(faultcode, faultstring), contentType: "application/json"})
}

// FailNextApplied makes the next n requests for call act and then answer
// the fault anyway: a write that succeeded behind an error (Omie's
// REDUNDANT after a write, a lost response).
func (s *Server) FailNextApplied(call string, n, httpStatus int, faultcode, faultstring string) {
	s.inject(call, n, injection{status: httpStatus, body: faultJSON(faultcode, faultstring), contentType: "application/json", afterApply: true})
}

// FailNextRaw makes the next n requests for call answer a raw body (Omie
// sometimes answers an HTML error page).
func (s *Server) FailNextRaw(call string, n, httpStatus int, contentType, body string) {
	s.inject(call, n, injection{status: httpStatus, body: []byte(body), contentType: contentType})
}

func (s *Server) inject(call string, n int, inj injection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.injected[call] = append(s.injected[call], inj)
	}
}

func faultJSON(code, msg string) []byte {
	b, _ := json.Marshal(map[string]string{"faultstring": msg, "faultcode": code})
	return b
}

// Block makes every request answer MISUSE_API_PROCESS for d on the fake
// clock (Omie's ~30 min block); Block(0) lifts it.
func (s *Server) Block(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		s.blockedUntil = time.Time{}
		return
	}
	s.blockedUntil = s.now().Add(d)
}

// Blocked reports whether the key is blocked for misuse now.
func (s *Server) Blocked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now().Before(s.blockedUntil)
}

// SetDelay makes every admitted request take d (holding its concurrency slot).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetLimits replaces the limits mid-test.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = normalise(l)
}

// SetRateLimit turns the per-minute limits on or off mid-test.
func (s *Server) SetRateLimit(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = rateLimitsSwitched(s.limits, on)
}

// SetRedundantCheck turns the REDUNDANT refusals on or off mid-test.
func (s *Server) SetRedundantCheck(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redundantCheck = on
}
