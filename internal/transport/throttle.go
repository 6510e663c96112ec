package transport

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is one client-side allowance: at most Requests per Per, in bursts of
// at most Burst (default 1), and at most Concurrency requests in flight
// (0 = unlimited).
type Limit struct {
	Requests    int
	Per         time.Duration
	Burst       int
	Concurrency int
}

func (l Limit) limiter() *rate.Limiter {
	if l.Requests <= 0 || l.Per <= 0 {
		return nil
	}
	burst := l.Burst
	if burst <= 0 {
		burst = 1
	}
	return rate.NewLimiter(rate.Limit(float64(l.Requests)/l.Per.Seconds()), burst)
}

// Throttle spaces requests to one vendor account. Every goroutine using the
// clients that share a Throttle shares its allowances. Shared limits apply to
// every request (Auvo's 400/min per IP, Conta Azul's 10/s and 600/min); keyed
// limits apply per request key (Omie's 240/min and 4 in flight per method).
type Throttle struct {
	shared []*gate
	keyed  []Limit

	mu   sync.Mutex
	keys map[string][]*gate
}

type gate struct {
	limiter *rate.Limiter
	slots   chan struct{}
}

func newGate(l Limit) *gate {
	g := &gate{limiter: l.limiter()}
	if l.Concurrency > 0 {
		g.slots = make(chan struct{}, l.Concurrency)
	}
	return g
}

// NewThrottle builds a throttle from shared limits and per-key limits.
func NewThrottle(shared []Limit, perKey []Limit) *Throttle {
	t := &Throttle{keyed: perKey, keys: map[string][]*gate{}}
	for _, l := range shared {
		t.shared = append(t.shared, newGate(l))
	}
	return t
}

func (t *Throttle) gatesFor(key string) []*gate {
	gates := t.shared
	if len(t.keyed) == 0 {
		return gates
	}
	t.mu.Lock()
	kg, ok := t.keys[key]
	if !ok {
		for _, l := range t.keyed {
			kg = append(kg, newGate(l))
		}
		t.keys[key] = kg
	}
	t.mu.Unlock()
	return append(append([]*gate(nil), gates...), kg...)
}

// Acquire waits until a request under key may be sent. The returned release
// must be called when the response has been read. Concurrency slots are
// taken before rate tokens, so a request queued behind the in-flight cap does
// not burn a token it cannot use yet.
func (t *Throttle) Acquire(ctx context.Context, key string) (func(), error) {
	if t == nil {
		return func() {}, nil
	}
	gates := t.gatesFor(key)
	var held []chan struct{}
	release := func() {
		for _, s := range held {
			<-s
		}
		held = nil
	}
	for _, g := range gates {
		if g.slots == nil {
			continue
		}
		select {
		case g.slots <- struct{}{}:
			held = append(held, g.slots)
		case <-ctx.Done():
			release()
			return nil, fmt.Errorf("waiting for a free request slot: %w", ctx.Err())
		}
	}
	for _, g := range gates {
		if g.limiter == nil {
			continue
		}
		if err := g.limiter.Wait(ctx); err != nil {
			release()
			return nil, fmt.Errorf("waiting for the client-side rate limit: %w", err)
		}
	}
	var once sync.Once
	return func() { once.Do(release) }, nil
}

// throttledTransport applies the throttle to every attempt, including
// retries, and keeps the concurrency slot until the body is closed.
type throttledTransport struct {
	next     http.RoundTripper
	throttle *Throttle
	budget   *Budget
}

func (t *throttledTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st := stateFrom(req.Context())
	key := ""
	if st != nil {
		key = st.limitKey
	}
	own, err := t.throttle.Acquire(req.Context(), key)
	if err != nil {
		return nil, err
	}
	shared, err := t.budget.Acquire(req.Context(), key)
	if err != nil {
		own()
		return nil, err
	}
	release := func() { shared(); own() }
	if st != nil && st.authorize != nil {
		value, err := st.authorize(req.Context())
		if err != nil {
			release()
			return nil, &authorizeError{err}
		}
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", value)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

// authorizeError marks a failure to obtain credentials (a refused refresh
// token, say): no HTTP request was sent, and resending cannot help.
type authorizeError struct{ err error }

func (e *authorizeError) Error() string { return e.err.Error() }
func (e *authorizeError) Unwrap() error { return e.err }

// Validate reports a Limit that cannot be enforced. The zero Limit is valid
// and limits nothing.
func (l Limit) Validate() error {
	switch {
	case l.Requests < 0 || l.Per < 0 || l.Burst < 0 || l.Concurrency < 0:
		return fmt.Errorf("negative value in %+v", l)
	case l.Requests > 0 && l.Per == 0:
		return fmt.Errorf("%d requests per zero period", l.Requests)
	}
	return nil
}

// CheckLimits validates the limits a vendor client's WithRateLimit was given
// and drops the zero ones; an empty result means no client-side limit.
func CheckLimits(limits []Limit) ([]Limit, error) {
	var out []Limit
	for _, l := range limits {
		if err := l.Validate(); err != nil {
			return nil, err
		}
		if l != (Limit{}) {
			out = append(out, l)
		}
	}
	return out, nil
}
