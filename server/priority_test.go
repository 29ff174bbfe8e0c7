package server_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("Priority Tier", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start, Tier: "start"})
		r := c.do("PUT", "/_mock/organizations/"+s.DefaultOrganization(),
			`{"priority":{"claude-haiku-4-5":{"input_tokens_per_minute":1000,"output_tokens_per_minute":500}}}`)
		Expect(r.status).To(Equal(200), string(r.body))
	})

	serviceTier := func(r reply) any { return r.json()["usage"].(map[string]any)["service_tier"] }

	It("serves an auto request from the commitment and sends the six priority headers", func() {
		r := c.post("/v1/messages", hello)
		Expect(serviceTier(r)).To(Equal("priority"))
		Expect(r.header.Get("anthropic-priority-input-tokens-limit")).To(Equal("1000"))
		Expect(r.header.Get("anthropic-priority-input-tokens-remaining")).To(Equal("988")) // 12 input tokens
		Expect(r.header.Get("anthropic-priority-input-tokens-reset")).To(Equal("2026-01-01T00:00:01Z"))
		Expect(r.header.Get("anthropic-priority-output-tokens-limit")).To(Equal("500"))
		Expect(r.header.Get("anthropic-priority-output-tokens-remaining")).To(Equal("476")) // 24 generated (actual)
		Expect(r.header.Get("anthropic-priority-output-tokens-reset")).To(Equal("2026-01-01T00:00:03Z"))
		Expect(r.header.Get("anthropic-ratelimit-requests-remaining")).To(Equal("999"), "the regular limits are drawn on too")
	})

	It("falls back to standard when the commitment is used up, still sending the headers", func() {
		big := prompt("claude-haiku-4-5", 990, 10) // 1,000 tokens of input burn-down
		Expect(serviceTier(c.post("/v1/messages", big))).To(Equal("priority"))
		r := c.post("/v1/messages", big)
		Expect(serviceTier(r)).To(Equal("standard"))
		Expect(r.header.Get("anthropic-priority-input-tokens-remaining")).To(Equal("0"))
	})

	It("never uses the commitment with standard_only, and sends no priority headers", func() {
		r := c.post("/v1/messages", strings.Replace(hello, `{"model"`, `{"service_tier":"standard_only","model"`, 1))
		Expect(serviceTier(r)).To(Equal("standard"))
		Expect(r.header.Get("anthropic-priority-input-tokens-limit")).To(BeEmpty())
	})

	It("leaves models without a commitment alone", func() {
		r := c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", "claude-sonnet-4-5", 1))
		Expect(serviceTier(r)).To(Equal("standard"))
		Expect(r.header.Get("anthropic-priority-input-tokens-limit")).To(BeEmpty())
	})

	It("refuses a commitment with one side missing", func() {
		status, _, msg := c.do("PUT", "/_mock/organizations/"+s.DefaultOrganization(),
			`{"priority":{"claude-haiku-4-5":{"input_tokens_per_minute":1000}}}`).errorOf()
		Expect([]any{status, msg}).To(Equal([]any{400, "priority.claude-haiku-4-5: input_tokens_per_minute and output_tokens_per_minute must both be > 0 (or both 0 to remove)"}))
	})
})
