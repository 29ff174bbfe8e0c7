package request_test

import (
	"encoding/json"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// received is the instant the specs' requests arrive at.
var received = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// hello is the smallest valid Messages body.
const hello = `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`

var cat *catalog.Catalog

var _ = BeforeSuite(func() {
	var err error
	cat, err = catalog.Load("tiers.yaml", claudemock.Tiers)
	Expect(err).NotTo(HaveOccurred())
})

// refusal parses body and returns the refusal it gets.
func refusal(body string, forCount bool, betas ...string) apierror.Error {
	_, err := request.Parse(cat, []byte(body), forCount, betas, received)
	var apiErr *apierror.Error
	Expect(err).To(BeAssignableToTypeOf(apiErr))
	return *err.(*apierror.Error)
}

func invalid(message string) apierror.Error {
	return apierror.Error{Kind: apierror.InvalidRequest, Message: message}
}

var _ = Describe("Parse", func() {
	It("reduces a valid body to what the mock acts on", func() {
		body := `{"model":"claude-haiku-4-5","max_tokens":100,"stream":true,"stop_sequences":["END"],
			"service_tier":"standard_only","inference_geo":"us",
			"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"get_weather"},
			"messages":[{"role":"user","content":"Hello"}]}`
		r, err := request.Parse(cat, []byte(body), false, nil, received)
		Expect(err).NotTo(HaveOccurred())
		Expect([]any{r.Model.ID, r.Alias, r.MaxTokens, r.Stream, r.StopSequences, r.ServiceTier, r.InferenceGeo}).To(Equal(
			[]any{"claude-haiku-4-5-20251001", "claude-haiku-4-5", 100, true, []string{"END"}, "standard_only", "us"}))
		Expect(r.Tools).To(Equal([]request.Tool{{Name: "get_weather", Schema: json.RawMessage(`{"type":"object"}`)}}))
		Expect(r.ToolChoice).To(Equal(request.ToolChoice{Type: "tool", Name: "get_weather"}))
		Expect([]any{r.Thinking, r.Format, r.Effort, r.Turn, r.ContextManagement}).To(Equal(
			[]any{request.Thinking{}, json.RawMessage(nil), (*string)(nil), (*generate.Turn)(nil), false}))
	})

	It("defaults the service tier to auto and tool_choice to auto, and counts the prompt once", func() {
		r, err := request.Parse(cat, []byte(hello), false, nil, received)
		Expect(err).NotTo(HaveOccurred())
		Expect([]any{r.ServiceTier, r.ToolChoice, r.Stream, r.InputTokens, r.Prompt.Blocks}).To(Equal(
			[]any{"auto", request.ToolChoice{Type: "auto"}, false, 12,
				[]tokens.Block{{Section: tokens.Messages, Kind: tokens.KindText, Text: "Hello", Message: 0}}}))
	})

	DescribeTable("names the field a body lacks, in the order the real API reports them",
		func(body, message string) {
			Expect(refusal(body, false)).To(Equal(invalid(message)))
		},
		Entry("model first", `{"messages":[],"max_tokens":1}`, "model: Field required"),
		Entry("then messages", `{"model":"claude-haiku-4-5"}`, "messages: Field required"),
		Entry("then max_tokens", `{"model":"claude-haiku-4-5","messages":[]}`, "max_tokens: Field required"),
		Entry("then an empty list", `{"model":"claude-haiku-4-5","messages":[],"max_tokens":1}`, "messages: at least one message is required"),
		Entry("a block's field, by its tagged path",
			`{"model":"claude-haiku-4-5","max_tokens":1,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n"}]}]}`,
			"messages.1.content.0.tool_use.input: Field required"),
	)

	It("refuses invalid UTF-8 with the parser's words and position", func() {
		Expect(refusal("{\"model\":\"a\xffb\"}", false)).To(Equal(invalid(
			"The request body is not valid JSON: invalid UTF-8 in string: line 1 column 12 (char 11)")))
	})

	It("refuses max_tokens on count_tokens, which takes none", func() {
		Expect(refusal(hello, true)).To(Equal(invalid("max_tokens: Extra inputs are not permitted")))
	})

	It("allows at most 4 cache_control breakpoints", func() {
		cc := `"cache_control":{"type":"ephemeral"}`
		system := strings.Repeat(`{"type":"text","text":"s",`+cc+`},`, 5)
		body := `{"model":"claude-haiku-4-5","max_tokens":1,"system":[` + strings.TrimSuffix(system, ",") +
			`],"messages":[{"role":"user","content":"Hello"}]}`
		Expect(refusal(body, false)).To(Equal(invalid("A maximum of 4 blocks with cache_control may be provided. Found 5.")))
	})

	It("refuses an unknown model last, as the one not_found_error", func() {
		body := strings.Replace(hello, "claude-haiku-4-5", "claude-nonesuch", 1)
		Expect(refusal(body, false)).To(Equal(apierror.Error{Kind: apierror.NotFound, Message: "model: claude-nonesuch"}))
	})

	It("judges a model's retirement at the instant the request was received", func() {
		body := strings.Replace(hello, "claude-haiku-4-5", "claude-sonnet-4-5", 1)
		_, err := request.Parse(cat, []byte(body), false, nil, received)
		Expect(err).NotTo(HaveOccurred())
		_, err = request.Parse(cat, []byte(body), false, nil, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		Expect(err).To(Equal(&apierror.Error{Kind: apierror.NotFound, Message: "model: claude-sonnet-4-5"}))
	})

	It("takes context_management only with a context management beta", func() {
		body := strings.Replace(hello, `"messages"`, `"context_management":{"edits":[]},"messages"`, 1)
		Expect(refusal(body, false)).To(Equal(invalid("context_management: Extra inputs are not permitted")))
		r, err := request.Parse(cat, []byte(body), false, []string{"context-management-2025-06-27"}, received)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.ContextManagement).To(BeTrue())
	})
})

var _ = Describe("the strict JSON helpers", func() {
	It("decode known keys and refuse an unknown one by its full path", func() {
		var n *int
		Expect(request.DecodeObject([]byte(`{"n":3}`), "limits", request.Fields{"n": &n})).To(Succeed())
		Expect(*n).To(Equal(3))
		Expect(request.DecodeObject([]byte(`{"m":3}`), "limits", request.Fields{"n": &n})).To(Equal(
			apierror.Invalid("limits.m: Extra inputs are not permitted")))
	})

	It("word a wrong type by the JSON type expected", func() {
		var n *int
		Expect(request.DecodeObject([]byte(`{"n":"x"}`), "", request.Fields{"n": &n})).To(Equal(
			apierror.Invalid("n: Input should be a valid integer")))
	})

	It("report a body that is no object, and treat null as absent", func() {
		Expect(request.CheckSyntax([]byte(`[1]`))).To(Equal(
			apierror.Invalid("body: Input should be a valid dictionary or object to extract fields from")))
		Expect(request.CheckSyntax([]byte(`{"a":`))).To(Equal(
			apierror.Invalid("The request body is not valid JSON: unexpected end of data: line 1 column 6 (char 5)")))
		Expect([]bool{request.IsNull(json.RawMessage(" null ")), request.IsNull(json.RawMessage(`0`))}).To(Equal([]bool{true, false}))
	})
})

var _ = Describe("the turn Parse reads for the auto-tools and thinking rules", func() {
	It("merges the final user messages and notes a tool result", func() {
		body := `{"model":"claude-haiku-4-5","max_tokens":100,"tools":[{"name":"t","input_schema":{}}],"messages":[
			{"role":"user","content":"Hello"},{"role":"assistant","content":[{"type":"tool_use","id":"u1","name":"t","input":{}}]},
			{"role":"user","content":[{"type":"tool_result","tool_use_id":"u1"},{"type":"text","text":"go on"}]}]}`
		r, err := request.Parse(cat, []byte(body), false, nil, received)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Turn).To(Equal(&generate.Turn{Text: "go on", ToolResult: true}))
	})
})

var _ = Describe("Peek and Betas", func() {
	It("peek at the model and stream flag of a body no rule has judged", func() {
		model, family, stream := request.Peek(cat, []byte(`{"model":"claude-haiku-4-5","stream":true,"max_tokens":-1}`))
		Expect([]any{model, family, stream}).To(Equal([]any{"claude-haiku-4-5-20251001", "haiku-4-5", true}))
		model, family, stream = request.Peek(cat, []byte(`{"model":"gpt-4"`))
		Expect([]any{model, family, stream}).To(Equal([]any{"", "", false}))
		model, family, _ = request.Peek(cat, []byte(`{"model":"gpt-4"}`))
		Expect([]any{model, family}).To(Equal([]any{"gpt-4", ""}))
	})

	It("merge anthropic-beta lines, comma-joined or repeated", func() {
		Expect(request.Betas([]string{"a, b", " ", "c,,d "})).To(Equal([]string{"a", "b", "c", "d"}))
		Expect(request.Betas(nil)).To(BeNil())
	})
})
