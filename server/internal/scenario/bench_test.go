package scenario_test

import (
	"net/textproto"
	"testing"
	"time"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// BenchmarkEngineFault is the cost a scenario adds to every request: ten
// faults tried in order, none firing (the common case), then the replies.
func BenchmarkEngineFault(b *testing.B) {
	cat, err := catalog.Load("tiers.yaml", claudemock.Tiers)
	if err != nil {
		b.Fatal(err)
	}
	doc := "name: bench\nfaults:\n"
	for range 5 {
		doc += "  - match: {model: \"claude-opus-*\", stream: true}\n    overloaded: {}\n"
		doc += "  - match: {header: x-never, body_contains: nothing-like-this}\n    when: {probability: 0.5}\n    api_error: {}\n"
	}
	doc += "replies:\n  - match: {body_contains: nothing-like-this}\n    text: never\n"
	sc, err := scenario.Load("bench.yaml", []byte(doc), cat)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	e := scenario.NewEngine(sc, 1, t0)
	req := scenario.Request{
		Endpoint: scenario.EndpointMessages, Model: "claude-haiku-4-5-20251001", Alias: "claude-haiku-4-5",
		Family: "haiku-4-5", Key: "sk-a", Organization: "org-a", Workspace: "default",
		Header: textproto.MIMEHeader{"X-Api-Key": {"sk-a"}}, Body: []byte(`{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := e.Fault(req, t0); ok {
			b.Fatal("a fault fired")
		}
		e.Reply(req, t0)
	}
}
