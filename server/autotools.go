package server

import (
	"math/rand/v2"
	"slices"

	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/request"
)

// AutoToolsNamed is the default of Options.AutoTools.
const AutoToolsNamed = string(generate.AutoNamed)

// AutoToolsModes lists the values Options.AutoTools (and the flag
// --auto-tools) takes, in documentation order.
var AutoToolsModes = slices.Clone(generate.AutoToolsModes)

// chosenTool is the tool the model calls: the one tool_choice forces, or
// under auto the one the auto-tools rule picks (the scenario's, else the
// server's); nil for a text answer.
func (s *Server) chosenTool(rng *rand.Rand, st *reqState, p *request.Request) *generate.Tool {
	if p.ToolChoice.Type != "auto" {
		return forcedTool(rng, p)
	}
	rule := generate.AutoTools(s.opts.AutoTools)
	if st.play.Scenario != nil && st.play.Scenario.AutoTools != "" {
		rule = generate.AutoTools(st.play.Scenario.AutoTools)
	}
	return generate.AutoTool(rule, autoCandidates(p), p.Turn)
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
