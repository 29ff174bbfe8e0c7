package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/wire"
)

// sseWriter writes server-sent events, counting the bytes sent so that a
// fault can cut the stream at a byte. Events go out when the stream is
// about to wait (a paced delta, a stall) or ends: those sent in the same
// instant share one write to the socket, as they would share a packet, and
// the bytes are the same.
// Its frames are encoded in a pooled buffer, which close gives back.
type sseWriter struct {
	w    *echo.Response
	buf  *wire.Buffer
	err  error
	sent int // bytes written so far
}

// newSSE starts x's answer as an event stream.
func newSSE(x *exchange) sseWriter {
	r := x.c.Response()
	h := r.Header()
	x.hdr.put(h, headerContentType, "text/event-stream; charset=utf-8")
	x.hdr.put(h, headerCacheControl, "no-cache")
	r.WriteHeader(http.StatusOK)
	return sseWriter{w: r, buf: wire.GetBuffer()}
}

// close gives the buffer back; the writer is not used after.
func (s *sseWriter) close() { s.buf.Put() }

// frame encodes one event (wire.Frame); the bytes are valid until the
// next call.
func (s *sseWriter) frame(name string, data any) []byte {
	b, err := s.buf.Frame(name, data)
	if err != nil {
		s.err = err
	}
	return b
}

// write sends bytes, counting what was sent.
func (s *sseWriter) write(b []byte) {
	if s.err != nil {
		return
	}
	n, err := s.w.Write(b)
	s.sent += n
	s.err = err
}

// flush pushes what was written to the client; a client that has gone is
// seen here.
func (s *sseWriter) flush() {
	if s.err == nil {
		s.err = http.NewResponseController(s.w.Writer).Flush()
	}
}
