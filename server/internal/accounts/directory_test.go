package accounts_test

import (
	"os"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

const orgsYAML = `organizations:
  - id: org-acme
    tier: tier-2
    keys: [sk-acme]
    spend_limit: 100
    priority:
      claude-sonnet-4-5: {input_tokens_per_minute: 100000, output_tokens_per_minute: 20000}
    workspaces:
      - id: wrkspc_batch
        limits:
          default: {requests_per_minute: 5}
        spend_limit: 10.5
        keys: [sk-batch]
  - id: org-small
    limits:
      haiku-4-5: {requests_per_minute: 2}
    keys: [sk-small]
`

const sonnet = "claude-sonnet-4-5-20250929"

// loadCatalog reads the built-in tiers.yaml.
func loadCatalog() *catalog.Catalog {
	data, err := os.ReadFile("../../../tiers.yaml")
	Expect(err).NotTo(HaveOccurred())
	cat, err := catalog.Load("tiers.yaml", data)
	Expect(err).NotTo(HaveOccurred())
	return cat
}

// configured loads an organizations file against cat.
func configured(cat *catalog.Catalog, yaml string) []orgs.Organization {
	cfg, err := orgs.Load("orgs.yaml", []byte(yaml), cat)
	Expect(err).NotTo(HaveOccurred())
	return cfg.Organizations
}

func money(usd float64) *billing.Money {
	m := billing.Dollars(usd)
	return &m
}

var _ = Describe("Directory", func() {
	var (
		cat        *catalog.Catalog
		start, two *catalog.Tier
		d          *accounts.Directory
	)

	BeforeEach(func() {
		cat = loadCatalog()
		start, _ = cat.Tier("start")
		two, _ = cat.Tier("tier-2")
		d = accounts.New(cat, 7, start, configured(cat, orgsYAML))
	})

	It("resolves an organization's key to its default workspace", func() {
		a := d.Resolve("sk-acme")
		Expect([]any{a.OrgID, a.WorkspaceID, a.Tier.Name, a.IsDefault, a.Workspace}).
			To(Equal([]any{"org-acme", "", "tier-2", false, (*orgs.Workspace)(nil)}))
		Expect([]string{a.OrgScope(), a.WorkspaceHeader(), a.WorkspaceName(), a.CacheScope()}).
			To(Equal([]string{"org:org-acme", orgs.DefaultWorkspaceID("org-acme"), "default", "ws:org-acme/default"}))
		Expect(a.Scopes("haiku-4-5")).To(HaveLen(1))
	})

	It("resolves a workspace's key, whose limits are a second scope", func() {
		a := d.Resolve("sk-batch")
		Expect([]string{a.OrgID, a.WorkspaceID, a.WorkspaceHeader(), a.WorkspaceName(), a.CacheScope()}).
			To(Equal([]string{"org-acme", "wrkspc_batch", "wrkspc_batch", "wrkspc_batch", "ws:org-acme/wrkspc_batch"}))
		scopes := a.Scopes("haiku-4-5")
		Expect(scopes).To(HaveLen(2))
		Expect(scopes[0].ID).To(Equal("org:org-acme"))
		Expect([]int{scopes[0].Limits.RequestsPerMinute, scopes[0].Limits.InputTokensPerMinute}).To(Equal([]int{1000, 450000}))
		Expect(scopes[1]).To(Equal(accounts.Scope{ID: "ws:wrkspc_batch", Limits: catalog.Limits{RequestsPerMinute: 5}}))
	})

	It("puts keys nobody configured in the default organization, on the default tier", func() {
		a := d.Resolve("sk-other")
		Expect([]any{a.OrgID, a.WorkspaceID, a.Tier, a.IsDefault}).To(Equal([]any{d.DefaultID(), "", start, true}))
		Expect(d.DefaultID()).To(Equal(accounts.New(cat, 7, two, nil).DefaultID()), "the seed alone decides it")
		Expect(d.DefaultID()).NotTo(Equal(accounts.New(cat, 8, start, nil).DefaultID()))
	})

	It("applies an organization's own limits over its tier's, and a change to the next resolve", func() {
		Expect(d.Resolve("sk-small").Scopes("haiku-4-5")[0].Limits.RequestsPerMinute).To(Equal(2))
		Expect(d.SetLimits("org-small", map[string]catalog.Limits{"default": {RequestsPerMinute: 3}})).To(Succeed())
		Expect(d.Resolve("sk-small").Scopes("haiku-4-5")[0].Limits.RequestsPerMinute).To(Equal(3))
		Expect(d.SetLimits("org-none", nil)).To(MatchError(`organization "org-none" not found`))
	})

	It("moves an organization to another tier without changing an account already resolved", func() {
		before := d.Resolve("sk-small")
		Expect(d.SetTier("org-small", two)).To(Succeed())
		tier, ok := d.TierOf("org-small")
		Expect([]any{tier, ok, before.Tier, d.Resolve("sk-small").Tier}).To(Equal([]any{two, true, start, two}))
		Expect(d.SetTier("org-none", two)).To(MatchError(`organization "org-none" not found`))
		_, ok = d.TierOf("org-none")
		Expect(ok).To(BeFalse())
	})

	It("keeps the spend limits a file declares and the control API sets", func() {
		org, ws := d.SpendLimits("org-acme", "wrkspc_batch")
		Expect([]*billing.Money{org, ws}).To(Equal([]*billing.Money{money(100), money(10.5)}))
		Expect(d.SetSpendLimit("org-acme", "wrkspc_batch", nil)).To(Succeed())
		Expect(d.SetSpendLimit("org-acme", "", money(5))).To(Succeed())
		org, ws = d.SpendLimits("org-acme", "wrkspc_batch")
		Expect([]*billing.Money{org, ws}).To(Equal([]*billing.Money{money(5), nil}))
		Expect(d.SetSpendLimit("org-acme", "wrkspc_none", money(1))).
			To(MatchError(`workspace "wrkspc_none" not found in organization "org-acme"`))
		Expect(d.SetSpendLimit("org-none", "", money(1))).To(MatchError(`organization "org-none" not found`))
		org, ws = d.SpendLimits("org-none", "")
		Expect([]*billing.Money{org, ws}).To(Equal([]*billing.Money{nil, nil}))
	})

	It("keeps the Priority Tier commitments a file declares, by model id, and removes a zero one", func() {
		c, ok := d.Priority("org-acme", sonnet)
		Expect([]any{c, ok}).To(Equal([]any{accounts.Commitment{InputTPM: 100000, OutputTPM: 20000}, true}))
		Expect(d.SetPriority("org-acme", sonnet, accounts.Commitment{})).To(Succeed())
		_, ok = d.Priority("org-acme", sonnet)
		Expect(ok).To(BeFalse())
		Expect(d.SetPriority("org-small", sonnet, accounts.Commitment{InputTPM: 1, OutputTPM: 2})).To(Succeed())
		c, ok = d.Priority("org-small", sonnet)
		Expect([]any{c, ok}).To(Equal([]any{accounts.Commitment{InputTPM: 1, OutputTPM: 2}, true}))
		Expect(d.SetPriority("org-none", sonnet, c)).To(MatchError(`organization "org-none" not found`))
	})

	It("lists the default organization first, then by id", func() {
		Expect(d.List()).To(Equal([]accounts.Summary{
			{ID: d.DefaultID(), Name: "Default organization", Tier: "start", Default: true, DefaultWorkspaceID: orgs.DefaultWorkspaceID(d.DefaultID())},
			{ID: "org-acme", Tier: "tier-2", Workspaces: []string{"wrkspc_batch"}, DefaultWorkspaceID: orgs.DefaultWorkspaceID("org-acme")},
			{ID: "org-small", Tier: "start", DefaultWorkspaceID: orgs.DefaultWorkspaceID("org-small")},
		}))
	})

	It("replaces the configured organizations, keeping the default one and its tier", func() {
		Expect(d.SetTier(d.DefaultID(), two)).To(Succeed())
		d.Replace(cat, configured(cat, "organizations:\n  - id: org-new\n    keys: [sk-new]\n"))
		Expect(d.Resolve("sk-acme").IsDefault).To(BeTrue(), "an old key falls back to the default organization")
		Expect([]any{d.Resolve("sk-new").OrgID, d.Resolve("sk-new").Tier}).To(Equal([]any{"org-new", two}))
		Expect(d.List()).To(HaveLen(2))
		Expect(d.List()[0].Tier).To(Equal("tier-2"))
	})

	It("starts over for another seed, tier and configuration", func() {
		old := d.DefaultID()
		d.Reset(cat, 8, two, nil)
		Expect(d.DefaultID()).To(Equal(accounts.New(cat, 8, start, nil).DefaultID()))
		Expect(d.DefaultID()).NotTo(Equal(old))
		Expect([]any{d.Resolve("sk-acme").OrgID, d.Resolve("sk-acme").Tier}).To(Equal([]any{d.DefaultID(), two}))
		Expect(d.List()).To(HaveLen(1))
	})
})
