package compose_test

import (
	"math/rand/v2"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/compose"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
	"github.com/claudemock/claudemock/server/internal/wire"
)

var received = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

var _ = Describe("Message", func() {
	var (
		cat *catalog.Catalog
		in  compose.Input
	)

	// parse validates a body as the server would.
	parse := func(body string) *request.Request {
		r, err := request.Parse(cat, []byte(body), false, nil, received)
		Expect(err).NotTo(HaveOccurred())
		return r
	}

	BeforeEach(func() {
		var err error
		cat, err = catalog.Load("tiers.yaml", claudemock.Tiers)
		Expect(err).NotTo(HaveOccurred())
		in = compose.Input{
			Request:     parse(`{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`),
			Cached:      tokens.CacheUsage{Input: 8},
			AutoTools:   generate.AutoNamed,
			ReplyTokens: 5,
			Rand:        rand.New(rand.NewPCG(1, 2)),
		}
	})

	It("answers with a generated text reply, its usage counted from the cache's view of the prompt", func() {
		msg := compose.Message(in)
		Expect([]any{msg.Model, msg.Type, msg.Role, *msg.StopReason, msg.StopSequence}).To(Equal(
			[]any{"claude-haiku-4-5-20251001", "message", "assistant", "end_turn", (*string)(nil)}))
		Expect(msg.ID).To(HavePrefix("msg_01"))
		Expect(msg.ID).To(HaveLen(len("msg_01") + 22))
		Expect(msg.Content).To(HaveLen(1))
		Expect(msg.Content[0]).To(BeAssignableToTypeOf(wire.TextBlock{}))
		Expect(msg.Usage).To(Equal(wire.Usage{InputTokens: 8, OutputTokens: 5, ServiceTier: "standard", InferenceGeo: "not_available"}))
	})

	It("gives the same bytes for the same random source", func() {
		again := in
		again.Rand = rand.New(rand.NewPCG(1, 2))
		Expect(compose.Message(again)).To(Equal(compose.Message(in)))
	})

	It("calls the tool tool_choice names, with input from its schema", func() {
		in.Request = parse(`{"model":"claude-haiku-4-5","max_tokens":100,
			"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
			"tool_choice":{"type":"tool","name":"get_weather"},"messages":[{"role":"user","content":"Weather?"}]}`)
		msg := compose.Message(in)
		Expect(*msg.StopReason).To(Equal("tool_use"))
		use, ok := msg.Content[len(msg.Content)-1].(wire.ToolUseBlock)
		Expect(ok).To(BeTrue())
		Expect(use.Name).To(Equal("get_weather"))
		Expect(string(use.Input)).To(HavePrefix(`{"city":"`))
	})

	It("says what a scripted reply says, with its usage figures", func() {
		out := 42
		in.Script = &scenario.Reply{Name: "fixed", Text: &scenario.Text{Fixed: "Exactly this."}, StopReason: "max_tokens",
			Usage: scenario.Usage{OutputTokens: &out}}
		msg := compose.Message(in)
		Expect(msg.Content).To(Equal([]any{wire.TextBlock{Type: "text", Text: "Exactly this."}}))
		Expect(*msg.StopReason).To(Equal("max_tokens"))
		Expect(msg.Usage.OutputTokens).To(Equal(42))
	})

	It("reports context management only when the request asked for it", func() {
		Expect(compose.ContextManagement(in.Request)).To(BeNil())
		in.Request.ContextManagement = true
		Expect(compose.ContextManagement(in.Request)).To(Equal(&wire.ContextManagement{AppliedEdits: []any{}}))
	})
})
