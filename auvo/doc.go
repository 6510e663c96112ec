// Package auvo is a typed client for the customers of the Auvo API v2
// (https://api.auvo.com.br/v2, documented at https://auvoapiv2.docs.apiary.io/).
//
// A Client logs in with POST /login/ (never the GET form, which would put the
// api key and token in URLs), caches the 30-minute access token, renews it
// shortly before it runs out and once more when a call gets 401; concurrent
// callers share one login. Requests are throttled client-side to Auvo's 400
// requests per minute per IP, and Auvo's rate-limit answer (HTTP 403
// {"error":"Rate limit temporarily exceeded"}, or 429) is retried after a
// wait.
//
// Customers are read with List (an iter.Seq2 over every page), Get, and
// written with Create, Upsert (PUT keyed by externalId or id, reporting
// whether it created), Patch (JSON Patch) and Delete. The Customer type
// absorbs Auvo's quirks: the name arrives as "name" or "description", the
// complement as "adressComplement" or "AdressComplement", timestamps carry no
// zone and are São Paulo time.
//
// Errors are *APIError (errors.Is with ErrNotFound, ErrInvalid,
// ErrUnauthorized, ...), *RateLimitError and *NetworkError. Neither errors
// nor log lines ever contain the api key, the api token or an access token.
//
// The auvofake sub-package is an in-memory Auvo server for tests and demos.
//
// # Vendor package shape
//
// This package has the shape of all four vendor packages (auvo, omie,
// contaazul, bling), described in docs/vendor-shape.md: New(opts ...Option)
// (*Client, error) with options that return an error, the common options
// (WithCredentials, WithBaseURL, WithHTTPClient, WithUserAgent, WithLogger,
// WithObserver, WithRateLimit(...Limit), WithClock, WithRetryWait,
// WithMaxRetries, WithInsecureHTTP, WithBudget), the sentinels ErrInvalid,
// ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited,
// ErrBlocked and ErrServer (the same values in every vendor package), the
// types APIError, RateLimitError and NetworkError, Create returning the
// record, and Document as the record's CPF/CNPJ. Auvo's own option is
// WithRateLimitWait; WithLimiter is the deprecated name of WithBudget.
package auvo
