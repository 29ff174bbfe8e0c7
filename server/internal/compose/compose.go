package compose

import (
	"math/rand/v2"

	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// Input is what composing one answer takes.
type Input struct {
	Request *request.Request
	// Cached is the prompt as the prompt cache counted it.
	Cached tokens.CacheUsage
	// Script is the scenario's reply for the request, nil for none.
	Script *scenario.Reply
	// AutoTools is the rule in force for tool_choice auto.
	AutoTools generate.AutoTools
	// ReplyTokens is the length of a generated text reply.
	ReplyTokens int
	// Rand is the request's own random source; Done closes when the
	// client leaves, so generation can stop.
	Rand *rand.Rand
	Done <-chan struct{}
}

// Message composes the answer: id, reply and usage, service tier
// "standard" (the admission sets the tier it used).
func Message(in Input) wire.Message {
	p, rng := in.Request, in.Rand
	id := generate.ID(rng, "msg_01", 22)
	rep := generate.Answer(rng, generate.Request{
		MaxTokens:     p.MaxTokens,
		Length:        in.ReplyTokens,
		StopSequences: p.StopSequences,
		Tool:          chosenTool(rng, p, in.AutoTools),
		Format:        p.Format,
		Thinking:      thinks(p),
		Redacted:      p.Redacted,
		Done:          in.Done,
	})
	if in.Script != nil {
		rep = scripted(rng, in.Done, p, rep, in.Script)
	}
	msg := wrap(p, id, rep, in.Cached)
	if in.Script != nil {
		overrideUsage(&msg.Usage, in.Script.Usage)
	}
	return msg
}

// wrap puts a reply in the Message shape with its usage.
func wrap(p *request.Request, id string, rep generate.Reply, cached tokens.CacheUsage) wire.Message {
	content := make([]any, len(rep.Content))
	for i, b := range rep.Content {
		content[i] = wire.Block(b)
	}
	return wire.Message{
		Model: p.Model.ID, ID: id, Type: "message", Role: "assistant", Content: content,
		StopReason: stopReason(rep.StopReason), StopSequence: optional(rep.StopSequence),
		ContextManagement: ContextManagement(p),
		Usage: wire.Usage{
			InputTokens:              cached.Input,
			CacheCreationInputTokens: cached.Written(),
			CacheReadInputTokens:     cached.Read,
			CacheCreation:            wire.CacheCreation{Ephemeral5m: cached.Write5m, Ephemeral1h: cached.Write1h},
			OutputTokens:             rep.OutputTokens,
			ServiceTier:              "standard",
			InferenceGeo:             wire.InferenceGeo(p.Model, p.InferenceGeo),
			OutputTokensDetails:      wire.Details(p.Model, asksThinking(p), rep.ThinkingTokens),
		},
	}
}

// ContextManagement is the context_management value an answer to p
// carries, nil when the request did not ask for it (the key is then left
// out, as real answers to requests without it do).
func ContextManagement(p *request.Request) *wire.ContextManagement {
	if !p.ContextManagement {
		return nil
	}
	return &wire.ContextManagement{AppliedEdits: []any{}}
}

// stopReasons are the stop reasons the mock gives, for stopReason.
var stopReasons = [...]string{"end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal"}

// stopReason is a pointer to r for Message.StopReason: to the shared copy
// of a known reason (nothing writes through the pointer), so that an
// answer does not allocate one; to a copy of its own for another.
func stopReason(r string) *string {
	for i := range stopReasons {
		if stopReasons[i] == r {
			return &stopReasons[i]
		}
	}
	return ptr(r)
}

// optional is a pointer to s, nil for "". The copy is made in the branch:
// &s would move s to the heap on every call, "" too.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return ptr(s)
}

// ptr is a new string holding s.
func ptr(s string) *string {
	p := new(string)
	*p = s
	return p
}

// asksThinking says whether the request turned thinking on.
func asksThinking(p *request.Request) bool {
	return p.Thinking.Type == "enabled" || p.Thinking.Type == "adaptive"
}

// thinks says whether the reply opens with a thinking block. Budgeted
// thinking without the interleaved-thinking beta thinks once per assistant
// turn, so its answer to a tool_result, which continues that turn, does not
// think again (recorded 2026-02 and 2026-05); adaptive thinking interleaves
// on its own.
func thinks(p *request.Request) bool {
	switch p.Thinking.Type {
	case "adaptive":
		return true
	case "enabled":
		return p.Turn == nil || !p.Turn.ToolResult || p.Interleaved
	}
	return false
}
