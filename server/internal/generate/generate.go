// Package generate makes up the mock's deterministic answers when nothing
// scripts them: seeded text of a fixed length, cut by max_tokens or a stop
// sequence, tool calls whose input is valid against the tool's JSON Schema,
// ids. It never calls a model; everything comes from the caller's random
// source, so the same source gives the same reply. (A scenario's scripted
// replies are package scenario's; server applies them over a generated one.)
package generate

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
)

// Request is what generation needs from a validated Messages request.
type Request struct {
	// MaxTokens caps the reply; the reply is cut there (stop_reason max_tokens).
	MaxTokens int
	// Length is the length of a text reply, in tokens, before any cut.
	Length int
	// StopSequences end the text at their first occurrence.
	StopSequences []string
	// Tool is the tool the model calls (forced by tool_choice, or chosen
	// by AutoTool); nil for a text reply.
	Tool *Tool
	// Format is the JSON Schema of a structured output (output_config.format):
	// the text is then one JSON document valid against it instead of Length
	// words. A Tool call still comes first.
	Format json.RawMessage
	// Thinking asks for a thinking block before the answer, as extended or
	// adaptive thinking produces.
	Thinking bool
	// Redacted makes that block a redacted_thinking one, as the real API
	// answers a prompt carrying RedactionTrigger.
	Redacted bool
	// Done, when closed, means the client has gone: schema generation
	// stops where it is rather than finish a value nobody will read. Nil
	// never closes.
	Done <-chan struct{}
}

// RedactionTrigger is the test string the docs give for seeing a
// redacted_thinking block: a prompt containing it gets its thinking
// encrypted, so clients can test that they pass such blocks back.
const RedactionTrigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB"

// ThinkingTokens is the length of a generated thinking block.
const ThinkingTokens = 16

// Tool is a tool definition the model is made to call.
type Tool struct {
	Name   string
	Schema json.RawMessage
}

// Block is one content block of the reply.
type Block struct {
	Type      string // "thinking", "redacted_thinking", "text" or "tool_use"
	Text      string // the text, the thinking of a thinking block, or a redacted block's data
	Signature string // a thinking block's signature
	ID        string
	Name      string
	Input     json.RawMessage
}

// Reply is a generated answer with the accounting the response reports.
type Reply struct {
	Content      []Block
	StopReason   string
	StopSequence string // the matched stop sequence, "" when none
	OutputTokens int
	// ThinkingTokens is the part of OutputTokens spent in thinking.
	ThinkingTokens int
}

// Answer builds the reply for req from rng. Text replies are Length words
// (one token each) drawn from a fixed lexicon; the words are drawn before any
// cut, so a lower max_tokens gives a prefix of the same text.
func Answer(rng *rand.Rand, req Request) Reply {
	var thought *Block
	spent := 0
	if req.Thinking {
		thought, spent = think(rng, req.MaxTokens)
		req.MaxTokens -= spent
		if req.Redacted {
			thought = &Block{Type: "redacted_thinking", Text: thought.Signature}
		}
	}
	out := answer(rng, req)
	if thought != nil {
		out.Content = append([]Block{*thought}, out.Content...)
		out.OutputTokens += spent
		out.ThinkingTokens = spent
	}
	return out
}

// answer is the reply proper: a tool call, a structured output or text.
func answer(rng *rand.Rand, req Request) Reply {
	switch {
	case req.Tool != nil:
		return toolReply(rng, req)
	case req.Format != nil:
		return capped(Tokens(Document(rng, req.Format, req.Done)), req)
	}
	return cappedText(Text(rng, req.Length), req)
}

// cappedText is capped for the words of Text, found by their spaces in
// the text rather than split out of it: the cut text is a prefix of it.
func cappedText(text string, req Request) Reply {
	n, reason := wordCount(text), "end_turn"
	if req.MaxTokens < n {
		text, n, reason = text[:wordStart(text, req.MaxTokens)], req.MaxTokens, "max_tokens"
	}
	return stopAt(text, n, func(at int) int { return wordsBefore(text, at) }, req.StopSequences, reason)
}

// wordCount is the number of words of a Text.
func wordCount(text string) int {
	if text == "" {
		return 0
	}
	return strings.Count(text, " ") + 1
}

// wordStart is where word k of a Text starts (its leading space), the
// length of its first k words; k is below the number of words.
func wordStart(text string, k int) int {
	at := 0
	for ; k > 0; k-- {
		at += 1 + strings.IndexByte(text[at+1:], ' ')
	}
	return at
}

// wordsBefore counts the words of a Text that start before byte offset
// at: the first, and one for each space before at.
func wordsBefore(text string, at int) int {
	if at <= 0 {
		return 0
	}
	return 1 + strings.Count(text[1:min(at, len(text))], " ")
}

// capped is the text of tokens, cut at max_tokens (stop_reason max_tokens)
// or at a stop sequence; a structured output is cut the same way, so a
// max_tokens too small for the document leaves it unfinished.
func capped(tokens []string, req Request) Reply {
	if req.MaxTokens < len(tokens) {
		return cutText(tokens[:req.MaxTokens], req.StopSequences, "max_tokens")
	}
	return cutText(tokens, req.StopSequences, "end_turn")
}

// think writes a thinking block of ThinkingTokens words (fewer when
// max_tokens is smaller) with a seeded signature.
func think(rng *rand.Rand, maxTokens int) (*Block, int) {
	text := Text(rng, min(ThinkingTokens, maxTokens))
	signature := ID(rng, "Es", 86) + "=="
	return &Block{Type: "thinking", Text: text, Signature: signature}, wordCount(text)
}

// cutText joins the words and ends them at the first stop sequence, if any.
func cutText(words []string, stops []string, reason string) Reply {
	return stopAt(strings.Join(words, ""), len(words), func(at int) int { return tokensBefore(words, at) }, stops, reason)
}

// stopAt ends text, of n tokens, at the first stop sequence, if any;
// before(at) counts the tokens that start before byte offset at. A matched
// stop sequence is generated but not returned, and is counted as one
// output token, as the real API does.
func stopAt(text string, n int, before func(at int) int, stops []string, reason string) Reply {
	out := Reply{StopReason: reason, OutputTokens: n}
	if at, seq := firstStop(text, stops); seq != "" {
		text = text[:at]
		out.StopReason, out.StopSequence = "stop_sequence", seq
		out.OutputTokens = min(before(at)+1, n)
	}
	if text != "" {
		out.Content = []Block{{Type: "text", Text: text}}
	} else {
		out.Content = []Block{}
	}
	return out
}

// firstStop finds the earliest stop sequence in text (the first listed wins
// a tie).
func firstStop(text string, stops []string) (int, string) {
	best, seq := len(text)+1, ""
	for _, s := range stops {
		if i := strings.Index(text, s); i >= 0 && i < best {
			best, seq = i, s
		}
	}
	return best, seq
}

// tokensBefore counts the words that start before byte offset at.
func tokensBefore(words []string, at int) int {
	n, pos := 0, 0
	for _, w := range words {
		if pos >= at {
			break
		}
		n, pos = n+1, pos+len(w)
	}
	return n
}

// toolReply calls the forced tool with an input generated from its schema.
func toolReply(rng *rand.Rand, req Request) Reply {
	input := FromSchema(rng, req.Tool.Schema, req.Done)
	raw, _ := json.Marshal(input)
	cost := toolTokens(req.Tool.Name, raw)
	out := Reply{
		Content:      []Block{{Type: "tool_use", ID: ID(rng, "toolu_01", 22), Name: req.Tool.Name, Input: raw}},
		StopReason:   "tool_use",
		OutputTokens: cost,
	}
	if cost > req.MaxTokens {
		out.StopReason, out.OutputTokens = "max_tokens", req.MaxTokens
	}
	return out
}

// toolTokens is the output cost of a tool call: its input JSON at four
// bytes a token, plus the name and a fixed framing of 10 tokens.
func toolTokens(name string, input []byte) int {
	return (len(input)+3)/4 + (len(name)+3)/4 + 10
}

// base58 is the alphabet of the real API's ids (no 0, O, I, l).
const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// ID draws an id such as "msg_01" followed by n base58 characters.
func ID(rng *rand.Rand, prefix string, n int) string {
	var b strings.Builder
	b.Grow(len(prefix) + n)
	b.WriteString(prefix)
	for range n {
		b.WriteByte(base58[rng.IntN(len(base58))])
	}
	return b.String()
}
