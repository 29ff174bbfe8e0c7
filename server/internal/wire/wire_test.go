package wire_test

import (
	"bytes"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/wire"
)

var _ = Describe("a reply on the wire", func() {
	var msg wire.Message

	BeforeEach(func() {
		stop := "end_turn"
		msg = wire.Message{
			Model: "claude-sonnet-4-6", ID: "msg_01X", Type: "message", Role: "assistant",
			Content:    []any{wire.Block(generate.Block{Type: "text", Text: "one two three four <b>"})},
			StopReason: &stop,
			Usage:      wire.Usage{InputTokens: 12, OutputTokens: 5, ServiceTier: "standard", InferenceGeo: "global"},
		}
	})

	It("is marshalled in the real key order, without HTML escaping or a trailing newline", func() {
		body, err := wire.Marshal(msg)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(body)).To(Equal(`{"model":"claude-sonnet-4-6","id":"msg_01X","type":"message","role":"assistant",` +
			`"content":[{"type":"text","text":"one two three four <b>"}],"stop_reason":"end_turn","stop_sequence":null,` +
			`"stop_details":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,` +
			`"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":5,` +
			`"service_tier":"standard","inference_geo":"global"}}`))
	})

	It("streams as the real event sequence, the ping after the first block's start", func() {
		var names []string
		for _, ev := range wire.Events(msg) {
			names = append(names, ev.Name)
		}
		Expect(names).To(Equal([]string{"message_start", "content_block_start", "ping",
			"content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"}))
		Expect(wire.Deltas(wire.Events(msg))).To(Equal(2))
	})

	It("frames an event as event and data lines, sending raw data as it is", func() {
		var buf bytes.Buffer
		events := wire.Events(msg)
		frame, err := wire.Frame(&buf, events[2].Name, events[2].Data)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(frame)).To(Equal("event: ping\ndata: {\"type\": \"ping\"}\n\n"))
		frame, err = wire.Frame(&buf, events[3].Name, events[3].Data)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(frame)).To(Equal("event: content_block_delta\ndata: " +
			`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"one two three"}}` + "\n\n"))
	})

	It("sends a stream's error event with details null first", func() {
		body, err := wire.Marshal(wire.StreamError("overloaded_error", "Overloaded", "req_1"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(body)).To(Equal(`{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}`))
	})
})

var _ = Describe("usage fields that depend on the model", func() {
	old := &catalog.Model{CreatedAt: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	recent := &catalog.Model{CreatedAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}

	It("reports inference_geo not_available before Opus 4.6 and global or the requested geo after", func() {
		Expect(wire.InferenceGeo(old, "us")).To(Equal("not_available"))
		Expect(wire.InferenceGeo(recent, "")).To(Equal("global"))
		Expect(wire.InferenceGeo(recent, "us")).To(Equal("us"))
		Expect(wire.InferenceGeo(recent, "mars")).To(Equal("global"))
	})

	It("sends output_tokens_details when thinking was asked for, or always from Opus 4.8 on", func() {
		Expect(wire.Details(old, false, 0)).To(BeNil())
		Expect(wire.Details(old, true, 0)).To(Equal(&wire.OutputDetails{ThinkingTokens: 0}))
		Expect(wire.Details(old, false, 7)).To(Equal(&wire.OutputDetails{ThinkingTokens: 7}))
		Expect(wire.Details(recent, false, 0)).To(Equal(&wire.OutputDetails{ThinkingTokens: 0}))
	})
})

var _ = Describe("Malformed", func() {
	It("breaks the JSON of a data line, or the framing of one", func() {
		Expect(string(wire.Malformed("json"))).To(Equal("event: content_block_delta\ndata: " +
			`{"type":"content_block_delta","index":0,"delta":{"type":"text_del` + "\n\n"))
		Expect(string(wire.Malformed("frame"))).To(Equal("event: content_block_delta\ndata" +
			`{"type":"content_block_delta","index":0}` + "\n\n"))
	})
})

var _ = Describe("Buffer", func() {
	It("encodes and frames exactly as Marshal and Frame do", func() {
		stop := "end_turn"
		msg := wire.Message{Model: "m", ID: "msg_01X", Type: "message", Role: "assistant",
			Content:    []any{wire.Block(generate.Block{Type: "text", Text: "a <b> & \"c\"\u2028 d e f g"})},
			StopReason: &stop}
		b := wire.GetBuffer()
		defer b.Put()
		want, err := wire.Marshal(msg)
		Expect(err).NotTo(HaveOccurred())
		got, err := b.Encode(&msg)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(got)).To(Equal(string(want)))
		var buf bytes.Buffer
		for _, ev := range wire.Events(msg) {
			want, err := wire.Frame(&buf, ev.Name, ev.Data)
			Expect(err).NotTo(HaveOccurred())
			got, err := b.Frame(ev.Name, ev.Data)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(got)).To(Equal(string(want)))
		}
	})

	It("frames deltas of any text, tool input and thinking as encoding/json writes them", func() {
		b := wire.GetBuffer()
		defer b.Put()
		var buf bytes.Buffer
		every := make([]byte, 0, 512)
		for c := range 256 {
			every = append(every, byte(c), ' ')
		}
		texts := []string{string(every), "a\u2028b\u2029c d\xffe \xe2\x80 f", "<a> & \"b\" \\ c\td\ne\rf\bg\fh \x7f i"}
		for _, text := range texts {
			msg := wire.Message{Content: []any{
				wire.Block(generate.Block{Type: "thinking", Text: text, Signature: "s" + text}),
				wire.Block(generate.Block{Type: "text", Text: text}),
				wire.Block(generate.Block{Type: "tool_use", ID: "toolu_1", Name: "t", Input: []byte(`{"q":"` + text + `"}`)}),
			}}
			for _, ev := range wire.Events(msg) {
				want, err := wire.Frame(&buf, ev.Name, ev.Data)
				Expect(err).NotTo(HaveOccurred())
				got, err := b.Frame(ev.Name, ev.Data)
				Expect(err).NotTo(HaveOccurred())
				Expect(string(got)).To(Equal(string(want)))
			}
		}
	})
})

var _ = Describe("Buffer encoding a Message", func() {
	It("writes every shape of message as encoding/json does", func() {
		stop, seq, odd := "stop_sequence", "e \"x\"\u2028", "a\xffb <c> & \\ \t\x01"
		blocks := []generate.Block{
			{Type: "text", Text: odd},
			{Type: "thinking", Text: "think " + odd, Signature: "sig=="},
			{Type: "redacted_thinking", Text: "data" + odd},
			{Type: "tool_use", ID: "toolu_1", Name: "t", Input: []byte(`{"a": 1}`)},
		}
		shapes := []wire.Message{{}, {Content: []any{}}}
		for i := range blocks {
			for j := i; j <= len(blocks); j++ {
				var content []any
				for _, b := range blocks[i:j] {
					content = append(content, wire.Block(b))
				}
				shapes = append(shapes, wire.Message{Model: "m" + odd, ID: "msg_1", Type: "message", Role: "assistant",
					Content: content, StopReason: &stop, StopSequence: &seq,
					Usage: wire.Usage{InputTokens: 1, CacheCreationInputTokens: 2, CacheReadInputTokens: 3,
						CacheCreation: wire.CacheCreation{Ephemeral5m: 4, Ephemeral1h: -5}, OutputTokens: 6,
						ServiceTier: "priority", InferenceGeo: "us", OutputTokensDetails: &wire.OutputDetails{ThinkingTokens: 7}},
					ContextManagement: &wire.ContextManagement{AppliedEdits: []any{}}})
			}
		}
		shapes = append(shapes, wire.Message{StopDetails: map[string]any{"k": "v"}},
			wire.Message{ContextManagement: &wire.ContextManagement{}},
			wire.Message{ContextManagement: &wire.ContextManagement{AppliedEdits: []any{map[string]int{"n": 1}}}})
		b := wire.GetBuffer()
		defer b.Put()
		for _, msg := range shapes {
			want, err := wire.Marshal(msg)
			Expect(err).NotTo(HaveOccurred())
			got, err := b.Encode(&msg)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(got)).To(Equal(string(want)))
		}
	})
})
