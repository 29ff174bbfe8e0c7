package orgs_test

import (
	"os"
	"testing"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// FuzzLoad feeds arbitrary bytes to Load: it must never panic, must return
// exactly one of a config or an error, and an accepted config must hold
// unique, non-empty ids and keys.
func FuzzLoad(f *testing.F) {
	data, err := os.ReadFile("../../../tiers.yaml")
	if err != nil {
		f.Fatal(err)
	}
	cat, err := catalog.Load("tiers.yaml", data)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"",
		fullFile,
		"organizations: [\n",
		"organizations: []\n",
		"organizations:\n  - &o {id: a, keys: [k]}\n  - *o\n",
		"a: &a [*a]\n",
		"organizations: [{id: a, limits: {default: &l {requests_per_minute: -1}, opus-4: *l, [x]: 1}}]\n",
		"organizations: [{id: a, workspaces: [{id: default, limits: {default: {requests_per_minute: 99999999999999999999}}}]}]\n",
		"organizations:\n  - id: a\n    id: b\n---\norganizations: 1\n",
		"? [a]\n: b\n",
		"organizations: [{id: a, credits: -1, spend_limit: .nan, priority: {claude-9: {input_tokens_per_minute: 0}}, workspaces: [{id: w, spend_limit: 0}]}]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := orgs.Load("fuzz.yaml", data, cat)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Load returned config %v and error %v", cfg, err)
		}
		if err != nil {
			return
		}
		orgIDs, wsIDs, keys := map[string]bool{}, map[string]bool{}, map[string]bool{}
		claim := func(seen map[string]bool, s string) {
			if s == "" || seen[s] {
				t.Fatalf("accepted empty or repeated %q", s)
			}
			seen[s] = true
		}
		for _, o := range cfg.Organizations {
			claim(orgIDs, o.ID)
			for _, k := range o.Keys {
				claim(keys, k)
			}
			for _, w := range o.Workspaces {
				claim(wsIDs, w.ID)
				if w.ID == orgs.DefaultWorkspace {
					t.Fatal("accepted a workspace named default")
				}
				for _, k := range w.Keys {
					claim(keys, k)
				}
			}
		}
	})
}
