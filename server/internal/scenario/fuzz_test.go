package scenario_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// FuzzLoad feeds arbitrary bytes to Load: it must never panic, must return
// exactly one of a scenario or an error, an accepted scenario must hold
// unique names and one known action per fault, and playing it must not
// panic either.
func FuzzLoad(f *testing.F) {
	cat, err := catalog.Load("tiers.yaml", claudemock.Tiers)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"",
		fullScenario,
		"name: n\nfaults: [{when: {probability: 0.5, every: 2}, stall: {for: 1s}}]\n",
		"name: n\nfaults:\n  - &f {acceleration_limit: {floor: 1, ramp: 0}}\n  - *f\n",
		"name: n\nreplies: [{tool_use: {name: t, input: {a: &a [1, *a]}}}]\n",
		"a: &a [*a]\n",
		"name: n\nfaults: [{match: {model: '[', family: '\\\\'}, status: {code: 9999999999999999999}}]\n",
		"name: n\norganizations: [{id: a, credits: .nan, priority: {x: 1}}]\n",
	} {
		f.Add([]byte(seed))
	}
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scenario.Load("fuzz.yaml", data, cat)
		if (sc == nil) == (err == nil) {
			t.Fatalf("got scenario %v and error %v", sc, err)
		}
		if sc == nil {
			return
		}
		checkAccepted(t, sc)
		play(sc)
	})
}

// checkAccepted checks what an accepted scenario promises its players.
func checkAccepted(t *testing.T, sc *scenario.Scenario) {
	if sc.Name == "" {
		t.Fatal("accepted a scenario without a name")
	}
	seen := map[string]bool{}
	for _, f := range sc.Faults {
		if seen[f.Name] || f.Name == "" {
			t.Fatalf("accepted fault name %q twice or empty", f.Name)
		}
		seen[f.Name] = true
		if !slices.Contains(scenario.Kinds, f.Action.Kind) {
			t.Fatalf("accepted fault %q with kind %q", f.Name, f.Action.Kind)
		}
	}
}

// play runs a few requests through an engine for the scenario.
func play(sc *scenario.Scenario) {
	e := scenario.NewEngine(sc, 1, time.Time{})
	for i := range 5 {
		r := scenario.Request{Endpoint: scenario.EndpointMessages, Model: "claude-3-haiku-20240307", Stream: i%2 == 0}
		e.Fault(r, time.Time{}.Add(time.Duration(i)*time.Minute))
		e.Reply(r, time.Time{})
	}
	e.Counts()
}
