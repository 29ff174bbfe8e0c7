package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// ErrorType is the value of error.type in the real API's error envelope.
// Each one is tied to exactly one HTTP status by the vocabulary in
// internal/apierror, so a handler can never send a 429 that says
// "overloaded_error". It is a type of its own, not an alias, so the public
// API names no internal type.
type ErrorType string

// The error types the real API documents (platform.claude.com/docs/en/api/errors),
// as apierror defines them.
const (
	InvalidRequest  = ErrorType(apierror.InvalidRequest)
	Authentication  = ErrorType(apierror.Authentication)
	Billing         = ErrorType(apierror.Billing)
	Permission      = ErrorType(apierror.Permission)
	NotFound        = ErrorType(apierror.NotFound)
	RequestTooLarge = ErrorType(apierror.RequestTooLarge)
	RateLimit       = ErrorType(apierror.RateLimit)
	APIFailure      = ErrorType(apierror.APIFailure)
	Timeout         = ErrorType(apierror.Timeout)
	Overloaded      = ErrorType(apierror.Overloaded)
)

// status is the HTTP status the type is sent with.
func (t ErrorType) status() int { return apierror.Kind(t).Status() }

// message is what the real API says with the type when nothing more
// specific is said.
func (t ErrorType) message() string { return apierror.Kind(t).Message() }

// APIError is a failure as the client will see it: an error type, a message
// in the real API's wording, and optional details. Handlers return it as a Go
// error; renderError is the only place that writes it to the wire.
type APIError struct {
	Type    ErrorType
	Message string
	// Status overrides the table when the real API uses an unusual status
	// for a type (e.g. 405 for a wrong method). Zero means "from the table".
	Status int
	// Details is sent as error.details when non-nil.
	Details map[string]string
}

// Error makes APIError a Go error so handlers can simply return it.
func (e *APIError) Error() string { return string(e.Type) + ": " + e.Message }

// StatusCode is the HTTP status the error is sent with.
func (e *APIError) StatusCode() int {
	if e.Status != 0 {
		return e.Status
	}
	return e.Type.status()
}

// invalid builds the common 400 whose message names the offending field.
func invalid(format string, args ...any) *APIError {
	return &APIError{Type: InvalidRequest, Message: fmt.Sprintf(format, args...)}
}

// renderError is echo's HTTPErrorHandler: it turns any error a handler or
// echo itself returns into the real API's envelope. Unknown errors become a
// 500 api_error so that no Go error text or stack trace reaches a client.
func (s *Server) renderError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	apiErr := asAPIError(err)
	if apiErr.Type == APIFailure && !isAPIError(err) {
		s.logf("internal error on %s %s: %v", c.Request().Method, c.Request().URL.EscapedPath(), err)
	}
	object := wire.ErrorObject{Type: string(apiErr.Type), Message: apiErr.Message, Details: apiErr.Details}
	h := c.Response().Header()
	if apiErr.Type == RequestTooLarge {
		// The edge answers before the API sees the request: no request
		// id, no organization or workspace.
		h.Del("request-id")
		dropAccount(h)
		_ = writeJSON(c, apiErr.StatusCode(), wire.EdgeBody{Error: object})
		return
	}
	errorHeaders(h, apiErr.StatusCode())
	_ = writeJSON(c, apiErr.StatusCode(), wire.ErrorBody{Type: "error", Error: object, RequestID: requestID(c)})
}

// errorHeaders sets what an error answer of the API carries besides its
// body: x-should-retry by status (apierror.ShouldRetry), unless a scenario
// fault set one, and no account on a 401 (also when a fault sends it).
func errorHeaders(h http.Header, status int) {
	if status == http.StatusUnauthorized {
		dropAccount(h)
	}
	if v := apierror.ShouldRetry(status); v != "" && h.Get("x-should-retry") == "" {
		h.Set("x-should-retry", v)
	}
}

// dropAccount removes the organization and workspace headers from an
// answer that real traffic shows without them: a 401 (no key was
// authenticated) and the edge's 413.
func dropAccount(h http.Header) {
	h.Del("anthropic-organization-id")
	h.Del("anthropic-workspace-id")
}

// isAPIError reports whether err is a refusal meant for the client: an
// *APIError, or a domain package's *apierror.Error.
func isAPIError(err error) bool {
	var apiErr *APIError
	var domainErr *apierror.Error
	return errors.As(err, &apiErr) || errors.As(err, &domainErr)
}

// asAPIError is the one place an error becomes what the client sees: a
// domain package's *apierror.Error becomes an *APIError of its kind, echo's
// own errors (unknown route, wrong method, body too large) map onto the
// real API's types, and everything else hides behind a 500.
func asAPIError(err error) *APIError {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var domainErr *apierror.Error
	if errors.As(err, &domainErr) {
		return &APIError{Type: ErrorType(domainErr.Kind), Status: domainErr.Status, Message: domainErr.Message, Details: domainErr.Details}
	}
	var httpErr *echo.HTTPError
	if errors.As(err, &httpErr) {
		switch httpErr.Code {
		case http.StatusNotFound:
			return &APIError{Type: NotFound, Message: "Not Found"}
		case http.StatusMethodNotAllowed:
			return &APIError{Type: InvalidRequest, Status: http.StatusMethodNotAllowed, Message: "Method Not Allowed"}
		case http.StatusRequestEntityTooLarge:
			return errTooLarge
		}
	}
	return &APIError{Type: APIFailure, Message: APIFailure.message()}
}

// errTooLarge is the 413 the real API's edge sends for a body over 32 MB;
// renderError gives it the edge's shape.
var errTooLarge = &APIError{Type: RequestTooLarge, Message: RequestTooLarge.message()}
