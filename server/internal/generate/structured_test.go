package generate_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/generate"
)

// person is a structured-output schema as the SDKs' helpers write one:
// every property required, no others allowed.
const person = `{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}`

// strict is a strict tool's or structured output's schema using every
// keyword structured outputs accept.
const strict = `{"type":"object","additionalProperties":false,"required":["id","kind","owner","tags","when","host","code"],
	"properties":{"id":{"type":"string","format":"uuid"},"kind":{"type":"string","enum":["bug","feature","chore"]},
	"owner":{"type":"object","additionalProperties":false,"required":["name","email","address"],"properties":{
		"name":{"type":"string"},"email":{"type":"string","format":"email"},
		"address":{"type":"object","additionalProperties":false,"required":["city","zip"],"properties":{"city":{"type":"string"},"zip":{"type":"string","pattern":"^[0-9]{5}$"}}}}},
	"tags":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,"required":["label","weight"],"properties":{"label":{"type":"string"},"weight":{"type":"number"}}}},
	"when":{"type":"string","format":"date-time"},"host":{"type":"string","format":"hostname"},
	"code":{"type":"string","pattern":"^[A-Z]{2}-\\d{3}$"},"note":{"anyOf":[{"type":"string"},{"type":"null"}]},
	"status":{"const":"open"},"ip":{"type":"string","format":"ipv6"},"took":{"type":"string","format":"duration"}}}`

var _ = Describe("Generate with a structured output", func() {
	var req generate.Request

	BeforeEach(func() {
		req = generate.Request{MaxTokens: 1000, Length: 24, Format: json.RawMessage(person)}
	})

	It("answers with one JSON document valid against the schema, counted at four bytes a token", func() {
		out := generate.Answer(rng(), req)
		Expect(out.Content).To(Equal([]generate.Block{{Type: "text", Text: `{"age":62,"name":"Mock light model"}`}}))
		Expect(validate(person, []byte(out.Content[0].Text))).To(Succeed())
		Expect(out.StopReason).To(Equal("end_turn"))
		Expect(out.OutputTokens).To(Equal(9)) // 36 bytes
	})

	It("gives the same document for the same source", func() {
		Expect(generate.Answer(rng(), req)).To(Equal(generate.Answer(rng(), req)))
	})

	It("cuts a document max_tokens cannot hold, leaving it unfinished", func() {
		req.MaxTokens = 4
		out := generate.Answer(rng(), req)
		Expect(out.Content).To(Equal([]generate.Block{{Type: "text", Text: `{"age":62,"name"`}}))
		Expect(out.StopReason).To(Equal("max_tokens"))
		Expect(out.OutputTokens).To(Equal(4))
	})

	It("stops at a stop sequence inside the document", func() {
		req.StopSequences = []string{`"name"`}
		out := generate.Answer(rng(), req)
		Expect(out.Content).To(Equal([]generate.Block{{Type: "text", Text: `{"age":62,`}}))
		Expect(out.StopReason).To(Equal("stop_sequence"))
		Expect(out.StopSequence).To(Equal(`"name"`))
		Expect(out.OutputTokens).To(Equal(4)) // three tokens before it, one for it
	})

	It("thinks first, then writes the document", func() {
		req.Thinking = true
		out := generate.Answer(rng(), req)
		Expect(out.Content).To(HaveLen(2))
		Expect(out.Content[0].Type).To(Equal("thinking"))
		Expect(out.Content[1]).To(Equal(generate.Block{Type: "text", Text: `{"age":95,"name":"Patient minute"}`}))
		Expect(out.OutputTokens).To(Equal(generate.ThinkingTokens + 9))
		Expect(out.ThinkingTokens).To(Equal(generate.ThinkingTokens))
	})

	It("calls a tool instead when there is one to call", func() {
		req.Tool = &generate.Tool{Name: "lookup", Schema: json.RawMessage(`{"type":"object"}`)}
		out := generate.Answer(rng(), req)
		Expect(out.Content).To(HaveLen(1))
		Expect(out.Content[0].Type).To(Equal("tool_use"))
		Expect(out.StopReason).To(Equal("tool_use"))
	})
})

var _ = DescribeTable("Document is valid against any schema's root",
	func(schema, want string) {
		Expect(generate.Document(rng(), json.RawMessage(schema), nil)).To(Equal(want))
		for seed := range uint64(20) {
			doc := generate.Document(rand.New(rand.NewPCG(seed, 5)), json.RawMessage(schema), nil)
			Expect(validate(schema, []byte(doc))).To(Succeed(), doc)
		}
	},
	Entry("an array", `{"type":"array","items":{"enum":["a","b"]},"minItems":2}`, `["b","a"]`),
	Entry("a patterned string", `{"type":"string","pattern":"^[A-Z]{2}-\\d{3}$"}`, `"UB-422"`),
	Entry("an enum of objects", `{"enum":[{"x":1},{"x":2}]}`, `{"x":2}`),
	Entry("HTML characters, unescaped", `{"const":"<a&b>"}`, `"<a&b>"`),
)

var _ = Describe("Document on a schema it cannot read", func() {
	It("gives an empty object", func() {
		Expect(generate.Document(rng(), json.RawMessage(`[1]`), nil)).To(Equal("{}"))
	})
})

var _ = Describe("Tokens", func() {
	It("splits into four-byte tokens that never split a character", func() {
		Expect(generate.Tokens("héllo wörld ✓")).To(Equal([]string{"hél", "lo w", "örl", "d ✓"}))
		Expect(generate.Tokens(`{"a":1}`)).To(Equal([]string{`{"a"`, `:1}`}))
		Expect(generate.Tokens("")).To(BeEmpty())
	})
})

var _ = Describe("FromSchema for strict tools", func() {
	It("fills nested objects, arrays, enums, formats and patterns validly for any seed", func() {
		for seed := range uint64(50) {
			v := generate.FromSchema(rand.New(rand.NewPCG(seed, 11)), json.RawMessage(strict), nil)
			raw, err := json.Marshal(v)
			Expect(err).NotTo(HaveOccurred())
			Expect(validate(strict, raw)).To(Succeed(), string(raw))
			Expect(v).To(HaveKeyWithValue("status", "open"))
			Expect(v).To(HaveKey("note"))
		}
	})

	It("draws required members the properties omit in a fixed order", func() {
		schema := json.RawMessage(`{"type":"object","required":["b","a","c","a"]}`)
		first := generate.FromSchema(rng(), schema, nil)
		Expect(first).To(HaveLen(3))
		for range 20 {
			Expect(generate.FromSchema(rng(), schema, nil)).To(Equal(first))
		}
	})
})

var _ = Describe("FromSchema on recursive required members", func() {
	It("ends a chain that requires itself instead of exhausting the stack", func() {
		schema := `{"$defs":{"n":{"type":"object","properties":{"next":{"$ref":"#/$defs/n"}},"required":["next"]}},"$ref":"#/$defs/n"}`
		raw, err := json.Marshal(generate.FromSchema(rng(), json.RawMessage(schema), nil))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).To(Equal(strings.Repeat(`{"next":`, 33) + "{}" + strings.Repeat("}", 33)))
	})

	It("bounds a tree that requires two of itself", func() {
		schema := `{"$defs":{"n":{"type":"object","properties":{"l":{"$ref":"#/$defs/n"},"r":{"$ref":"#/$defs/n"}},"required":["l","r"]}},"$ref":"#/$defs/n"}`
		raw, err := json.Marshal(generate.FromSchema(rng(), json.RawMessage(schema), nil))
		Expect(err).NotTo(HaveOccurred())
		Expect(len(raw)).To(BeNumerically("<", 40_000))
	})
})

var _ = Describe("FromSchema with a pattern it cannot use", func() {
	It("falls back to the other keywords for a lookahead Go cannot parse", func() {
		v := generate.FromSchema(rng(), json.RawMessage(`{"type":"object","properties":{"p":{"type":"string","pattern":"^(?=a)","maxLength":3}},"required":["p"]}`), nil)
		Expect(v.(map[string]any)["p"]).To(Equal("Exa"))
	})

	It("falls back for a class that matches nothing", func() {
		v := generate.FromSchema(rng(), json.RawMessage(`{"type":"object","properties":{"p":{"type":"string","pattern":"[^\\x00-\\x{10FFFF}]","format":"date"}},"required":["p"]}`), nil)
		Expect(v.(map[string]any)["p"]).To(MatchRegexp(`^2026-01-\d\d$`))
	})
})
