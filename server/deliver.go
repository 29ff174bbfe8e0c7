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

// stream sends msg as server-sent events. A fault attached to the request
// may pace the events (latency) or break the stream after a number of
// events or bytes; either way the journal learns how the stream ended.
func (s *Server) stream(c echo.Context, st *reqState, msg wire.Message, a *scenario.Action) error {
	events := wire.Events(msg)
	pace := s.pacing(a, msg.Usage.OutputTokens, events)
	w := newSSE(c)
	first := true
	for i, ev := range events {
		if breaks(a) && a.AfterBytes == 0 && i == a.AfterEvents {
			s.breakStream(c, st, w, a)
			return nil
		}
		if ev.Delta && pace != nil {
			wait := pace.perDelta
			if first {
				wait, first = wait+pace.ttft, false
			}
			if !s.sleep(c.Request().Context(), wait) {
				s.abandon(w, st)
				return nil
			}
		}
		if s.sendOrCut(c, st, w, w.frame(ev.Name, ev.Data), a) {
			return nil
		}
		if ev.Delta {
			st.outcome.ContentDeltas++
		}
	}
	if w.err != nil {
		st.outcome.Delivery = journal.ClientGone
	}
	return nil
}

// sendOrCut writes one frame, or the part of it before a disconnect's byte
// count and then the disconnect itself; true means the stream is over.
func (s *Server) sendOrCut(c echo.Context, st *reqState, w *sseWriter, frame []byte, a *scenario.Action) bool {
	if a != nil && a.Kind == scenario.Disconnect && a.AfterBytes > 0 && w.sent+len(frame) > a.AfterBytes {
		w.write(frame[:a.AfterBytes-w.sent])
		s.cut(c, st)
		return true
	}
	w.write(frame)
	if w.err != nil {
		st.outcome.Delivery = journal.ClientGone
		return true
	}
	return false
}

// breaks reports whether a fault ends a stream early.
func breaks(a *scenario.Action) bool {
	return a != nil && (a.Kind.Streaming() || a.Kind == scenario.Disconnect)
}

// breakStream ends a stream the way the fault says, after the events sent.
func (s *Server) breakStream(c echo.Context, st *reqState, w *sseWriter, a *scenario.Action) {
	switch a.Kind {
	case scenario.StreamError:
		body := wire.StreamError(string(a.ErrorType), a.Message, st.id)
		w.write(w.frame("error", body))
		st.outcome.Delivery, st.outcome.ErrorType = journal.ErrorEvent, string(a.ErrorType)
	case scenario.MalformedEvent:
		w.write([]byte(malformed[a.Malformed]))
		st.outcome.Delivery = journal.Malformed
	case scenario.Stall:
		s.stall(c, st, w, a)
	case scenario.Disconnect:
		s.cut(c, st)
	}
}

// malformed are the broken frames of malformed_event: "json" is a data
// line whose JSON stops halfway; "frame" is a data line without its colon,
// which SSE parsers take for an unknown field, leaving the event empty.
var malformed = map[string]string{
	"json":  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n",
	"frame": "event: content_block_delta\ndata{\"type\":\"content_block_delta\",\"index\":0}\n\n",
}

// stall stops sending and holds the connection open until the client
// leaves, the stall's time is up or the server stops.
func (s *Server) stall(c echo.Context, st *reqState, w *sseWriter, a *scenario.Action) {
	at := s.clock.Now()
	st.outcome.StalledAt = &at
	var timeout <-chan time.Time
	if a.StallFor > 0 {
		t := time.NewTimer(s.clock.WallDuration(a.StallFor))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-c.Request().Context().Done():
		st.outcome.Delivery = journal.ClientGone
	case <-timeout:
		st.outcome.Delivery = journal.Stalled
	case <-s.stop:
		s.dropStream(w, st)
	}
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

// abandon ends a stream whose pacing wait was cut short: by the client
// leaving, or by the server stopping, which drops it the way the real API
// drops a stream.
func (s *Server) abandon(w *sseWriter, st *reqState) {
	if s.stopping() {
		s.dropStream(w, st)
		return
	}
	st.outcome.Delivery = journal.ClientGone
}

// dropStream ends a stream the stopping server will not finish with the
// overloaded error event the real API sends when it drops one, so the
// client knows the answer is incomplete instead of reading a clean end.
func (s *Server) dropStream(w *sseWriter, st *reqState) {
	body := wire.StreamError(string(Overloaded), Overloaded.message(), st.id)
	w.write(w.frame("error", body))
	st.outcome.Delivery, st.outcome.ErrorType = journal.ErrorEvent, string(Overloaded)
}

// errShuttingDown answers a non-streaming reply the stopping server still
// held (a latency fault's delay): the real API's 529, which clients retry,
// rather than an empty 200.
var errShuttingDown = &APIError{Type: Overloaded, Message: Overloaded.message()}

// cut closes the connection under a response already begun: what was
// written is flushed, then the socket is closed, so the client reads a
// body that ends without its terminating chunk.
func (s *Server) cut(c echo.Context, st *reqState) {
	st.outcome.Delivery = journal.Cut
	c.Response().Flush()
	if conn, _, err := http.NewResponseController(c.Response().Writer).Hijack(); err == nil {
		_ = conn.Close()
	}
}

// pace is how a latency fault spreads a reply over virtual time.
type pace struct {
	ttft, perDelta time.Duration
}

// pacing is the pace of a latency fault for a reply of output tokens sent
// in events; nil when the request has no latency fault.
func (s *Server) pacing(a *scenario.Action, output int, events []wire.Event) *pace {
	if a == nil || a.Kind != scenario.Latency {
		return nil
	}
	p := &pace{ttft: a.TimeToFirstToken}
	deltas := wire.Deltas(events)
	if a.TokensPerSecond > 0 && deltas > 0 {
		total := time.Duration(float64(output) / a.TokensPerSecond * float64(time.Second))
		p.perDelta = total / time.Duration(deltas)
	}
	return p
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

// respond sends a non-streaming reply: after a latency fault's delay, and
// cut short by a disconnect fault's byte count.
func (s *Server) respond(c echo.Context, st *reqState, msg wire.Message, a *scenario.Action) error {
	if a != nil && a.Kind == scenario.Latency {
		total := a.TimeToFirstToken
		if a.TokensPerSecond > 0 {
			total += time.Duration(float64(msg.Usage.OutputTokens) / a.TokensPerSecond * float64(time.Second))
		}
		if !s.sleep(c.Request().Context(), total) {
			if s.stopping() {
				return errShuttingDown
			}
			st.outcome.Delivery = journal.ClientGone
			return nil
		}
	}
	if a == nil || a.Kind != scenario.Disconnect {
		return writeJSON(c, http.StatusOK, msg)
	}
	body, err := wire.Marshal(msg)
	if err != nil {
		return err
	}
	if a.AfterBytes >= len(body) {
		// Nothing to cut: sent whole, as a stream shorter than the cut is.
		return c.Blob(http.StatusOK, "application/json", body)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/json")
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	c.Response().WriteHeader(http.StatusOK)
	_, _ = c.Response().Write(body[:min(a.AfterBytes, len(body))])
	s.cut(c, st)
	return nil
}
