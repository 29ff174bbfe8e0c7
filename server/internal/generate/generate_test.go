package generate_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/claudemock/claudemock/server/internal/generate"
)

func rng() *rand.Rand { return rand.New(rand.NewPCG(7, 1)) }

var _ = Describe("Generate", func() {
	var req generate.Request

	BeforeEach(func() {
		req = generate.Request{MaxTokens: 1000, Length: 24}
	})

	It("writes Length words, one token each, and ends the turn", func() {
		out := generate.Answer(rng(), req)
		Expect(out.StopReason).To(Equal("end_turn"))
		Expect(out.OutputTokens).To(Equal(24))
		Expect(out.Content).To(HaveLen(1))
		Expect(strings.Fields(out.Content[0].Text)).To(HaveLen(24))
		Expect(out.Content[0].Text).To(HaveSuffix("."))
	})

	It("gives the same text for the same source", func() {
		Expect(generate.Answer(rng(), req)).To(Equal(generate.Answer(rng(), req)))
	})

	It("cuts at max_tokens, keeping a prefix of the same text", func() {
		full := generate.Answer(rng(), req).Content[0].Text
		req.MaxTokens = 5
		out := generate.Answer(rng(), req)
		Expect(out.StopReason).To(Equal("max_tokens"))
		Expect(out.OutputTokens).To(Equal(5))
		Expect(strings.Fields(out.Content[0].Text)).To(HaveLen(5))
		Expect(full).To(HavePrefix(out.Content[0].Text))
	})

	It("returns no content with max_tokens 0", func() {
		req.MaxTokens = 0
		out := generate.Answer(rng(), req)
		Expect(out.Content).To(BeEmpty())
		Expect(out.OutputTokens).To(Equal(0))
		Expect(out.StopReason).To(Equal("max_tokens"))
	})

	It("stops before the first stop sequence and counts it as one token", func() {
		full := generate.Answer(rng(), req).Content[0].Text
		cut := strings.Index(full, ".")
		req.StopSequences = []string{"never-there", "."}
		out := generate.Answer(rng(), req)
		Expect(out.StopReason).To(Equal("stop_sequence"))
		Expect(out.StopSequence).To(Equal("."))
		Expect(out.Content[0].Text).To(Equal(full[:cut]))
		Expect(out.OutputTokens).To(Equal(len(strings.Fields(full[:cut])) + 1))
	})
})

var _ = Describe("Generate with thinking", func() {
	It("thinks first, counting the thinking in the output tokens", func() {
		out := generate.Answer(rng(), generate.Request{MaxTokens: 1000, Length: 24, Thinking: true})
		Expect(out.Content).To(HaveLen(2))
		Expect(out.Content[0].Type).To(Equal("thinking"))
		Expect(strings.Fields(out.Content[0].Text)).To(HaveLen(generate.ThinkingTokens))
		Expect(out.Content[0].Signature).To(MatchRegexp(`^Es[1-9A-HJ-NP-Za-km-z]{86}==$`))
		Expect(out.Content[1].Type).To(Equal("text"))
		Expect(out.OutputTokens).To(Equal(24 + generate.ThinkingTokens))
		Expect(out.ThinkingTokens).To(Equal(generate.ThinkingTokens))
		Expect(out.StopReason).To(Equal("end_turn"))
	})

	It("shares max_tokens between thinking and the answer", func() {
		out := generate.Answer(rng(), generate.Request{MaxTokens: 20, Length: 24, Thinking: true})
		Expect(out.OutputTokens).To(Equal(20))
		Expect(strings.Fields(out.Content[1].Text)).To(HaveLen(20 - generate.ThinkingTokens))
		Expect(out.StopReason).To(Equal("max_tokens"))
	})
})

var _ = Describe("Generate with a forced tool", func() {
	It("calls the tool with an input valid against its schema", func() {
		schema := `{"type":"object","properties":{"city":{"type":"string","minLength":3},
			"units":{"enum":["c","f"]},"days":{"type":"integer","minimum":1,"maximum":7},
			"when":{"type":"string","format":"date"},"tags":{"type":"array","items":{"type":"string"},"minItems":2}},
			"required":["city","units"]}`
		out := generate.Answer(rng(), generate.Request{MaxTokens: 1000, Tool: &generate.Tool{Name: "get_weather", Schema: json.RawMessage(schema)}})
		Expect(out.StopReason).To(Equal("tool_use"))
		Expect(out.Content).To(HaveLen(1))
		block := out.Content[0]
		Expect(block.Type).To(Equal("tool_use"))
		Expect(block.Name).To(Equal("get_weather"))
		Expect(block.ID).To(MatchRegexp(`^toolu_01[1-9A-HJ-NP-Za-km-z]{22}$`))
		Expect(validate(schema, block.Input)).To(Succeed())
		Expect(out.OutputTokens).To(Equal((len(block.Input)+3)/4 + 3 + 10))
	})

	It("gives an empty object for a schema it cannot read", func() {
		out := generate.Answer(rng(), generate.Request{MaxTokens: 100, Tool: &generate.Tool{Name: "t", Schema: json.RawMessage(`[1]`)}})
		Expect(string(out.Content[0].Input)).To(Equal("{}"))
	})

	It("reports max_tokens when the call does not fit", func() {
		out := generate.Answer(rng(), generate.Request{MaxTokens: 3, Tool: &generate.Tool{Name: "t", Schema: json.RawMessage(`{"type":"object"}`)}})
		Expect(out.StopReason).To(Equal("max_tokens"))
		Expect(out.OutputTokens).To(Equal(3))
	})
})

var _ = Describe("FromSchema on hostile schemas", func() {
	It("keeps arrays of arrays small instead of building 100^8 values", func() {
		schema := `{"type":"object","properties":{"a":` + nest(8) + `},"required":["a"]}`
		raw, err := json.Marshal(generate.FromSchema(rng(), json.RawMessage(schema), nil))
		Expect(err).NotTo(HaveOccurred())
		Expect(len(raw)).To(BeNumerically("<", 20_000))
	})

	It("meets a minLength of 100,000 exactly, without rebuilding the string per word", func() {
		v := generate.FromSchema(rng(), json.RawMessage(`{"type":"object","properties":{"a":{"type":"string","minLength":100000}},"required":["a"]}`), nil)
		Expect(utf8.RuneCountInString(v.(map[string]any)["a"].(string))).To(BeNumerically("~", 100_000, 16))
	})

	It("cuts a minLength of 2,000,000,000 at MaxStringRunes instead of working forever", func() {
		v := generate.FromSchema(rng(), json.RawMessage(`{"type":"object","properties":{"a":{"type":"string","minLength":2000000000}},"required":["a"]}`), nil)
		a := v.(map[string]any)["a"].(string)
		Expect(utf8.RuneCountInString(a)).To(BeNumerically(">=", generate.MaxStringRunes))
		Expect(utf8.RuneCountInString(a)).To(BeNumerically("<", generate.MaxStringRunes+16))
	})

	It("holds all the strings of one value to MaxStringRunes together, however many properties ask for 100,000", func() {
		v := generate.FromSchema(rng(), json.RawMessage(`{"type":"object","properties":{`+props(3000, `{"type":"string","minLength":100000}`)+`},"required":[`+names(3000)+`]}`), nil)
		total := 0
		for _, s := range v.(map[string]any) {
			total += utf8.RuneCountInString(s.(string))
		}
		Expect(v).To(HaveLen(3000))
		Expect(total).To(Equal(generate.MaxStringRunes))
	})

	It("gives up on a required list of 500,000 names at once instead of scanning it quadratically", func(ctx SpecContext) {
		Expect(generate.FromSchema(rng(), json.RawMessage(`{"type":"object","required":[`+names(500_000)+`]}`), nil)).To(Equal(map[string]any{}))
	}, SpecTimeout(time.Minute))

	It("stops a wide allOf that refers back to itself instead of expanding it 2000^8 times", func(ctx SpecContext) {
		parts := strings.TrimSuffix(strings.Repeat(`{"$ref":"#/$defs/x"},`, 2000), ",")
		schema := `{"$defs":{"x":{"allOf":[` + parts + `],"properties":{"y":{"$ref":"#/$defs/x"}},"required":["y"]}},"properties":{"y":{"$ref":"#/$defs/x"}},"required":["y"]}`
		raw, err := json.Marshal(generate.FromSchema(rng(), json.RawMessage(schema), nil))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).To(HavePrefix(`{"y":`))
	}, SpecTimeout(time.Minute))

	It("parses a long pattern once for a hundred items, and still matches it", func(ctx SpecContext) {
		pattern := strings.Repeat("(a|b|c)", 20_000)
		schema := `{"type":"object","properties":{"x":{"type":"array","minItems":100,"items":{"type":"string","pattern":"^` + pattern + `$"}}},"required":["x"]}`
		items := generate.FromSchema(rng(), json.RawMessage(schema), nil).(map[string]any)["x"].([]any)
		Expect(items).NotTo(BeEmpty())
		Expect(items[0]).To(MatchRegexp(`^[abc]{1000,}$`))
	}, SpecTimeout(time.Minute))

	It("stops when done is closed: the client has gone", func() {
		done := make(chan struct{})
		close(done)
		schema := json.RawMessage(`{"type":"object","properties":{"a":{"type":"string","minLength":2000000000}},"required":["a"]}`)
		Expect(generate.FromSchema(rng(), schema, done)).To(Equal(map[string]any{}))
		Expect(generate.Document(rng(), schema, done)).To(Equal(`{}`))
	})

	It("draws the same string for the same seed under an ordinary minLength", func() {
		schema := json.RawMessage(`{"type":"object","properties":{"a":{"type":"string","minLength":40}},"required":["a"]}`)
		a, b := generate.FromSchema(rng(), schema, nil), generate.FromSchema(rng(), schema, nil)
		Expect(a).To(Equal(b))
		Expect(utf8.RuneCountInString(a.(map[string]any)["a"].(string))).To(BeNumerically(">=", 40))
	})
})

// props is n properties p0..p(n-1), each with the schema one.
func props(n int, one string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"p%d":%s`, i, one)
	}
	return strings.Join(parts, ",")
}

// names is the JSON strings "p0".."p(n-1)", comma-separated.
func names(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"p%d"`, i)
	}
	return strings.Join(parts, ",")
}

func nest(n int) string {
	if n == 0 {
		return `{"type":"integer"}`
	}
	return `{"type":"array","minItems":100,"items":` + nest(n-1) + `}`
}

var _ = DescribeTable("FromSchema produces valid values",
	func(schema string) {
		for seed := range uint64(20) {
			v := generate.FromSchema(rand.New(rand.NewPCG(seed, 3)), json.RawMessage(schema), nil)
			raw, err := json.Marshal(v)
			Expect(err).NotTo(HaveOccurred())
			Expect(validate(schema, raw)).To(Succeed(), string(raw))
		}
	},
	Entry("numbers with exclusive bounds", `{"type":"object","properties":{"x":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},"n":{"type":"integer","multipleOf":5,"minimum":3,"maximum":40}},"required":["x","n"]}`),
	Entry("nullable via type list", `{"type":"object","properties":{"a":{"type":["string","null"],"maxLength":4}},"required":["a"]}`),
	Entry("anyOf with null first", `{"type":"object","properties":{"a":{"anyOf":[{"type":"null"},{"type":"integer","minimum":10,"maximum":10}]}}}`),
	Entry("$defs references", `{"type":"object","$defs":{"P":{"type":"object","properties":{"id":{"type":"string","format":"uuid"}},"required":["id"],"additionalProperties":false}},"properties":{"p":{"$ref":"#/$defs/P"},"list":{"type":"array","items":{"$ref":"#/$defs/P"},"minItems":2,"maxItems":2}},"required":["p","list"]}`),
	Entry("allOf merged", `{"allOf":[{"type":"object","properties":{"a":{"type":"boolean"}},"required":["a"]},{"properties":{"b":{"const":3}},"required":["b"]}]}`),
	Entry("recursive tree", `{"$defs":{"N":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/$defs/N"}}},"required":["v"]}},"$ref":"#/$defs/N"}`),
	Entry("unique string items", `{"type":"object","properties":{"t":{"type":"array","items":{"type":"string"},"minItems":3,"uniqueItems":true}},"required":["t"]}`),
	Entry("formats", `{"type":"object","properties":{"e":{"type":"string","format":"email"},"d":{"type":"string","format":"date-time"},"u":{"type":"string","format":"uri"}},"required":["e","d","u"]}`),
)

// validate checks instance against schema with a real JSON Schema validator.
func validate(schema string, instance []byte) error {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("schema.json", doc); err != nil {
		return err
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(instance)))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}
