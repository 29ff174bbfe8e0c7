package orgs_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// ptr returns a pointer to v, for the optional amounts.
func ptr[T any](v T) *T { return &v }

var _ = Describe("credits, spend limits and Priority Tier commitments", func() {
	var cat *catalog.Catalog

	BeforeEach(func() { cat = loadCatalog() })

	It("decodes them to exact values", func() {
		doc := `organizations:
  - id: org-a
    credits: 5.25
    spend_limit: 100
    priority:
      claude-sonnet-4-5:
        input_tokens_per_minute: 100000
        output_tokens_per_minute: 20000
      claude-opus-4-8: {input_tokens_per_minute: 1, output_tokens_per_minute: 2}
    workspaces:
      - id: ws-1
        spend_limit: 10.5
  - id: org-b
    credits: 0
`
		cfg, err := orgs.Load("orgs.yaml", []byte(doc), cat)
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg.Organizations).To(Equal([]orgs.Organization{
			{
				ID: "org-a", Credits: ptr(5.25), SpendLimit: ptr(100.0),
				Priority: map[string]orgs.Commitment{
					"claude-sonnet-4-5": {InputTokensPerMinute: 100000, OutputTokensPerMinute: 20000},
					"claude-opus-4-8":   {InputTokensPerMinute: 1, OutputTokensPerMinute: 2},
				},
				Workspaces: []orgs.Workspace{{ID: "ws-1", SpendLimit: ptr(10.5)}},
			},
			{ID: "org-b", Credits: ptr(0.0)},
		}))
	})

	It("leaves them nil when absent", func() {
		cfg, err := orgs.Load("orgs.yaml", []byte("organizations: [{id: a, workspaces: [{id: w}]}]\n"), cat)
		Expect(err).NotTo(HaveOccurred())
		o := cfg.Organizations[0]
		Expect(o.Credits).To(BeNil())
		Expect(o.SpendLimit).To(BeNil())
		Expect(o.Priority).To(BeNil())
		Expect(o.Workspaces[0].SpendLimit).To(BeNil())
	})

	DescribeTable("rejects bad values with exact problems",
		func(doc, want string) {
			cfg, err := orgs.Load("orgs.yaml", []byte(doc), cat)
			Expect(cfg).To(BeNil())
			Expect(err).To(MatchError(want))
		},
		Entry("negative credits", "organizations:\n  - id: a\n    credits: -1.5\n",
			`orgs.yaml:3: organizations[0].credits: must be >= 0, got -1.5`),
		Entry("credits as a string", "organizations:\n  - id: a\n    credits: '5'\n",
			`orgs.yaml:3: organizations[0].credits: must be a number, got "5"`),
		Entry("credits infinite", "organizations:\n  - id: a\n    credits: .inf\n",
			`orgs.yaml:3: organizations[0].credits: must be a number, got ".inf"`),
		Entry("zero spend limit", "organizations:\n  - id: a\n    spend_limit: 0\n",
			`orgs.yaml:3: organizations[0].spend_limit: must be > 0, got 0`),
		Entry("negative workspace spend limit", "organizations:\n  - id: a\n    workspaces:\n      - id: w\n        spend_limit: -2\n",
			`orgs.yaml:5: organizations[0].workspaces[0].spend_limit: must be > 0, got -2`),
		Entry("workspace spend limit as a list", "organizations:\n  - id: a\n    workspaces: [{id: w, spend_limit: [1]}]\n",
			`orgs.yaml:3: organizations[0].workspaces[0].spend_limit: must be a number, got a list`),
		Entry("priority for an unknown model", "organizations:\n  - id: a\n    priority:\n      claude-9: {input_tokens_per_minute: 1, output_tokens_per_minute: 1}\n",
			`orgs.yaml:4: organizations[0].priority: keys must be a model id or alias of the catalogue, got "claude-9"`),
		Entry("priority for a model and its alias", "organizations:\n  - id: a\n    priority:\n"+
			"      claude-sonnet-4-5-20250929: {input_tokens_per_minute: 1, output_tokens_per_minute: 1}\n"+
			"      claude-sonnet-4-5: {input_tokens_per_minute: 1, output_tokens_per_minute: 1}\n",
			`orgs.yaml:5: organizations[0].priority: "claude-sonnet-4-5" names the same model as "claude-sonnet-4-5-20250929" (claude-sonnet-4-5-20250929)`),
		Entry("priority rate of zero", "organizations:\n  - id: a\n    priority:\n      claude-sonnet-4-5:\n        input_tokens_per_minute: 0\n        output_tokens_per_minute: -3\n",
			`orgs.yaml:5: organizations[0].priority.claude-sonnet-4-5.input_tokens_per_minute: must be > 0, got 0`+"\n"+
				`orgs.yaml:6: organizations[0].priority.claude-sonnet-4-5.output_tokens_per_minute: must be > 0, got -3`),
		Entry("priority missing a rate", "organizations:\n  - id: a\n    priority:\n      claude-sonnet-4-5: {input_tokens_per_minute: 5}\n",
			`orgs.yaml:4: organizations[0].priority.claude-sonnet-4-5: missing required field "output_tokens_per_minute"`),
		Entry("priority with an unknown field", "organizations:\n  - id: a\n    priority:\n      claude-sonnet-4-5: {input_tokens_per_minute: 5, output_tokens_per_minute: 5, requests_per_minute: 5}\n",
			`orgs.yaml:4: organizations[0].priority.claude-sonnet-4-5: unknown field "requests_per_minute"`),
		Entry("priority as a list", "organizations:\n  - id: a\n    priority: [claude-sonnet-4-5]\n",
			`orgs.yaml:3: organizations[0].priority: must be a mapping, got a list`),
	)
})
