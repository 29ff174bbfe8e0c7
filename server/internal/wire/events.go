package wire

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
var pingData = RawData(`{"type": "ping"}`)

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
// message_stop.
func Events(msg Message) []Event {
	start := msg
	start.Content, start.StopReason, start.StopSequence = []any{}, nil, nil
	start.ContextManagement = nil // sent with message_delta, as real streams do
	start.Usage.OutputTokens = min(1, msg.Usage.OutputTokens)
	start.Usage.OutputTokensDetails = nil
	ping := Event{Name: "ping", Data: pingData}
	events := []Event{{Name: "message_start", Data: messageStart{Type: "message_start", Message: start}}}
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
		Event{Name: "message_delta", Data: messageDelta{
			Type:  "message_delta",
			Delta: stopFields{StopReason: msg.StopReason, StopSequence: msg.StopSequence},
			Usage: msg.Usage.Delta(),
			// as the Message has it: only when the request asked for it
			ContextManagement: msg.ContextManagement,
		}},
		Event{Name: "message_stop", Data: typeOnly{Type: "message_stop"}},
	)
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

// blockEvents is one content block: an empty start, the content in deltas,
// then the stop.
func blockEvents(i int, block any) []Event {
	var out []Event
	add := func(name string, data any, delta bool) {
		out = append(out, Event{Name: name, Data: data, Delta: delta})
	}
	deltas := func(d func(string) any, pieces []string) {
		for _, piece := range pieces {
			add("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: d(piece)}, true)
		}
	}
	switch b := block.(type) {
	case TextBlock:
		add("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: TextBlock{Type: "text"}}, false)
		deltas(func(p string) any { return textDelta{Type: "text_delta", Text: p} }, textPieces(b.Text))
	case ThinkingBlock:
		add("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: ThinkingBlock{Type: "thinking"}}, false)
		deltas(func(p string) any { return thinkingDelta{Type: "thinking_delta", Thinking: p} }, textPieces(b.Thinking))
		add("content_block_delta", blockDelta{Type: "content_block_delta", Index: i, Delta: signatureDelta{Type: "signature_delta", Signature: b.Signature}}, false)
	case RedactedThinkingBlock:
		add("content_block_start", blockStart{Type: "content_block_start", Index: i, ContentBlock: b}, false)
	case ToolUseBlock:
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
