package server_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// onOpus wraps a messages array in a request to Claude Code's default
// model, which takes mid-conversation system messages.
func onOpus(messages string) string {
	return `{"model":"claude-opus-4-8","max_tokens":100,"messages":` + messages + `}`
}

const (
	midBeta       = "mid-conversation-system-2026-04-07"
	directiveNote = "; the directive-only form (content: [] with output_config) is accepted at any position"
	userHi        = `{"role":"user","content":"Hi"}`
	assistantHey  = `{"role":"assistant","content":"Hello"}`
	userOK        = `{"role":"user","content":"ok"}`
	toolUse       = `{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"w","input":{}}]}`
	toolResult    = `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r"}]}`
)

// sys is a system message with the given content JSON.
func sys(content string) string { return `{"role":"system","content":` + content + `}` }

// seq joins messages into a JSON array.
func seq(msgs ...string) string { return "[" + strings.Join(msgs, ",") + "]" }

var _ = Describe("Mid-conversation system messages", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 7})
	})

	It("answers Claude Code's shape: a system reminder after a tool result, with the beta", func() {
		body := onOpus(seq(userHi, toolUse, toolResult, sys(`"Keep answers short."`)))
		r := c.post("/v1/messages", body, "anthropic-beta", "claude-code-20250219,"+midBeta+",effort-2025-11-24")
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(r.json()["stop_reason"]).To(Equal("end_turn"))
		Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
	})

	It("takes them on a model that has the feature without the beta, as the docs say", func() {
		r := c.post("/v1/messages", onOpus(seq(userHi, sys(`[{"type":"text","text":"Be brief."}]`))))
		Expect(r.status).To(Equal(200), string(r.body))
	})

	It("streams an answer to a conversation that ends in a system message", func() {
		body := strings.Replace(onOpus(seq(userHi, sys(`"Be brief."`))), `"max_tokens":100`, `"max_tokens":100,"stream":true`, 1)
		r := c.post("/v1/messages", body, "anthropic-beta", midBeta)
		Expect(r.status).To(Equal(200))
		evs := events(r.body)
		Expect(evs[0].name).To(Equal("message_start"))
		Expect(evs[len(evs)-1].name).To(Equal("message_stop"))
	})

	DescribeTable("refuses them on a model without the feature",
		func(extra []string, message string) {
			body := msgs(seq(userHi, sys(`"Be brief."`)))
			status, typ, msg := c.post("/v1/messages", body, extra...).errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", message}))
		},
		Entry("without the beta: the schema's role error", nil, "messages.1.role: Input should be 'user' or 'assistant'"),
		Entry("with the beta, comma-joined", []string{"anthropic-beta", "interleaved-thinking-2025-05-14," + midBeta},
			"messages.1: role 'system' is not supported on this model"),
		Entry("with the beta, on a header line of its own", []string{"anthropic-beta", "interleaved-thinking-2025-05-14", "anthropic-beta", midBeta},
			"messages.1: role 'system' is not supported on this model"),
	)

	It("names the roles a supporting model takes when the role is unknown", func() {
		_, _, msg := c.post("/v1/messages", onOpus(seq(userHi, `{"role":"tool","content":"x"}`))).errorOf()
		Expect(msg).To(Equal("messages.1.role: Input should be 'user', 'assistant' or 'system'"))
	})

	DescribeTable("places them where the real API does (its recorded 400s)",
		func(messages, message string) {
			status, typ, msg := c.post("/v1/messages", onOpus(messages), "anthropic-beta", midBeta).errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", message}))
		},
		Entry("after a plain assistant turn", seq(userHi, assistantHey, sys(`"x"`), userOK),
			"messages.2: role 'system' must follow a 'user' message or an 'assistant' message ending in a server tool result"+directiveNote),
		Entry("a group after an assistant turn names its first", seq(userHi, assistantHey, sys(`"one"`), sys(`"two"`), userOK),
			"messages.2: role 'system' must follow a 'user' message or an 'assistant' message ending in a server tool result"+directiveNote),
		Entry("a group before a user turn names its last", seq(userHi, sys(`"one"`), sys(`"two"`), userOK),
			"messages.2: role 'system' must precede an 'assistant' message or end the array"+directiveNote),
		Entry("positions count the client's array, merged turns and all", seq(userHi, `{"role":"user","content":"there"}`, assistantHey, sys(`"one"`), userOK),
			"messages.3: role 'system' must follow a 'user' message or an 'assistant' message ending in a server tool result"+directiveNote),
		Entry("first", seq(sys(`"one"`), sys(`"two"`), userOK),
			"messages.0: use the top-level 'system' parameter for the initial system prompt"+directiveNote),
		Entry("between a tool_use and its result", seq(userHi, toolUse, sys(`"x"`), toolResult),
			"messages.2: role 'system' must follow a 'user' message or an 'assistant' message ending in a server tool result"+directiveNote),
		Entry("empty list content", seq(userHi, sys(`[]`)), "messages.1: system content must contain at least one block"),
		Entry("empty string content", seq(userHi, sys(`""`)), "messages.1: system content must contain at least one block"),
		Entry("an empty text block", seq(userHi, sys(`[{"type":"text","text":""}]`)), "messages: text content blocks must be non-empty"),
		Entry("an image block", seq(userHi, sys(`[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]`)),
			"messages.1: role 'system' supports text, tool_addition, and tool_removal blocks only"),
	)

	DescribeTable("accepts them where the real API does",
		func(messages string) {
			r := c.post("/v1/messages", onOpus(messages), "anthropic-beta", midBeta)
			Expect(r.status).To(Equal(200), string(r.body))
		},
		Entry("last, after a user turn", seq(userHi, sys(`"x"`))),
		Entry("groups before an assistant turn and at the end", seq(userHi, sys(`"one"`), sys(`"two"`), assistantHey, userOK, sys(`"last"`))),
		Entry("after an assistant turn ending in a server tool result", seq(userHi,
			`{"role":"assistant","content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},`+
				`{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}]}`, sys(`"Cite sources."`))),
		Entry("whitespace as string content", seq(userHi, sys(`" "`))),
	)

	It("counts a system message as the same text in the top-level system field", func() {
		inline := c.post("/v1/messages/count_tokens", `{"model":"claude-opus-4-8","messages":`+seq(userHi, sys(`"Answer in one short sentence."`))+`}`)
		top := c.post("/v1/messages/count_tokens", `{"model":"claude-opus-4-8","system":"Answer in one short sentence.","messages":`+seq(userHi)+`}`)
		bare := c.post("/v1/messages/count_tokens", `{"model":"claude-opus-4-8","messages":`+seq(userHi)+`}`)
		Expect(inline.json()["input_tokens"]).To(BeEquivalentTo(22))
		Expect(top.json()["input_tokens"]).To(BeEquivalentTo(22))
		Expect(bare.json()["input_tokens"]).To(BeEquivalentTo(11))
	})

	It("keeps the cached prefix before an appended system message", func() {
		long := `{"role":"user","content":[{"type":"text","text":"` + strings.Repeat("word ", 1500) + `","cache_control":{"type":"ephemeral"}}]}`
		first := c.post("/v1/messages", onOpus(seq(long))).json()["usage"].(map[string]any)
		second := c.post("/v1/messages", onOpus(seq(long, sys(`"Now answer in French."`)))).json()["usage"].(map[string]any)
		Expect(first["cache_creation_input_tokens"]).To(BeEquivalentTo(1885))
		Expect(second["cache_read_input_tokens"]).To(BeEquivalentTo(1885))
		Expect(second["cache_creation_input_tokens"]).To(BeEquivalentTo(0))
	})

	Context("clear_at", func() {
		const clearBeta = "mid-conversation-system-clear-at-2026-08-21"
		turnScoped := `{"role":"system","clear_at":"next_user_message","content":"Only for this turn."}`

		It("needs its beta", func() {
			_, _, msg := c.post("/v1/messages", onOpus(seq(userHi, turnScoped))).errorOf()
			Expect(msg).To(Equal("messages.1.clear_at: Extra inputs are not permitted"))
		})

		It("is accepted with it", func() {
			Expect(c.post("/v1/messages", onOpus(seq(userHi, turnScoped)), "anthropic-beta", clearBeta).status).To(Equal(200))
		})

		It("takes only its two values", func() {
			bad := strings.Replace(turnScoped, "next_user_message", "tomorrow", 1)
			_, _, msg := c.post("/v1/messages", onOpus(seq(userHi, bad)), "anthropic-beta", clearBeta).errorOf()
			Expect(msg).To(Equal("messages.1.clear_at: Input should be 'next_user_message' or 'never'"))
		})

		It("belongs to system messages only", func() {
			user := `{"role":"user","clear_at":"never","content":"Hi"}`
			_, _, msg := c.post("/v1/messages", onOpus(seq(user)), "anthropic-beta", clearBeta).errorOf()
			Expect(msg).To(Equal("messages.0.clear_at: Extra inputs are not permitted"))
		})
	})

	Context("the directive-only form", func() {
		const outputBeta = "mid-conversation-output-config-2026-07-01"
		directive := `{"role":"system","content":[],"output_config":{"effort":"low"}}`

		It("needs its beta", func() {
			_, _, msg := c.post("/v1/messages", onOpus(seq(userHi, assistantHey, directive, userOK))).errorOf()
			Expect(msg).To(Equal("messages.2.output_config: Extra inputs are not permitted"))
		})

		It("is accepted at any position with it, even first or after a plain assistant turn", func() {
			for _, messages := range []string{seq(userHi, assistantHey, directive, userOK), seq(directive, userHi)} {
				r := c.post("/v1/messages", onOpus(messages), "anthropic-beta", outputBeta)
				Expect(r.status).To(Equal(200), string(r.body))
			}
		})

		It("is accepted with per-turn-control-2026-07-01 too, as Claude Code 2.1.332 sends it", func() {
			withText := `{"role":"system","content":"Mind the tests.","output_config":{"effort":"medium"}}`
			r := c.post("/v1/messages", onOpus(seq(userHi, withText)), "anthropic-beta",
				"claude-code-20250219,context-management-2025-06-27,per-turn-control-2026-07-01,effort-2025-11-24")
			Expect(r.status).To(Equal(200), string(r.body))
		})

		It("checks the effort level and keeps format top-level only", func() {
			bad := strings.Replace(directive, "low", "extreme", 1)
			_, _, msg := c.post("/v1/messages", onOpus(seq(userHi, bad)), "anthropic-beta", outputBeta).errorOf()
			Expect(msg).To(Equal("messages.1.output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'"))
			format := strings.Replace(directive, `{"effort":"low"}`, `{"format":{"type":"json_schema","schema":{}}}`, 1)
			_, _, msg = c.post("/v1/messages", onOpus(seq(userHi, format)), "anthropic-beta", outputBeta).errorOf()
			Expect(msg).To(Equal("messages.1.output_config.format: Extra inputs are not permitted"))
		})

		It("is no directive without a field set: empty content is then refused", func() {
			empty := strings.Replace(directive, `{"effort":"low"}`, `{}`, 1)
			_, _, msg := c.post("/v1/messages", onOpus(seq(userHi, empty)), "anthropic-beta", outputBeta).errorOf()
			Expect(msg).To(Equal("messages.1: system content must contain at least one block"))
		})
	})
})
