package control_test

import (
	"os"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/control"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

const orgsYAML = `organizations:
  - id: org-acme
    tier: tier-1
    keys: [sk-acme]
    workspaces:
      - id: wrkspc_batch
        keys: [sk-batch]
`

const sonnet = "claude-sonnet-4-5-20250929"

// newOrgs builds what a change reaches: the built-in catalogue, a
// directory holding org-acme on tier-1, and an empty book.
func newOrgs() control.Orgs {
	data, err := os.ReadFile("../../../tiers.yaml")
	Expect(err).NotTo(HaveOccurred())
	cat, err := catalog.Load("tiers.yaml", data)
	Expect(err).NotTo(HaveOccurred())
	cfg, err := orgs.Load("orgs.yaml", []byte(orgsYAML), cat)
	Expect(err).NotTo(HaveOccurred())
	return control.Orgs{Catalog: cat, Accounts: accounts.New(cat, 1, cat.DefaultTier(), cfg.Organizations), Book: billing.NewBook()}
}

// tierOf is the name of an organization's tier.
func tierOf(o control.Orgs, orgID string) string {
	tier, ok := o.Accounts.TierOf(orgID)
	Expect(ok).To(BeTrue())
	return tier.Name
}

// refusal is an error's kind and message, for exact comparison.
func refusal(err error) []any {
	e, ok := err.(*apierror.Error)
	Expect(ok).To(BeTrue(), "%T is no *apierror.Error", err)
	return []any{e.Kind, e.Message}
}

var _ = Describe("Orgs.Decode and Orgs.Apply", func() {
	var o control.Orgs
	BeforeEach(func() { o = newOrgs() })

	It("applies every part of a change: tier, limits, credits, spend limit and priority", func() {
		ch, err := o.Decode([]byte(`{"tier":"tier-2","limits":{"default":{"requests_per_minute":7}},"credits":true,"spend_limit":12.5,
			"priority":{"claude-sonnet-4-5":{"input_tokens_per_minute":1000,"output_tokens_per_minute":500}}}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		Expect(tierOf(o, "org-acme")).To(Equal("tier-2"))
		Expect(o.Accounts.Resolve("sk-acme").Org.Limits).To(Equal(map[string]catalog.Limits{"default": {RequestsPerMinute: 7}}))
		enabled, _, _ := o.Book.Credits("org-acme")
		Expect(enabled).To(BeTrue())
		orgLimit, _ := o.Accounts.SpendLimits("org-acme", "")
		Expect(*orgLimit).To(Equal(billing.Dollars(12.5)))
		Expect(commitment(o, "org-acme")).To(Equal(accounts.Commitment{InputTPM: 1000, OutputTPM: 500}))
	})

	It("refuses a change whose limits are invalid before any of it applies, so the tier stays as it was", func() {
		_, err := o.Decode([]byte(`{"tier":"tier-2","spend_limit":5,"limits":{"default":{"requests_per_minute":0}}}`))
		Expect(refusal(err)).To(Equal([]any{apierror.InvalidRequest, "limits.default.requests_per_minute: must be > 0, got 0"}))
		Expect(tierOf(o, "org-acme")).To(Equal("tier-1"))
		orgLimit, _ := o.Accounts.SpendLimits("org-acme", "")
		Expect(orgLimit).To(BeNil())
	})

	DescribeTable("refuses a body naming the field at fault",
		func(body string, kind apierror.Kind, message string) {
			_, err := o.Decode([]byte(body))
			Expect(refusal(err)).To(Equal([]any{kind, message}))
		},
		Entry("no part", `{}`, apierror.InvalidRequest, "tier, limits, credits, spend_limit or priority: Field required"),
		Entry("an unknown key", `{"tiers":"tier-2"}`, apierror.InvalidRequest, "tiers: Extra inputs are not permitted"),
		Entry("an unknown tier", `{"tier":"tier-9"}`, apierror.InvalidRequest, `tier: no tier named "tier-9" in the catalogue`),
		Entry("an unknown family", `{"limits":{"gpt-4":{"requests_per_minute":1}}}`, apierror.InvalidRequest, `limits: "gpt-4" is not a model family or "default"`),
		Entry("an unknown dimension", `{"limits":{"default":{"requests_per_hour":1}}}`, apierror.InvalidRequest, "limits.default.requests_per_hour: not a limit dimension"),
		Entry("a limit that is no integer", `{"limits":{"default":{"requests_per_minute":"ten"}}}`, apierror.InvalidRequest, "limits.default.requests_per_minute: Input should be a valid integer"),
		Entry("a spend limit of 0", `{"spend_limit":0}`, apierror.InvalidRequest, "spend_limit: must be > 0, got 0"),
		Entry("a negative spend limit", `{"spend_limit":-2.5}`, apierror.InvalidRequest, "spend_limit: must be > 0, got -2.5"),
		Entry("a spend limit that is no number", `{"spend_limit":"5"}`, apierror.InvalidRequest, "spend_limit: Input should be a valid number"),
		Entry("an unknown model in priority", `{"priority":{"claude-nope":{"input_tokens_per_minute":1,"output_tokens_per_minute":1}}}`, apierror.NotFound, "model: claude-nope"),
		Entry("a priority dimension that is none", `{"priority":{"claude-sonnet-4-5":{"requests_per_minute":1}}}`, apierror.InvalidRequest, "priority.claude-sonnet-4-5.requests_per_minute: not a Priority Tier dimension"),
		Entry("a priority value that is no integer", `{"priority":{"claude-sonnet-4-5":{"input_tokens_per_minute":1.5}}}`, apierror.InvalidRequest, "priority.claude-sonnet-4-5.input_tokens_per_minute: Input should be a valid integer"),
		Entry("a half commitment", `{"priority":{"claude-sonnet-4-5":{"input_tokens_per_minute":1000}}}`, apierror.InvalidRequest, "priority.claude-sonnet-4-5: input_tokens_per_minute and output_tokens_per_minute must both be > 0 (or both 0 to remove)"),
	)

	It("removes the organization's spend limit with a nil one", func() {
		ch, err := control.SpendLimit("", ptr(5.0))
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		ch, err = control.SpendLimit("", nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		orgLimit, _ := o.Accounts.SpendLimits("org-acme", "")
		Expect(orgLimit).To(BeNil())
	})

	It("refuses a change to an unknown organization with a 404, its first step naming the organization", func() {
		ch, err := o.Decode([]byte(`{"tier":"tier-2"}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(refusal(o.Apply("org-nope", ch))).To(Equal([]any{apierror.NotFound, `organization "org-nope" not found`}))
		Expect(refusal(o.Apply("org-nope", control.Credits(true)))).To(Equal([]any{apierror.NotFound, "organization org-nope not found"}))
	})
})

var _ = Describe("changes built from Go arguments", func() {
	var o control.Orgs
	BeforeEach(func() { o = newOrgs() })

	It("moves an organization to a tier by name", func() {
		ch, err := o.Tier("tier-3")
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		Expect(tierOf(o, "org-acme")).To(Equal("tier-3"))
	})

	It("gives an organization limits of its own by family", func() {
		ch, err := o.Limits(map[string]map[string]int{"sonnet-4": {"output_tokens_per_minute": 90}})
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		Expect(o.Accounts.Resolve("sk-acme").Org.Limits).To(Equal(map[string]catalog.Limits{"sonnet-4": {OutputTokensPerMinute: 90}}))
	})

	It("keys a commitment by the model's id when given an alias, and removes it with zeros", func() {
		ch, err := o.Priority("claude-sonnet-4-5", 10, 20)
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		Expect(commitment(o, "org-acme")).To(Equal(accounts.Commitment{InputTPM: 10, OutputTPM: 20}))
		ch, err = o.Priority(sonnet, 0, 0)
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		_, ok := o.Accounts.Priority("org-acme", sonnet)
		Expect(ok).To(BeFalse())
	})

	It("refuses a commitment for an unknown model with the exact 404", func() {
		_, err := o.Priority("claude-nope", 10, 20)
		Expect(refusal(err)).To(Equal([]any{apierror.NotFound, "model: claude-nope"}))
	})

	It("refuses a spend limit <= 0 with the exact 400", func() {
		_, err := control.SpendLimit("", ptr(-1.0))
		Expect(refusal(err)).To(Equal([]any{apierror.InvalidRequest, "spend_limit: must be > 0, got -1"}))
	})
})

var _ = Describe("DecodeWorkspace", func() {
	var o control.Orgs
	BeforeEach(func() { o = newOrgs() })

	It("sets a workspace's spend limit and leaves the organization's alone", func() {
		ch, err := control.DecodeWorkspace("wrkspc_batch", []byte(`{"spend_limit":5}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(o.Apply("org-acme", ch)).To(Succeed())
		orgLimit, wsLimit := o.Accounts.SpendLimits("org-acme", "wrkspc_batch")
		Expect(orgLimit).To(BeNil())
		Expect(*wsLimit).To(Equal(billing.Dollars(5)))
	})

	It("refuses an unknown workspace with a 404 naming it", func() {
		ch, err := control.DecodeWorkspace("wrkspc_nope", []byte(`{"spend_limit":5}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(refusal(o.Apply("org-acme", ch))).To(Equal([]any{apierror.NotFound, `workspace "wrkspc_nope" not found in organization "org-acme"`}))
	})

	It("refuses a body that is no JSON object before anything else", func() {
		_, err := control.DecodeWorkspace("wrkspc_batch", []byte(`[5]`))
		Expect(refusal(err)).To(Equal([]any{apierror.InvalidRequest, "body: Input should be a valid dictionary or object to extract fields from"}))
	})
})

// commitment is an organization's Priority Tier commitment for Sonnet 4.5.
func commitment(o control.Orgs, orgID string) accounts.Commitment {
	c, ok := o.Accounts.Priority(orgID, sonnet)
	Expect(ok).To(BeTrue())
	return c
}

func ptr(v float64) *float64 { return &v }
