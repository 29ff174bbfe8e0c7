package server

import (
	"math/rand/v2"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/reply"
)

// createMessage serves POST /v1/messages, plain or streamed.
func (s *Server) createMessage(c echo.Context) error {
	p, err := s.readParams(c, false)
	if err != nil {
		return err
	}
	msg := s.compose(state(c).rng, p)
	if p.stream {
		return s.stream(c, msg)
	}
	return writeJSON(c, 200, msg)
}

// countTokens serves POST /v1/messages/count_tokens with the same estimate
// usage.input_tokens reports; caching plays no part, as in the real API.
func (s *Server) countTokens(c echo.Context) error {
	p, err := s.readParams(c, true)
	if err != nil {
		return err
	}
	return writeJSON(c, 200, map[string]int{"input_tokens": p.inputTokens})
}

// readParams reads and validates the body of either endpoint.
func (s *Server) readParams(c echo.Context, forCount bool) (*params, error) {
	body, err := readBody(c)
	if err != nil {
		return nil, err
	}
	return s.parseParams(body, forCount)
}

// compose generates the reply to p and wraps it in a Message. All
// randomness is drawn from rng in a fixed order: message id, then reply.
func (s *Server) compose(rng *rand.Rand, p *params) message {
	id := reply.ID(rng, "msg_01", 22)
	rep := reply.Generate(rng, reply.Request{
		MaxTokens:     p.maxTokens,
		Length:        s.opts.ReplyTokens,
		StopSequences: p.stopSequences,
		Tool:          forcedTool(rng, p),
		Thinking:      p.thinking.Type == "enabled" || p.thinking.Type == "adaptive",
	})
	content := make([]any, len(rep.Content))
	for i, b := range rep.Content {
		content[i] = wireBlock(b)
	}
	return message{
		Model: p.model.ID, ID: id, Type: "message", Role: "assistant", Content: content,
		StopReason: &rep.StopReason, StopSequence: optional(rep.StopSequence),
		Usage: usage{
			InputTokens:         p.inputTokens,
			OutputTokens:        rep.OutputTokens,
			ServiceTier:         "standard",
			Speed:               "standard",
			OutputTokensDetails: details(rep),
		},
	}
}

// details is usage.output_tokens_details: null unless the reply thought.
func details(rep reply.Reply) any {
	if rep.ThinkingTokens == 0 {
		return nil
	}
	return outputDetails{ThinkingTokens: rep.ThinkingTokens}
}

// forcedTool is the tool tool_choice makes the model call: the named one,
// or for "any" one drawn from the tools; nil when the model may answer in
// text.
func forcedTool(rng *rand.Rand, p *params) *reply.Tool {
	switch p.toolChoice.Type {
	case "tool":
		for _, t := range p.tools {
			if t.Name == p.toolChoice.Name {
				return &reply.Tool{Name: t.Name, Schema: t.Schema}
			}
		}
	case "any":
		t := p.tools[rng.IntN(len(p.tools))]
		return &reply.Tool{Name: t.Name, Schema: t.Schema}
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
