package server

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"
)

// sseWriter writes server-sent events in the real API's framing:
// "event: <name>\ndata: <one-line JSON>\n\n", each flushed at once.
type sseWriter struct {
	w   *echo.Response
	buf bytes.Buffer
	err error
}

func newSSE(c echo.Context) *sseWriter {
	h := c.Response().Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	c.Response().WriteHeader(http.StatusOK)
	return &sseWriter{w: c.Response()}
}

// event writes one event whose name is the type of its data.
func (s *sseWriter) event(name string, data any) {
	if s.err != nil {
		return
	}
	payload, err := marshal(data)
	if err != nil {
		s.err = err
		return
	}
	s.buf.Reset()
	s.buf.WriteString("event: ")
	s.buf.WriteString(name)
	s.buf.WriteString("\ndata: ")
	s.buf.Write(payload)
	s.buf.WriteString("\n\n")
	if _, s.err = s.w.Write(s.buf.Bytes()); s.err == nil {
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
	}
	stopFields struct {
		StopReason   *string `json:"stop_reason"`
		StopSequence *string `json:"stop_sequence"`
		StopDetails  any     `json:"stop_details"`
		Container    any     `json:"container"`
	}
	typeOnly struct {
		Type string `json:"type"`
	}
)

// stream sends msg as the real event sequence: message_start (with the
// final input totals and output_tokens 1), a ping, each block as
// start/deltas/stop, message_delta with the cumulative usage, message_stop.
func (s *Server) stream(c echo.Context, msg message) error {
	w := newSSE(c)
	start := msg
	start.Content, start.StopReason, start.StopSequence = []any{}, nil, nil
	start.Usage.OutputTokens = min(1, msg.Usage.OutputTokens)
	w.event("message_start", messageStart{Type: "message_start", Message: start})
	w.event("ping", typeOnly{Type: "ping"})
	for i, block := range msg.Content {
		streamBlock(w, i, block)
	}
	w.event("message_delta", messageDelta{
		Type:  "message_delta",
		Delta: stopFields{StopReason: msg.StopReason, StopSequence: msg.StopSequence},
		Usage: msg.Usage.delta(),
	})
	w.event("message_stop", typeOnly{Type: "message_stop"})
	return w.err
}

// streamBlock sends one content block: an empty start, the content in
// deltas, then the stop.
func streamBlock(w *sseWriter, i int, block any) {
	switch b := block.(type) {
	case textBlock:
		w.event("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: textBlock{Type: "text"}})
		for _, piece := range textPieces(b.Text) {
			w.event("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: textDelta{Type: "text_delta", Text: piece}})
		}
	case thinkingBlock:
		w.event("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: thinkingBlock{Type: "thinking"}})
		for _, piece := range textPieces(b.Thinking) {
			w.event("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: thinkingDelta{Type: "thinking_delta", Thinking: piece}})
		}
		w.event("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: signatureDelta{Type: "signature_delta", Signature: b.Signature}})
	case toolUseBlock:
		empty := b
		empty.Input = []byte("{}")
		w.event("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: empty})
		for _, piece := range jsonPieces(string(b.Input)) {
			w.event("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: jsonDelta{Type: "input_json_delta", PartialJSON: piece}})
		}
	}
	w.event("content_block_stop", blockStop{Type: "content_block_stop", Index: i})
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
