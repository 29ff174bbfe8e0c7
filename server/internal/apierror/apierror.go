// Package apierror is the one vocabulary of the real API's errors: the
// error types (kinds), the HTTP status each is sent with, and the wording
// the API uses when nothing more specific is said. Domain packages return
// a Kind; the server package is the one place that renders it, so the
// table lives here and nowhere else. It needs no HTTP library: statuses
// are plain numbers.
package apierror

// Kind is the value of error.type in the real API's error envelope. Each
// kind is tied to exactly one HTTP status, so nothing can send a 429 that
// says "overloaded_error".
type Kind string

// The error types the real API documents (platform.claude.com/docs/en/api/errors).
const (
	InvalidRequest  Kind = "invalid_request_error"
	Authentication  Kind = "authentication_error"
	Billing         Kind = "billing_error"
	Permission      Kind = "permission_error"
	NotFound        Kind = "not_found_error"
	RequestTooLarge Kind = "request_too_large"
	RateLimit       Kind = "rate_limit_error"
	APIFailure      Kind = "api_error"
	Timeout         Kind = "timeout_error"
	Overloaded      Kind = "overloaded_error"
)

// The HTTP statuses the kinds are sent with, named so the table reads as
// the API's documentation does; 529 is the API's own "overloaded".
const (
	StatusBadRequest          = 400
	StatusUnauthorized        = 401
	StatusPaymentRequired     = 402
	StatusForbidden           = 403
	StatusNotFound            = 404
	StatusRequestTooLarge     = 413
	StatusTooManyRequests     = 429
	StatusInternalServerError = 500
	StatusGatewayTimeout      = 504
	StatusOverloaded          = 529
)

// CreditBalanceTooLow is the real API's wording for an empty prepaid
// balance. It is shared: the credit refusal sends it as a 400
// invalid_request_error, and a billing_error without a message says it too.
const CreditBalanceTooLow = "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."

// entry is one row of the vocabulary.
type entry struct {
	kind    Kind
	status  int
	message string
}

// table is the one table from kind to status and default wording, in the
// order the API documents the kinds (and problems list them).
var table = [...]entry{
	{InvalidRequest, StatusBadRequest, "Invalid request"},
	{Authentication, StatusUnauthorized, "invalid x-api-key"},
	{Billing, StatusPaymentRequired, CreditBalanceTooLow},
	{Permission, StatusForbidden, "Your API key does not have permission to use the specified resource."},
	{NotFound, StatusNotFound, "The requested resource could not be found."},
	{RequestTooLarge, StatusRequestTooLarge, "Request exceeds the maximum size"},
	{RateLimit, StatusTooManyRequests, "Number of requests has exceeded your rate limit. Please try again later."},
	{APIFailure, StatusInternalServerError, "Internal server error"},
	{Timeout, StatusGatewayTimeout, "Request timed out"},
	{Overloaded, StatusOverloaded, "Overloaded"},
}

// lookup is the row of k; the zero row for a kind the API does not have.
func lookup(k Kind) entry {
	for _, e := range table {
		if e.kind == k {
			return e
		}
	}
	return entry{}
}

// Status is the HTTP status k is sent with, 0 for an unknown kind.
func (k Kind) Status() int { return lookup(k).status }

// Message is what the real API says with k when nothing more specific is
// said, "" for an unknown kind.
func (k Kind) Message() string { return lookup(k).message }

// Kinds are the kinds of the real API, in documentation order, so that a
// list of the allowed values reads the same everywhere.
func Kinds() []string {
	names := make([]string, len(table))
	for i, e := range table {
		names[i] = string(e.kind)
	}
	return names
}

// ForStatus is the kind the real API sends with status, so a scenario's
// `status: {code: 404}` needs no type; false for a status no kind has.
func ForStatus(status int) (Kind, bool) {
	for _, e := range table {
		if e.status == status {
			return e.kind, true
		}
	}
	return "", false
}

// The statuses no kind is sent with that ShouldRetry still names: a body
// that came too slowly, and a conflict.
const (
	statusRequestTimeout = 408
	statusConflict       = 409
)

// ShouldRetry is the x-should-retry header the API sends with an error
// status, "" for none. Every recorded 400, 401 and 404 (2025-12 to 2026-08)
// says "false"; 500 and 529, the API's own transient failures, say "true"
// (no recording shows their headers; "true" is what the SDKs do with them
// anyway). A 429 is left to the refusal that sends it: "true" from a
// bucket, "false" for a request larger than the bucket, nothing with the
// spend cap. 408, 409, 502, 503 and 504 (no recording; 502 to 504 usually
// come from proxies in front of an API) carry nothing: the SDKs retry them
// by status.
func ShouldRetry(status int) string {
	switch {
	case status == StatusInternalServerError, status == StatusOverloaded:
		return "true"
	case status == statusRequestTimeout, status == statusConflict, status == StatusTooManyRequests, status >= 500:
		return ""
	case status >= 400:
		return "false"
	}
	return ""
}
