package server_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

const orgsYAML = `organizations:
  - id: org-acme
    tier: tier-2
    keys: [sk-acme]
    workspaces:
      - id: wrkspc_batch
        limits:
          default: {requests_per_minute: 5}
        keys: [sk-batch]
  - id: org-small
    limits:
      haiku-4-5: {requests_per_minute: 2}
    keys: [sk-small]
`

var _ = Describe("Organizations and workspaces", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start, Organizations: []byte(orgsYAML)})
	})

	as := func(key string) reply { return c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", key) }

	It("resolves a key to its organization and workspace", func() {
		r := as("sk-batch")
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("anthropic-organization-id")).To(Equal("org-acme"))
		Expect(r.header.Get("anthropic-workspace-id")).To(Equal("wrkspc_batch"))
		Expect(r.header.Get("anthropic-ratelimit-requests-limit")).To(Equal("5")) // the workspace binds
		Expect(r.header.Get("anthropic-ratelimit-requests-remaining")).To(Equal("4"))
		Expect(r.header.Get("anthropic-ratelimit-input-tokens-limit")).To(Equal("450000")) // tier-2's
	})

	It("caps a workspace below its organization, leaving the default workspace free", func() {
		for range 5 {
			Expect(as("sk-batch").status).To(Equal(200))
		}
		status, typ, msg := as("sk-batch").errorOf()
		Expect([]any{status, typ}).To(Equal([]any{429, "rate_limit_error"}))
		Expect(msg).To(HavePrefix("This request would exceed your workspace's rate limit of 5 requests per minute " +
			"(org: org-acme, workspace: wrkspc_batch, model: claude-haiku-4-5-20251001)."))
		r := as("sk-acme")
		Expect(r.status).To(Equal(200))
		Expect(r.header.Values("anthropic-workspace-id")).To(Equal([]string{orgs.DefaultWorkspaceID("org-acme")}))
		Expect(r.header.Get("anthropic-ratelimit-requests-remaining")).To(Equal("994")) // 1,000 - 6
	})

	It("applies an organization's own limits over its tier's", func() {
		Expect(as("sk-small").status).To(Equal(200))
		r := as("sk-small")
		Expect(r.header.Get("anthropic-ratelimit-requests-limit")).To(Equal("2"))
		Expect(r.header.Get("anthropic-ratelimit-input-tokens-limit")).To(Equal("2000000")) // start's, the default tier
		Expect(as("sk-small").status).To(Equal(429))
	})

	It("puts unknown keys in the default organization", func() {
		Expect(as("sk-other").header.Get("anthropic-organization-id")).To(Equal(s.DefaultOrganization()))
		Expect(s.State().Organizations).To(HaveLen(3))
	})

	It("refuses a bad organizations file, naming file, line and field", func() {
		_, err := server.New(server.Options{Organizations: []byte("organizations:\n  - id: x\n    tier: tier-9\n"), OrganizationsFile: "orgs.yaml"})
		Expect(err).To(MatchError(ContainSubstring(`orgs.yaml:3: organizations[0].tier: `)))
	})
})

var _ = Describe("Other limit shapes", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start})
	})

	It("shows a combined tokens-per-minute bucket as tokens-* (bedrock)", func() {
		Expect(s.SetTier(s.DefaultOrganization(), "bedrock")).To(Succeed())
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("anthropic-ratelimit-tokens-limit")).To(Equal("200000"))
		Expect(r.header.Get("anthropic-ratelimit-tokens-remaining")).To(Equal("199000")) // 12 in + 24 out
		Expect(r.header.Get("anthropic-ratelimit-input-tokens-limit")).To(BeEmpty())
		Expect(r.header.Get("anthropic-ratelimit-requests-limit")).To(Equal("200"))
	})

	It("runs out of a daily token limit until 00:00 UTC and says so (legacy-2024)", func() {
		Expect(s.SetTier(s.DefaultOrganization(), "legacy-2024")).To(Succeed())
		// 40,010 input tokens + max_tokens 10: 40,020 of 1,000,000 a day and of
		// 50,000 a minute. A minute apart, the minute bucket is always full
		// again, and the calendar day regains nothing: 24 fit (960,480), the
		// 25th does not (39,520 left).
		body := prompt("claude-haiku-4-5", 40000, 10)
		admitted := 0
		var last reply
		for range 30 {
			if last = c.post("/v1/messages", body); last.status != 200 {
				break
			}
			admitted++
			_, err := s.Advance(time.Minute)
			Expect(err).NotTo(HaveOccurred())
		}
		Expect(admitted).To(Equal(24))
		_, _, msg := last.errorOf()
		Expect(msg).To(HavePrefix("This request would exceed your organization's rate limit of 1,000,000 tokens per day (org: " +
			s.DefaultOrganization() + ", model: claude-haiku-4-5-20251001). For details"))
		Expect(last.header.Get("retry-after")).To(Equal("84960")) // 00:24 to midnight
		Expect(last.header.Get("x-should-retry")).To(Equal("true"))
		Expect(last.header.Get("anthropic-ratelimit-tokens-limit")).To(Equal("1000000"))
		Expect(last.header.Get("anthropic-ratelimit-tokens-remaining")).To(Equal("39000")) // 39,520 floored
		Expect(last.header.Get("anthropic-ratelimit-tokens-reset")).To(Equal("2026-01-02T00:00:00Z"))

		s.SetTime(time.Date(2026, 1, 1, 23, 59, 59, 0, time.UTC))
		Expect(c.post("/v1/messages", body).status).To(Equal(429), "one second early")
		_, err := s.Advance(time.Second)
		Expect(err).NotTo(HaveOccurred())
		r := c.post("/v1/messages", body)
		Expect(r.status).To(Equal(200), "at 00:00 UTC")
		Expect(r.header.Get("anthropic-ratelimit-tokens-limit")).To(Equal("50000")) // the minute binds again
	})
})

var _ = Describe("Organizations through the control API", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start})
	})

	It("replaces the organizations with a posted file", func() {
		r := c.do("PUT", "/_mock/organizations", orgsYAML)
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-batch").header.Get("anthropic-organization-id")).To(Equal("org-acme"))
		Expect(s.SetOrganizations("empty.yaml", []byte("organizations: []\n"))).To(Succeed())
		Expect(c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-batch").header.Get("anthropic-organization-id")).To(Equal(s.DefaultOrganization()))
	})

	It("grants the credits a posted file declares, as a grant, not a purchase", func() {
		body := "organizations:\n  - id: org-cash\n    credits: 0.5\n    spend_limit: 20\n    keys: [sk-cash]\n"
		Expect(c.do("PUT", "/_mock/organizations", body).status).To(Equal(200))
		var cash map[string]any
		for _, o := range c.do("GET", "/_mock/state", "").json()["organizations"].([]any) {
			if o.(map[string]any)["id"] == "org-cash" {
				cash = o.(map[string]any)
			}
		}
		Expect([]any{cash["credits_enabled"], cash["balance"], cash["purchased"]}).To(Equal([]any{true, 0.5, 0.0}))
	})

	It("refuses a bad file with its line and field", func() {
		status, typ, msg := c.do("PUT", "/_mock/organizations", "organizations:\n  - id: x\n    tier: tier-9\n").errorOf()
		Expect([]any{status, typ}).To(Equal([]any{400, "invalid_request_error"}))
		Expect(msg).To(HavePrefix(`request body:3: organizations[0].tier: must name a tier of the catalogue`))
	})

	It("gives an organization limits of its own", func() {
		r := c.do("PUT", "/_mock/organizations/"+s.DefaultOrganization(), `{"limits":{"haiku-4-5":{"requests_per_minute":3}}}`)
		Expect(r.status).To(Equal(200), string(r.body))
		r = c.post("/v1/messages", hello)
		Expect(r.header.Get("anthropic-ratelimit-requests-limit")).To(Equal("3"))
		Expect(r.header.Get("anthropic-ratelimit-input-tokens-limit")).To(Equal("2000000")) // start's, the default tier
	})

	DescribeTable("refuses bad limits, naming the field",
		func(body, message string) {
			status, typ, msg := c.do("PUT", "/_mock/organizations/"+s.DefaultOrganization(), body).errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", message}))
		},
		Entry("unknown family", `{"limits":{"opus-9":{"requests_per_minute":3}}}`, `limits: "opus-9" is not a model family or "default"`),
		Entry("unknown dimension", `{"limits":{"default":{"requests_per_hour":3}}}`, `limits.default.requests_per_hour: not a limit dimension`),
		Entry("zero limit", `{"limits":{"default":{"requests_per_minute":0}}}`, `limits.default.requests_per_minute: must be > 0, got 0`),
		Entry("wrong type", `{"limits":{"default":{"requests_per_minute":"many"}}}`, `limits.default.requests_per_minute: Input should be a valid integer`),
		Entry("nothing to change", `{}`, `tier, limits, credits, spend_limit or priority: Field required`),
	)

	// A change is all or nothing: the priority, spend, tier and limits
	// parts of one body are all checked before any of them applies.
	DescribeTable("changes nothing when any part of a change is refused",
		func(body, message string) {
			before := c.do("GET", "/_mock/state", "")
			status, typ, msg := c.do("PUT", "/_mock/organizations/"+s.DefaultOrganization(), body).errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", message}))
			after := c.do("GET", "/_mock/state", "")
			org := after.json()["organizations"].([]any)[0].(map[string]any)
			Expect([]any{org["tier"], org["credits_enabled"]}).To(Equal([]any{"start", false}))
			Expect(string(after.body)).To(Equal(string(before.body)))
			for range 2 { // a spend limit of $0.0001 would refuse the second
				r := c.post("/v1/messages", hello)
				Expect(r.status).To(Equal(200), string(r.body))
				Expect(r.json()["usage"].(map[string]any)["service_tier"]).To(Equal("standard"))
				Expect(r.header.Get("anthropic-ratelimit-requests-limit")).To(Equal("1000")) // start's, not the body's 3
			}
		},
		Entry("a bad limit after a good tier, credits, spend limit and commitment",
			`{"tier":"scale","credits":true,"spend_limit":0.0001,`+
				`"priority":{"claude-haiku-4-5":{"input_tokens_per_minute":1000,"output_tokens_per_minute":500}},`+
				`"limits":{"default":{"requests_per_minute":3,"requests_per_hour":3}}}`,
			`limits.default.requests_per_hour: not a limit dimension`),
		Entry("a bad tier after good credits, spend limit and commitment",
			`{"tier":"tier-9","credits":true,"spend_limit":0.0001,`+
				`"priority":{"claude-haiku-4-5":{"input_tokens_per_minute":1000,"output_tokens_per_minute":500}}}`,
			`tier: no tier named "tier-9" in the catalogue`),
		Entry("a bad spend limit after good credits and commitment",
			`{"credits":true,"spend_limit":-1,`+
				`"priority":{"claude-haiku-4-5":{"input_tokens_per_minute":1000,"output_tokens_per_minute":500}}}`,
			`spend_limit: must be > 0, got -1`),
		Entry("a bad commitment after a good one",
			`{"priority":{"claude-haiku-4-5":{"input_tokens_per_minute":1000,"output_tokens_per_minute":500},`+
				`"claude-sonnet-4-5":{"input_tokens_per_minute":1000}}}`,
			`priority.claude-sonnet-4-5: input_tokens_per_minute and output_tokens_per_minute must both be > 0 (or both 0 to remove)`),
	)
})
