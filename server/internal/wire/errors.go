package wire

// ErrorBody is the error envelope {"type":"error","error":{...},"request_id":...}.
type ErrorBody struct {
	Type      string      `json:"type"`
	Error     ErrorObject `json:"error"`
	RequestID string      `json:"request_id"`
}

// ErrorObject is the error inside an envelope; details only when set.
type ErrorObject struct {
	Type    string            `json:"type"`
	Message string            `json:"message"`
	Details map[string]string `json:"details,omitempty"`
}

// StreamErrorBody is the error event that ends a stream. Recordings of
// real mid-stream errors carry "details": null first in the error object,
// which the plain HTTP error bodies do not.
type StreamErrorBody struct {
	Type      string            `json:"type"`
	Error     StreamErrorObject `json:"error"`
	RequestID string            `json:"request_id"`
}

// StreamErrorObject is the error inside a stream's error event.
type StreamErrorObject struct {
	Details any    `json:"details"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

// StreamError is the error event of the given type and message for the
// request with the given id.
func StreamError(kind, message, requestID string) StreamErrorBody {
	return StreamErrorBody{Type: "error", Error: StreamErrorObject{Type: kind, Message: message}, RequestID: requestID}
}

// EdgeBody is the 413 the edge (Cloudflare) sends before a request reaches
// the API: only the error object, no top-level type, no request_id.
type EdgeBody struct {
	Error ErrorObject `json:"error"`
}
