// Package bling is a client for the contacts (/contatos) of the Bling ERP
// API v3.
//
// Authentication is OAuth2 through internal/oauthtoken: access tokens last 6
// hours, refresh tokens 30 days and rotate on every refresh, so the rotated
// token is saved in a TokenStore before the new access token is used, and
// refreshes are serialised and capped (Bling blocks the IP for an hour after
// 20 token calls in 60 s). A refused refresh token (invalid_grant) becomes a
// *ReauthorizeError.
//
// Limits, all on the injected clock where time matters:
//   - 3 requests per second per account (client-side limiter, WithRateLimit);
//   - 120,000 requests per São Paulo calendar day (WithDailyBudget; read it with
//     Budget; once spent, calls fail with ErrDailyBudgetExhausted without
//     sending anything);
//   - 429 TOO_MANY_REQUESTS is retried after a wait (Retry-After, else 1 s
//     doubling, at most 4 retries);
//   - Bling blocks the IP for 10 minutes after 300 errors in 10 s, so after 20
//     consecutive error responses within 10 s the client stops sending for one
//     minute (ErrCircuitOpen; WithCircuitBreaker changes the numbers).
//
// Query strings are never logged: GET /contatos?numeroDocumento= carries a
// CPF. Personal data that Bling echoes in error messages (CPF, CNPJ,
// e-mail) is masked before it reaches an error string.
//
// # Vendor package shape
//
// This package has the shape of all four vendor packages (auvo, omie,
// contaazul, bling), described in docs/vendor-shape.md: New(opts ...Option)
// (*Client, error) with options that return an error, the common options
// (WithCredentials, WithBaseURL, WithHTTPClient, WithUserAgent, WithLogger,
// WithObserver, WithRateLimit(...Limit), WithClock, WithRetryWait,
// WithMaxRetries, WithInsecureHTTP), the sentinels ErrInvalid,
// ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited,
// ErrBlocked and ErrServer (the same values in every vendor package), the
// types APIError, RateLimitError and NetworkError, Create returning the
// record, and Document as the record's CPF/CNPJ. Bling's own are
// WithDailyBudget, WithCircuitBreaker and WithMaxTokenCalls, beside the
// OAuth options (WithTokenURL, WithRefreshToken, WithTokenStore).
package bling
