// Package auvofake is an in-memory Auvo API v2 server for tests and demos.
//
// Server is an http.Handler: wrap it in httptest.NewServer and point an
// auvo.Client at the URL (with or without the "/v2" prefix). It keeps
// customers in memory and speaks Auvo's wire format from the vendor's API
// Blueprint, quirks included:
//
//   - every success body is wrapped in {"result": ...}; lists carry
//     entityList, pagedSearchReturnData (order as a number) and links whose
//     hrefs use "Customers", "Page", "PageSize" and "Order" capitalised;
//   - the customer name is "description" in GET, list and PUT answers and
//     "name" in POST and PATCH answers; requests may use either key;
//   - the complement is spelt "adressComplement", except in PUT and PATCH
//     answers, which spell it "AdressComplement" (as the Blueprint shows);
//   - timestamps have no zone: "2006-01-02T15:04:05" in São Paulo time, taken
//     from the fake's clock; every write sets dateLastUpdate;
//   - login answers "created"/"expiration" as "2006-01-02 15:04:05"; tokens
//     last 30 minutes on the fake's clock; an unknown api key gets 404, a
//     wrong api token gets 200 with "authenticated": false;
//   - a request without a valid token gets 401 (the real status for an
//     expired token is undocumented; integrators renew and retry once);
//   - the rate limit answers 403 {"error": "Rate limit temporarily exceeded"};
//   - validation errors are 400 {"field": ["message"]}; a malformed
//     paramFilter gets the other documented shape {"message", "target",
//     "errorCode", "errors"};
//   - POST, PUT and PATCH without Content-Type: application/json get 415;
//   - PUT /customers/ upserts by id or externalId (and by CPF/CNPJ when
//     "identifierBycpfCnpj" is true): 200 when it updated, 201 when it
//     created; "replaceData": false merges instead of replacing;
//   - PATCH takes a JSON Patch array; paths work with or without the leading
//     slash ("name" or "/name"; "description" is an alias of "name");
//   - paramFilter keys: id, description (case-insensitive substring),
//     externalId (comma-separated list), cpfCnpj (compared without
//     punctuation, or ignored with WithIgnoredDocumentFilter, as a server
//     that does not know the undocumented key would), active, segmentId, groupId, and creationDate /
//     dateLastUpdate meaning "on or after" (a modified-since filter, which is
//     how integrators use it; the documentation does not say; "strictly
//     after" with WithDateFilterAfter);
//   - a list page with no records, past the last page or because nothing
//     matched, answers 404 with an empty body. Integrators report this and
//     treat it as the end of the list; the documentation does not describe it.
//   - pageSize defaults to 10 and is capped at 100 (WithPageSizeMax); the
//     answer's pagedSearchReturnData.pageSize reports the size applied.
//
// Tests read and change state directly (Seed, Customer, Customers, Update,
// Delete), count requests per endpoint (Calls, WriteCalls) and inject faults
// (FailNext, RateLimitBurst, ExpireTokens, SetDelay, SetRateLimit).
//
// The fake has the shape all four fakes share (docs/vendor-shape.md):
// New(opts ...Option) *Server, WithCredentials (the defaults are the
// exported Default… constants), WithClock, WithRateLimit(on bool) and
// SetRateLimit for the vendor's documented limits, and Update returning
// ErrNotFound for an unknown id.
package auvofake
