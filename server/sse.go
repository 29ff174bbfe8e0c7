package server

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"
)

// sseWriter writes server-sent events in the real API's framing:
// "event: <name>\ndata: <one-line JSON>\n\n", each flushed at once.
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

// frame encodes one event whose name is the type of its data; the bytes
// are valid until the next call. Data already in wire form (rawData) is
// sent as it is.
func (s *sseWriter) frame(name string, data any) []byte {
	payload, ok := data.(rawData)
	if !ok {
		var err error
		if payload, err = marshal(data); err != nil {
			s.err = err
			return nil
		}
	}
	s.buf.Reset()
	s.buf.WriteString("event: ")
	s.buf.WriteString(name)
	s.buf.WriteString("\ndata: ")
	s.buf.Write(payload)
	s.buf.WriteString("\n\n")
	return s.buf.Bytes()
}

// rawData is an event's data line exactly as the real API writes it.
type rawData []byte

// pingData is the real ping, the one payload the API writes with a space
// after the colon.
var pingData = rawData(`{"type": "ping"}`)

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

// The stream events, each with its type first as the real API sends it.
type (
	messageStart struct {
		Type    string  `json:"type"`
		Message message `json:"message"`
	}
	blockStart struct {
		Type         string `json:"type"`
		Index        int    `json:"index"`
		ContentBlock any    `json:"content_block"`
	}
	blockDelta struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
		Delta any    `json:"delta"`
	}
	blockStop struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
	}
	textDelta struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	thinkingDelta struct {
		Type     string `json:"type"`
		Thinking string `json:"thinking"`
	}
	signatureDelta struct {
		Type      string `json:"type"`
		Signature string `json:"signature"`
	}
	jsonDelta struct {
		Type        string `json:"type"`
		PartialJSON string `json:"partial_json"`
	}
	messageDelta struct {
		Type  string     `json:"type"`
		Delta stopFields `json:"delta"`
		Usage deltaUsage `json:"usage"`
		// ContextManagement is present only when the request asked for it.
		ContextManagement *contextManagement `json:"context_management,omitempty"`
	}
	stopFields struct {
		StopReason   *string `json:"stop_reason"`
		StopSequence *string `json:"stop_sequence"`
		StopDetails  any     `json:"stop_details"`
	}
	typeOnly struct {
		Type string `json:"type"`
	}
)

// sseEvent is one event of a stream, built before any is sent so that
// faults can strike after a given number and pacing can spread the output.
type sseEvent struct {
	name  string
	data  any
	delta bool // carries output tokens (a content_block_delta)
}

// streamEvents is msg as the real event sequence: message_start (with the
// final input totals and output_tokens 1), each block as start/deltas/stop
// with a ping right after the first block's start (right after
// message_start when there is no block), message_delta with the
// cumulative usage, message_stop.
func streamEvents(msg message) []sseEvent {
	start := msg
	start.Content, start.StopReason, start.StopSequence = []any{}, nil, nil
	start.ContextManagement = nil // sent with message_delta, as real streams do
	start.Usage.OutputTokens = min(1, msg.Usage.OutputTokens)
	start.Usage.OutputTokensDetails = nil
	ping := sseEvent{name: "ping", data: pingData}
	events := []sseEvent{{name: "message_start", data: messageStart{Type: "message_start", Message: start}}}
	if len(msg.Content) == 0 {
		events = append(events, ping)
	}
	for i, block := range msg.Content {
		evs := blockEvents(i, block)
		events = append(events, evs[0])
		if i == 0 {
			events = append(events, ping)
		}
		events = append(events, evs[1:]...)
	}
	return append(events,
		sseEvent{name: "message_delta", data: messageDelta{
			Type:  "message_delta",
			Delta: stopFields{StopReason: msg.StopReason, StopSequence: msg.StopSequence},
			Usage: msg.Usage.delta(),
			// as the Message has it: only when the request asked for it
			ContextManagement: msg.ContextManagement,
		}},
		sseEvent{name: "message_stop", data: typeOnly{Type: "message_stop"}},
	)
}

// blockEvents is one content block: an empty start, the content in deltas,
// then the stop.
func blockEvents(i int, block any) []sseEvent {
	var out []sseEvent
	add := func(name string, data any, delta bool) {
		out = append(out, sseEvent{name: name, data: data, delta: delta})
	}
	deltas := func(d func(string) any, pieces []string) {
		for _, piece := range pieces {
			add("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: d(piece)}, true)
		}
	}
	switch b := block.(type) {
	case textBlock:
		add("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: textBlock{Type: "text"}}, false)
		deltas(func(p string) any { return textDelta{Type: "text_delta", Text: p} }, textPieces(b.Text))
	case thinkingBlock:
		add("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: thinkingBlock{Type: "thinking"}}, false)
		deltas(func(p string) any { return thinkingDelta{Type: "thinking_delta", Thinking: p} }, textPieces(b.Thinking))
		add("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: signatureDelta{Type: "signature_delta", Signature: b.Signature}}, false)
	case redactedThinkingBlock:
		add("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: b}, false)
	case toolUseBlock:
		empty := b
		empty.Input = []byte("{}")
		add("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: empty}, false)
		deltas(func(p string) any { return jsonDelta{Type: "input_json_delta", PartialJSON: p} }, jsonPieces(string(b.Input)))
	}
	add("content_block_stop", blockStop{Type: "content_block_stop", Index: i}, false)
	return out
}

// textPieces splits text into deltas of about three words, as the real
// stream's small, uneven chunks.
func textPieces(text string) []string {
	var pieces []string
	words := 0
	start := 0
	for i := 1; i < len(text); i++ {
		if text[i] != ' ' {
			continue
		}
		if words++; words == 3 {
			pieces = append(pieces, text[start:i])
			start, words = i, 0
		}
	}
	return append(pieces, text[start:])
}

// jsonPieces splits tool input JSON into fragments; the first is empty, as
// the real API's first input_json_delta is.
func jsonPieces(input string) []string {
	const size = 16
	pieces := []string{""}
	for len(input) > size {
		pieces = append(pieces, input[:size])
		input = input[size:]
	}
	return append(pieces, input)
}
