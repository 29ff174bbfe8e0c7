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

// checkConsistent asserts what validation promises about an accepted
// catalogue: models exist, every id and alias resolves to its own model, and
// the limits are sane.
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
}
