package server

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/claudemock/claudemock/server/internal/generate"
)

// AutoToolsNamed is the default of Options.AutoTools.
const AutoToolsNamed = string(generate.AutoNamed)

// AutoToolsModes lists the values Options.AutoTools (and the flag
// --auto-tools) takes, in documentation order.
var AutoToolsModes = slices.Clone(generate.AutoToolsModes)

// chosenTool is the tool the model calls: the one tool_choice forces, or
// under auto the one the auto-tools rule picks (the scenario's, else the
// server's); nil for a text answer.
func (s *Server) chosenTool(rng *rand.Rand, st *reqState, p *params) *generate.Tool {
	if p.toolChoice.Type != "auto" {
		return forcedTool(rng, p)
	}
	rule := generate.AutoTools(s.opts.AutoTools)
	if st.play.Scenario != nil && st.play.Scenario.AutoTools != "" {
		rule = generate.AutoTools(st.play.Scenario.AutoTools)
	}
	return generate.AutoTool(rule, autoCandidates(p), p.turn)
}

// autoCandidates are the tools auto may call: custom tools, which carry
// the input_schema a call's input is generated from. Server tools and
// Anthropic-defined client tools (bash, text editor, computer use) are
// never called on their own.
func autoCandidates(p *params) []generate.Tool {
	var out []generate.Tool
	for _, t := range p.tools {
		if t.Type == "" || t.Type == "custom" {
			out = append(out, generate.Tool{Name: t.Name, Schema: t.Schema})
		}
	}
	return out
}

// lastUserTurn reads the user turn the conversation ends with, for the
// auto-tools rule and the thinking rules: consecutive user messages merged
// as the API merges them, role "system" messages (a beta) passed over. It
// is nil when the conversation ends with an assistant turn, or when the
// request neither thinks nor offers tools under tool_choice auto, as no
// rule then reads it. It reads the messages parseMessages decoded.
func lastUserTurn(msgs []inMessage, out *params) *generate.Turn {
	thinks := out.thinking.Type == "enabled" || out.thinking.Type == "adaptive"
	if !thinks && (out.toolChoice.Type != "auto" || len(out.tools) == 0) {
		return nil
	}
	var turn *generate.Turn
	for i := len(msgs) - 1; i >= 0 && msgs[i].role != "assistant"; i-- {
		if msgs[i].role != "user" {
			continue
		}
		text, result := turnContent(msgs[i].content)
		if turn == nil {
			turn = &generate.Turn{}
		}
		turn.Text = strings.TrimSuffix(text+"\n"+turn.Text, "\n")
		turn.ToolResult = turn.ToolResult || result
	}
	return turn
}

// turnContent is one user message's text (its string, or its text blocks
// one per line) and whether it carries a tool_result.
func turnContent(content stringOrBlocks) (string, bool) {
	if content.isString {
		return content.text, false
	}
	var texts []string
	result := false
	for _, rawBlock := range content.blocks {
		var b struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if json.Unmarshal(rawBlock, &b) != nil {
			continue
		}
		switch b.Type {
		case "text":
			texts = append(texts, b.Text)
		case "tool_result":
			result = true
		}
	}
	return strings.Join(texts, "\n"), result
}
