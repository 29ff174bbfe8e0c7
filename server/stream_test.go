package server_test

import (
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// accumulate rebuilds a message from stream events the way the SDKs do.
func accumulate(evs []event) map[string]any {
	var msg map[string]any
	var blocks []map[string]any
	var partial []string
	for _, ev := range evs {
		var data map[string]any
		Expect(json.Unmarshal([]byte(ev.data), &data)).To(Succeed())
		switch ev.name {
		case "message_start":
			msg = data["message"].(map[string]any)
		case "content_block_start":
			Expect(data["index"]).To(BeEquivalentTo(len(blocks)))
			blocks = append(blocks, data["content_block"].(map[string]any))
			partial = append(partial, "")
		case "content_block_delta":
			i := int(data["index"].(float64))
			d := data["delta"].(map[string]any)
			switch d["type"] {
			case "text_delta":
				blocks[i]["text"] = blocks[i]["text"].(string) + d["text"].(string)
			case "thinking_delta":
				blocks[i]["thinking"] = blocks[i]["thinking"].(string) + d["thinking"].(string)
			case "signature_delta":
				blocks[i]["signature"] = d["signature"]
			default:
				partial[i] += d["partial_json"].(string)
			}
		case "content_block_stop":
			i := int(data["index"].(float64))
			if blocks[i]["type"] == "tool_use" {
				var input any
				Expect(json.Unmarshal([]byte(partial[i]), &input)).To(Succeed())
				blocks[i]["input"] = input
			}
		case "message_delta":
			d := data["delta"].(map[string]any)
			msg["stop_reason"], msg["stop_sequence"] = d["stop_reason"], d["stop_sequence"]
			u := msg["usage"].(map[string]any)
			for k, v := range data["usage"].(map[string]any) {
				if v != nil {
					u[k] = v
				}
			}
		}
	}
	content := make([]any, len(blocks))
	for i, b := range blocks {
		content[i] = b
	}
	msg["content"] = content
	return msg
}

var _ = Describe("Streaming", func() {
	var c, plain *client
	var body string

	BeforeEach(func() {
		c, plain = newClient(server.Options{Seed: 9}), newClient(server.Options{Seed: 9})
		body = `{"model":"claude-haiku-4-5","max_tokens":300,"messages":[{"role":"user","content":"Hi"}]}`
	})

	It("frames every event as the real API does and validates each one", func() {
		r := c.post("/v1/messages", strings.Replace(body, `{"model"`, `{"stream":true,"model"`, 1))
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("Content-Type")).To(Equal("text/event-stream; charset=utf-8"))
		Expect(r.header.Get("Cache-Control")).To(Equal("no-cache"))
		Expect(r.header.Get("request-id")).To(HavePrefix("req_011C"))
		evs := events(r.body)
		var names []string
		for _, ev := range evs {
			var data map[string]any
			Expect(json.Unmarshal([]byte(ev.data), &data)).To(Succeed())
			Expect(data["type"]).To(Equal(ev.name))
			Expect(spec.ValidateEvent([]byte(ev.data))).To(Succeed(), ev.data)
			if ev.name != "content_block_delta" {
				names = append(names, ev.name)
			}
		}
		Expect(names).To(Equal([]string{"message_start", "content_block_start", "ping", "content_block_stop", "message_delta", "message_stop"}))
		Expect(len(evs)).To(Equal(6 + 8)) // 24 words in deltas of three
	})

	It("sends the ping after the first block's start, in the real API's bytes", func() {
		evs := events(c.post("/v1/messages", strings.Replace(body, `{"model"`, `{"stream":true,"model"`, 1)).body)
		Expect(evs[1]).To(Equal(event{"content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`}))
		Expect(evs[2]).To(Equal(event{"ping", `{"type": "ping"}`}))
		Expect(evs[3].name).To(Equal("content_block_delta"))
	})

	It("sends the ping right after message_start when there is no block", func() {
		r := c.post("/v1/messages", `{"stream":true,"model":"claude-haiku-4-5","max_tokens":0,"messages":[{"role":"user","content":"Hi"}]}`)
		evs := events(r.body)
		Expect(evs).To(HaveLen(4))
		Expect(evs[0].name).To(Equal("message_start"))
		Expect(evs[1:]).To(Equal([]event{
			{"ping", `{"type": "ping"}`},
			{"message_delta", `{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null,"stop_details":null},` +
				`"usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}`},
			{"message_stop", `{"type":"message_stop"}`},
		}))
	})

	It("leaves out of message_start what real streams leave out, and keeps stop_details", func() {
		r := c.post("/v1/messages", `{"stream":true,"model":"claude-sonnet-4-6","max_tokens":3,"messages":[{"role":"user","content":"Hi"}]}`)
		evs := events(r.body)
		Expect(evs[0].data).To(MatchRegexp(`^\{"type":"message_start","message":\{"model":"claude-sonnet-4-6","id":"msg_01\w{22}","type":"message",` +
			`"role":"assistant","content":\[\],"stop_reason":null,"stop_sequence":null,"stop_details":null,"usage":\{"input_tokens":11,` +
			`"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":\{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0\},` +
			`"output_tokens":1,"service_tier":"standard","inference_geo":"global"\}\}\}$`))
		Expect(evs[len(evs)-2].data).To(Equal(`{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null,"stop_details":null},` +
			`"usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}`))
	})

	It("accumulates to exactly the non-streaming message of a same-seed server", func() {
		streamed := accumulate(events(c.post("/v1/messages", strings.Replace(body, `{"model"`, `{"stream":true,"model"`, 1)).body))
		whole := plain.post("/v1/messages", body).json()
		Expect(streamed).To(Equal(whole))
	})

	It("streams a forced tool call as input_json_delta fragments, the first empty", func() {
		tool := `{"stream":true,"model":"claude-haiku-4-5","max_tokens":300,"messages":[{"role":"user","content":"Hi"}],
			"tools":[{"name":"lookup","input_schema":{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"integer"}},"required":["q","n"]}}],
			"tool_choice":{"type":"any"}}`
		evs := events(c.post("/v1/messages", tool).body)
		Expect(evs[1].name).To(Equal("content_block_start"))
		Expect(evs[1].data).To(MatchRegexp(`^\{"type":"content_block_start","index":0,"content_block":\{"type":"tool_use","id":"toolu_01\w{22}","name":"lookup","input":\{\},"caller":\{"type":"direct"\}\}\}$`))
		Expect(evs[3].data).To(Equal(`{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}`))
		streamed := accumulate(evs)
		whole := plain.post("/v1/messages", strings.Replace(tool, `"stream":true,`, "", 1)).json()
		Expect(streamed).To(Equal(whole))
	})

	It("streams thinking as thinking_delta then one signature_delta", func() {
		thinking := `{"model":"claude-haiku-4-5","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"Hi"}]}`
		evs := events(c.post("/v1/messages", strings.Replace(thinking, `{"model"`, `{"stream":true,"model"`, 1)).body)
		Expect(evs[1].data).To(Equal(`{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}`))
		Expect(evs[2].name).To(Equal("ping"))
		Expect(evs[0].data).NotTo(ContainSubstring("output_tokens_details"), "nothing is thought before the stream starts")
		Expect(evs[len(evs)-2].data).To(ContainSubstring(`"output_tokens":40,"output_tokens_details":{"thinking_tokens":16}}`))
		var kinds []string
		for _, ev := range evs {
			Expect(spec.ValidateEvent([]byte(ev.data))).To(Succeed(), ev.data)
			if strings.Contains(ev.data, `"index":0,"delta"`) {
				var d struct{ Delta struct{ Type string } }
				Expect(json.Unmarshal([]byte(ev.data), &d)).To(Succeed())
				kinds = append(kinds, d.Delta.Type)
			}
		}
		Expect(kinds).To(Equal([]string{"thinking_delta", "thinking_delta", "thinking_delta", "thinking_delta", "thinking_delta", "thinking_delta", "signature_delta"}))
		Expect(accumulate(evs)).To(Equal(plain.post("/v1/messages", thinking).json()))
	})

	It("reports errors before the stream as plain JSON, never as SSE", func() {
		r := c.post("/v1/messages", `{"stream":true,"model":"nope","max_tokens":1,"messages":[{"role":"user","content":"Hi"}]}`)
		Expect(r.header.Get("Content-Type")).To(Equal("application/json"))
		status, typ, _ := r.errorOf()
		Expect(status).To(Equal(404))
		Expect(typ).To(Equal("not_found_error"))
	})
})
