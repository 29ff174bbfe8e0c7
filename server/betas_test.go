package server_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// opusWith is a request to claude-opus-4-8 with extra top-level fields.
func opusWith(fields string) string {
	return `{"model":"claude-opus-4-8","max_tokens":2000,` + fields + `,"messages":[{"role":"user","content":"Hello"}]}`
}

var _ = Describe("Betas and the fields clients send", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 11})
	})

	DescribeTable("accepts every beta Claude Code and the frameworks send, without changing the answer's keys",
		func(beta string) {
			plain := c.post("/v1/messages", hello).json()
			r := c.post("/v1/messages", hello, "anthropic-beta", beta)
			Expect(r.status).To(Equal(200), string(r.body))
			m := r.json()
			Expect(keys(m)).To(Equal(keys(plain)))
			Expect(m["type"]).To(Equal("message"))
		},
		Entry(nil, "claude-code-20250219"),
		Entry(nil, "oauth-2025-04-20"),
		Entry(nil, "context-1m-2025-08-07"),
		Entry(nil, "interleaved-thinking-2025-05-14"),
		Entry(nil, "fine-grained-tool-streaming-2025-05-14"),
		Entry(nil, "token-efficient-tools-2025-02-19"),
		Entry(nil, "effort-2025-11-24"),
		Entry(nil, "structured-outputs-2025-11-13"),
		Entry(nil, "structured-outputs-2025-12-15"),
		Entry(nil, "prompt-caching-scope-2026-01-05"),
		Entry(nil, "context-management-2025-06-27"),
		Entry(nil, "mid-conversation-system-2026-04-07"),
		Entry(nil, "extended-cache-ttl-2025-04-11"),
		Entry(nil, "thinking-token-count-2026-05-13"),
		Entry(nil, "advanced-tool-use-2025-11-20"),
		Entry(nil, "fallback-credit-2026-06-01"),
		Entry(nil, "redact-thinking-2026-02-12"),
		Entry(nil, "output-128k-2025-02-19"),
		Entry("Claude Code's whole default list in one header", "claude-code-20250219,oauth-2025-04-20,context-1m-2025-08-07,"+
			"interleaved-thinking-2025-05-14,thinking-token-count-2026-05-13,context-management-2025-06-27,"+
			"prompt-caching-scope-2026-01-05,mid-conversation-system-2026-04-07,effort-2025-11-24,"+
			"fallback-credit-2026-06-01,extended-cache-ttl-2025-04-11"),
	)

	It("thinks adaptively and accepts an effort level on Claude Code's default model", func() {
		r := c.post("/v1/messages", opusWith(`"thinking":{"type":"adaptive"},"output_config":{"effort":"high"}`),
			"anthropic-beta", "effort-2025-11-24,interleaved-thinking-2025-05-14")
		Expect(r.status).To(Equal(200), string(r.body))
		content := r.json()["content"].([]any)
		Expect(content[0].(map[string]any)["type"]).To(Equal("thinking"))
		Expect(content[1].(map[string]any)["type"]).To(Equal("text"))
	})

	It("lets adaptive thinking go with a forced tool, as a recorded exchange on Claude Opus 4.6 did", func() {
		body := `{"model":"claude-opus-4-6","max_tokens":2000,"thinking":{"type":"adaptive"},
			"tools":[{"name":"lookup","input_schema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}],
			"tool_choice":{"type":"any"},"messages":[{"role":"user","content":"Look it up"}]}`
		r := c.post("/v1/messages", body)
		Expect(r.status).To(Equal(200), string(r.body))
		m := r.json()
		Expect(m["stop_reason"]).To(Equal("tool_use"))
		content := m["content"].([]any)
		Expect(content[0].(map[string]any)["type"]).To(Equal("thinking"))
		Expect(content[1].(map[string]any)["name"]).To(Equal("lookup"))
	})

	Context("context_management", func() {
		const edits = `"context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]}`
		const beta = "context-management-2025-06-27"

		It("adds context_management with no applied edits to the Message", func() {
			r := c.post("/v1/messages", opusWith(`"thinking":{"type":"adaptive"},`+edits), "anthropic-beta", beta)
			Expect(r.status).To(Equal(200), string(r.body))
			Expect(r.json()["context_management"]).To(Equal(map[string]any{"applied_edits": []any{}}))
			Expect(spec.Validate("BetaResponseContextManagement", []byte(`{"applied_edits":[]}`))).To(Succeed())
		})

		It("sends it with message_delta in a stream, and not in message_start", func() {
			body := strings.Replace(opusWith(edits), `"max_tokens":2000`, `"max_tokens":2000,"stream":true`, 1)
			r := c.post("/v1/messages", body, "anthropic-beta", "compact-2026-01-12")
			Expect(r.status).To(Equal(200))
			for _, ev := range events(r.body) {
				var data map[string]any
				Expect(json.Unmarshal([]byte(ev.data), &data)).To(Succeed())
				switch ev.name {
				case "message_start":
					Expect(data["message"]).NotTo(HaveKey("context_management"))
				case "message_delta":
					Expect(data["context_management"]).To(Equal(map[string]any{"applied_edits": []any{}}))
				}
			}
		})

		It("adds the original count to count_tokens", func() {
			r := c.post("/v1/messages/count_tokens", `{"model":"claude-opus-4-8",`+edits+`,"messages":[{"role":"user","content":"Hello"}]}`,
				"anthropic-beta", beta)
			Expect(r.status).To(Equal(200), string(r.body))
			Expect(r.json()).To(Equal(map[string]any{"input_tokens": 12.0, "context_management": map[string]any{"original_input_tokens": 12.0}}))
			Expect(spec.ValidateResponse("post", "/v1/messages/count_tokens?beta=true", 200, r.body)).To(Succeed())
		})

		It("leaves the key out when the request did not ask for it", func() {
			Expect(c.post("/v1/messages", hello, "anthropic-beta", beta).json()).NotTo(HaveKey("context_management"))
		})
	})

	Context("cache_control scope with the prompt-caching-scope beta", func() {
		const scoped = `"cache_control":{"type":"ephemeral","scope":"global"}`

		It("is accepted on system blocks, tools, message blocks and the top level", func() {
			body := `{"model":"claude-opus-4-8","max_tokens":100,` + scoped + `,
				"system":[{"type":"text","text":"You are Claude Code.",` + scoped + `}],
				"tools":[{"name":"Read","input_schema":{"type":"object"},` + scoped + `}],
				"messages":[{"role":"user","content":[{"type":"text","text":"hi",` + scoped + `}]}]}`
			r := c.post("/v1/messages", body, "anthropic-beta", "claude-code-20250219,prompt-caching-scope-2026-01-05")
			Expect(r.status).To(Equal(200), string(r.body))
		})

		It("still checks the rest of cache_control", func() {
			body := opusWith(`"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","scope":"global","ttl":"2h"}}]`)
			_, _, msg := c.post("/v1/messages", body, "anthropic-beta", "prompt-caching-scope-2026-01-05").errorOf()
			Expect(msg).To(Equal("system.0.cache_control.ephemeral.ttl: Input should be '5m' or '1h'"))
		})
	})

	Context("whitespace-only text", func() {
		It("is accepted before a tool_use in an assistant turn, as real exchanges send it back", func() {
			body := msgs(seq(userHi,
				`{"role":"assistant","content":[{"type":"text","text":"\n\n"},{"type":"tool_use","id":"toolu_1","name":"t","input":{}}]}`,
				toolResult))
			body = strings.Replace(body, `"messages"`, `"tools":[{"name":"t","input_schema":{"type":"object"}}],"messages"`, 1)
			r := c.post("/v1/messages", body)
			Expect(r.status).To(Equal(200), string(r.body))
		})

		DescribeTable("is refused everywhere else",
			func(messages string) {
				_, _, msg := c.post("/v1/messages", msgs(messages)).errorOf()
				Expect(msg).To(Equal("messages: text content blocks must contain non-whitespace text"))
			},
			Entry("after the tool_use", seq(userHi,
				`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":{}},{"type":"text","text":"  "}]}`, toolResult)),
			Entry("in an assistant turn without a tool call", seq(userHi,
				`{"role":"assistant","content":[{"type":"text","text":"\n"},{"type":"text","text":"Hello"}]}`, userOK)),
			Entry("in a user turn beside a tool result", seq(userHi, toolUse,
				`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r"},{"type":"text","text":" "}]}`)),
		)
	})
})

// keys lists a JSON object's keys in sorted order.
func keys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
