package server

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/wire"
)

// sseWriter writes server-sent events, each flushed at once, counting the
// bytes sent so that a fault can cut the stream at a byte.
type sseWriter struct {
	w    *echo.Response
	buf  bytes.Buffer
	err  error
	sent int // bytes written so far
}

func newSSE(c echo.Context) *sseWriter {
	h := c.Response().Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	c.Response().WriteHeader(http.StatusOK)
	return &sseWriter{w: c.Response()}
}

// frame encodes one event (wire.Frame); the bytes are valid until the
// next call.
func (s *sseWriter) frame(name string, data any) []byte {
	b, err := wire.Frame(&s.buf, name, data)
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
