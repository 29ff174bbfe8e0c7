package batch

import (
	"bytes"
	"encoding/json"

	"github.com/claudemock/claudemock/server/internal/wire"
)

// line is one line of the results file.
type line struct {
	CustomID string `json:"custom_id"`
	Result   any    `json:"result"`
}

// succeeded, errored and bare are the three shapes of a result: a
// message, an error envelope, or the type alone (canceled, expired).
type succeeded struct {
	Type    string       `json:"type"`
	Message wire.Message `json:"message"`
}

type errored struct {
	Type  string        `json:"type"`
	Error errorResponse `json:"error"`
}

// errorResponse is the error envelope inside an errored result.
type errorResponse struct {
	Type      string      `json:"type"`
	Error     errorObject `json:"error"`
	RequestID string      `json:"request_id"`
}

// errorObject is the envelope's error: its type and message.
type errorObject struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

type bare struct {
	Type string `json:"type"`
}

// Results is the results file of an ended batch: one compact JSON object
// per line, each ending in "\n", in request order (the real API promises
// no order; clients match on custom_id).
func (b *Batch) Results() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range b.Items {
		_ = enc.Encode(line{CustomID: b.Items[i].CustomID, Result: b.result(i)}) // plain values always encode
	}
	return buf.Bytes()
}

// result is items[i]'s result object.
func (b *Batch) result(i int) any {
	it := &b.Items[i]
	switch r := b.Result(i); r {
	case Succeeded:
		return succeeded{Type: string(r), Message: it.Message}
	case Errored:
		e := it.Error
		return errored{Type: string(r), Error: errorResponse{
			Type: "error", Error: errorObject{Type: string(e.Kind), Message: e.Message}, RequestID: it.RequestID,
		}}
	default:
		return bare{Type: string(r)}
	}
}
