package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// deliver sends the answer, streamed or whole, as the request asked. A
// fault attached to the request acts here: latency paces it, the stream
// faults and disconnect break it; either way the journal learns how the
// answer ended.
func (x *exchange) deliver() error {
	if x.p.Stream {
		x.stream()
		return nil
	}
	return x.respond()
}

// stream sends the answer as server-sent events, paced by a latency fault
// and broken after a number of events or bytes by a stream fault.
func (x *exchange) stream() {
	a := x.fault
	sse := newSSE(x)
	w := &sse
	defer w.close()
	events := wire.Events(x.msg)
	var ttft, perDelta time.Duration
	paced := a != nil && a.Kind == scenario.Latency
	if paced {
		ttft, perDelta = a.Latency(x.msg.Usage.OutputTokens, wire.Deltas(events))
	}
	for i, ev := range events {
		if a.Breaks() && a.AfterBytes == 0 && i == a.AfterEvents {
			x.breakStream(w)
			return
		}
		if ev.Delta && paced {
			wait := perDelta + ttft
			ttft = 0 // the first piece alone waits for the first token
			if w.flush(); !x.s.sleep(x.c.Request().Context(), wait) {
				x.abandon(w)
				return
			}
		}
		if x.sendOrCut(w, w.frame(ev.Name, ev.Data)) {
			return
		}
		if ev.Delta {
			x.outcome.ContentDeltas++
		}
	}
	if w.flush(); w.err != nil {
		x.outcome.Delivery = journal.ClientGone
	}
}

// sendOrCut writes one frame, or the part of it before a disconnect's byte
// count and then the disconnect itself; true means the stream is over.
func (x *exchange) sendOrCut(w *sseWriter, frame []byte) bool {
	if a := x.fault; a != nil && a.Kind == scenario.Disconnect && a.AfterBytes > 0 && w.sent+len(frame) > a.AfterBytes {
		w.write(frame[:a.AfterBytes-w.sent])
		x.cut()
		return true
	}
	w.write(frame)
	if w.err != nil {
		x.outcome.Delivery = journal.ClientGone
		return true
	}
	return false
}

// breakStream ends a stream the way the fault says, after the events sent.
func (x *exchange) breakStream(w *sseWriter) {
	a := x.fault
	switch a.Kind {
	case scenario.StreamError:
		w.write(w.frame("error", wire.StreamError(string(a.ErrorType), a.Message, x.id)))
		x.outcome.Delivery, x.outcome.ErrorType = journal.ErrorEvent, string(a.ErrorType)
	case scenario.MalformedEvent:
		w.write(wire.Malformed(a.Malformed))
		x.outcome.Delivery = journal.Malformed
	case scenario.Stall:
		x.stall(w)
	case scenario.Disconnect:
		x.cut()
	}
}

// stall stops sending and holds the connection open until the client
// leaves, the stall's time is up or the server stops.
func (x *exchange) stall(w *sseWriter) {
	w.flush()
	at := x.s.clock.Now()
	x.outcome.StalledAt = &at
	var timeout <-chan time.Time
	if d := x.fault.StallFor; d > 0 {
		t := time.NewTimer(x.s.clock.WallDuration(d))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-x.c.Request().Context().Done():
		x.outcome.Delivery = journal.ClientGone
	case <-timeout:
		x.outcome.Delivery = journal.Stalled
	case <-x.s.stop:
		x.dropStream(w)
	}
}

// abandon ends a stream whose pacing wait was cut short: by the client
// leaving, or by the server stopping, which drops it the way the real API
// drops a stream.
func (x *exchange) abandon(w *sseWriter) {
	if x.s.stopping() {
		x.dropStream(w)
		return
	}
	x.outcome.Delivery = journal.ClientGone
}

// dropStream ends a stream the stopping server will not finish with the
// overloaded error event the real API sends when it drops one, so the
// client knows the answer is incomplete instead of reading a clean end.
func (x *exchange) dropStream(w *sseWriter) {
	w.write(w.frame("error", wire.StreamError(string(Overloaded), Overloaded.message(), x.id)))
	x.outcome.Delivery, x.outcome.ErrorType = journal.ErrorEvent, string(Overloaded)
}

// errShuttingDown answers a non-streaming reply the stopping server still
// held (a latency fault's delay): the real API's 529, which clients retry,
// rather than an empty 200.
var errShuttingDown = &APIError{Type: Overloaded, Message: Overloaded.message()}

// cut closes the connection under a response already begun: what was
// written is flushed, then the socket is closed, so the client reads a
// body that ends without its terminating chunk.
func (x *exchange) cut() {
	x.outcome.Delivery = journal.Cut
	x.c.Response().Flush()
	if conn, _, err := http.NewResponseController(x.c.Response().Writer).Hijack(); err == nil {
		_ = conn.Close()
	}
}

// respond sends a non-streaming answer: after a latency fault's delay, and
// cut short by a disconnect fault's byte count.
func (x *exchange) respond() error {
	a := x.fault
	if a != nil && a.Kind == scenario.Latency {
		if ok, err := x.delay(a); !ok {
			return err
		}
	}
	if a == nil || a.Kind != scenario.Disconnect {
		return writeJSON(x.c, http.StatusOK, &x.msg)
	}
	body, err := wire.Marshal(x.msg)
	if err != nil {
		return err
	}
	if a.AfterBytes >= len(body) {
		// Nothing to cut: sent whole, as a stream shorter than the cut is.
		return x.c.Blob(http.StatusOK, "application/json", body)
	}
	h := x.header()
	h.Set(echo.HeaderContentType, "application/json")
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	x.c.Response().WriteHeader(http.StatusOK)
	_, _ = x.c.Response().Write(body[:a.AfterBytes])
	x.cut()
	return nil
}

// delay waits out a latency fault before a whole answer: the time to the
// first token and the output at the fault's rate. ok is false when the
// answer is not sent after all: the client left (nil error), or the server
// is stopping (its 529).
func (x *exchange) delay(a *scenario.Action) (ok bool, err error) {
	ttft, rest := a.Latency(x.msg.Usage.OutputTokens, 1)
	if x.s.sleep(x.c.Request().Context(), ttft+rest) {
		return true, nil
	}
	if x.s.stopping() {
		return false, errShuttingDown
	}
	x.outcome.Delivery = journal.ClientGone
	return false, nil
}

// stopping reports whether Shutdown or Close has begun.
func (s *Server) stopping() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

// sleep waits a virtual duration in wall time; false means the client left
// (or the server stopped) first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(s.clock.WallDuration(d))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.stop:
	}
	return false
}
