package wire

import (
	"slices"
	"strings"
)

// The stream events, each with its type first as the real API sends it.
type (
	messageStart struct {
		Type    string  `json:"type"`
		Message Message `json:"message"`
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
		Usage DeltaUsage `json:"usage"`
		// ContextManagement is present only when the request asked for it.
		ContextManagement *ContextManagement `json:"context_management,omitempty"`
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

// pingData is the real ping, the one payload the API writes with a space
// after the colon.
var pingData any = RawData(`{"type": "ping"}`) // boxed once

// Event is one event of a stream, built before any is sent so that faults
// can strike after a given number and pacing can spread the output.
type Event struct {
	Name  string
	Data  any
	Delta bool // carries output tokens (a content_block_delta)
}

// Events is msg as the real event sequence: message_start (with the final
// input totals and output_tokens 1), each block as start/deltas/stop with
// a ping right after the first block's start (right after message_start
// when there is no block), message_delta with the cumulative usage,
// message_stop. Each event's data is a pointer (the JSON is the same), and
// the deltas of a block share one array, so that a stream costs a few
// allocations rather than a few per event.
func Events(msg Message) []Event {
	ends := &streamEnds{}
	ends.start = messageStart{Type: "message_start", Message: msg}
	m := &ends.start.Message
	m.Content, m.StopReason, m.StopSequence = []any{}, nil, nil
	m.ContextManagement = nil // sent with message_delta, as real streams do
	m.Usage.OutputTokens = min(1, msg.Usage.OutputTokens)
	m.Usage.OutputTokensDetails = nil
	ends.delta = messageDelta{
		Type:  "message_delta",
		Delta: stopFields{StopReason: msg.StopReason, StopSequence: msg.StopSequence},
		Usage: msg.Usage.Delta(),
		// as the Message has it: only when the request asked for it
		ContextManagement: msg.ContextManagement,
	}
	ping := Event{Name: "ping", Data: pingData}
	events := make([]Event, 0, eventsAbout(msg))
	events = append(events, Event{Name: "message_start", Data: &ends.start})
	if len(msg.Content) == 0 {
		events = append(events, ping)
	}
	for i, block := range msg.Content {
		first := len(events)
		events = blockEvents(events, i, block)
		if i == 0 {
			events = slices.Insert(events, first+1, ping)
		}
	}
	return append(events, Event{Name: "message_delta", Data: &ends.delta},
		Event{Name: "message_stop", Data: messageStop})
}

// streamEnds are the data of a stream's first and last events but one, in
// one allocation.
type streamEnds struct {
	start messageStart
	delta messageDelta
}

// messageStop is message_stop's data, the same for every stream.
var messageStop any = &typeOnly{Type: "message_stop"}

// The empty blocks that open a text and a thinking block's deltas.
var (
	emptyText     any = &TextBlock{Type: "text"}
	emptyThinking any = &ThinkingBlock{Type: "thinking"}
)

// eventsAbout is about how many events msg streams as, enough that the
// slice seldom grows: the pieces of a block are estimated from its size.
func eventsAbout(msg Message) int {
	n := 4
	for _, block := range msg.Content {
		n += 4
		switch b := block.(type) {
		case TextBlock:
			n += strings.Count(b.Text, " ") / 3
		case ThinkingBlock:
			n += strings.Count(b.Thinking, " ") / 3
		case ToolUseBlock:
			n += len(b.Input) / 16
		}
	}
	return n
}

// Deltas counts the events that carry output tokens.
func Deltas(events []Event) int {
	n := 0
	for _, ev := range events {
		if ev.Delta {
			n++
		}
	}
	return n
}

// blockEvents appends block i's events: an empty start, the content in
// deltas, then the stop.
func blockEvents(events []Event, i int, block any) []Event {
	ends := &blockEnds{start: blockStart{Type: "content_block_start", Index: i},
		stop: blockStop{Type: "content_block_stop", Index: i}}
	open := func(content any) {
		ends.start.ContentBlock = content
		events = append(events, Event{Name: "content_block_start", Data: &ends.start})
	}
	switch b := block.(type) {
	case TextBlock:
		open(emptyText)
		events = textDeltas(events, i, b.Text)
	case ThinkingBlock:
		open(emptyThinking)
		events = thinkingDeltas(events, i, b.Thinking)
		events = append(events, Event{Name: "content_block_delta", Data: &blockDelta{Type: "content_block_delta", Index: i,
			Delta: &signatureDelta{Type: "signature_delta", Signature: b.Signature}}})
	case RedactedThinkingBlock:
		open(b)
	case ToolUseBlock:
		empty := b
		empty.Input = []byte("{}")
		open(empty)
		events = jsonDeltas(events, i, jsonPieces(string(b.Input)))
	}
	return append(events, Event{Name: "content_block_stop", Data: &ends.stop})
}

// blockEnds are the data of a block's start and stop, in one allocation.
type blockEnds struct {
	start blockStart
	stop  blockStop
}

// textDeltas appends a text block's deltas, one per piece of eachTextPiece,
// their data in one array.
func textDeltas(events []Event, i int, text string) []Event {
	return pieceDeltas(events, i, text, func(p string) textDelta { return textDelta{Type: "text_delta", Text: p} })
}

// thinkingDeltas is textDeltas for a thinking block.
func thinkingDeltas(events []Event, i int, text string) []Event {
	return pieceDeltas(events, i, text, func(p string) thinkingDelta {
		return thinkingDelta{Type: "thinking_delta", Thinking: p}
	})
}

// pieceDeltas appends one content_block_delta for each piece of text, the
// delta delta makes of it; the outer and inner data of every delta share
// one array, so a block's deltas cost one allocation.
func pieceDeltas[D any](events []Event, i int, text string, delta func(string) D) []Event {
	data := make([]struct {
		outer blockDelta
		inner D
	}, textPieceCount(text))
	k := 0
	eachTextPiece(text, func(p string) {
		d := &data[k]
		d.inner = delta(p)
		d.outer = blockDelta{Type: "content_block_delta", Index: i, Delta: &d.inner}
		events = append(events, Event{Name: "content_block_delta", Data: &d.outer, Delta: true})
		k++
	})
	return events
}

// jsonDeltas is textDeltas for a tool_use block's input, in jsonPieces.
func jsonDeltas(events []Event, i int, pieces []string) []Event {
	data := make([]struct {
		outer blockDelta
		inner jsonDelta
	}, len(pieces))
	for k, p := range pieces {
		d := &data[k]
		d.inner = jsonDelta{Type: "input_json_delta", PartialJSON: p}
		d.outer = blockDelta{Type: "content_block_delta", Index: i, Delta: &d.inner}
		events = append(events, Event{Name: "content_block_delta", Data: &d.outer, Delta: true})
	}
	return events
}

// eachTextPiece splits text into deltas of about three words, as the real
// stream's small, uneven chunks, and calls f with each in order.
func eachTextPiece(text string, f func(string)) {
	words := 0
	start := 0
	for i := 1; i < len(text); i++ {
		if text[i] != ' ' {
			continue
		}
		if words++; words == 3 {
			f(text[start:i])
			start, words = i, 0
		}
	}
	f(text[start:])
}

// textPieceCount is how many pieces eachTextPiece cuts text into: one, and
// one more for every third space after the first byte.
func textPieceCount(text string) int {
	if len(text) < 2 {
		return 1
	}
	return strings.Count(text[1:], " ")/3 + 1
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
