package server

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/request"
)

// message is the Message object, field for field in the order the real API
// sends it. Keys the OpenAPI document marks required but real responses
// leave out when they do not apply (diagnostics, container) are not sent;
// stop_details is, as null, as every recording since mid-July 2026 has it.
type message struct {
	Model        string  `json:"model"`
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	Role         string  `json:"role"`
	Content      []any   `json:"content"`
	StopReason   *string `json:"stop_reason"`
	StopSequence *string `json:"stop_sequence"`
	StopDetails  any     `json:"stop_details"`
	Usage        usage   `json:"usage"`
	// ContextManagement is present only when the request asked for it.
	ContextManagement *contextManagement `json:"context_management,omitempty"`
}

// usage is the token accounting of a response, in the real key order.
// inference_geo is always a string; output_tokens_details appears only
// when the reply thought; speed and server_tool_use never do (the mock
// runs no server tools), as in real traffic (api-facts §12.1, §12.2).
type usage struct {
	InputTokens              int            `json:"input_tokens"`
	CacheCreationInputTokens int            `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int            `json:"cache_read_input_tokens"`
	CacheCreation            cacheCreation  `json:"cache_creation"`
	OutputTokens             int            `json:"output_tokens"`
	ServiceTier              string         `json:"service_tier"`
	InferenceGeo             string         `json:"inference_geo"`
	OutputTokensDetails      *outputDetails `json:"output_tokens_details,omitempty"`
}

type cacheCreation struct {
	Ephemeral5m int `json:"ephemeral_5m_input_tokens"`
	Ephemeral1h int `json:"ephemeral_1h_input_tokens"`
}

// deltaUsage is message_delta's cumulative usage: the final output count
// and a repeat of the input totals, so no SDK accumulator overwrites them
// with zeros.
type deltaUsage struct {
	InputTokens              int            `json:"input_tokens"`
	CacheCreationInputTokens int            `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int            `json:"cache_read_input_tokens"`
	OutputTokens             int            `json:"output_tokens"`
	OutputTokensDetails      *outputDetails `json:"output_tokens_details,omitempty"`
}

// textBlock is a text content block. It has no citations key: the real
// API leaves it out of a block without citations, and strict clients (the
// Vercel AI SDK) refuse a null there.
type textBlock struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// redactedThinkingBlock is thinking the API encrypted; it streams whole in
// its content_block_start, with no deltas.
type redactedThinkingBlock struct {
	Type string `json:"type"`
	Data string `json:"data"`
}

type thinkingBlock struct {
	Type      string `json:"type"`
	Thinking  string `json:"thinking"`
	Signature string `json:"signature"`
}

// outputDetails splits output_tokens; sent only when the reply thought.
type outputDetails struct {
	ThinkingTokens int `json:"thinking_tokens"`
}

// toolUseBlock is a tool_use content block. caller {"type":"direct"} is
// what every 2026 recording of a client tool call carries.
type toolUseBlock struct {
	Type   string          `json:"type"`
	ID     string          `json:"id"`
	Name   string          `json:"name"`
	Input  json.RawMessage `json:"input"`
	Caller caller          `json:"caller"`
}

type caller struct {
	Type string `json:"type"`
}

// wireBlock turns a generated block into its response shape.
func wireBlock(b generate.Block) any {
	switch b.Type {
	case "tool_use":
		return toolUseBlock{Type: "tool_use", ID: b.ID, Name: b.Name, Input: b.Input, Caller: caller{Type: "direct"}}
	case "thinking":
		return thinkingBlock{Type: "thinking", Thinking: b.Text, Signature: b.Signature}
	case "redacted_thinking":
		return redactedThinkingBlock{Type: "redacted_thinking", Data: b.Text}
	}
	return textBlock{Type: "text", Text: b.Text}
}

// geoSince is the creation date of Claude Opus 4.6, the first model that
// takes inference_geo; recorded replies of older models report
// "not_available", newer ones "global" unless the request chose a geo.
var geoSince = time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC)

// detailsSince is the creation date of Claude Opus 4.8: recorded replies of
// it and of every later model carry usage.output_tokens_details, with
// thinking_tokens 0 when they did not think; older models leave it out.
var detailsSince = time.Date(2026, 5, 28, 0, 0, 0, 0, time.UTC)

// inferenceGeo is usage.inference_geo for a reply of model to a request
// that asked for requested ("" when it did not).
func inferenceGeo(model *catalog.Model, requested string) string {
	switch {
	case model.CreatedAt.Before(geoSince):
		return "not_available"
	case requested == "us" || requested == "global":
		return requested
	}
	return "global"
}

func (u usage) delta() deltaUsage {
	return deltaUsage{
		InputTokens:              u.InputTokens,
		CacheCreationInputTokens: u.CacheCreationInputTokens,
		CacheReadInputTokens:     u.CacheReadInputTokens,
		OutputTokens:             u.OutputTokens,
		OutputTokensDetails:      u.OutputTokensDetails,
	}
}

// marshal encodes without HTML escaping (as the real API does) and without
// the encoder's trailing newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// writeJSON sends v as an application/json response.
func writeJSON(c echo.Context, status int, v any) error {
	body, err := marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, "application/json", body)
}

// contextManagement is the context_management key of a Message and of
// message_delta when the request asked for context management: the mock
// never clears anything, so no edit is ever applied.
type contextManagement struct {
	AppliedEdits []any `json:"applied_edits"`
}

// countContextManagement is count_tokens' context_management: nothing is
// cleared, so the original count is the count.
type countContextManagement struct {
	OriginalInputTokens int `json:"original_input_tokens"`
}

// contextManagementFor is the context_management value an answer to p
// carries, nil when the request did not ask for it (the key is then left
// out, as real answers to requests without it do).
func contextManagementFor(p *request.Request) *contextManagement {
	if !p.ContextManagement {
		return nil
	}
	return &contextManagement{AppliedEdits: []any{}}
}

// itoa formats a count for a header value.
func itoa(i int) string { return strconv.Itoa(i) }
