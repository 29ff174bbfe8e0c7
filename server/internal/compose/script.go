package compose

import (
	"encoding/json"
	"math/rand/v2"

	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// scripted builds the reply a scenario's `replies:` entry dictates. The
// blocks it names replace the generated content (thinking, then text, then
// the tool call); with none of them, the generated reply stays and only the
// stop reason or usage is overridden. max_tokens does not cut a scripted
// reply: it is exactly what the scenario says.
func scripted(rng *rand.Rand, done <-chan struct{}, p *request.Request, generated generate.Reply, r *scenario.Reply) generate.Reply {
	out := generated
	if r.Text != nil || r.Thinking != nil || r.ToolUse != nil {
		out = generate.Reply{StopReason: "end_turn"}
		if r.Thinking != nil {
			text, n := scriptedText(rng, r.Thinking)
			out.Content = append(out.Content, generate.Block{Type: "thinking", Text: text, Signature: generate.ID(rng, "Es", 86) + "=="})
			out.OutputTokens, out.ThinkingTokens = out.OutputTokens+n, n
		}
		if r.Text != nil {
			text, n := scriptedText(rng, r.Text)
			out.Content = append(out.Content, generate.Block{Type: "text", Text: text})
			out.OutputTokens += n
		}
		if r.ToolUse != nil {
			block := scriptedTool(rng, done, p, r.ToolUse)
			out.Content = append(out.Content, block)
			out.OutputTokens += tokens.Text(string(block.Input)) + 10
			out.StopReason = "tool_use"
		}
	}
	if r.StopReason != "" {
		out.StopReason, out.StopSequence = r.StopReason, ""
	}
	return out
}

// scriptedText is fixed text with its estimated tokens, or Length
// generated words of one token each.
func scriptedText(rng *rand.Rand, t *scenario.Text) (string, int) {
	if t.Length == 0 && t.Fixed != "" {
		return t.Fixed, tokens.Text(t.Fixed)
	}
	return generate.Text(rng, t.Length), t.Length
}

// scriptedTool is a tool_use block: the scripted input, or one generated
// from the schema of the request's tool of that name (any object when the
// request declares no such tool).
func scriptedTool(rng *rand.Rand, done <-chan struct{}, p *request.Request, t *scenario.ToolUse) generate.Block {
	id := generate.ID(rng, "toolu_01", 22)
	var input []byte
	if t.Input != nil {
		input, _ = json.Marshal(t.Input)
	} else {
		schema := json.RawMessage(`{"type":"object"}`)
		for _, tool := range p.Tools {
			if tool.Name == t.Name {
				schema = tool.Schema
			}
		}
		input, _ = json.Marshal(generate.FromSchema(rng, schema, done))
	}
	return generate.Block{Type: "tool_use", ID: id, Name: t.Name, Input: input}
}

// overrideUsage applies a scripted reply's usage figures.
func overrideUsage(u *wire.Usage, o scenario.Usage) {
	set := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	set(&u.InputTokens, o.InputTokens)
	set(&u.OutputTokens, o.OutputTokens)
	set(&u.CacheCreationInputTokens, o.CacheCreationInputTokens)
	set(&u.CacheReadInputTokens, o.CacheReadInputTokens)
	if o.CacheCreationInputTokens != nil {
		// Keep the breakdown summing to the total, which is also what the
		// answer is charged from; the scripted writes are 5-minute ones.
		u.CacheCreation = wire.CacheCreation{Ephemeral5m: *o.CacheCreationInputTokens}
	}
}
