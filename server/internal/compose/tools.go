package compose

import (
	"math/rand/v2"

	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/request"
)

// chosenTool is the tool the model calls: the one tool_choice forces, or
// under auto the one the auto-tools rule picks; nil for a text answer.
func chosenTool(rng *rand.Rand, p *request.Request, rule generate.AutoTools) *generate.Tool {
	if p.ToolChoice.Type != "auto" {
		return forcedTool(rng, p)
	}
	return generate.AutoTool(rule, autoCandidates(p), p.Turn)
}

// forcedTool is the tool tool_choice makes the model call: the named one,
// or for "any" one drawn from the tools; nil for "none".
func forcedTool(rng *rand.Rand, p *request.Request) *generate.Tool {
	switch p.ToolChoice.Type {
	case "tool":
		for _, t := range p.Tools {
			if t.Name == p.ToolChoice.Name {
				return &generate.Tool{Name: t.Name, Schema: t.Schema}
			}
		}
	case "any":
		t := p.Tools[rng.IntN(len(p.Tools))]
		return &generate.Tool{Name: t.Name, Schema: t.Schema}
	}
	return nil
}

// autoCandidates are the tools auto may call: custom tools, which carry
// the input_schema a call's input is generated from. Server tools and
// Anthropic-defined client tools (bash, text editor, computer use) are
// never called on their own.
func autoCandidates(p *request.Request) []generate.Tool {
	var out []generate.Tool
	for _, t := range p.Tools {
		if t.Type == "" || t.Type == "custom" {
			out = append(out, generate.Tool{Name: t.Name, Schema: t.Schema})
		}
	}
	return out
}
