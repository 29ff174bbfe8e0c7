package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/wire"
)

// sseWriter writes server-sent events, each flushed at once, counting the
// bytes sent so that a fault can cut the stream at a byte.
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

// write sends bytes and flushes them at once, counting what was sent.
func (s *sseWriter) write(b []byte) {
	if s.err != nil {
		return
	}
	n, err := s.w.Write(b)
	s.sent += n
	if s.err = err; err == nil {
		s.w.Flush()
	}
}
