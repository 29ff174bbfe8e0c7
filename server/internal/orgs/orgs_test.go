package orgs_test

import (
	"os"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// loadCatalog reads the built-in tiers.yaml, which every spec validates against.
func loadCatalog() *catalog.Catalog {
	data, err := os.ReadFile("../../../tiers.yaml")
	Expect(err).NotTo(HaveOccurred())
	cat, err := catalog.Load("tiers.yaml", data)
	Expect(err).NotTo(HaveOccurred())
	return cat
}

const fullFile = `organizations:
  - id: org-acme
    name: Acme
    tier: tier-2
    limits:
      opus-4: {requests_per_minute: 10}
      default: {output_tokens_per_minute: 500}
    keys: [sk-acme-1, sk-acme-2]
    workspaces:
      - id: wrkspc_batch
        name: batch
        limits:
          default: {requests_per_minute: 5, input_tokens_per_minute: 10000}
          opus-4: {requests_per_minute: 10}
        keys: [sk-acme-batch]
      - id: wrkspc_empty
  - id: org-plain
    keys: []
`

// tierNames and familyNames are how problems list the catalogue's tiers and
// model families.
const (
	tierNames = "tier-1, tier-2, tier-3, tier-4, start, build, scale, custom, bedrock, legacy-2024, " +
		"guide-free, guide-build-1, guide-build-2, guide-build-3, guide-build-4, guide-monthly-free, guide-monthly-paid"
	familyNames = "fable-5, haiku-3, haiku-3-5, haiku-4-5, haiku-5-5, mythos-5, mythos-preview, opus-4, opus-5, opus-5-5, sonnet-3-7, sonnet-4, sonnet-5, sonnet-5-5"
	allDims     = "requests_per_minute, input_tokens_per_minute, output_tokens_per_minute, tokens_per_minute, tokens_per_day, requests_per_day, requests_per_month"
)

var _ = Describe("Load", func() {
	var cat *catalog.Catalog

	BeforeEach(func() { cat = loadCatalog() })

	It("decodes a full valid file to exact values", func() {
		cfg, err := orgs.Load("orgs.yaml", []byte(fullFile), cat)
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(Equal(&orgs.Config{Organizations: []orgs.Organization{
			{
				ID: "org-acme", Name: "Acme", Tier: "tier-2",
				Limits: map[string]catalog.Limits{
					"opus-4":  {RequestsPerMinute: 10},
					"default": {OutputTokensPerMinute: 500},
				},
				Keys: []string{"sk-acme-1", "sk-acme-2"},
				Workspaces: []orgs.Workspace{
					{
						ID: "wrkspc_batch", Name: "batch",
						Limits: map[string]catalog.Limits{
							"default": {RequestsPerMinute: 5, InputTokensPerMinute: 10000},
							"opus-4":  {RequestsPerMinute: 10},
						},
						Keys: []string{"sk-acme-batch"},
					},
					{ID: "wrkspc_empty"},
				},
			},
			{ID: "org-plain"},
		}}))
	})

	It("accepts an empty list and anchors", func() {
		cfg, err := orgs.Load("orgs.yaml", []byte("organizations: []\n"), cat)
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg.Organizations).To(BeEmpty())

		cfg, err = orgs.Load("orgs.yaml", []byte("organizations:\n  - id: a\n    limits: {opus-4: &l {requests_per_minute: 3}, sonnet-4: *l}\n"), cat)
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg.Organizations[0].Limits).To(HaveKeyWithValue("sonnet-4", catalog.Limits{RequestsPerMinute: 3}))
	})

	It("stops walking a document whose aliases multiply its size", func() {
		hundred := func(item string) string { return "[" + strings.Repeat(item+", ", 99) + item + "]" }
		doc := "w: &w {id: w, keys: " + hundred("k") + "}\n" +
			"o: &o {id: o, workspaces: " + hundred("*w") + "}\n" +
			"organizations: " + hundred("*o") + "\n"
		_, err := orgs.Load("orgs.yaml", []byte(doc), cat)
		Expect(err).To(MatchError(ContainSubstring("orgs.yaml:1: organizations[9].workspaces[70].keys[54]: the document holds more than 100000 values (counting each of")))
	})

	DescribeTable("rejects invalid documents with exact problems",
		func(doc, want string) {
			cfg, err := orgs.Load("orgs.yaml", []byte(doc), cat)
			Expect(cfg).To(BeNil())
			Expect(err).To(MatchError(want))
		},
		Entry("unknown top-level key", "organizations: []\nextra: 1\n",
			`orgs.yaml:2: unknown field "extra"`),
		Entry("unknown organization key", "organizations:\n  - id: a\n    nmae: A\n",
			`orgs.yaml:3: organizations[0]: unknown field "nmae"`),
		Entry("unknown workspace key", "organizations:\n  - id: a\n    workspaces:\n      - id: w\n        tier: tier-1\n",
			`orgs.yaml:5: organizations[0].workspaces[0]: unknown field "tier"`),
		Entry("unknown dimension", "organizations:\n  - id: a\n    limits:\n      opus-4: {requests_per_hour: 1}\n",
			`orgs.yaml:4: organizations[0].limits.opus-4: unknown field "requests_per_hour"`),
		Entry("repeated field", "organizations:\n  - id: a\n    name: A\n    name: B\n",
			`orgs.yaml:4: organizations[0]: field "name" is set twice (first at line 3)`),
		Entry("repeated family", "organizations:\n  - id: a\n    limits:\n      opus-4: {requests_per_minute: 1}\n      opus-4: {requests_per_minute: 2}\n",
			`orgs.yaml:5: organizations[0].limits: key "opus-4" is set twice (first at line 4)`),
		Entry("missing id", "organizations:\n  - name: A\n",
			`orgs.yaml:2: organizations[0]: missing required field "id"`),
		Entry("empty id", "organizations:\n  - id: ''\n",
			`orgs.yaml:2: organizations[0].id: must not be empty`),
		Entry("id with whitespace", "organizations:\n  - id: 'a b'\n",
			`orgs.yaml:2: organizations[0].id: must not contain whitespace, got "a b"`),
		Entry("duplicate organization id", "organizations:\n  - id: a\n  - id: a\n",
			`orgs.yaml:3: organizations[1].id: "a" is already used by organizations[0]`),
		Entry("duplicate workspace id across organizations", "organizations:\n  - id: a\n    workspaces: [{id: w}]\n  - id: b\n    workspaces: [{id: w}]\n",
			`orgs.yaml:5: organizations[1].workspaces[0].id: "w" is already used by organizations[0].workspaces[0]`),
		Entry("workspace id default", "organizations:\n  - id: a\n    workspaces: [{id: default}]\n",
			`orgs.yaml:3: organizations[0].workspaces[0].id: "default" is reserved for the organization's default workspace`),
		Entry("duplicate key across organizations, named by its last four characters", "organizations:\n  - id: a\n    keys: [sk-ant-secret-0001]\n  - id: b\n    keys: [k2, sk-ant-secret-0001]\n",
			`orgs.yaml:5: organizations[1].keys[1]: the key "…0001" is already used by organizations[0].keys[0]`),
		Entry("key of an organization reused by its workspace", "organizations:\n  - id: a\n    keys: [k1]\n    workspaces: [{id: w, keys: [k1]}]\n",
			`orgs.yaml:4: organizations[0].workspaces[0].keys[0]: the key "…" is already used by organizations[0].keys[0]`),
		Entry("key with whitespace, named by its last four characters", "organizations:\n  - id: a\n    keys: ['sk-ant secret-0002']\n",
			`orgs.yaml:3: organizations[0].keys[0]: must not contain whitespace, got the key "…0002"`),
		Entry("admin key without the admin prefix", "organizations:\n  - id: a\n    admin_keys: [sk-ant-api03-0003]\n",
			`orgs.yaml:3: organizations[0].admin_keys[0]: an admin key must start with "sk-ant-admin01-", got the key "…0003"`),
		Entry("API key with the admin prefix", "organizations:\n  - id: a\n    workspaces: [{id: w, keys: [sk-ant-admin01-0004]}]\n",
			`orgs.yaml:3: organizations[0].workspaces[0].keys[0]: an API key must not start with "sk-ant-admin01-" (list it under admin_keys), got the key "…0004"`),
		Entry("admin key reused as an API key", "organizations:\n  - id: a\n    admin_keys: [sk-ant-admin01-0005]\n  - id: b\n    admin_keys: [sk-ant-admin01-0005]\n",
			`orgs.yaml:5: organizations[1].admin_keys[0]: the key "…0005" is already used by organizations[0].admin_keys[0]`),
		Entry("empty key", "organizations:\n  - id: a\n    keys: ['']\n",
			`orgs.yaml:3: organizations[0].keys[0]: must not be empty`),
		Entry("unknown tier", "organizations:\n  - id: a\n    tier: tier-9\n",
			`orgs.yaml:3: organizations[0].tier: must name a tier of the catalogue (`+tierNames+`), got "tier-9"`),
		Entry("unknown family", "organizations:\n  - id: a\n    limits:\n      opus-3: {requests_per_minute: 1}\n",
			`orgs.yaml:4: organizations[0].limits: keys must be "default" or a model family (`+familyNames+`), got "opus-3"`),
		Entry("zero limit", "organizations:\n  - id: a\n    limits:\n      opus-4: {requests_per_minute: 0}\n",
			`orgs.yaml:4: organizations[0].limits.opus-4.requests_per_minute: must be > 0, got 0`),
		Entry("negative limit", "organizations:\n  - id: a\n    limits:\n      default: {tokens_per_day: -5}\n",
			`orgs.yaml:4: organizations[0].limits.default.tokens_per_day: must be > 0, got -5`),
		Entry("limits entry without dimensions", "organizations:\n  - id: a\n    limits:\n      default: {}\n",
			`orgs.yaml:4: organizations[0].limits.default: must set at least one of `+allDims+`, got none`),
		Entry("workspace limit above the organization's own", "organizations:\n  - id: a\n    limits:\n      opus-4: {requests_per_minute: 10}\n    workspaces:\n      - id: w\n        limits:\n          opus-4: {requests_per_minute: 11}\n",
			`orgs.yaml:8: organizations[0].workspaces[0].limits.opus-4.requests_per_minute: must not exceed the organization's limit of 10, got 11`),
		Entry("workspace default above the tier's tightest family", "organizations:\n  - id: a\n    tier: tier-1\n    workspaces:\n      - id: w\n        limits:\n          default: {input_tokens_per_minute: 40000}\n",
			`orgs.yaml:7: organizations[0].workspaces[0].limits.default.input_tokens_per_minute: must not exceed the organization's limit of 20000 for sonnet-3-7, got 40000`),
		Entry("workspace default above the default tier (start); unlimited dimensions pass", "organizations:\n  - id: a\n    workspaces:\n      - id: w\n        limits:\n          default: {requests_per_minute: 1001, tokens_per_day: 1000000}\n",
			`orgs.yaml:6: organizations[0].workspaces[0].limits.default.requests_per_minute: must not exceed the organization's limit of 1000 for fable-5, got 1001`),
		Entry("list given a mapping", "organizations: {id: a}\n",
			`orgs.yaml:1: organizations: must be a list, got a mapping`),
		Entry("number for a string", "organizations:\n  - id: 5\n",
			`orgs.yaml:2: organizations[0].id: must be a string, got "5"`),
		Entry("quoted number for a limit", "organizations:\n  - id: a\n    limits: {opus-4: {requests_per_minute: '10'}}\n",
			`orgs.yaml:3: organizations[0].limits.opus-4.requests_per_minute: must be an integer, got "10"`),
		Entry("fraction for a limit", "organizations:\n  - id: a\n    limits: {opus-4: {requests_per_minute: 1.5}}\n",
			`orgs.yaml:3: organizations[0].limits.opus-4.requests_per_minute: must be an integer, got "1.5"`),
		Entry("string for keys", "organizations:\n  - id: a\n    keys: k1\n",
			`orgs.yaml:3: organizations[0].keys: must be a list, got "k1"`),
		Entry("list for a key", "organizations:\n  - id: a\n    keys: [[k1]]\n",
			`orgs.yaml:3: organizations[0].keys[0]: must be a string, got a list`),
		Entry("malformed YAML", "organizations: [\n",
			`orgs.yaml:1: did not find expected node content`),
		Entry("empty document", "",
			`orgs.yaml:1: document is empty; expected a mapping with an "organizations" list`),
		Entry("comments only", "# nothing\n",
			`orgs.yaml:1: document is empty; expected a mapping with an "organizations" list`),
		Entry("top level not a mapping", "- id: a\n",
			`orgs.yaml:1: the top level must be a mapping, got a list`),
		Entry("missing organizations", "{}\n",
			`orgs.yaml:1: missing required field "organizations"`),
		Entry("two documents", "organizations: []\n---\norganizations: []\n",
			`orgs.yaml:2: only one YAML document is allowed`),
		Entry("every problem, in line order", "organizations:\n  - id: a\n    bogus: 1\n    keys: ['']\n  - id: a\n    tier: nope\n",
			`orgs.yaml:3: organizations[0]: unknown field "bogus"`+"\n"+
				`orgs.yaml:4: organizations[0].keys[0]: must not be empty`+"\n"+
				`orgs.yaml:5: organizations[1].id: "a" is already used by organizations[0]`+"\n"+
				`orgs.yaml:6: organizations[1].tier: must name a tier of the catalogue (`+tierNames+`), got "nope"`),
		Entry("an aliased organization repeats its id and keys", "organizations:\n  - &o {id: a, keys: [k]}\n  - *o\n",
			`orgs.yaml:2: organizations[1].id: "a" is already used by organizations[0]`+"\n"+
				`orgs.yaml:2: organizations[1].keys[0]: the key "…" is already used by organizations[0].keys[0]`),
	)
})

var _ = Describe("Decode", func() {
	It("decodes an organizations list embedded in another document", func() {
		var doc yaml.Node
		Expect(yaml.Unmarshal([]byte("scenario: x\norganizations:\n  - id: a\n  - id: a\n"), &doc)).To(Succeed())
		list := doc.Content[0].Content[3]

		got, errs := orgs.Decode("scenario.yaml", list, loadCatalog())
		Expect(got).To(BeNil())
		Expect(errs).To(HaveLen(1))
		Expect(errs[0]).To(MatchError(`scenario.yaml:4: organizations[1].id: "a" is already used by organizations[0]`))

		doc.Content[0].Content[3].Content = doc.Content[0].Content[3].Content[:1]
		got, errs = orgs.Decode("scenario.yaml", list, loadCatalog())
		Expect(errs).To(BeEmpty())
		Expect(got).To(Equal([]orgs.Organization{{ID: "a"}}))
	})

	It("treats a nil node as an empty list", func() {
		got, errs := orgs.Decode("x.yaml", nil, loadCatalog())
		Expect(got).To(BeEmpty())
		Expect(errs).To(BeEmpty())
	})
})

var _ = Describe("limits", func() {
	var (
		cat   *catalog.Catalog
		tier2 *catalog.Tier
		org   orgs.Organization
	)

	BeforeEach(func() {
		cat = loadCatalog()
		var ok bool
		tier2, ok = cat.Tier("tier-2")
		Expect(ok).To(BeTrue())
		cfg, err := orgs.Load("orgs.yaml", []byte(fullFile), cat)
		Expect(err).NotTo(HaveOccurred())
		org = cfg.Organizations[0]
	})

	It("lets the family's own value win per dimension and fills the rest from default, then the tier", func() {
		Expect(org.Effective(tier2, "opus-4")).To(Equal(catalog.Limits{
			RequestsPerMinute: 10, InputTokensPerMinute: 450000, OutputTokensPerMinute: 500,
		}))
		Expect(org.Effective(tier2, "sonnet-3-7")).To(Equal(catalog.Limits{
			RequestsPerMinute: 1000, InputTokensPerMinute: 40000, OutputTokensPerMinute: 500,
		}))
	})

	It("uses the tier's default entry for families the tier does not list", func() {
		Expect(org.Effective(tier2, "opus-5")).To(Equal(catalog.Limits{
			RequestsPerMinute: 1000, InputTokensPerMinute: 450000, OutputTokensPerMinute: 500,
		}))
	})

	It("uses only the organization's own limits without a tier", func() {
		Expect(org.Effective(nil, "opus-4")).To(Equal(catalog.Limits{RequestsPerMinute: 10, OutputTokensPerMinute: 500}))
		Expect(orgs.Organization{}.Effective(nil, "opus-4")).To(BeZero())
	})

	It("returns the tier's limits for an organization without custom limits", func() {
		Expect(orgs.Organization{ID: "x"}.Effective(tier2, "haiku-3")).To(Equal(tier2.For("haiku-3")))
	})

	It("gives a workspace its own entry, else its default, else nothing", func() {
		ws := org.Workspaces[0]
		l, ok := ws.For("opus-4")
		Expect(ok).To(BeTrue())
		Expect(l).To(Equal(catalog.Limits{RequestsPerMinute: 10}))
		l, ok = ws.For("sonnet-4")
		Expect(ok).To(BeTrue())
		Expect(l).To(Equal(catalog.Limits{RequestsPerMinute: 5, InputTokensPerMinute: 10000}))
		_, ok = org.Workspaces[1].For("opus-4")
		Expect(ok).To(BeFalse())
	})
})
