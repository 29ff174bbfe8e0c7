package server_test

import (
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/claudemock/claudemock/server"
)

// personSchema is a structured output's schema as AI SDK generateObject or
// LangChain with_structured_output(method="json_schema") sends one.
const personSchema = `{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0,"maximum":120}},"required":["name","age"],"additionalProperties":false}`

// extract is a request for a structured output; format is the top-level
// member that asks for it.
func extract(format string) string {
	return `{"model":"claude-sonnet-4-6","max_tokens":1024,` + format + `,"messages":[{"role":"user","content":"Extract the person"}]}`
}

var (
	outputConfig = extract(`"output_config":{"format":{"type":"json_schema","schema":` + personSchema + `}}`)
	outputFormat = extract(`"output_format":{"type":"json_schema","schema":` + personSchema + `}`)
)

// matchesSchema checks a JSON document against a JSON Schema with a real
// validator.
func matchesSchema(schema, doc string) error {
	s, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", s); err != nil {
		return err
	}
	compiled, err := c.Compile("schema.json")
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return compiled.Validate(v)
}

// blocks is a message's content as type and text (or name and input).
func blocks(m map[string]any) [][]any {
	var out [][]any
	for _, b := range m["content"].([]any) {
		block := b.(map[string]any)
		switch block["type"] {
		case "tool_use":
			out = append(out, []any{"tool_use", block["name"], block["input"]})
		case "thinking":
			out = append(out, []any{"thinking"})
		default:
			out = append(out, []any{block["type"], block["text"]})
		}
	}
	return out
}

// outputTokens is a message's usage.output_tokens.
func outputTokens(m map[string]any) any { return m["usage"].(map[string]any)["output_tokens"] }

var _ = Describe("Structured outputs", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 42})
	})

	It("answers output_config.format with one JSON document valid against the schema", func() {
		r := c.post("/v1/messages", outputConfig)
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
		m := r.json()
		Expect(blocks(m)).To(Equal([][]any{{"text", `{"age":49,"name":"Patient cloud"}`}}))
		Expect(matchesSchema(personSchema, `{"age":49,"name":"Patient cloud"}`)).To(Succeed())
		Expect(m["stop_reason"]).To(Equal("end_turn"))
		Expect(outputTokens(m)).To(BeEquivalentTo(9)) // 34 bytes at four a token
	})

	It("answers the beta output_format byte for byte the same", func() {
		beta := newClient(server.Options{Seed: 42})
		a := c.post("/v1/messages", outputConfig)
		b := beta.post("/v1/messages?beta=true", outputFormat, "anthropic-beta", "structured-outputs-2025-11-13")
		Expect(b.status).To(Equal(200), string(b.body))
		Expect(b.body).To(Equal(a.body))
	})

	It("prefers output_config.format when both are given", func() {
		both := strings.Replace(outputConfig, `"output_config"`, `"output_format":{"type":"json_schema","schema":{"const":1}},"output_config"`, 1)
		Expect(blocks(c.post("/v1/messages", both).json())).To(Equal([][]any{{"text", `{"age":49,"name":"Patient cloud"}`}}))
	})

	It("gives byte-identical documents for the same seed and other ones under another", func() {
		same, other := newClient(server.Options{Seed: 42}), newClient(server.Options{Seed: 43})
		first := c.post("/v1/messages", outputConfig).body
		Expect(same.post("/v1/messages", outputConfig).body).To(Equal(first))
		Expect(blocks(other.post("/v1/messages", outputConfig).json())).NotTo(Equal(blocks(c.post("/v1/messages", outputConfig).json())))
	})

	It("streams the document as text_delta events that join into it", func() {
		evs := events(c.post("/v1/messages", streamed(outputConfig)).body)
		var joined strings.Builder
		deltas := 0
		for _, ev := range evs {
			Expect(spec.ValidateEvent([]byte(ev.data))).To(Succeed(), ev.data)
			var d struct{ Delta struct{ Type, Text string } }
			Expect(json.Unmarshal([]byte(ev.data), &d)).To(Succeed())
			if ev.name == "content_block_delta" {
				Expect(d.Delta.Type).To(Equal("text_delta"))
				joined.WriteString(d.Delta.Text)
				deltas++
			}
		}
		Expect(joined.String()).To(Equal(`{"age":49,"name":"Patient cloud"}`))
		Expect(deltas).To(Equal(1)) // split every third space, as any text: it has one
		whole := newClient(server.Options{Seed: 42}).post("/v1/messages", outputConfig).json()
		Expect(accumulate(evs)).To(Equal(whole))
	})

	It("cuts a document max_tokens cannot hold, as it cuts text", func() {
		m := c.post("/v1/messages", strings.Replace(outputConfig, `"max_tokens":1024`, `"max_tokens":3`, 1)).json()
		Expect(blocks(m)).To(Equal([][]any{{"text", `{"age":49,"n`}}))
		Expect(m["stop_reason"]).To(Equal("max_tokens"))
		Expect(outputTokens(m)).To(BeEquivalentTo(3))
	})

	It("thinks first, then writes the document", func() {
		thinking := strings.Replace(outputConfig, `"max_tokens":1024`, `"max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024}`, 1)
		r := c.post("/v1/messages", thinking)
		Expect(r.status).To(Equal(200), string(r.body))
		m := r.json()
		got := blocks(m)
		Expect(got).To(HaveLen(2))
		Expect(got[0]).To(Equal([]any{"thinking"}))
		Expect(got[1][0]).To(Equal("text"))
		Expect(matchesSchema(personSchema, got[1][1].(string))).To(Succeed())
		Expect(m["stop_reason"]).To(Equal("end_turn"))
	})

	It("answers a non-object root, such as an array", func() {
		list := extract(`"output_config":{"format":{"type":"json_schema","schema":{"type":"array","items":{"enum":["x","y"]},"minItems":2,"maxItems":2}}}`)
		Expect(blocks(c.post("/v1/messages", list).json())).To(Equal([][]any{{"text", `["y","y"]`}}))
	})

	It("lets a scripted reply win", func() {
		s, sc := newServer(server.Options{Seed: 42})
		load(s, "replies:\n  - text: scripted\n")
		Expect(blocks(sc.post("/v1/messages", outputConfig).json())).To(Equal([][]any{{"text", "scripted"}}))
	})

	It("is accepted by count_tokens", func() {
		r := c.post("/v1/messages/count_tokens", strings.Replace(outputConfig, `"max_tokens":1024,`, "", 1))
		Expect(r.status).To(Equal(200), string(r.body))
	})

	DescribeTable("refuses a malformed format, naming the field",
		func(format, want string) {
			status, typ, msg := c.post("/v1/messages", extract(format)).errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", want}))
		},
		Entry("output_config not an object", `"output_config":[1]`, "output_config: Input should be a valid dictionary"),
		Entry("an unknown output_config key", `"output_config":{"fmt":{}}`, "output_config.fmt: Extra inputs are not permitted"),
		Entry("no type", `"output_config":{"format":{"schema":{}}}`, "output_config.format.type: Field required"),
		Entry("another type", `"output_config":{"format":{"type":"json_object","schema":{}}}`, "output_config.format.type: Input should be 'json_schema'"),
		Entry("no schema", `"output_config":{"format":{"type":"json_schema"}}`, "output_config.format.schema: Field required"),
		Entry("a schema that is not an object", `"output_config":{"format":{"type":"json_schema","schema":"{}"}}`, "output_config.format.schema: Input should be a valid dictionary"),
		Entry("an unknown format key", `"output_config":{"format":{"type":"json_schema","schema":{},"name":"x"}}`, "output_config.format.name: Extra inputs are not permitted"),
		Entry("the beta field without a schema", `"output_format":{"type":"json_schema"}`, "output_format.schema: Field required"),
		Entry("the beta field with a type of the wrong kind", `"output_format":{"type":1,"schema":{}}`, "output_format.type: Input should be a valid string"),
	)
})

var _ = Describe("Strict tools", func() {
	// ticket uses what strict tools and structured outputs accept: nested
	// objects closed by additionalProperties false, everything required,
	// enums, arrays of objects, formats and a pattern.
	const ticket = `{"type":"object","additionalProperties":false,"required":["title","kind","owner","labels","due","code"],
		"properties":{"title":{"type":"string"},"kind":{"type":"string","enum":["bug","feature"]},
		"owner":{"type":"object","additionalProperties":false,"required":["name","email"],"properties":{"name":{"type":"string"},"email":{"type":"string","format":"email"}}},
		"labels":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,"required":["name","weight"],"properties":{"name":{"type":"string"},"weight":{"type":"number"}}}},
		"due":{"type":"string","format":"date"},"code":{"type":"string","pattern":"^T-[0-9]{4}$"}}}`

	It("get inputs valid against their schema, forced or chosen by auto", func() {
		c := newClient(server.Options{Seed: 3})
		tools := `"tools":[{"name":"file_ticket","strict":true,"input_schema":` + ticket + `}]`
		for i, choice := range []string{`{"type":"any"}`, `{"type":"tool","name":"file_ticket"}`, `{"type":"auto"}`} {
			body := `{"model":"claude-sonnet-4-6","max_tokens":1024,` + tools + `,"tool_choice":` + choice +
				`,"messages":[{"role":"user","content":"File ticket for the crash"}]}`
			r := c.post("/v1/messages", body)
			Expect(r.status).To(Equal(200), string(r.body))
			got := blocks(r.json())
			Expect(got).To(HaveLen(1), choice)
			Expect(got[0][:2]).To(Equal([]any{"tool_use", "file_ticket"}), choice)
			input, _ := json.Marshal(got[0][2])
			Expect(matchesSchema(ticket, string(input))).To(Succeed(), "%d: %s", i, input)
		}
	})
})
