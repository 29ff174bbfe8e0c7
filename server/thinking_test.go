package server_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// toolLoop is a conversation that ends with the result of a tool call the
// assistant made after thinking; thinking is the request's thinking field.
func toolLoop(thinking string) string {
	return `{"model":"claude-sonnet-4-6","max_tokens":4096,"thinking":` + thinking + `,
		"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
		"messages":[
			{"role":"user","content":"Use get_weather for Paris"},
			{"role":"assistant","content":[
				{"type":"thinking","thinking":"Look it up.","signature":"EsSig=="},
				{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris"}}]},
			{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"18 C"}]}]}`
}

// blockTypes lists the types of a reply's content blocks in order.
func blockTypes(r reply) []string {
	var out []string
	for _, b := range r.json()["content"].([]any) {
		out = append(out, b.(map[string]any)["type"].(string))
	}
	return out
}

var _ = Describe("Thinking across a tool loop", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 1})
	})

	It("does not think again after a tool_result with budgeted thinking and no interleaved-thinking beta", func() {
		r := c.post("/v1/messages", toolLoop(`{"type":"enabled","budget_tokens":1024}`))
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(blockTypes(r)).To(Equal([]string{"text"}))
		Expect(r.json()["usage"].(map[string]any)["output_tokens_details"]).To(Equal(map[string]any{"thinking_tokens": 0.0}))
	})

	It("thinks again after a tool_result with the interleaved-thinking beta", func() {
		r := c.post("/v1/messages", toolLoop(`{"type":"enabled","budget_tokens":1024}`),
			"anthropic-beta", "interleaved-thinking-2025-05-14")
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(blockTypes(r)).To(Equal([]string{"thinking", "text"}))
		Expect(r.json()["usage"].(map[string]any)["output_tokens_details"]).To(Equal(map[string]any{"thinking_tokens": 16.0}))
	})

	It("thinks again after a tool_result with adaptive thinking, which interleaves on its own", func() {
		r := c.post("/v1/messages", toolLoop(`{"type":"adaptive"}`))
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(blockTypes(r)).To(Equal([]string{"thinking", "text"}))
	})

	It("thinks on the first turn of budgeted thinking", func() {
		r := c.post("/v1/messages", `{"model":"claude-sonnet-4-6","max_tokens":4096,
			"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"Hello"}]}`)
		Expect(blockTypes(r)).To(Equal([]string{"thinking", "text"}))
	})
})

var _ = Describe("The documented redacted-thinking trigger", func() {
	const trigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB"
	var c *client
	var body string

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 1})
		body = `{"model":"claude-sonnet-4-6","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":1024},
			"messages":[{"role":"user","content":"` + trigger + `"}]}`
	})

	It("answers with a redacted_thinking block holding only its data, then the text", func() {
		r := c.post("/v1/messages", body)
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(blockTypes(r)).To(Equal([]string{"redacted_thinking", "text"}))
		block := r.json()["content"].([]any)[0].(map[string]any)
		Expect(block).To(HaveLen(2))
		Expect(block["data"]).To(HavePrefix("Es"))
		Expect(block["data"]).To(HaveLen(90))
	})

	It("streams the redacted block whole in its content_block_start, with no delta", func() {
		plain := c.post("/v1/messages", body).json()["content"].([]any)[0].(map[string]any)
		c = newClient(server.Options{Seed: 1})
		evs := events(c.post("/v1/messages", strings.Replace(body, `"max_tokens"`, `"stream":true,"max_tokens"`, 1)).body)
		Expect(evs[1].name).To(Equal("content_block_start"))
		Expect(evs[1].data).To(Equal(`{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"` +
			plain["data"].(string) + `"}}`))
		Expect(evs[2].name).To(Equal("ping"))
		Expect(evs[3].name).To(Equal("content_block_stop"))
	})

	It("leaves thinking readable without the trigger", func() {
		r := c.post("/v1/messages", strings.Replace(body, trigger, "Hello", 1))
		Expect(blockTypes(r)).To(Equal([]string{"thinking", "text"}))
	})
})

var _ = Describe("usage.output_tokens_details without thinking", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 1})
	})

	It("is {thinking_tokens: 0} from Claude Opus 4.8 on, as its recorded replies carry it", func() {
		r := c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", "claude-opus-4-8", 1))
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(r.json()["usage"].(map[string]any)["output_tokens_details"]).To(Equal(map[string]any{"thinking_tokens": 0.0}))
	})

	It("is left out by older models", func() {
		for _, model := range []string{"claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-7"} {
			r := c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", model, 1))
			Expect(r.status).To(Equal(200), string(r.body))
			Expect(r.json()["usage"]).NotTo(HaveKey("output_tokens_details"), model)
		}
	})
})
