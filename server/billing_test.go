package server_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("Spend and credits", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		// tier-1: the tier era's purchase thresholds upgrade org-small below.
		s, c = newServer(server.Options{Clock: "manual", Start: time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), Organizations: []byte(orgsYAML), Tier: "tier-1"})
	})

	org := func() server.State { return s.State() }
	spentBy := func(id string) float64 {
		for _, o := range org().Organizations {
			if o.ID == id {
				return o.SpentThisMonth
			}
		}
		return -1
	}

	It("prices every response from the catalogue and books it to the month", func() {
		// Haiku 4.5 at $1 / $5 per MTok: 12 input and 24 output tokens.
		Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		Expect(spentBy(s.DefaultOrganization())).To(BeNumerically("==", 0.000012+0.00012))
	})

	It("trips the tier's monthly cap on the request after the one that crosses it, until next month", func() {
		// tier-1's cap is $100. Opus 4.5 output at $25/MTok: 64,000 tokens cost $1.60.
		body := prompt("claude-opus-4-5", 1, 64000)
		s2, c2 := newServer(server.Options{Clock: "manual", Start: time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), Tier: "custom", ReplyTokens: 64000})
		Expect(s2.SetTier(s2.DefaultOrganization(), "tier-1")).To(Succeed())
		Expect(s2.SetLimits(s2.DefaultOrganization(), map[string]map[string]int{"default": {"output_tokens_per_minute": 100_000_000, "requests_per_minute": 1000}})).To(Succeed())
		served := 0
		var last reply
		for range 100 {
			if last = c2.post("/v1/messages", body); last.status != 200 {
				break
			}
			served++
		}
		Expect(served).To(Equal(63)) // 62 × $1.60 = $99.20 < $100; the 63rd crosses it
		status, typ, msg := last.errorOf()
		Expect([]any{status, typ}).To(Equal([]any{429, "rate_limit_error"}))
		Expect(msg).To(Equal("You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2026-02-01 at 00:00 UTC."))
		Expect(last.json()["error"].(map[string]any)["details"]).To(Equal(map[string]any{"error_code": "enforced_spend_limit_reached"}))
		Expect(last.header.Get("retry-after")).To(BeEmpty())
		Expect(last.header.Get("x-should-retry")).To(BeEmpty())
		Expect(spec.ValidateResponse("post", "/v1/messages", 429, last.body)).To(Succeed())

		_, err := s2.Advance(time.Hour) // 2026-02-01T00:00:00Z
		Expect(err).NotTo(HaveOccurred())
		Expect(c2.post("/v1/messages", body).status).To(Equal(200))
	})

	It("answers a customer-set organization or workspace limit with the real 400", func() {
		limit := 0.0001
		Expect(s.SetSpendLimit("org-acme", "wrkspc_batch", &limit)).To(Succeed())
		batch := func() reply { return c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-batch") }
		Expect(batch().status).To(Equal(200)) // $0.000132 crosses it
		status, typ, msg := batch().errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error",
			"You have reached your specified workspace API usage limits. You will regain access on 2026-02-01 at 00:00 UTC."}))
		Expect(c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-acme").status).To(Equal(200), "the default workspace is not limited")

		r := c.do("PUT", "/_mock/organizations/org-acme", `{"spend_limit":0.0001}`)
		Expect(r.status).To(Equal(200), string(r.body))
		_, _, msg = c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-acme").errorOf()
		Expect(msg).To(Equal("You have reached your specified API usage limits. You will regain access on 2026-02-01 at 00:00 UTC."))
	})

	It("refuses requests once credits run out, and a deposit past a threshold upgrades the tier at once", func() {
		Expect(c.do("PUT", "/_mock/organizations/org-small", `{"credits":true}`).status).To(Equal(200))
		small := func() reply { return c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-small") }
		status, typ, msg := small().errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error",
			"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}))

		r := c.post("/_mock/organizations/org-small/credits", `{"amount":40}`)
		Expect(string(r.body)).To(Equal(`{"balance":40,"purchased":40,"tier":"tier-2","upgraded":true}`))
		ok := small()
		Expect(ok.status).To(Equal(200))
		Expect(ok.header.Get("anthropic-ratelimit-input-tokens-limit")).To(Equal("450000")) // tier-2's, at once

		status, _, msg = c.post("/_mock/organizations/org-small/credits", `{"amount":501}`).errorOf()
		Expect([]any{status, msg}).To(Equal([]any{400, "amount: deposit of $501.00 exceeds the tier's maximum credit purchase of $500.00"}))
	})
})
