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

// sdkModels are the Model constants of anthropic-sdk-go v1.84.0 (message.go);
// every one must resolve, since SDK users pass them verbatim.
var sdkModels = []string{
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
		Expect(cat.Models()[0].ID).To(Equal("claude-haiku-5-5"))
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
		Entry(nil, "claude-mythos-5", "mythos-5"),
		Entry(nil, "claude-mythos-5-1", "mythos-5"),
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
			Lifecycle:          catalog.LifecycleActive,
			MaxOutputTokens:    64000,
			ContextWindow:      200000,
			Prices:             catalog.Prices{Input: 5, Output: 25, CacheWrite5m: 6.25, CacheWrite1h: 10, CacheRead: 0.5},
			MinCacheableTokens: 4096,
			SupportsPrefill:    true,
			Thinking:           []string{"enabled"},
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
		Expect(s.MaxOutputTokens).To(Equal(64000))
		Expect(s.ContextWindow).To(Equal(1000000))
		Expect(s.SupportsPrefill).To(BeFalse())
	})

	It("carries the deprecation dates of the spec", func() {
		m, _ := cat.Lookup("claude-sonnet-4-5")
		Expect(m.Lifecycle).To(Equal(catalog.LifecycleDeprecated))
		Expect(m.RetiresAt).To(Equal(new(date("2026-11-30"))))
		p, _ := cat.Lookup("claude-mythos-preview")
		Expect(p.Lifecycle).To(Equal(catalog.LifecycleDeprecated))
		Expect(p.RetiresAt).To(Equal(new(date("2026-06-30"))))
		a, _ := cat.Lookup("claude-opus-4-8")
		Expect(a.DeprecatedAt).To(BeNil())
		Expect(a.RetiresAt).To(BeNil())
	})

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
// An override whose key is not in baseModel is a bug in the spec, so it panics
// while the tree is built rather than silently testing the base model.
func model(overrides ...string) string {
	lines := slices.Clone(baseModel)
	for _, o := range overrides {
		key, _, _ := strings.Cut(o, ":")
		i := slices.IndexFunc(lines, func(l string) bool {
			return strings.HasPrefix(strings.TrimLeft(l, " -"), key+":")
		})
		if i < 0 {
			panic("model: no line for key " + key)
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " -"))]
		lines[i] = indent + o
	}
	return strings.Join(lines, "\n") + "\n"
}

// doc wraps model blocks in a catalogue document.
func doc(models ...string) string {
	return "models:\n" + strings.Join(models, "")
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
			`tiers.yaml:14: only one YAML document is allowed`),
		Entry("unknown top-level key", doc(model())+"tiers: {}\n",
			`tiers.yaml:14: unknown field "tiers"`),
		Entry("no models key", "# catalogue\nversion: 1\n",
			"tiers.yaml:2: unknown field \"version\"\n"+
				`tiers.yaml:2: missing required field "models"`),
		Entry("empty models list", "models: []\n",
			`tiers.yaml:1: models: must list at least one model`),
		Entry("models not a list", "models: {id: x}\n",
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
		Entry("retirement date on an active model", doc(model("lifecycle: active\n    retires_at: 2026-01-01")),
			`tiers.yaml:8: models[0].retires_at: must be null while lifecycle is active, got 2026-01-01`),
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
		_, err := catalog.Load("custom/my-tiers.yaml", []byte("models: []\n"))
		Expect(err).To(MatchError("custom/my-tiers.yaml:1: models: must list at least one model"))
	})
})
