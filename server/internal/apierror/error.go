package apierror

import "fmt"

// Error is a refusal a domain package returns as a Go error: the kind, the
// real API's wording, and a status only when the API sends the kind with
// an unusual one. It carries no HTTP: the server package turns it into
// its own error and renders it.
type Error struct {
	Kind Kind
	// Status overrides the kind's status; zero means "from the table".
	Status  int
	Message string
	// Details is sent as error.details when non-nil: the machine-readable
	// cause (error_code) some refusals carry.
	Details map[string]string
}

// Error makes *Error a Go error, worded as the envelope's type and message.
func (e *Error) Error() string { return string(e.Kind) + ": " + e.Message }

// Invalid is the common 400 invalid_request_error, whose message names the
// offending field in the real API's words.
func Invalid(format string, args ...any) *Error {
	return &Error{Kind: InvalidRequest, Message: fmt.Sprintf(format, args...)}
}
