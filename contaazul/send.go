package contaazul

import (
	"context"
	"errors"
	"sync"

	"github.com/auvosync/auvosync/internal/transport"
)

// send runs one logical call. It gets a token first, so a refused refresh
// token surfaces as *ReauthorizeError instead of a transport-level failure
// that the retry loop would repeat. A 401 means the access token died early
// (revoked, clock skew): the token is dropped and the call sent once more;
// a second 401 is returned. Resending a create after a 401 is safe: the API
// refused it before acting.
func (c *Client) send(ctx context.Context, req transport.Request) (*transport.Response, error) {
	if _, err := c.tokens.Token(ctx); err != nil {
		return nil, err
	}
	resp, used, err := c.attempt(ctx, req)
	if err == nil || !errors.Is(err, ErrUnauthorized) || used == "" {
		return resp, err
	}
	c.logger.WarnContext(ctx, "access token refused; refreshing and retrying once",
		"vendor", Vendor, "method", req.Method, "path", req.Path)
	c.tokens.Invalidate(used)
	if _, err := c.tokens.Token(ctx); err != nil {
		return nil, err
	}
	resp, _, err = c.attempt(ctx, req)
	return resp, err
}

// attempt returns the access token the last attempt carried, so a 401
// invalidates that one and not a token another goroutine just fetched. A
// token that cannot be had (a refused refresh token) comes back from the
// transport as it is, unretried.
func (c *Client) attempt(ctx context.Context, req transport.Request) (*transport.Response, string, error) {
	var (
		mu   sync.Mutex
		used string
	)
	req.Authorize = func(ctx context.Context) (string, error) {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return "", err
		}
		mu.Lock()
		used = tok.AccessToken
		mu.Unlock()
		return "Bearer " + tok.AccessToken, nil
	}
	resp, err := c.http.Do(ctx, req)
	mu.Lock()
	defer mu.Unlock()
	return resp, used, err
}
