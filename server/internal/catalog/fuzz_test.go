package catalog_test

import (
	"os"
	"testing"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// FuzzLoad feeds arbitrary bytes to Load: it must never panic, must always
// return exactly one of a catalogue or an error, and a catalogue it accepts
// must be internally consistent.
func FuzzLoad(f *testing.F) {
	real, err := os.ReadFile("../../../tiers.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	for _, seed := range []string{
		"",
		"models: [\n",
		"- a\n",
		"models: []\n",
		"models:\n - &a {id: x}\n - *a\n",
		"a: &a [*a]\n",
		"models: [{prices: {input: .nan}}]\n",
		"models:\n  - id: x\n    id: y\n---\nmodels: 1\n",
		"? [a]\n: b\n",
		"models: [{id: x, created_at: 2025-02-30, thinking: [enabled, enabled]}]\n",
		minimalDoc,
		minimalModels + "tiers: [{limits: {a: {}, a: 1, [b]: 2, default: &l {tokens_per_day: -1}, f: *l}, burst_window: 1e9h}]\n",
		"tiers:\n - &t {name: t, credit_purchase_threshold: .nan}\n - *t\ndefault_tier: *t\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := catalog.Load("fuzz.yaml", data)
		if (c == nil) == (err == nil) {
			t.Fatalf("Load returned catalogue %v and error %v", c, err)
		}
		if err != nil {
			return
		}
		checkConsistent(t, c)
	})
}

// minimalDoc is a small valid catalogue, so the fuzzer starts from documents
// that get past decoding into tier validation.
const (
	minimalModels = "models:\n" +
		"  - {id: m, display_name: M, family: f, created_at: 2025-01-01, lifecycle: active, max_output_tokens: 1, context_window: 2, prices: {input: 1, output: 1, cache_write_5m: 1, cache_write_1h: 1, cache_read: 1}, min_cacheable_tokens: 0, supports_prefill: true}\n"
	minimalDoc = minimalModels + "tiers:\n" +
		"  - {name: t, otpm_accounting: actual, burst_window: 1s, monthly_spend_limit: 1, credit_purchase_threshold: 0, max_credit_purchase: null, token_counting_rpm: 1, batch_rpm: 1, limits: {f: {requests_per_minute: 1}}}\n" +
		"default_tier: t\n"
)

// checkConsistent asserts what validation promises about an accepted
// catalogue: models exist, every id and alias resolves to its own model, the
// limits are sane, and the tiers are indexed, cover every family and have
// unique thresholds.
func checkConsistent(t *testing.T, c *catalog.Catalog) {
	models := c.Models()
	if len(models) == 0 {
		t.Fatal("accepted a catalogue without models")
	}
	for _, m := range models {
		for _, name := range append([]string{m.ID}, m.Aliases...) {
			if got, ok := c.Lookup(name); !ok || got != m {
				t.Fatalf("Lookup(%q) = %v, %v; want model %q", name, got, ok, m.ID)
			}
		}
		if m.MaxOutputTokens <= 0 || m.MaxOutputTokens > m.ContextWindow || m.MinCacheableTokens < 0 {
			t.Fatalf("accepted bad limits on %q: %+v", m.ID, m)
		}
	}
	checkTiers(t, c)
}

// checkTiers is checkConsistent's part for tiers.
func checkTiers(t *testing.T, c *catalog.Catalog) {
	tiers := c.Tiers()
	if len(tiers) == 0 || c.DefaultTier() == nil {
		t.Fatalf("accepted a catalogue without tiers (%d) or default tier (%v)", len(tiers), c.DefaultTier())
	}
	if got, ok := c.Tier(c.DefaultTier().Name); !ok || got != c.DefaultTier() {
		t.Fatalf("DefaultTier %q does not resolve to itself", c.DefaultTier().Name)
	}
	for _, tier := range tiers {
		if got, ok := c.Tier(tier.Name); !ok || got != tier {
			t.Fatalf("Tier(%q) = %v, %v; want the tier itself", tier.Name, got, ok)
		}
		if tier.OTPMAccounting != catalog.OTPMReserve && tier.OTPMAccounting != catalog.OTPMActual {
			t.Fatalf("accepted otpm_accounting %q", tier.OTPMAccounting)
		}
		if tier.BurstWindow < 0 || tier.BurstWindow > catalog.MaxBurstWindow || tier.TokenCountingRPM <= 0 || tier.BatchRPM <= 0 {
			t.Fatalf("accepted bad numbers on tier %q: %+v", tier.Name, tier)
		}
		if th := tier.CreditPurchaseThreshold; th != nil && c.TierForPurchases(*th) != tier {
			t.Fatalf("TierForPurchases(%v) is not tier %q: thresholds are not unique", *th, tier.Name)
		}
		for _, m := range c.Models() {
			if tier.For(m.Family) == (catalog.Limits{}) {
				t.Fatalf("tier %q has no limits for family %q", tier.Name, m.Family)
			}
		}
		for family, l := range tier.Limits {
			if min(l.RequestsPerMinute, l.InputTokensPerMinute, l.OutputTokensPerMinute, l.TokensPerMinute,
				l.TokensPerDay, l.RequestsPerDay, l.RequestsPerMonth) < 0 {
				t.Fatalf("tier %q accepted a negative limit for %q: %+v", tier.Name, family, l)
			}
		}
	}
}
