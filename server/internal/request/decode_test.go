package request_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// withMessages is hello with its messages replaced.
func withMessages(messages string) string {
	return strings.Replace(hello, `[{"role":"user","content":"Hello"}]`, messages, 1)
}

// The one-pass decoder reads bodies exactly as encoding/json did into the
// maps and structs it replaced; these pin the corners where that matters.
var _ = Describe("the one-pass decoder", func() {
	DescribeTable("refuses as the reflection-based decoder did",
		func(body, message string) {
			Expect(refusal(body, false)).To(Equal(invalid(message)))
		},
		Entry("the first unknown or mistyped key in sorted order",
			strings.Replace(hello, `"messages"`, `"zzz":1,"top_k":"x","aaa":2,"messages"`, 1), "aaa: Extra inputs are not permitted"),
		Entry("of two mistyped keys, the one that sorts first",
			strings.Replace(hello, `"messages"`, `"top_k":"x","temperature":"y","messages"`, 1), "temperature: Input should be a valid number"),
		Entry("an empty key", strings.Replace(hello, `"messages"`, `"":1,"messages"`, 1), ": Extra inputs are not permitted"),
		Entry("a later null, which makes a key absent", strings.Replace(hello, `"messages"`, `"model":null,"messages"`, 1), "model: Field required"),
		Entry("an integer written with an exponent", strings.Replace(hello, `100`, `1e2`, 1), "max_tokens: Input should be a valid integer"),
		Entry("a list with an element of the wrong type, by the list's path",
			strings.Replace(hello, `"messages"`, `"stop_sequences":["a",1],"messages"`, 1), "stop_sequences: Input should be a valid string"),
		Entry("a null message, as an object without keys", withMessages(`[null]`), "messages.0.role: Field required"),
		Entry("a message key that differs in case only", withMessages(`[{"role":"user","content":"x","Role":"user"}]`),
			"messages.0.Role: Extra inputs are not permitted"),
		Entry("a null block", withMessages(`[{"role":"user","content":[null]}]`), "messages.0.content.0: Unable to extract tag using discriminator 'type'"),
		Entry("a block whose last type is null", withMessages(`[{"role":"user","content":[{"type":"text","text":"hi","type":null}]}]`),
			"messages.0.content.0: Unable to extract tag using discriminator 'type'"),
		Entry("a block's first mistyped field in the order written", withMessages(`[{"role":"user","content":[{"type":"text","text":"hi","id":5,"type":7}]}]`),
			"messages.0.content.0.id: Input should be a valid string"),
		Entry("a block's fields matched under case folding", withMessages(`[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"text","text":" "},{"Type":"tool_use","id":5,"name":"n","input":{}}]}]`),
			"messages.1.content.1.id: Input should be a valid string"),
		Entry("a cache_control's tag matched under case folding, its keys exactly",
			strings.Replace(hello, `"messages"`, `"system":[{"type":"text","text":"s","cache_control":{"TYPE":"ephemeral","ttl":5,"zz":1}}],"messages"`, 1),
			"system.0.cache_control.ephemeral.TYPE: Extra inputs are not permitted"),
		Entry("a tool's name matched under case folding",
			strings.Replace(hello, `"messages"`, `"tools":[{"NAME":"a b","input_schema":{}}],"messages"`, 1),
			"tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"),
	)

	It("refuses a directive-only system message whose content is no list", func() {
		body := strings.Replace(withMessages(`[{"role":"user","content":"x"},{"role":"system","content":5,"output_config":{"effort":"low"}}]`),
			"claude-haiku-4-5", "claude-haiku-5-5", 1)
		Expect(refusal(body, false, "mid-conversation-output-config-2026-07-01")).To(Equal(invalid(
			"messages.1.content: Input should be a valid string or a valid list")))
	})

	It("reads escaped keys and strings, and block fields under case folding", func() {
		body := `{"mod\u0065l":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":[{"TYPE":"text","Text":"caf\u00e9 \ud83d\ude00","ſource":1}]}]}`
		r, err := request.Parse(cat, []byte(body), false, nil, received)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Prompt.Blocks).To(Equal([]tokens.Block{{Section: tokens.Messages, Kind: tokens.KindText, Text: "café 😀", Message: 0}}))
	})

	It("counts a tool call's input and a tool result's content as their compact JSON", func() {
		body := withMessages(`[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","id":"u","name":"n","input":{ "a" : [1, " x "] }}]},
			{"role":"user","content":[{"type":"tool_result","tool_use_id":"u","content":[ {"type":"text", "text":"r"} ]}]}]`)
		r, err := request.Parse(cat, []byte(body), false, nil, received)
		Expect(err).NotTo(HaveOccurred())
		Expect([]string{r.Prompt.Blocks[1].Text, r.Prompt.Blocks[2].Text}).To(Equal([]string{`{"a":[1," x "]}`, `[{"type":"text","text":"r"}]`}))
	})
})
