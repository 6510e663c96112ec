// Package contaazul is a typed client for the Conta Azul API
// (https://api-v2.contaazul.com), limited to what a customer sync needs:
// the people ("pessoas") endpoints and the OAuth2 refresh-token flow on
// auth.contaazul.com (on {base}/oauth2/token when WithBaseURL points at a
// proxy or a fake; see TokenURLFor).
//
// Conta Azul rotates the refresh token on every refresh, so the client takes
// a TokenStore and saves each new refresh token before it uses the matching
// access token; refreshes are serialised across goroutines, and a refused
// refresh token (invalid_grant) becomes a *ReauthorizeError instead of a
// retry loop. Requests are throttled to 10 per second and 600 per minute per
// client (one client per connected company); a 429 is retried after a wait.
//
// Conta Azul returns people in two shapes: list items (perfis as upper-case
// strings, one telefone, one endereco object) and details (perfis as objects,
// enderecos[], telefone_comercial and telefone_celular). Both decode into
// Person; Person.Summary says which shape it came from.
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
// record, and Document as the record's CPF/CNPJ. Conta Azul's own are the
// OAuth options (WithTokenURL, WithRefreshToken, WithTokenStore).
package contaazul
