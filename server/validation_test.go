package server_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// msgs wraps a messages array in an otherwise valid request.
func msgs(messages string) string {
	return `{"model":"claude-haiku-4-5","max_tokens":100,"messages":` + messages + `}`
}

// with adds top-level fields to the valid hello request.
func with(fields string) string {
	return strings.Replace(hello, `{"model"`, "{"+fields+`,"model"`, 1)
}

var _ = Describe("Request validation", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{})
	})

	DescribeTable("each invalid request gets the real status, type and message",
		func(body string, status int, typ, message string) {
			r := c.post("/v1/messages", body)
			gotStatus, gotType, gotMessage := r.errorOf()
			Expect(gotMessage).To(Equal(message))
			Expect(gotType).To(Equal(typ))
			Expect(gotStatus).To(Equal(status))
			Expect(r.header.Get("Content-Type")).To(Equal("application/json"))
			Expect(spec.Validate("ErrorResponse", r.body)).To(Succeed())
		},
		Entry("empty body", ``, 400, "invalid_request_error", "The request body is not valid JSON: Input is a zero-length, empty document: line 1 column 1 (char 0)"),
		Entry("malformed JSON", "{\"model\":\n \"x\",}", 400, "invalid_request_error", "The request body is not valid JSON: unexpected character: line 2 column 6 (char 15)"),
		Entry("a fault after a two-byte character", `{"model":"é",}`, 400, "invalid_request_error", "The request body is not valid JSON: unexpected character: line 1 column 14 (char 13)"),
		Entry("a body cut short", `{"model":"claude-haiku-4-5"`, 400, "invalid_request_error", "The request body is not valid JSON: unexpected end of data: line 1 column 28 (char 27)"),
		Entry("a raw control character in a string", "{\"model\":\"a\nb\"}", 400, "invalid_request_error", "The request body is not valid JSON: unexpected control character in string: line 1 column 12 (char 11)"),
		Entry("a high surrogate without its pair", `{"model":"\ud83d x"}`, 400, "invalid_request_error", "The request body is not valid JSON: no low surrogate in string: line 1 column 11 (char 10)"),
		Entry("a low surrogate first", `{"model":"\ude00"}`, 400, "invalid_request_error", "The request body is not valid JSON: invalid high surrogate in string: line 1 column 11 (char 10)"),
		Entry("a high surrogate before a non-surrogate escape", `{"model":"\ud83d\u0041"}`, 400, "invalid_request_error", "The request body is not valid JSON: invalid low surrogate in string: line 1 column 11 (char 10)"),
		Entry("text after the object", `{"model":"x"} x`, 400, "invalid_request_error", "The request body is not valid JSON: unexpected content after document: line 1 column 15 (char 14)"),
		Entry("not an object", `[1,2]`, 400, "invalid_request_error", "body: Input should be a valid dictionary or object to extract fields from"),
		Entry("missing model", `{"max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`, 400, "invalid_request_error", "model: Field required"),
		Entry("missing messages", `{"model":"claude-haiku-4-5","max_tokens":10}`, 400, "invalid_request_error", "messages: Field required"),
		Entry("missing max_tokens", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`, 400, "invalid_request_error", "max_tokens: Field required"),
		Entry("empty messages", msgs(`[]`), 400, "invalid_request_error", "messages: at least one message is required"),
		Entry("unknown field", with(`"colour":"red"`), 400, "invalid_request_error", "colour: Extra inputs are not permitted"),
		Entry("unknown message field", msgs(`[{"role":"user","content":"Hi","name":"x"}]`), 400, "invalid_request_error", "messages.0.name: Extra inputs are not permitted"),
		Entry("max_tokens of the wrong type", `{"model":"claude-haiku-4-5","max_tokens":"ten","messages":[{"role":"user","content":"Hi"}]}`, 400, "invalid_request_error", "max_tokens: Input should be a valid integer"),
		Entry("negative max_tokens", `{"model":"claude-haiku-4-5","max_tokens":-1,"messages":[{"role":"user","content":"Hi"}]}`, 400, "invalid_request_error", "max_tokens: Input should be greater than or equal to 0"),
		Entry("max_tokens above the model's maximum", `{"model":"claude-opus-4-5-20251101","max_tokens":128001,"messages":[{"role":"user","content":"Hi"}]}`, 400, "invalid_request_error", "max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens for claude-opus-4-5-20251101"),
		Entry("unknown model", `{"model":"claude-3-7-sonnet-latestx","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`, 404, "not_found_error", "model: claude-3-7-sonnet-latestx"),
		Entry("wrong role", msgs(`[{"role":"system","content":"Hi"}]`), 400, "invalid_request_error", "messages.0.role: Input should be 'user' or 'assistant'"),
		Entry("missing role", msgs(`[{"content":"Hi"}]`), 400, "invalid_request_error", "messages.0.role: Field required"),
		Entry("missing content", msgs(`[{"role":"user"}]`), 400, "invalid_request_error", "messages.0.content: Field required"),
		Entry("empty content string", msgs(`[{"role":"user","content":""}]`), 400, "invalid_request_error", "messages.0: all messages must have non-empty content except for the optional final assistant message"),
		Entry("empty content list", msgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":[]},{"role":"user","content":"Hi"}]`), 400, "invalid_request_error", "messages.1: all messages must have non-empty content except for the optional final assistant message"),
		Entry("empty text block", msgs(`[{"role":"user","content":[{"type":"text","text":""}]}]`), 400, "invalid_request_error", "messages: text content blocks must be non-empty"),
		Entry("whitespace text block", msgs(`[{"role":"user","content":[{"type":"text","text":"  "}]}]`), 400, "invalid_request_error", "messages: text content blocks must contain non-whitespace text"),
		Entry("block without type", msgs(`[{"role":"user","content":[{"text":"x"}]}]`), 400, "invalid_request_error", "messages.0.content.0: Unable to extract tag using discriminator 'type'"),
		Entry("trailing whitespace in prefill", `{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well "}]}`, 400, "invalid_request_error", "messages: final assistant content cannot end with trailing whitespace"),
		Entry("prefill on a model without it", `{"model":"claude-opus-4-6","max_tokens":10,"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well"}]}`, 400, "invalid_request_error", "This model does not support assistant message prefill. The conversation must end with a user message."),
		Entry("five cache breakpoints", `{"model":"claude-haiku-4-5","max_tokens":10,"cache_control":{"type":"ephemeral"},"messages":[{"role":"user","content":[`+
			strings.Repeat(`{"type":"text","text":"a","cache_control":{"type":"ephemeral"}},`, 4)+`{"type":"text","text":"b"}]}]}`,
			400, "invalid_request_error", "A maximum of 4 blocks with cache_control may be provided. Found 5."),
		Entry("bad cache ttl", msgs(`[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral","ttl":"2h"}}]}]`), 400, "invalid_request_error", "messages.0.content.0.text.cache_control.ephemeral.ttl: Input should be '5m' or '1h'"),
		Entry("bad cache_control type", msgs(`[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"persistent"}}]}]`), 400, "invalid_request_error", "messages.0.content.0.text.cache_control: Input tag 'persistent' found using 'type' does not match any of the expected tags: 'ephemeral'"),
		Entry("cache_control without a type", with(`"cache_control":{"ttl":"1h"}`), 400, "invalid_request_error", "cache_control: Unable to extract tag using discriminator 'type'"),
		Entry("cache_control scope on a system block without its beta", with(`"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","scope":"global"}}]`), 400, "invalid_request_error", "system.0.cache_control.ephemeral.scope: Extra inputs are not permitted"),
		Entry("cache_control scope on a tool without its beta", with(`"tools":[{"name":"t","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral","scope":"global"}}]`), 400, "invalid_request_error", "tools.0.custom.cache_control.ephemeral.scope: Extra inputs are not permitted"),
		Entry("cache_control on a thinking block", msgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s","cache_control":{"type":"ephemeral"}},{"type":"text","text":"a"}]},{"role":"user","content":"more"}]`), 400, "invalid_request_error", "messages.1.content.0.thinking.cache_control: Extra inputs are not permitted"),
		Entry("a text block without text", msgs(`[{"role":"user","content":[{"type":"text"}]}]`), 400, "invalid_request_error", "messages.0.content.0.text.text: Field required"),
		Entry("a system block without text", with(`"system":[{"type":"text"}]`), 400, "invalid_request_error", "system.0.text: Field required"),
		Entry("a tool_use without id", msgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"tool_use","name":"t","input":{}}]}]`), 400, "invalid_request_error", "messages.1.content.0.tool_use.id: Field required"),
		Entry("a tool_use without input", msgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t"}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"x"}]}]`), 400, "invalid_request_error", "messages.1.content.0.tool_use.input: Field required"),
		Entry("a tool_use whose input is no object", msgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":"x"}]}]`), 400, "invalid_request_error", "messages.1.content.0.tool_use.input: Input should be a valid dictionary"),
		Entry("a tool_use without name", msgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","input":{}}]}]`), 400, "invalid_request_error", "messages.1.content.0.tool_use.name: Field required"),
		Entry("a tool_result without tool_use_id", msgs(`[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]`), 400, "invalid_request_error", "messages.0.content.0.tool_result.tool_use_id: Field required"),
		Entry("context_management without its beta", with(`"context_management":{"edits":[]}`), 400, "invalid_request_error", "context_management: Extra inputs are not permitted"),
		Entry("an empty stop sequence", with(`"stop_sequences":["END",""]`), 400, "invalid_request_error", "stop_sequences: each stop sequence must be non-empty"),
		Entry("a whitespace stop sequence", with(`"stop_sequences":["\n"]`), 400, "invalid_request_error", "stop_sequences: each stop sequence must contain non-whitespace"),
		Entry("tool_use without tool_result", msgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_9","name":"t","input":{}}]},{"role":"user","content":"and?"}]`), 400, "invalid_request_error", "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_9. Each `tool_use` block must have a corresponding `tool_result` block in the next message."),
		Entry("tool_result without tool_use", msgs(`[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_8","content":"x"}]}]`), 400, "invalid_request_error", "messages.0.content: unexpected `tool_use_id` found in `tool_result` blocks: toolu_8. Each `tool_result` block must have a corresponding `tool_use` block in the previous message."),
		Entry("tool without input_schema", with(`"tools":[{"name":"t"}]`), 400, "invalid_request_error", "tools.0.custom.input_schema: Field required"),
		Entry("tool with a bad name", with(`"tools":[{"name":"bad name","input_schema":{"type":"object"}}]`), 400, "invalid_request_error", "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"),
		Entry("duplicate tool names", with(`"tools":[{"name":"t","input_schema":{}},{"name":"t","input_schema":{}}]`), 400, "invalid_request_error", "tools: Tool names must be unique."),
		Entry("forced tool that does not exist", with(`"tools":[{"name":"t","input_schema":{}}],"tool_choice":{"type":"tool","name":"u"}`), 400, "invalid_request_error", "tool_choice.name: Tool 'u' not found in tools"),
		Entry("tool_choice without tools", with(`"tool_choice":{"type":"any"}`), 400, "invalid_request_error", "tool_choice.any may only be specified while providing tools"),
		Entry("tool_choice tool with an empty tool list", with(`"tools":[],"tool_choice":{"type":"tool","name":"t"}`), 400, "invalid_request_error", "tool_choice.tool may only be specified while providing tools"),
		Entry("tool_choice tool without a name", with(`"tools":[{"name":"t","input_schema":{}}],"tool_choice":{"type":"tool"}`), 400, "invalid_request_error", "tool_choice.tool.name: Field required"),
		Entry("tool_choice none with a parallel flag", with(`"tools":[{"name":"t","input_schema":{}}],"tool_choice":{"type":"none","disable_parallel_tool_use":true}`), 400, "invalid_request_error", "tool_choice.none.disable_parallel_tool_use: Extra inputs are not permitted"),
		Entry("tool_choice of an unknown type", with(`"tools":[{"name":"t","input_schema":{}}],"tool_choice":{"type":"required"}`), 400, "invalid_request_error", "tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool' or 'none'"),
		Entry("thinking budget too small", with(`"thinking":{"type":"enabled","budget_tokens":100}`), 400, "invalid_request_error", "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"),
		Entry("thinking budget above max_tokens", with(`"thinking":{"type":"enabled","budget_tokens":2000}`), 400, "invalid_request_error", "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"),
		Entry("thinking with a forced tool", `{"model":"claude-haiku-4-5","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"tools":[{"name":"t","input_schema":{}}],"tool_choice":{"type":"any"},"messages":[{"role":"user","content":"Hi"}]}`,
			400, "invalid_request_error", "Thinking may not be enabled when tool_choice forces tool use."),
		Entry("adaptive thinking on a model without it", `{"model":"claude-haiku-4-5","max_tokens":2000,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"Hi"}]}`,
			400, "invalid_request_error", "adaptive thinking is not supported on this model"),
		Entry("budgeted thinking on an adaptive-only model", `{"model":"claude-opus-4-8","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"Hi"}]}`,
			400, "invalid_request_error", `"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`),
		Entry("thinking without a type", with(`"thinking":{"budget_tokens":1024}`), 400, "invalid_request_error", "thinking: Unable to extract tag using discriminator 'type'"),
		Entry("thinking with a key its type lacks", with(`"thinking":{"type":"disabled","budget_tokens":1024}`), 400, "invalid_request_error", "thinking.disabled.budget_tokens: Extra inputs are not permitted"),
		Entry("thinking of an unknown type", with(`"thinking":{"type":"deep"}`), 400, "invalid_request_error", "thinking: Input tag 'deep' found using 'type' does not match any of the expected tags: 'enabled', 'disabled' or 'adaptive'"),
		Entry("temperature out of range", with(`"temperature":1.5`), 400, "invalid_request_error", "temperature: Input should be less than or equal to 1"),
		Entry("bad service_tier", with(`"service_tier":"priority"`), 400, "invalid_request_error", "service_tier: Input should be 'auto' or 'standard_only'"),
		Entry("unknown metadata field", with(`"metadata":{"user":"x"}`), 400, "invalid_request_error", "metadata.user: Extra inputs are not permitted"),
		Entry("stream of the wrong type", with(`"stream":"yes"`), 400, "invalid_request_error", "stream: Input should be a valid boolean"),
		Entry("bad image media type", msgs(`[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"AAAA"}}]}]`), 400, "invalid_request_error", "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"),
		Entry("prompt longer than the context window", msgs(`[{"role":"user","content":"`+strings.Repeat("abcd", 210000)+`"}]`), 400, "invalid_request_error", "prompt is too long: 210010 tokens > 200000 maximum"),
	)

	It("reports the same fault every time when a body has several", func() {
		body := with(`"zeta":1,"alpha":2,"max_tokens":"x"`)
		for range 20 {
			_, _, msg := c.post("/v1/messages", body).errorOf()
			Expect(msg).To(Equal("alpha: Extra inputs are not permitted"))
		}
	})

	It("names an unknown block type and lists the allowed ones", func() {
		_, _, msg := c.post("/v1/messages", msgs(`[{"role":"user","content":[{"type":"video"}]}]`)).errorOf()
		Expect(msg).To(HavePrefix("messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', 'document',"))
	})

	It("refuses a content type that is not JSON", func() {
		status, typ, msg := c.post("/v1/messages", hello, "content-type", "", "content-type", "text/plain").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", `content-type: expected application/json, got "text/plain"`}))
	})

	It("takes tool_choice auto or none without tools", func() {
		for _, choice := range []string{`{"type":"auto"}`, `{"type":"none"}`} {
			r := c.post("/v1/messages", with(`"tools":[],"tool_choice":`+choice))
			Expect(r.status).To(Equal(200), string(r.body))
		}
	})

	It("takes a body without a content type as JSON", func() {
		Expect(c.post("/v1/messages", hello, "content-type", "").status).To(Equal(200))
	})

	It("answers unknown routes and methods with the envelope", func() {
		status, typ, msg := c.do("GET", "/v1/nothing", "").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "Not Found"}))
		status, typ, msg = c.do("GET", "/v1/messages", "").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{405, "invalid_request_error", "Method Not Allowed"}))
	})
})

var _ = Describe("Authentication", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{APIKeys: []string{"good-key"}})
	})

	It("needs a key before anything else", func() {
		status, typ, msg := c.post("/v1/messages", hello, "x-api-key", "", "anthropic-version", "").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{401, "authentication_error", "x-api-key header is required"}))
	})

	It("refuses keys outside the configured list", func() {
		status, typ, msg := c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "bad-key").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{401, "authentication_error", "invalid x-api-key"}))
	})

	It("accepts a listed key as x-api-key or as a bearer token", func() {
		Expect(c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "good-key").status).To(Equal(200))
		Expect(c.post("/v1/messages", hello, "x-api-key", "", "authorization", "Bearer good-key").status).To(Equal(200))
	})

	It("needs the anthropic-version header", func() {
		status, typ, msg := c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "good-key", "anthropic-version", "").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", "anthropic-version: header is required"}))
	})

	It("accepts any key when none is configured", func() {
		open := newClient(server.Options{})
		Expect(open.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "anything").status).To(Equal(200))
	})
})

var _ = Describe("Panics", func() {
	It("become a 500 api_error with the request id", func() {
		s, err := server.New(server.Options{})
		Expect(err).NotTo(HaveOccurred())
		server.AddPanicRoute(s)
		c := &client{h: s.Handler(), headers: map[string]string{}}
		r := c.do("GET", "/_mock/test-panic", "")
		status, typ, msg := r.errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{500, "api_error", "Internal server error"}))
	})
})
