package server

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/claudemock/claudemock/server/internal/netlimit"
)

// DefaultBodyTimeout is how long a request body may take to arrive when
// Options.BodyTimeout is 0: a 32 MiB body needs about 9 Mbit/s to make it.
const DefaultBodyTimeout = 30 * time.Second

// idleTimeout closes a keep-alive connection that sends no new request
// for this long, so idle clients do not hold file descriptors forever.
const idleTimeout = 2 * time.Minute

// bodyDeadline gives each request that has a body timeout to send all of
// it: a client that declares Content-Length 1000 and sends 2 bytes gets a
// 408 (errBodyTimeout) instead of holding a goroutine and a descriptor
// forever. http.Server.ReadTimeout cannot do this: it also bounds the
// background read that watches a long stream's connection, and firing
// there would cancel the stream. So the deadline is set on the connection
// here and lifted the moment the body ends (deadlineBody); what follows,
// a stream of any length, runs without one. A handler that never reads
// the body leaves the deadline in place, which only ends the connection.
func bodyDeadline(next http.Handler, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if timeout > 0 && r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
			if setReadDeadline(w, time.Now().Add(timeout)) == nil {
				r.Body = &deadlineBody{ReadCloser: r.Body, w: w}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the connection's read deadline when the body it reads
// has arrived whole. After any other error the deadline stays: once it
// has passed, net/http's attempt to drain the rest of the body before
// answering fails at once instead of waiting for bytes that never come.
type deadlineBody struct {
	io.ReadCloser
	w     http.ResponseWriter
	ended bool
}

// Read reads the body; io.EOF lifts the deadline.
func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.ended {
		b.ended = true
		_ = setReadDeadline(b.w, time.Time{})
	}
	return n, err
}

// setReadDeadline is http.ResponseController's SetReadDeadline without
// the controller, which would be an allocation on every request: w's own
// method, or that of the writer it wraps (Unwrap), as the controller finds it.
func setReadDeadline(w http.ResponseWriter, deadline time.Time) error {
	for {
		switch t := w.(type) {
		case interface{ SetReadDeadline(time.Time) error }:
			return t.SetReadDeadline(deadline)
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return http.ErrNotSupported
		}
	}
}

// errBodyTimeout answers a body that did not arrive within the body
// timeout. The real API's edge behaviour here is unknown; 408 is the
// status HTTP has for it, and the SDKs retry it.
var errBodyTimeout = &APIError{Type: Timeout, Status: http.StatusRequestTimeout,
	Message: "The request body was not received in time."}

// bodyError turns a failure to read a request body into the answer: 408
// when the body timed out, 400 naming the cause otherwise.
func bodyError(err error) *APIError {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return errBodyTimeout
	}
	return invalid("The request body could not be read: %v", err)
}

// DefaultMaxConnections is the connection limit when
// Options.MaxConnections is 0: the process's descriptor limit less a
// reserve for files, listeners and the journal's readers, and 10,000 where
// that limit is unknown.
func DefaultMaxConnections() int { return netlimit.Default() }
