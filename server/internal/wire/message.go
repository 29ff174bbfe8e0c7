package wire

import (
	"encoding/json"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/generate"
)

// Message is the Message object, field for field in the order the real API
// sends it. Keys the OpenAPI document marks required but real responses
// leave out when they do not apply (diagnostics, container) are not sent;
// stop_details is, as null, as every recording since mid-July 2026 has it.
type Message struct {
	Model        string  `json:"model"`
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	Role         string  `json:"role"`
	Content      []any   `json:"content"`
	StopReason   *string `json:"stop_reason"`
	StopSequence *string `json:"stop_sequence"`
	StopDetails  any     `json:"stop_details"`
	Usage        Usage   `json:"usage"`
	// ContextManagement is present only when the request asked for it.
	ContextManagement *ContextManagement `json:"context_management,omitempty"`
}

// Usage is the token accounting of a response, in the real key order.
// inference_geo is always a string; output_tokens_details appears only
// when the reply thought; speed and server_tool_use never do (the mock
// runs no server tools), as in real traffic (api-facts §12.1, §12.2).
type Usage struct {
	InputTokens              int            `json:"input_tokens"`
	CacheCreationInputTokens int            `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int            `json:"cache_read_input_tokens"`
	CacheCreation            CacheCreation  `json:"cache_creation"`
	OutputTokens             int            `json:"output_tokens"`
	ServiceTier              string         `json:"service_tier"`
	InferenceGeo             string         `json:"inference_geo"`
	OutputTokensDetails      *OutputDetails `json:"output_tokens_details,omitempty"`
}

// CacheCreation splits usage.cache_creation_input_tokens by cache lifetime.
type CacheCreation struct {
	Ephemeral5m int `json:"ephemeral_5m_input_tokens"`
	Ephemeral1h int `json:"ephemeral_1h_input_tokens"`
}

// DeltaUsage is message_delta's cumulative usage: the final output count
// and a repeat of the input totals, so no SDK accumulator overwrites them
// with zeros.
type DeltaUsage struct {
	InputTokens              int            `json:"input_tokens"`
	CacheCreationInputTokens int            `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int            `json:"cache_read_input_tokens"`
	OutputTokens             int            `json:"output_tokens"`
	OutputTokensDetails      *OutputDetails `json:"output_tokens_details,omitempty"`
}

// Delta is u as message_delta repeats it.
func (u Usage) Delta() DeltaUsage {
	return DeltaUsage{
		InputTokens:              u.InputTokens,
		CacheCreationInputTokens: u.CacheCreationInputTokens,
		CacheReadInputTokens:     u.CacheReadInputTokens,
		OutputTokens:             u.OutputTokens,
		OutputTokensDetails:      u.OutputTokensDetails,
	}
}

// OutputDetails splits output_tokens; see Details for when it is sent.
type OutputDetails struct {
	ThinkingTokens int `json:"thinking_tokens"`
}

// ContextManagement is the context_management key of a Message and of
// message_delta: the mock applies no edits, so the list is always empty.
type ContextManagement struct {
	AppliedEdits []any `json:"applied_edits"`
}

// CountContextManagement is count_tokens' context_management: nothing is
// cleared, so the original count is the count.
type CountContextManagement struct {
	OriginalInputTokens int `json:"original_input_tokens"`
}

// TextBlock is a text content block. It has no citations key: the real
// API leaves it out of a block without citations, and strict clients (the
// Vercel AI SDK) refuse a null there.
type TextBlock struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// RedactedThinkingBlock is thinking the API encrypted; it streams whole in
// its content_block_start, with no deltas.
type RedactedThinkingBlock struct {
	Type string `json:"type"`
	Data string `json:"data"`
}

// ThinkingBlock is a thinking content block with its signature.
type ThinkingBlock struct {
	Type      string `json:"type"`
	Thinking  string `json:"thinking"`
	Signature string `json:"signature"`
}

// ToolUseBlock is a tool_use content block. caller {"type":"direct"} is
// what every 2026 recording of a client tool call carries.
type ToolUseBlock struct {
	Type   string          `json:"type"`
	ID     string          `json:"id"`
	Name   string          `json:"name"`
	Input  json.RawMessage `json:"input"`
	Caller Caller          `json:"caller"`
}

// Caller says who called a tool.
type Caller struct {
	Type string `json:"type"`
}

// Block turns a generated block into its response shape.
func Block(b generate.Block) any {
	switch b.Type {
	case "tool_use":
		return ToolUseBlock{Type: "tool_use", ID: b.ID, Name: b.Name, Input: b.Input, Caller: Caller{Type: "direct"}}
	case "thinking":
		return ThinkingBlock{Type: "thinking", Thinking: b.Text, Signature: b.Signature}
	case "redacted_thinking":
		return RedactedThinkingBlock{Type: "redacted_thinking", Data: b.Text}
	}
	return TextBlock{Type: "text", Text: b.Text}
}

// geoSince is the creation date of Claude Opus 4.6, the first model that
// takes inference_geo; recorded replies of older models report
// "not_available", newer ones "global" unless the request chose a geo.
var geoSince = time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC)

// detailsSince is the creation date of Claude Opus 4.8: recorded replies of
// it and of every later model carry usage.output_tokens_details, with
// thinking_tokens 0 when they did not think; older models leave it out.
var detailsSince = time.Date(2026, 5, 28, 0, 0, 0, 0, time.UTC)

// InferenceGeo is usage.inference_geo for a reply of model to a request
// that asked for requested ("" when it did not).
func InferenceGeo(model *catalog.Model, requested string) string {
	switch {
	case model.CreatedAt.Before(geoSince):
		return "not_available"
	case requested == "us" || requested == "global":
		return requested
	}
	return "global"
}

// Details is usage.output_tokens_details: present when the request asked
// for thinking, with 0 on a turn that did not think (a recorded 2026-05
// answer to a tool_result), and always for models from Claude Opus 4.8 on,
// whose recorded replies carry it even without thinking; nil otherwise.
func Details(model *catalog.Model, askedThinking bool, thinkingTokens int) *OutputDetails {
	if thinkingTokens == 0 && !askedThinking && model.CreatedAt.Before(detailsSince) {
		return nil
	}
	return &OutputDetails{ThinkingTokens: thinkingTokens}
}
