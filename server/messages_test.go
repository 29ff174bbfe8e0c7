package server_test

import (
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("POST /v1/messages", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 42})
	})

	It("answers with a Message the OpenAPI document accepts", func() {
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("Content-Type")).To(Equal("application/json"))
		Expect(r.header.Get("request-id")).To(MatchRegexp(`^req_011C[1-9A-HJ-NP-Za-km-z]{20}$`))
		Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
		m := r.json()
		Expect(m["id"]).To(MatchRegexp(`^msg_01[1-9A-HJ-NP-Za-km-z]{22}$`))
		Expect(m["model"]).To(Equal("claude-haiku-4-5-20251001"))
		Expect(m["type"]).To(Equal("message"))
		Expect(m["role"]).To(Equal("assistant"))
		Expect(m["stop_reason"]).To(Equal("end_turn"))
		Expect(m["stop_sequence"]).To(BeNil())
		usage := m["usage"].(map[string]any)
		Expect(usage["input_tokens"]).To(BeEquivalentTo(7 + 3 + 2)) // request + message + "Hello"
		Expect(usage["output_tokens"]).To(BeEquivalentTo(server.DefaultReplyTokens))
		Expect(usage["service_tier"]).To(Equal("standard"))
		text := m["content"].([]any)[0].(map[string]any)["text"].(string)
		Expect(strings.Fields(text)).To(HaveLen(server.DefaultReplyTokens))
	})

	It("has exactly the keys of a real reply, in the real order, and no null a strict client refuses", func() {
		r := c.post("/v1/messages", hello)
		Expect(string(r.body)).To(MatchRegexp(`^\{"model":"claude-haiku-4-5-20251001","id":"msg_01\w{22}","type":"message","role":"assistant",` +
			`"content":\[\{"type":"text","text":"[^"]+"\}\],"stop_reason":"end_turn","stop_sequence":null,"stop_details":null,` +
			`"usage":\{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,` +
			`"cache_creation":\{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0\},"output_tokens":24,` +
			`"service_tier":"standard","inference_geo":"not_available"\}\}$`))
		Expect(spec.ValidateResponse("post", "/v1/messages?beta=true", 200, r.body)).To(Succeed())
	})

	DescribeTable("reports usage.inference_geo as a string, never null",
		func(model, geo, want string) {
			body := `{"model":"` + model + `","max_tokens":100,` + geo + `"messages":[{"role":"user","content":"Hi"}]}`
			r := c.post("/v1/messages", body)
			Expect(r.status).To(Equal(200), string(r.body))
			Expect(r.json()["usage"].(map[string]any)["inference_geo"]).To(Equal(want))
			Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
		},
		Entry("a model older than Opus 4.6", "claude-haiku-4-5", ``, "not_available"),
		Entry("Sonnet 4.6 by default", "claude-sonnet-4-6", ``, "global"),
		Entry("Opus 4.8 by default", "claude-opus-4-8", ``, "global"),
		Entry("Sonnet 4.6 asked for us", "claude-sonnet-4-6", `"inference_geo":"us",`, "us"),
		Entry("Sonnet 4.6 asked for global", "claude-sonnet-4-6", `"inference_geo":"global",`, "global"),
		Entry("Sonnet 4.6 with inference_geo null", "claude-sonnet-4-6", `"inference_geo":null,`, "global"),
	)

	It("gives byte-identical responses for the same seed and request sequence", func() {
		other := newClient(server.Options{Seed: 42})
		for range 3 {
			a, b := c.post("/v1/messages", hello), other.post("/v1/messages", hello)
			Expect(a.body).To(Equal(b.body))
			Expect(a.header.Get("request-id")).To(Equal(b.header.Get("request-id")))
		}
	})

	It("gives different ids and text under another seed", func() {
		other := newClient(server.Options{Seed: 43})
		Expect(c.post("/v1/messages", hello).body).NotTo(Equal(other.post("/v1/messages", hello).body))
	})

	It("honours a configured reply length and cuts at max_tokens", func() {
		c = newClient(server.Options{Seed: 42, ReplyTokens: 50})
		m := c.post("/v1/messages", strings.Replace(hello, `"max_tokens":100`, `"max_tokens":7`, 1)).json()
		Expect(m["stop_reason"]).To(Equal("max_tokens"))
		Expect(m["usage"].(map[string]any)["output_tokens"]).To(BeEquivalentTo(7))
	})

	It("stops at a stop sequence and reports it", func() {
		body := `{"model":"claude-haiku-4-5","max_tokens":100,"stop_sequences":["."],"messages":[{"role":"user","content":"Hello"}]}`
		r := c.post("/v1/messages", body)
		m := r.json()
		Expect(m["stop_reason"]).To(Equal("stop_sequence"))
		Expect(m["stop_sequence"]).To(Equal("."))
		text := m["content"].([]any)[0].(map[string]any)["text"].(string)
		Expect(text).NotTo(ContainSubstring("."))
		Expect(m["usage"].(map[string]any)["output_tokens"]).To(BeEquivalentTo(len(strings.Fields(text)) + 1))
		Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
	})

	It("calls a forced tool with an input that fits its schema", func() {
		body := `{"model":"claude-haiku-4-5","max_tokens":500,"messages":[{"role":"user","content":"Weather?"}],
			"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"},"unit":{"enum":["c","f"]}},"required":["city","unit"]}}],
			"tool_choice":{"type":"tool","name":"get_weather"}}`
		r := c.post("/v1/messages", body)
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
		m := r.json()
		Expect(m["stop_reason"]).To(Equal("tool_use"))
		block := m["content"].([]any)[0].(map[string]any)
		Expect(block["type"]).To(Equal("tool_use"))
		Expect(block["name"]).To(Equal("get_weather"))
		Expect(block["id"]).To(MatchRegexp(`^toolu_01[1-9A-HJ-NP-Za-km-z]{22}$`))
		input := block["input"].(map[string]any)
		Expect(input).To(HaveKey("city"))
		Expect(input["unit"]).To(BeElementOf("c", "f"))
		Expect(block["caller"]).To(Equal(map[string]any{"type": "direct"}))
		Expect(block).To(HaveLen(5), "type, id, name, input, caller")
	})

	It("thinks first when thinking is enabled", func() {
		r := c.post("/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"Hi"}]}`)
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
		m := r.json()
		content := m["content"].([]any)
		Expect(content[0].(map[string]any)["type"]).To(Equal("thinking"))
		Expect(content[0].(map[string]any)["signature"]).To(HavePrefix("Es"))
		Expect(content[1].(map[string]any)["type"]).To(Equal("text"))
		usage := m["usage"].(map[string]any)
		Expect(usage["output_tokens"]).To(BeEquivalentTo(server.DefaultReplyTokens + 16))
		Expect(usage["output_tokens_details"]).To(Equal(map[string]any{"thinking_tokens": 16.0}))
		Expect(content[1]).To(HaveLen(2), "a text block has type and text only")
	})

	It("answers in text when tools are offered but not forced", func() {
		body := `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hi"}],
			"tools":[{"name":"t","input_schema":{"type":"object"}}]}`
		m := c.post("/v1/messages", body).json()
		Expect(m["stop_reason"]).To(Equal("end_turn"))
		Expect(m["content"].([]any)[0].(map[string]any)["type"]).To(Equal("text"))
	})

	It("accepts every field of a full request from the SDK", func() {
		body := `{"model":"claude-opus-4-5","max_tokens":2048,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
			"messages":[{"role":"user","content":[{"type":"text","text":"Look","cache_control":{"type":"ephemeral"}},
				{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
				{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Some text"},"title":"t"}]},
				{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":{"a":1}}]},
				{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"42"}]}],
			"tools":[{"name":"t","description":"d","input_schema":{"type":"object"},"strict":true}],
			"tool_choice":{"type":"auto","disable_parallel_tool_use":true},
			"thinking":{"type":"enabled","budget_tokens":1024},"stop_sequences":["END"],"temperature":0.5,"top_p":0.9,"top_k":5,
			"metadata":{"user_id":"u-1"},"service_tier":"standard_only","stream":false,"cache_control":{"type":"ephemeral"},
			"output_config":{"effort":"low"},"inference_geo":"us","container":null,"speed":"standard"}`
		r := c.post("/v1/messages?beta=true", body, "anthropic-beta", "context-1m-2025-08-07,files-api-2025-04-14", "anthropic-beta", "token-counting-2024-11-01")
		Expect(r.status).To(Equal(200), string(r.body))
	})

	It("accepts every top-level field the OpenAPI document lists", func() {
		props := append(spec.Properties("CreateMessageParams"), spec.Properties("BetaCreateMessageParams")...)
		for _, name := range props {
			var raw map[string]json.RawMessage
			Expect(json.Unmarshal([]byte(hello), &raw)).To(Succeed())
			if _, set := raw[name]; !set {
				raw[name] = json.RawMessage("null")
			}
			body, _ := json.Marshal(raw)
			r := c.post("/v1/messages", string(body))
			Expect(r.status).To(Equal(200), name+": "+string(r.body))
		}
	})

	It("routes under a base-URL path prefix", func() {
		Expect(c.post("/anthropic/v1/messages?beta=true", hello).status).To(Equal(200))
	})
})

var _ = Describe("POST /v1/messages/count_tokens", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{})
	})

	It("counts what usage.input_tokens reports, without max_tokens", func() {
		body := `{"model":"claude-haiku-4-5","system":"You are terse.","messages":[{"role":"user","content":"Hello there, how are you?"}],
			"tools":[{"name":"t","input_schema":{"type":"object"}}]}`
		r := c.post("/v1/messages/count_tokens", body)
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(spec.ValidateResponse("post", "/v1/messages/count_tokens", 200, r.body)).To(Succeed())
		count := r.json()["input_tokens"]
		withMax := strings.Replace(body, `{"model"`, `{"max_tokens":10,"model"`, 1)
		usage := c.post("/v1/messages", withMax).json()["usage"].(map[string]any)
		Expect(usage["input_tokens"]).To(Equal(count))
		// request 7; system 3 + "You are terse." 4; message 3 + text 7;
		// tool: its 45-byte JSON 12 + 5; tool-use system prompt 346.
		Expect(count).To(BeEquivalentTo(7 + 3 + 4 + 3 + 7 + 12 + 5 + 346))
	})

	It("refuses max_tokens, which it does not take", func() {
		_, typ, msg := c.post("/v1/messages/count_tokens", hello).errorOf()
		Expect(typ).To(Equal("invalid_request_error"))
		Expect(msg).To(Equal("max_tokens: Extra inputs are not permitted"))
	})
})
