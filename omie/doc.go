// Package omie is a typed client for the customer register of the Omie ERP
// (https://app.omie.com.br/api/v1/geral/clientes/).
//
// Omie is SOAP underneath and speaks JSON through one envelope,
// {call, app_key, app_secret, param:[{...}]}, POSTed to the service URL. The
// app secret therefore travels in every request body: this package never
// logs a body, and every fault message is scrubbed of the credentials
// before it reaches an error.
//
// Omie polices its consumers hard: 960 requests a minute per IP, 240 a minute
// and 4 at once per method and app key, the same record consulted twice
// within 60 s is refused as REDUNDANT, and repeated refusals block the key
// for about half an hour (MISUSE_API_PROCESS). The client keeps inside these
// limits by itself (see DefaultLimits, WithRateLimit and
// WithMethodRateLimit), remembers the answers of ConsultarCliente for 60 s
// instead of asking again, and never retries a misuse block: the caller
// gets an error matching ErrBlocked and should stop the run.
//
// Faults come as {faultstring, faultcode}, usually with HTTP 500, sometimes
// with 200 or 403; every such body is an error. Errors wrap the shared
// transport types, so errors.As(err, new(*omie.APIError)) and
// errors.As(err, new(*omie.Fault)) both work, and errors.Is matches the
// sentinels ErrUnauthorized, ErrNotFound, ErrConflict, ErrRedundant,
// ErrBlocked and ErrRateLimited.
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
// record, and Document as the record's CPF/CNPJ. Omie's own are
// WithMethodRateLimit (each method's allowance and in-flight cap) and
// WithWriteConcurrency; its methods keep the names of Omie's calls, with
// Create on top of IncluirCliente.
package omie
