package catalog_test

import (
	"os"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// sdkModels are the Model constants of anthropic-sdk-go v1.84.0 (message.go)
// and the Model unions of @anthropic-ai/sdk 1.12.0 and anthropic 2.12.0
// (Python); every one must resolve, since SDK users pass them verbatim.
var sdkModels = []string{
	"claude-fable-5-2",
	"claude-mythos-5-2",
	"claude-haiku-5-5",
	"claude-sonnet-5-5",
	"claude-fable-5-1",
	"claude-opus-5-5",
	"claude-mythos-5-1",
	"claude-sonnet-5",
	"claude-fable-5",
	"claude-mythos-5",
	"claude-opus-5",
	"claude-opus-4-8",
	"claude-opus-4-7",
	"claude-mythos-preview",
	"claude-opus-4-6",
	"claude-sonnet-4-6",
	"claude-haiku-4-5",
	"claude-haiku-4-5-20251001",
	"claude-opus-4-5",
	"claude-opus-4-5-20251101",
	"claude-sonnet-4-5",
	"claude-sonnet-4-5-20250929",
}

// olderModels are the dated ids of api-facts §9 and the SDK's earlier
// releases, with their aliases, still seen in client code.
var olderModels = []string{
	"claude-opus-4-1-20250805", "claude-opus-4-1",
	"claude-opus-4-20250514", "claude-opus-4-0", "claude-4-opus-20250514",
	"claude-sonnet-4-20250514", "claude-sonnet-4-0", "claude-4-sonnet-20250514",
	"claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest",
	"claude-3-5-haiku-20241022", "claude-3-5-haiku-latest",
	"claude-3-haiku-20240307",
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	Expect(err).NotTo(HaveOccurred())
	return t
}

var _ = Describe("the built-in tiers.yaml", func() {
	var cat *catalog.Catalog

	BeforeEach(func() {
		data, err := os.ReadFile("../../../tiers.yaml")
		Expect(err).NotTo(HaveOccurred())
		cat, err = catalog.Load("tiers.yaml", data)
		Expect(err).NotTo(HaveOccurred())
	})

	It("resolves every SDK model constant", func() {
		for _, id := range sdkModels {
			_, ok := cat.Lookup(id)
			Expect(ok).To(BeTrue(), "model %q", id)
		}
	})

	It("resolves the older dated ids and their aliases", func() {
		for _, id := range olderModels {
			_, ok := cat.Lookup(id)
			Expect(ok).To(BeTrue(), "model %q", id)
		}
	})

	It("does not resolve unknown names or near misses", func() {
		for _, id := range []string{"", "claude", "claude-opus-4-5 ", "Claude-Opus-4-5", "claude-opus-4"} {
			_, ok := cat.Lookup(id)
			Expect(ok).To(BeFalse(), "model %q", id)
		}
	})

	DescribeTable("aliases resolve to the dated model",
		func(alias, id string) {
			m, ok := cat.Lookup(alias)
			Expect(ok).To(BeTrue())
			Expect(m.ID).To(Equal(id))
			byID, _ := cat.Lookup(id)
			Expect(m).To(BeIdenticalTo(byID))
		},
		Entry(nil, "claude-opus-4-5", "claude-opus-4-5-20251101"),
		Entry(nil, "claude-haiku-4-5", "claude-haiku-4-5-20251001"),
		Entry(nil, "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
		Entry(nil, "claude-opus-4-1", "claude-opus-4-1-20250805"),
		Entry(nil, "claude-opus-4-0", "claude-opus-4-20250514"),
		Entry(nil, "claude-sonnet-4-0", "claude-sonnet-4-20250514"),
		Entry(nil, "claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219"),
		Entry(nil, "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022"),
	)

	It("lists models newest first, ties by id", func() {
		var ids []string
		for _, m := range cat.Models() {
			ids = append(ids, m.ID)
		}
		Expect(ids).To(Equal([]string{
			"claude-fable-5-2",
			"claude-mythos-5-2",
			"claude-haiku-5-5",
			"claude-sonnet-5-5",
			"claude-opus-5-5",
			"claude-fable-5-1",
			"claude-mythos-5-1",
			"claude-opus-5",
			"claude-sonnet-5",
			"claude-fable-5",
			"claude-mythos-5",
			"claude-opus-4-8",
			"claude-opus-4-7",
			"claude-mythos-preview",
			"claude-sonnet-4-6",
			"claude-opus-4-6",
			"claude-opus-4-5-20251101",
			"claude-haiku-4-5-20251001",
			"claude-sonnet-4-5-20250929",
			"claude-opus-4-1-20250805",
			"claude-opus-4-20250514",
			"claude-sonnet-4-20250514",
			"claude-3-7-sonnet-20250219",
			"claude-3-5-haiku-20241022",
			"claude-3-haiku-20240307",
		}))
	})

	It("returns a copy from Models, so callers cannot reorder the catalogue", func() {
		first := cat.Models()
		first[0], first[1] = first[1], first[0]
		Expect(cat.Models()[0].ID).To(Equal("claude-fable-5-2"))
	})

	DescribeTable("puts models in their rate-limit pools",
		func(id, family string) {
			m, ok := cat.Lookup(id)
			Expect(ok).To(BeTrue())
			Expect(m.Family).To(Equal(family))
		},
		Entry(nil, "claude-opus-4-8", "opus-4"),
		Entry(nil, "claude-opus-4-7", "opus-4"),
		Entry(nil, "claude-opus-4-6", "opus-4"),
		Entry(nil, "claude-opus-4-5", "opus-4"),
		Entry(nil, "claude-opus-4-1", "opus-4"),
		Entry(nil, "claude-opus-4-0", "opus-4"),
		Entry(nil, "claude-opus-5", "opus-5"),
		Entry(nil, "claude-sonnet-4-6", "sonnet-4"),
		Entry(nil, "claude-sonnet-4-5", "sonnet-4"),
		Entry(nil, "claude-sonnet-4-0", "sonnet-4"),
		Entry(nil, "claude-sonnet-5", "sonnet-5"),
		Entry(nil, "claude-fable-5", "fable-5"),
		Entry(nil, "claude-fable-5-1", "fable-5"),
		Entry(nil, "claude-fable-5-2", "fable-5"),
		Entry(nil, "claude-mythos-5", "mythos-5"),
		Entry(nil, "claude-mythos-5-1", "mythos-5"),
		Entry(nil, "claude-mythos-5-2", "mythos-5"),
		Entry(nil, "claude-haiku-4-5", "haiku-4-5"),
		Entry(nil, "claude-3-5-haiku-latest", "haiku-3-5"),
	)

	It("knows Opus 4.5 exactly", func() {
		m, _ := cat.Lookup("claude-opus-4-5")
		Expect(*m).To(Equal(catalog.Model{
			ID:                 "claude-opus-4-5-20251101",
			Aliases:            []string{"claude-opus-4-5"},
			DisplayName:        "Claude Opus 4.5",
			Family:             "opus-4",
			CreatedAt:          date("2025-11-24"),
			MaxOutputTokens:    64000,
			ContextWindow:      200000,
			Prices:             catalog.Prices{Input: 5, Output: 25, CacheWrite5m: 6.25, CacheWrite1h: 10, CacheRead: 0.5},
			MinCacheableTokens: 4096,
			SupportsPrefill:    true,
			Thinking:           []string{"enabled"},
			Effort:             []string{"low", "medium", "high"},
		}))
	})

	It("counts cache reads toward ITPM only for Haiku 3.5 and Haiku 3", func() {
		var dagger []string
		for _, m := range cat.Models() {
			if m.CacheReadsCountTowardITPM {
				dagger = append(dagger, m.ID)
			}
		}
		Expect(dagger).To(Equal([]string{"claude-3-5-haiku-20241022", "claude-3-haiku-20240307"}))
	})

	It("has the Haiku 3.5 prices and cache minimum", func() {
		m, _ := cat.Lookup("claude-3-5-haiku-20241022")
		Expect(m.Prices).To(Equal(catalog.Prices{Input: 0.8, Output: 4, CacheWrite5m: 1, CacheWrite1h: 1.6, CacheRead: 0.08}))
		Expect(m.MinCacheableTokens).To(Equal(2048))
		Expect(m.MaxOutputTokens).To(Equal(8192))
	})

	It("has the 4.6+ limits: 1M context, no prefill", func() {
		m, _ := cat.Lookup("claude-opus-4-6")
		Expect(m.MaxOutputTokens).To(Equal(128000))
		Expect(m.ContextWindow).To(Equal(1000000))
		Expect(m.SupportsPrefill).To(BeFalse())
		s, _ := cat.Lookup("claude-sonnet-4-6")
		Expect(s.MaxOutputTokens).To(Equal(128000))
		Expect(s.ContextWindow).To(Equal(1000000))
		Expect(s.SupportsPrefill).To(BeFalse())
	})

	DescribeTable("has the docs' context window and maximum output",
		func(id string, window, output int) {
			m, _ := cat.Lookup(id)
			Expect([]int{m.ContextWindow, m.MaxOutputTokens}).To(Equal([]int{window, output}))
		},
		Entry(nil, "claude-haiku-5-5", 1000000, 128000),
		Entry(nil, "claude-sonnet-5-5", 1000000, 128000),
		Entry(nil, "claude-opus-5-5", 1000000, 128000),
		Entry(nil, "claude-fable-5-1", 1000000, 128000),
		Entry(nil, "claude-opus-4-8", 1000000, 128000),
		Entry(nil, "claude-opus-4-7", 1000000, 128000),
		Entry(nil, "claude-opus-4-5", 200000, 64000),
		Entry(nil, "claude-haiku-4-5", 200000, 64000),
		Entry(nil, "claude-sonnet-4-5", 200000, 64000),
	)

	DescribeTable("carries the end-of-life dates the SDKs warn with",
		func(id, deprecated, retires string) {
			m, _ := cat.Lookup(id)
			Expect([]*time.Time{m.DeprecatedAt, m.RetiresAt}).To(Equal([]*time.Time{new(date(deprecated)), new(date(retires))}))
			Expect(m.PinnedLifecycle).To(BeEmpty())
		},
		Entry(nil, "claude-sonnet-4-5", "2026-09-30", "2026-11-30"),
		Entry(nil, "claude-mythos-preview", "2026-06-09", "2026-06-30"),
		Entry(nil, "claude-opus-4-1", "2026-06-05", "2026-08-05"),
		Entry(nil, "claude-opus-4-0", "2026-04-14", "2026-06-15"),
		Entry(nil, "claude-sonnet-4-0", "2026-04-14", "2026-06-15"),
		Entry(nil, "claude-3-7-sonnet-latest", "2025-10-28", "2026-02-19"),
		Entry(nil, "claude-3-5-haiku-latest", "2025-12-19", "2026-02-19"),
		Entry(nil, "claude-3-haiku-20240307", "2026-02-19", "2026-04-19"),
	)

	It("has no dates on the current models", func() {
		for _, id := range []string{"claude-sonnet-4-6", "claude-opus-4-8", "claude-haiku-4-5", "claude-sonnet-5-5"} {
			m, _ := cat.Lookup(id)
			Expect([]any{m.DeprecatedAt, m.RetiresAt, m.LifecycleAt(date("2030-01-01"))}).To(Equal([]any{(*time.Time)(nil), (*time.Time)(nil), catalog.LifecycleActive}), id)
		}
	})

	DescribeTable("judges the lifecycle on the clock",
		func(id, now, want string) {
			m, _ := cat.Lookup(id)
			at, err := time.Parse(time.RFC3339, now)
			Expect(err).NotTo(HaveOccurred())
			Expect(m.LifecycleAt(at)).To(Equal(want))
		},
		Entry("before the deprecation", "claude-sonnet-4-5", "2026-09-29T23:59:59Z", catalog.LifecycleActive),
		Entry("on the day of the deprecation", "claude-sonnet-4-5", "2026-09-30T00:00:00Z", catalog.LifecycleDeprecated),
		Entry("the last second before retirement", "claude-sonnet-4-5", "2026-11-29T23:59:59Z", catalog.LifecycleDeprecated),
		Entry("at the retirement", "claude-sonnet-4-5", "2026-11-30T00:00:00Z", catalog.LifecycleRetired),
		Entry("long after", "claude-3-7-sonnet-latest", "2027-01-01T00:00:00Z", catalog.LifecycleRetired),
		Entry("in another zone, the same instant", "claude-opus-4-1", "2026-08-04T20:00:00-04:00", catalog.LifecycleRetired),
	)

	DescribeTable("AcceptsEffort",
		func(id, level string, want bool) {
			m, _ := cat.Lookup(id)
			Expect(m.AcceptsEffort(level)).To(Equal(want))
		},
		Entry(nil, "claude-opus-4-6", "xhigh", false),
		Entry(nil, "claude-opus-4-6", "max", true),
		Entry(nil, "claude-sonnet-4-6", "xhigh", false),
		Entry(nil, "claude-opus-4-7", "xhigh", true),
		Entry(nil, "claude-opus-4-8", "xhigh", true),
		Entry(nil, "claude-sonnet-5", "xhigh", true),
		Entry(nil, "claude-mythos-preview", "xhigh", false),
		Entry(nil, "claude-opus-4-5", "max", false),
		Entry(nil, "claude-opus-4-5", "low", true),
		Entry(nil, "claude-haiku-4-5", "low", false),
		Entry(nil, "claude-sonnet-4-5", "high", false),
	)

	It("has the newest prices", func() {
		m, _ := cat.Lookup("claude-fable-5-1")
		Expect(m.Prices).To(Equal(catalog.Prices{Input: 10, Output: 50, CacheWrite5m: 12.5, CacheWrite1h: 20, CacheRead: 0.25}))
		s, _ := cat.Lookup("claude-sonnet-5")
		Expect(s.Prices.Input).To(Equal(2.0))
		Expect(s.Prices.Output).To(Equal(10.0))
	})

	DescribeTable("AcceptsThinking",
		func(id, kind string, want bool) {
			m, _ := cat.Lookup(id)
			Expect(m.AcceptsThinking(kind)).To(Equal(want))
		},
		Entry(nil, "claude-opus-4-5", "enabled", true),
		Entry(nil, "claude-opus-4-5", "adaptive", false),
		Entry(nil, "claude-opus-4-6", "adaptive", true),
		Entry(nil, "claude-opus-4-6", "enabled", true),
		Entry(nil, "claude-opus-4-7", "enabled", false),
		Entry(nil, "claude-3-haiku-20240307", "enabled", false),
		Entry(nil, "claude-3-haiku-20240307", "disabled", true),
		Entry(nil, "claude-opus-4-7", "disabled", true),
		Entry(nil, "claude-opus-4-7", "bogus", false),
	)
})

// baseModel is a valid model, one key per line, so a table entry can swap a
// single line and know exactly which line number its error names.
var baseModel = []string{
	"  - id: claude-test-1",         // line 2 (in doc)
	"    aliases: [claude-test]",    // 3
	"    display_name: Claude Test", // 4
	"    family: test",              // 5
	"    created_at: 2025-01-02",    // 6
	"    lifecycle: active",         // 7
	"    max_output_tokens: 1000",   // 8
	"    context_window: 2000",      // 9
	"    prices: {input: 1, output: 5, cache_write_5m: 1.25, cache_write_1h: 2, cache_read: 0.1}", // 10
	"    min_cacheable_tokens: 1024", // 11
	"    supports_prefill: true",     // 12
	"    thinking: [enabled]",        // 13
}

// model returns baseModel with each override replacing the line of the same
// key (the text before the first ':'), e.g. model("max_output_tokens: -5").
func model(overrides ...string) string {
	return override(baseModel, overrides)
}

// override returns base with each override replacing the line of the same
// key. An override whose key is not in base is a bug in the spec, so it
// panics while the tree is built rather than silently testing the base block.
func override(base, overrides []string) string {
	lines := slices.Clone(base)
	for _, o := range overrides {
		key, _, _ := strings.Cut(o, ":")
		i := slices.IndexFunc(lines, func(l string) bool {
			return strings.HasPrefix(strings.TrimLeft(l, " -"), key+":")
		})
		if i < 0 {
			panic("override: no line for key " + key)
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " -"))]
		lines[i] = indent + o
	}
	return strings.Join(lines, "\n") + "\n"
}

// minimalTiers is the smallest valid tiers section: one tier whose default
// limits cover every family, so model specs need not care about tiers. It is
// three lines, after the models.
const minimalTiers = "tiers:\n" +
	"  - {name: tier-1, otpm_accounting: reserve, monthly_spend_limit: null, credit_purchase_threshold: null, max_credit_purchase: null, token_counting_rpm: 100, batch_rpm: 50, limits: {default: {requests_per_minute: 50}}}\n" +
	"default_tier: tier-1\n"

// doc wraps model blocks in a catalogue document, followed by minimalTiers.
func doc(models ...string) string {
	return "models:\n" + strings.Join(models, "") + minimalTiers
}

// baseTier is a valid tier for the one family of baseModel, one key per line,
// so a tier entry can swap a single line and know which line its error names
// (the line numbers are those in tierDoc, for the first tier).
var baseTier = []string{
	"  - name: tier-x",                 // line 15
	"    description: Test tier",       // 16
	"    otpm_accounting: reserve",     // 17
	"    burst_window: 1s",             // 18
	"    monthly_spend_limit: 100",     // 19
	"    credit_purchase_threshold: 5", // 20
	"    max_credit_purchase: 100",     // 21
	"    token_counting_rpm: 100",      // 22
	"    batch_rpm: 50",                // 23
	"    limits: {test: {requests_per_minute: 50, input_tokens_per_minute: 30000}, default: {tokens_per_minute: 1000}}", // 24
}

// tier returns baseTier with overrides, as model does for baseModel.
func tier(overrides ...string) string {
	return override(baseTier, overrides)
}

// tierDoc is a document with baseModel (lines 1-13) and the given tier
// blocks (from line 14, "tiers:"; each baseTier is 10 lines), then
// default_tier naming tier-x.
func tierDoc(tiers ...string) string {
	return "models:\n" + model() + "tiers:\n" + strings.Join(tiers, "") + "default_tier: tier-x\n"
}

var _ = Describe("Load", func() {
	It("accepts the minimal valid document", func() {
		c, err := catalog.Load("tiers.yaml", []byte(doc(model())))
		Expect(err).NotTo(HaveOccurred())
		m, ok := c.Lookup("claude-test")
		Expect(ok).To(BeTrue())
		Expect(m.ID).To(Equal("claude-test-1"))
	})

	It("accepts optional fields left out, null or quoted", func() {
		src := doc(model(`aliases: null`, `thinking: []`, `created_at: "2025-01-02"`))
		src = strings.Replace(src, "    supports_prefill", "    deprecated_at: ~\n    supports_prefill", 1)
		c, err := catalog.Load("tiers.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		m, _ := c.Lookup("claude-test-1")
		Expect(m.Aliases).To(BeEmpty())
		Expect(m.DeprecatedAt).To(BeNil())
		Expect(m.CreatedAt).To(Equal(date("2025-01-02")))
		Expect(m.AcceptsThinking("enabled")).To(BeFalse())
	})

	It("judges a model without a pinned lifecycle by its dates", func() {
		src := strings.Replace(doc(model()), "    lifecycle: active\n", "    deprecated_at: 2026-01-01\n    retires_at: 2026-02-01\n", 1)
		c, err := catalog.Load("tiers.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		m, _ := c.Lookup("claude-test")
		Expect([]string{m.LifecycleAt(date("2025-12-31")), m.LifecycleAt(date("2026-01-01")), m.LifecycleAt(date("2026-02-01"))}).
			To(Equal([]string{catalog.LifecycleActive, catalog.LifecycleDeprecated, catalog.LifecycleRetired}))
	})

	It("keeps a pinned lifecycle whatever the clock says", func() {
		c, err := catalog.Load("tiers.yaml", []byte(doc(model("lifecycle: deprecated\n    deprecated_at: 2025-06-01\n    retires_at: 2026-01-01"))))
		Expect(err).NotTo(HaveOccurred())
		m, _ := c.Lookup("claude-test")
		Expect([]string{m.LifecycleAt(date("2025-01-03")), m.LifecycleAt(date("2030-01-01"))}).
			To(Equal([]string{catalog.LifecycleDeprecated, catalog.LifecycleDeprecated}))
	})

	It("reads the effort levels, none when left out", func() {
		c, err := catalog.Load("tiers.yaml", []byte(doc(model("thinking: [adaptive]\n    effort: [low, max]"), model("id: claude-test-2", "aliases: []"))))
		Expect(err).NotTo(HaveOccurred())
		m, _ := c.Lookup("claude-test")
		n, _ := c.Lookup("claude-test-2")
		Expect([]bool{m.AcceptsEffort("max"), m.AcceptsEffort("high"), n.AcceptsEffort("low")}).To(Equal([]bool{true, false, false}))
	})

	It("follows YAML anchors and aliases", func() {
		src := doc(model(`prices: &p {input: 1, output: 5, cache_write_5m: 1.25, cache_write_1h: 2, cache_read: 0.1}`),
			model(`id: claude-test-2`, `aliases: []`, `prices: *p`))
		c, err := catalog.Load("tiers.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		m, _ := c.Lookup("claude-test-2")
		Expect(m.Prices.CacheRead).To(Equal(0.1))
	})

	DescribeTable("rejects an invalid document with an exact error",
		func(src, want string) {
			c, err := catalog.Load("tiers.yaml", []byte(src))
			Expect(c).To(BeNil())
			Expect(err).To(MatchError(want))
		},
		Entry("empty file", "",
			`tiers.yaml:1: document is empty; expected a mapping with a "models" list`),
		Entry("comments only", "# nothing here\n",
			`tiers.yaml:1: document is empty; expected a mapping with a "models" list`),
		Entry("malformed YAML", "models: [\n",
			`tiers.yaml:1: did not find expected node content`),
		Entry("a list at the top", "- id: x\n",
			`tiers.yaml:1: the top level must be a mapping, got a list`),
		Entry("two YAML documents", doc(model())+"---\nmodels: []\n",
			`tiers.yaml:17: only one YAML document is allowed`),
		Entry("unknown top-level key", doc(model())+"version: 1\n",
			`tiers.yaml:17: unknown field "version"`),
		Entry("no models key", "# catalogue\nversion: 1\n",
			"tiers.yaml:2: unknown field \"version\"\n"+
				"tiers.yaml:2: missing required field \"models\"\n"+
				"tiers.yaml:2: missing required field \"tiers\"\n"+
				`tiers.yaml:2: missing required field "default_tier"`),
		Entry("empty models list", "models: []\n"+minimalTiers,
			`tiers.yaml:1: models: must list at least one model`),
		Entry("models not a list", "models: {id: x}\n"+minimalTiers,
			`tiers.yaml:1: models: must be a list, got a mapping`),
		Entry("misspelt key", strings.Replace(doc(model()), "family:", "famly:", 1),
			"tiers.yaml:2: models[0]: missing required field \"family\"\n"+
				`tiers.yaml:5: models[0]: unknown field "famly"`),
		Entry("key set twice", doc(model("family: test\n    family: other")),
			`tiers.yaml:6: models[0]: field "family" is set twice (first at line 5)`),
		Entry("negative max_output_tokens", doc(model("max_output_tokens: -5")),
			`tiers.yaml:8: models[0].max_output_tokens: must be > 0, got -5`),
		Entry("max_output_tokens above the window", doc(model("max_output_tokens: 3000")),
			`tiers.yaml:8: models[0].max_output_tokens: must be <= context_window (2000), got 3000`),
		Entry("a float where an integer goes", doc(model("context_window: 1.5")),
			`tiers.yaml:9: models[0].context_window: must be an integer, got "1.5"`),
		Entry("a quoted number", doc(model(`min_cacheable_tokens: "1024"`)),
			`tiers.yaml:11: models[0].min_cacheable_tokens: must be an integer, got "1024"`),
		Entry("negative min_cacheable_tokens", doc(model("min_cacheable_tokens: -1")),
			`tiers.yaml:11: models[0].min_cacheable_tokens: must be >= 0, got -1`),
		Entry("unknown lifecycle", doc(model("lifecycle: gone")),
			`tiers.yaml:7: models[0].lifecycle: must be one of active, deprecated, retired, got "gone"`),
		Entry("empty id", doc(model(`id: ""`)),
			`tiers.yaml:2: models[0].id: must not be empty`),
		Entry("null family", doc(model(`family:`)),
			`tiers.yaml:5: models[0].family: must be a string, got null`),
		Entry("bad date", doc(model("created_at: 2025-13-01")),
			`tiers.yaml:6: models[0].created_at: must be a date (YYYY-MM-DD), got "2025-13-01"`),
		Entry("a timestamp where a date goes", doc(model("created_at: 2025-01-02T10:00:00Z")),
			`tiers.yaml:6: models[0].created_at: must be a date (YYYY-MM-DD), got "2025-01-02T10:00:00Z"`),
		Entry("negative and infinite prices", doc(model("prices: {input: -1, output: .inf, cache_write_5m: 1.25, cache_write_1h: 2, cache_read: 0.1}")),
			"tiers.yaml:10: models[0].prices.input: must be >= 0, got -1\n"+
				`tiers.yaml:10: models[0].prices.output: must be a finite number, got +Inf`),
		Entry("unknown price key", doc(model("prices: {inptu: 1, output: 5, cache_write_5m: 1.25, cache_write_1h: 2, cache_read: 0.1}")),
			"tiers.yaml:10: models[0].prices: unknown field \"inptu\"\n"+
				`tiers.yaml:10: models[0].prices: missing required field "input"`),
		Entry("bad thinking values", doc(model("thinking: [enabled, disabled, enabled]")),
			"tiers.yaml:13: models[0].thinking[1]: must be one of enabled, adaptive, got \"disabled\"\n"+
				`tiers.yaml:13: models[0].thinking[2]: "enabled" is listed twice`),
		Entry("a boolean written as a string", doc(model(`supports_prefill: "yes"`)),
			`tiers.yaml:12: models[0].supports_prefill: must be true or false, got "yes"`),
		Entry("alias used by another model", doc(model(), model("id: claude-test-2")),
			`tiers.yaml:15: models[1].aliases[0]: "claude-test" is already used by models[0]`),
		Entry("id equal to another model's alias", doc(model(), model("id: claude-test", "aliases: []")),
			`tiers.yaml:14: models[1].id: "claude-test" is already used by models[0]`),
		Entry("alias with a space", doc(model(`aliases: ["claude test"]`)),
			`tiers.yaml:3: models[0].aliases[0]: must not contain whitespace, got "claude test"`),
		Entry("lifecycle dates on a model pinned active", doc(model("lifecycle: active\n    deprecated_at: 2025-06-01\n    retires_at: 2026-01-01")),
			"tiers.yaml:8: models[0].deprecated_at: must be null while lifecycle is active, got 2025-06-01\n"+
				`tiers.yaml:9: models[0].retires_at: must be null while lifecycle is active, got 2026-01-01`),
		Entry("retirement without a deprecation", doc(model("lifecycle: retired\n    retires_at: 2026-01-01")),
			`tiers.yaml:8: models[0].retires_at: needs deprecated_at: a model is deprecated before it retires`),
		Entry("bad effort values", doc(model("thinking: [adaptive]\n    effort: [high, extreme, high]")),
			"tiers.yaml:14: models[0].effort[1]: must be one of low, medium, high, xhigh, max, got \"extreme\"\n"+
				`tiers.yaml:14: models[0].effort[2]: "high" is listed twice`),
		Entry("dates out of order", doc(model("lifecycle: deprecated\n    deprecated_at: 2026-02-01\n    retires_at: 2026-01-01")),
			`tiers.yaml:9: models[0].retires_at: must not be before deprecated_at (2026-02-01), got 2026-01-01`),
		Entry("deprecated before created", doc(model("lifecycle: retired\n    deprecated_at: 2024-12-31")),
			`tiers.yaml:8: models[0].deprecated_at: must not be before created_at (2025-01-02), got 2024-12-31`),
		Entry("every problem in every model at once", doc(model("max_output_tokens: 0", "family: \"\""), model("id: claude-test-2", "aliases: []", "context_window: x")),
			"tiers.yaml:5: models[0].family: must not be empty\n"+
				"tiers.yaml:8: models[0].max_output_tokens: must be > 0, got 0\n"+
				`tiers.yaml:21: models[1].context_window: must be an integer, got "x"`),
	)

	It("names the file it was given", func() {
		_, err := catalog.Load("custom/my-tiers.yaml", []byte("models: []\n"+minimalTiers))
		Expect(err).To(MatchError("custom/my-tiers.yaml:1: models: must list at least one model"))
	})
})

// loadBuiltIn loads the repository's tiers.yaml.
func loadBuiltIn() *catalog.Catalog {
	data, err := os.ReadFile("../../../tiers.yaml")
	Expect(err).NotTo(HaveOccurred())
	cat, err := catalog.Load("tiers.yaml", data)
	Expect(err).NotTo(HaveOccurred())
	return cat
}

// rpmItpmOtpm is the 2025-2026 shape of a limits row, as the docs' tables
// write it: "50 / 30,000 / 8,000".
func rpmItpmOtpm(rpm, itpm, otpm int) catalog.Limits {
	return catalog.Limits{RequestsPerMinute: rpm, InputTokensPerMinute: itpm, OutputTokensPerMinute: otpm}
}

// usd makes the *float64 of a money field.
func usd(f float64) *float64 { return &f }

var _ = Describe("the built-in tiers", func() {
	var cat *catalog.Catalog

	BeforeEach(func() {
		cat = loadBuiltIn()
	})

	It("lists every tier in file order", func() {
		var names []string
		for _, t := range cat.Tiers() {
			names = append(names, t.Name)
		}
		Expect(names).To(Equal([]string{
			"tier-1", "tier-2", "tier-3", "tier-4", "start", "build", "scale", "custom", "bedrock", "legacy-2024",
			"guide-free", "guide-build-1", "guide-build-2", "guide-build-3", "guide-build-4", "guide-monthly-free", "guide-monthly-paid",
		}))
		for _, name := range names {
			t, ok := cat.Tier(name)
			Expect(ok).To(BeTrue(), "tier %q", name)
			Expect(t.Name).To(Equal(name))
		}
		_, ok := cat.Tier("tier-5")
		Expect(ok).To(BeFalse())
	})

	It("returns a copy from Tiers", func() {
		first := cat.Tiers()
		first[0] = nil
		Expect(cat.Tiers()[0]).NotTo(BeNil())
	})

	It("places unconfigured organizations in start, the lowest published tier", func() {
		t, _ := cat.Tier("start")
		Expect(cat.DefaultTier()).To(BeIdenticalTo(t))
	})

	It("has Start exactly as V-2026-09: every row, the $500 cap, actual OTPM", func() {
		start, _ := cat.Tier("start")
		Expect(start.Limits).To(Equal(map[string]catalog.Limits{
			"fable-5": rpmItpmOtpm(1000, 500000, 100000), "opus-5": rpmItpmOtpm(1000, 2000000, 400000),
			"opus-4": rpmItpmOtpm(1000, 2000000, 400000), "sonnet-5": rpmItpmOtpm(1000, 2000000, 400000),
			"sonnet-4": rpmItpmOtpm(1000, 2000000, 400000), "haiku-4-5": rpmItpmOtpm(1000, 2000000, 400000),
			"haiku-3-5": rpmItpmOtpm(1000, 100000, 20000), "default": rpmItpmOtpm(1000, 2000000, 400000),
		}))
		Expect([]any{start.MonthlySpendLimit, start.OTPMAccounting, start.Reserve()}).To(Equal([]any{usd(500), "actual", false}))
	})

	DescribeTable("has the third-party guides' tables as profiles, for every family alike",
		func(name string, want catalog.Limits) {
			t, ok := cat.Tier(name)
			Expect(ok).To(BeTrue())
			Expect(t.Limits).To(Equal(map[string]catalog.Limits{"default": want}))
			Expect(t.Description).To(HavePrefix("Third-party guide table"))
			Expect(t.Description).To(HaveSuffix("(not the real API)"))
			Expect([]any{t.OTPMAccounting, t.MonthlySpendLimit, t.CreditPurchaseThreshold, t.MaxCreditPurchase}).
				To(Equal([]any{"actual", (*float64)(nil), (*float64)(nil), (*float64)(nil)}))
			Expect([]int{t.TokenCountingRPM, t.BatchRPM}).To(Equal([]int{want.RequestsPerMinute, want.RequestsPerMinute}))
		},
		Entry(nil, "guide-free", catalog.Limits{RequestsPerMinute: 5, TokensPerMinute: 20000, TokensPerDay: 300000}),
		Entry(nil, "guide-build-1", catalog.Limits{RequestsPerMinute: 50, TokensPerMinute: 40000, TokensPerDay: 1000000}),
		Entry(nil, "guide-build-2", catalog.Limits{RequestsPerMinute: 1000, TokensPerMinute: 80000, TokensPerDay: 2500000}),
		Entry(nil, "guide-build-3", catalog.Limits{RequestsPerMinute: 2000, TokensPerMinute: 160000, TokensPerDay: 5000000}),
		Entry(nil, "guide-build-4", catalog.Limits{RequestsPerMinute: 4000, TokensPerMinute: 400000, TokensPerDay: 10000000}),
		Entry(nil, "guide-monthly-free", catalog.Limits{RequestsPerMinute: 10, RequestsPerMonth: 5000}),
		Entry(nil, "guide-monthly-paid", catalog.Limits{RequestsPerMinute: 60, RequestsPerMonth: 250000}),
	)

	DescribeTable("has the V-2025-Q4 .. V-2026-04 and V-2026-09 limits",
		func(name, family string, want catalog.Limits) {
			t, ok := cat.Tier(name)
			Expect(ok).To(BeTrue())
			Expect(t.For(family)).To(Equal(want))
		},
		Entry(nil, "tier-1", "opus-4", rpmItpmOtpm(50, 30000, 8000)),
		Entry(nil, "tier-1", "sonnet-3-7", rpmItpmOtpm(50, 20000, 8000)),
		Entry(nil, "tier-2", "haiku-4-5", rpmItpmOtpm(1000, 450000, 90000)),
		Entry(nil, "tier-3", "haiku-3-5", rpmItpmOtpm(2000, 200000, 40000)),
		Entry(nil, "tier-4", "haiku-4-5", rpmItpmOtpm(4000, 4000000, 800000)),
		Entry(nil, "tier-4", "haiku-3", rpmItpmOtpm(4000, 400000, 80000)),
		Entry(nil, "start", "fable-5", rpmItpmOtpm(1000, 500000, 100000)),
		Entry(nil, "build", "opus-5", rpmItpmOtpm(5000, 5000000, 1000000)),
		Entry(nil, "scale", "sonnet-4", rpmItpmOtpm(10000, 10000000, 2000000)),
		Entry(nil, "scale", "haiku-3-5", rpmItpmOtpm(4000, 400000, 80000)),
	)

	It("falls back to the default row, a copy of Opus 4.x, for families a table does not list", func() {
		t1, _ := cat.Tier("tier-1")
		Expect(t1.Limits).NotTo(HaveKey("opus-5"))
		Expect(t1.For("opus-5")).To(Equal(t1.Limits["default"]))
		Expect(t1.For("opus-5")).To(Equal(t1.For("opus-4")))
		start, _ := cat.Tier("start")
		Expect(start.For("mythos-5")).To(Equal(rpmItpmOtpm(1000, 2000000, 400000)))
		Expect(start.For("no-such-family")).To(Equal(start.Limits["default"]))
	})

	It("gives every family of every model limits in every tier", func() {
		for _, t := range cat.Tiers() {
			for _, m := range cat.Models() {
				Expect(t.For(m.Family)).NotTo(Equal(catalog.Limits{}), "tier %q, model %q", t.Name, m.ID)
			}
		}
	})

	It("reserves max_tokens in the tier era and counts actual output from Start on", func() {
		for name, reserve := range map[string]bool{
			"tier-1": true, "tier-2": true, "tier-4": true, "legacy-2024": true,
			"start": false, "build": false, "scale": false, "custom": false, "bedrock": false,
		} {
			t, _ := cat.Tier(name)
			Expect(t.Reserve()).To(Equal(reserve), "tier %q", name)
		}
		t2, _ := cat.Tier("tier-2")
		Expect(t2.OTPMAccounting).To(Equal(catalog.OTPMReserve))
		start, _ := cat.Tier("start")
		Expect(start.OTPMAccounting).To(Equal(catalog.OTPMActual))
	})

	It("has the V-2026-04 money rules for Tier 1-4", func() {
		t4, _ := cat.Tier("tier-4")
		Expect(t4.CreditPurchaseThreshold).To(Equal(usd(400)))
		Expect(t4.MaxCreditPurchase).To(Equal(usd(200000)))
		Expect(t4.MonthlySpendLimit).To(Equal(usd(200000)))
		t1, _ := cat.Tier("tier-1")
		Expect(t1.CreditPurchaseThreshold).To(Equal(usd(5)))
		Expect(t1.MaxCreditPurchase).To(Equal(usd(100)))
		Expect(t1.MonthlySpendLimit).To(Equal(usd(100)))
	})

	It("has the V-2026-09 spend caps and no purchase thresholds for Start / Build / Scale", func() {
		for name, limit := range map[string]float64{"start": 500, "build": 1000, "scale": 200000} {
			t, _ := cat.Tier(name)
			Expect(t.MonthlySpendLimit).To(Equal(usd(limit)), "tier %q", name)
			Expect(t.CreditPurchaseThreshold).To(BeNil(), "tier %q", name)
		}
		custom, _ := cat.Tier("custom")
		Expect(custom.MonthlySpendLimit).To(BeNil())
		Expect(custom.CreditPurchaseThreshold).To(BeNil())
		Expect(custom.MaxCreditPurchase).To(BeNil())
		Expect(custom.For("opus-4")).To(Equal(rpmItpmOtpm(100000, 100000000, 20000000)))
	})

	DescribeTable("has the token counting and batch RPM of §2.5 and §2.6",
		func(name string, counting, batch int) {
			t, _ := cat.Tier(name)
			Expect(t.TokenCountingRPM).To(Equal(counting))
			Expect(t.BatchRPM).To(Equal(batch))
		},
		Entry(nil, "tier-1", 100, 50),
		Entry(nil, "tier-2", 2000, 1000),
		Entry(nil, "tier-3", 4000, 2000),
		Entry(nil, "tier-4", 8000, 4000),
		Entry(nil, "start", 5000, 1000),
		Entry(nil, "build", 10000, 2000),
		Entry(nil, "scale", 20000, 4000),
	)

	DescribeTable("has the batch processing queue of §2.5, and none on the tiers the table does not list",
		func(name string, queue int) {
			t, _ := cat.Tier(name)
			Expect(t.BatchQueue).To(Equal(queue))
		},
		Entry(nil, "tier-1", 100000),
		Entry(nil, "tier-2", 200000),
		Entry(nil, "tier-3", 300000),
		Entry(nil, "tier-4", 500000),
		Entry(nil, "start", 200000),
		Entry(nil, "build", 300000),
		Entry(nil, "scale", 500000),
		Entry(nil, "custom", 0),
	)

	DescribeTable("upgrades automatically by cumulative credit purchases",
		func(total float64, want string) {
			t := cat.TierForPurchases(total)
			if want == "" {
				Expect(t).To(BeNil())
				return
			}
			Expect(t).NotTo(BeNil())
			Expect(t.Name).To(Equal(want))
		},
		Entry(nil, 0.0, ""),
		Entry(nil, 4.99, ""),
		Entry(nil, 5.0, "tier-1"),
		Entry(nil, 39.99, "tier-1"),
		Entry(nil, 40.0, "tier-2"),
		Entry(nil, 200.0, "tier-3"),
		Entry(nil, 399.0, "tier-3"),
		Entry(nil, 1000.0, "tier-4"),
		Entry(nil, 1e9, "tier-4"),
	)

	It("has a Bedrock-style profile with tokens per minute and per day", func() {
		b, _ := cat.Tier("bedrock")
		Expect(b.For("opus-4")).To(Equal(catalog.Limits{RequestsPerMinute: 200, TokensPerMinute: 200000, TokensPerDay: 144000000}))
		Expect(b.MonthlySpendLimit).To(BeNil())
	})

	It("has a 2024-style profile with a daily token limit", func() {
		l, _ := cat.Tier("legacy-2024")
		Expect(l.For("haiku-3")).To(Equal(catalog.Limits{RequestsPerMinute: 50, TokensPerMinute: 50000, TokensPerDay: 1000000}))
	})

	It("leaves the burst window at each limit's own window", func() {
		for _, t := range cat.Tiers() {
			Expect(t.BurstWindow).To(BeZero(), "tier %q", t.Name)
		}
	})
})

var _ = Describe("Load, tiers", func() {
	It("accepts the base tier and decodes every field", func() {
		c, err := catalog.Load("tiers.yaml", []byte(tierDoc(tier())))
		Expect(err).NotTo(HaveOccurred())
		t, ok := c.Tier("tier-x")
		Expect(ok).To(BeTrue())
		Expect(*t).To(Equal(catalog.Tier{
			Name:                    "tier-x",
			Description:             "Test tier",
			OTPMAccounting:          catalog.OTPMReserve,
			BurstWindow:             time.Second,
			MonthlySpendLimit:       usd(100),
			CreditPurchaseThreshold: usd(5),
			MaxCreditPurchase:       usd(100),
			TokenCountingRPM:        100,
			BatchRPM:                50,
			Limits: map[string]catalog.Limits{
				"test":    {RequestsPerMinute: 50, InputTokensPerMinute: 30000},
				"default": {TokensPerMinute: 1000},
			},
		}))
		Expect(c.DefaultTier()).To(BeIdenticalTo(t))
		Expect(t.For("test")).To(Equal(catalog.Limits{RequestsPerMinute: 50, InputTokensPerMinute: 30000}))
		Expect(t.For("other")).To(Equal(catalog.Limits{TokensPerMinute: 1000}))
	})

	It("accepts a tier without default that lists every family", func() {
		c, err := catalog.Load("tiers.yaml", []byte(tierDoc(tier("limits: {test: {requests_per_month: 7}}"))))
		Expect(err).NotTo(HaveOccurred())
		t := c.DefaultTier()
		Expect(t.For("test")).To(Equal(catalog.Limits{RequestsPerMonth: 7}))
		Expect(t.For("other")).To(Equal(catalog.Limits{}))
	})

	It("accepts null money fields, a zero threshold and no burst window", func() {
		src := tierDoc(tier("monthly_spend_limit: null", "credit_purchase_threshold: 0", "max_credit_purchase: ~"))
		src = strings.Replace(src, "    burst_window: 1s\n", "", 1)
		c, err := catalog.Load("tiers.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		t := c.DefaultTier()
		Expect(t.MonthlySpendLimit).To(BeNil())
		Expect(t.MaxCreditPurchase).To(BeNil())
		Expect(t.CreditPurchaseThreshold).To(Equal(usd(0)))
		Expect(t.BurstWindow).To(BeZero())
		Expect(c.TierForPurchases(0)).To(BeIdenticalTo(t))
	})

	It("picks the tier with the highest threshold reached, whatever the file order", func() {
		c, err := catalog.Load("tiers.yaml", []byte(tierDoc(
			tier("name: tier-x", "credit_purchase_threshold: 100"),
			tier("name: tier-y", "credit_purchase_threshold: 10"),
			tier("name: tier-z", "credit_purchase_threshold: null"),
		)))
		Expect(err).NotTo(HaveOccurred())
		Expect(c.TierForPurchases(9)).To(BeNil())
		Expect(c.TierForPurchases(10).Name).To(Equal("tier-y"))
		Expect(c.TierForPurchases(99.5).Name).To(Equal("tier-y"))
		Expect(c.TierForPurchases(100).Name).To(Equal("tier-x"))
	})

	It("follows YAML anchors between limit rows", func() {
		c, err := catalog.Load("tiers.yaml", []byte(tierDoc(tier("limits: {test: &row {requests_per_minute: 9}, default: *row}"))))
		Expect(err).NotTo(HaveOccurred())
		Expect(c.DefaultTier().For("anything")).To(Equal(catalog.Limits{RequestsPerMinute: 9}))
	})

	It("positions a problem in block-style limits at the family's key", func() {
		// limits: stays at line 24; its keys are at 25 and 27, their values start a line later.
		src := strings.Replace(tierDoc(tier("limits:")), "    limits:\n",
			"    limits:\n      opus-9:\n        requests_per_minute: 5\n      default:\n        requests_per_day: 0\n", 1)
		_, err := catalog.Load("tiers.yaml", []byte(src))
		Expect(err).To(MatchError(
			"tiers.yaml:25: tiers[0].limits: keys must be \"default\" or a model family (test), got \"opus-9\"\n" +
				`tiers.yaml:28: tiers[0].limits.default.requests_per_day: must be > 0, got 0`))
	})

	It("reports an uncovered family in a catalogue of several", func() {
		src := "models:\n" + model() + model("id: claude-test-2", "aliases: []", "family: other") +
			"tiers:\n" + tier("limits: {test: {requests_per_minute: 1}}") + "default_tier: tier-x\n"
		_, err := catalog.Load("tiers.yaml", []byte(src))
		Expect(err).To(MatchError(`tiers.yaml:36: tiers[0].limits: must have a "default" entry or one for every model family, missing other`))
	})

	DescribeTable("rejects an invalid tier with an exact error",
		func(src, want string) {
			c, err := catalog.Load("tiers.yaml", []byte(src))
			Expect(c).To(BeNil())
			Expect(err).To(MatchError(want))
		},
		Entry("no tiers at all", "models:\n"+model(),
			"tiers.yaml:1: missing required field \"tiers\"\n"+
				`tiers.yaml:1: missing required field "default_tier"`),
		Entry("an empty tiers list", "models:\n"+model()+"tiers: []\ndefault_tier: tier-1\n",
			`tiers.yaml:14: tiers: must list at least one tier`),
		Entry("tiers not a list", "models:\n"+model()+"tiers: {name: tier-1}\ndefault_tier: tier-1\n",
			`tiers.yaml:14: tiers: must be a list, got a mapping`),
		Entry("unknown dimension", tierDoc(tier("limits: {test: {requests_per_hour: 5}, default: {requests_per_minute: 1}}")),
			`tiers.yaml:24: tiers[0].limits.test: unknown field "requests_per_hour"`),
		Entry("negative limit", tierDoc(tier("limits: {test: {requests_per_minute: -5}}")),
			`tiers.yaml:24: tiers[0].limits.test.requests_per_minute: must be > 0, got -5`),
		Entry("zero limit", tierDoc(tier("limits: {default: {tokens_per_day: 0}}")),
			`tiers.yaml:24: tiers[0].limits.default.tokens_per_day: must be > 0, got 0`),
		Entry("a float limit", tierDoc(tier("limits: {default: {tokens_per_minute: 1.5}}")),
			`tiers.yaml:24: tiers[0].limits.default.tokens_per_minute: must be an integer, got "1.5"`),
		Entry("an entry with no limit", tierDoc(tier("limits: {test: {}, default: {requests_per_minute: 1}}")),
			`tiers.yaml:24: tiers[0].limits.test: must set at least one of requests_per_minute, input_tokens_per_minute, output_tokens_per_minute, tokens_per_minute, tokens_per_day, requests_per_day, requests_per_month, got none`),
		Entry("a null entry", tierDoc(tier("limits: {test: null, default: {requests_per_minute: 1}}")),
			`tiers.yaml:24: tiers[0].limits.test: must be a mapping, got null`),
		Entry("unknown family", tierDoc(tier("limits: {opus-9: {requests_per_minute: 1}, default: {requests_per_minute: 1}}")),
			`tiers.yaml:24: tiers[0].limits: keys must be "default" or a model family (test), got "opus-9"`),
		Entry("missing default", tierDoc(tier("limits: {}")),
			`tiers.yaml:24: tiers[0].limits: must have a "default" entry or one for every model family, missing test`),
		Entry("limits not a mapping", tierDoc(tier("limits: [test]")),
			`tiers.yaml:24: tiers[0].limits: must be a mapping, got a list`),
		Entry("a family set twice", tierDoc(tier("limits: {test: {requests_per_minute: 1},\n      test: {requests_per_minute: 2}}")),
			`tiers.yaml:25: tiers[0].limits: key "test" is set twice (first at line 24)`),
		Entry("a list as a family", tierDoc(tier("limits: {[test]: {requests_per_minute: 1}, default: {requests_per_minute: 1}}")),
			`tiers.yaml:24: tiers[0].limits: keys must be plain strings, got a list`),
		Entry("bad accounting", tierDoc(tier("otpm_accounting: lazy")),
			`tiers.yaml:17: tiers[0].otpm_accounting: must be one of reserve, actual, got "lazy"`),
		Entry("bad duration", tierDoc(tier("burst_window: soon")),
			`tiers.yaml:18: tiers[0].burst_window: must be a duration such as 1s or 60s, got "soon"`),
		Entry("a bare number as duration", tierDoc(tier("burst_window: 60")),
			`tiers.yaml:18: tiers[0].burst_window: must be a duration such as 1s or 60s, got "60"`),
		Entry("a zero duration", tierDoc(tier("burst_window: 0s")),
			`tiers.yaml:18: tiers[0].burst_window: must be > 0, got 0s`),
		Entry("a burst window over a day", tierDoc(tier("burst_window: 25h")),
			`tiers.yaml:18: tiers[0].burst_window: must be <= 24h0m0s, got 25h0m0s`),
		Entry("duplicate tier", tierDoc(tier(), tier("credit_purchase_threshold: 40")),
			`tiers.yaml:25: tiers[1].name: "tier-x" is already used by tiers[0]`),
		Entry("tier name with a space", tierDoc(tier(`name: "tier x"`)),
			`tiers.yaml:15: tiers[0].name: must not contain whitespace, got "tier x"`),
		Entry("duplicate threshold", tierDoc(tier(), tier("name: tier-y")),
			`tiers.yaml:30: tiers[1].credit_purchase_threshold: 5 is already used by tiers[0]`),
		Entry("negative threshold", tierDoc(tier("credit_purchase_threshold: -1")),
			`tiers.yaml:20: tiers[0].credit_purchase_threshold: must be >= 0, got -1`),
		Entry("zero spend limit", tierDoc(tier("monthly_spend_limit: 0")),
			`tiers.yaml:19: tiers[0].monthly_spend_limit: must be > 0, got 0`),
		Entry("infinite max purchase", tierDoc(tier("max_credit_purchase: .inf")),
			`tiers.yaml:21: tiers[0].max_credit_purchase: must be a finite number, got +Inf`),
		Entry("a quoted amount", tierDoc(tier(`monthly_spend_limit: "100"`)),
			`tiers.yaml:19: tiers[0].monthly_spend_limit: must be a number, got "100"`),
		Entry("a forgotten nullable field", strings.Replace(tierDoc(tier()), "    max_credit_purchase: 100\n", "", 1),
			`tiers.yaml:15: tiers[0]: missing required field "max_credit_purchase"`),
		Entry("zero token counting RPM", tierDoc(tier("token_counting_rpm: 0")),
			`tiers.yaml:22: tiers[0].token_counting_rpm: must be > 0, got 0`),
		Entry("negative batch RPM", tierDoc(tier("batch_rpm: -50")),
			`tiers.yaml:23: tiers[0].batch_rpm: must be > 0, got -50`),
		Entry("a batch queue of zero", tierDoc(tier("batch_rpm: 50\n    batch_queue: 0")),
			`tiers.yaml:24: tiers[0].batch_queue: must be > 0, got 0`),
		Entry("unknown tier key", tierDoc(tier("description: x\n    colour: red")),
			`tiers.yaml:17: tiers[0]: unknown field "colour"`),
		Entry("unknown default_tier", strings.Replace(tierDoc(tier()), "default_tier: tier-x", "default_tier: tier-9", 1),
			`tiers.yaml:25: default_tier: must name a tier (tier-x), got "tier-9"`),
		Entry("default_tier not a string", strings.Replace(tierDoc(tier()), "default_tier: tier-x", "default_tier: [tier-x]", 1),
			`tiers.yaml:25: default_tier: must be a string, got a list`),
		Entry("a model in the family named default", doc(model("family: default")),
			`tiers.yaml:5: models[0].family: "default" is reserved for the tiers' fallback limits`),
		Entry("every problem in every tier at once", tierDoc(tier("otpm_accounting: both", "batch_rpm: 0"), tier("name: tier-y", "limits: {nope: {requests_per_minute: 1}}")),
			"tiers.yaml:17: tiers[0].otpm_accounting: must be one of reserve, actual, got \"both\"\n"+
				"tiers.yaml:23: tiers[0].batch_rpm: must be > 0, got 0\n"+
				"tiers.yaml:30: tiers[1].credit_purchase_threshold: 5 is already used by tiers[0]\n"+
				"tiers.yaml:34: tiers[1].limits: keys must be \"default\" or a model family (test), got \"nope\"\n"+
				`tiers.yaml:34: tiers[1].limits: must have a "default" entry or one for every model family, missing test`),
	)
})
