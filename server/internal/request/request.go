package request

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// Request is a validated Messages (or count_tokens) request, reduced to
// what the mock acts on. The wire form is decoded and checked once, here.
type Request struct {
	Model         *catalog.Model
	Alias         string // the model as the request named it
	MaxTokens     int
	Stream        bool
	StopSequences []string
	Prompt        tokens.Prompt
	InputTokens   int // tokens.Count(Prompt), counted once
	Tools         []Tool
	ToolChoice    ToolChoice
	Thinking      Thinking
	ServiceTier   string // "auto" (also when absent) or "standard_only"
	InferenceGeo  string // inference_geo as sent; "" when absent
	// Format is the JSON Schema a structured output must meet
	// (output_config.format, or the beta output_format); nil when none.
	Format json.RawMessage
	// Effort is output_config.effort; nil when absent.
	Effort *string
	// Turn is the user turn the conversation ends with, read only when
	// tool_choice auto may call a tool or the request thinks; nil otherwise.
	Turn *generate.Turn
	// Interleaved is true with the interleaved-thinking beta: budgeted
	// thinking then thinks again after a tool result.
	Interleaved bool
	// Redacted is true when the conversation carries the documented
	// redacted-thinking trigger: its thinking is then answered encrypted.
	Redacted bool
	// ContextManagement is set when the request carried context_management:
	// the answer then reports the (empty) list of edits applied.
	ContextManagement bool
	// lastRole is the role of the last message, for the prefill rule.
	lastRole string
}

// Tool is one tool definition: its name, its type ("" or "custom" for a
// custom tool) and, for a custom tool, the input_schema a call's input is
// generated from.
type Tool struct {
	Name   string
	Type   string
	Schema json.RawMessage
	cache  time.Duration // the TTL of its cache_control breakpoint
}

// ToolChoice is tool_choice: its type ("auto" when absent) and, for type
// "tool", the name of the tool it forces.
type ToolChoice struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// forced reports whether tool_choice makes the model call a tool.
func (t ToolChoice) forced() bool { return t.Type == "any" || t.Type == "tool" }

// Thinking is the thinking configuration: its type ("" when absent) and
// the budget of type "enabled".
type Thinking struct {
	Type   string `json:"type"`
	Budget *int   `json:"budget_tokens"`
}

// rawParams holds every top-level field of CreateMessageParams and
// BetaCreateMessageParams (the official OpenAPI document); fields the mock
// does not act on are accepted and ignored, so no valid SDK request is
// ever refused.
type rawParams struct {
	Model         *string
	Messages      []json.RawMessage
	MaxTokens     *int
	System        json.RawMessage
	StopSequences []string
	Stream        *bool
	Temperature   *float64
	TopP          *float64
	TopK          *int
	Metadata      json.RawMessage
	ServiceTier   *string
	Tools         []json.RawMessage
	ToolChoice    json.RawMessage
	Thinking      json.RawMessage
	CacheControl  json.RawMessage
	OutputConfig  json.RawMessage
	OutputFormat  json.RawMessage
	InferenceGeo  *string
	// ContextManagement needs one of contextManagementBetas.
	ContextManagement json.RawMessage
}

// ignoredFields are accepted request fields the mock does not simulate.
var ignoredFields = []string{
	"container", "diagnostics", "speed",
	"compaction", "fallback_credit_token", "fallbacks", "mcp_servers",
}

// messageFields lists the keys POST /v1/messages accepts.
func (r *rawParams) messageFields() Fields {
	f := Fields{
		"model": &r.Model, "messages": &r.Messages, "max_tokens": &r.MaxTokens,
		"system": &r.System, "stop_sequences": &r.StopSequences, "stream": &r.Stream,
		"temperature": &r.Temperature, "top_p": &r.TopP, "top_k": &r.TopK,
		"metadata": &r.Metadata, "service_tier": &r.ServiceTier, "tools": &r.Tools,
		"tool_choice": &r.ToolChoice, "thinking": &r.Thinking, "cache_control": &r.CacheControl,
		"output_config": &r.OutputConfig, "output_format": &r.OutputFormat,
		"context_management": &r.ContextManagement,
		"inference_geo":      &r.InferenceGeo,
	}
	for _, name := range ignoredFields {
		f[name] = nil
	}
	return f
}

// countFields lists the keys POST /v1/messages/count_tokens accepts: no
// max_tokens, stream, sampling or metadata.
func (r *rawParams) countFields() Fields {
	f := r.messageFields()
	for _, name := range []string{"max_tokens", "stream", "stop_sequences", "temperature",
		"top_p", "top_k", "metadata", "service_tier", "container", "diagnostics",
		"inference_geo", "fallback_credit_token", "fallbacks"} {
		delete(f, name)
	}
	return f
}

// parser walks one request, collecting the prompt blocks and the counters
// that whole-request rules (cache breakpoints, tool pairing) need.
type parser struct {
	cat         *catalog.Catalog
	now         time.Time // the request's virtual time, to judge the model's lifecycle
	forCount    bool
	betas       betaSet
	model       *catalog.Model // nil while unknown; the 404 comes last
	messages    []inMessage    // the decoded messages, once parseMessages has run
	blocks      []tokens.Block
	breakpoints int
	autoCache   time.Duration
	files       FileResolver // nil: file sources are not resolved
}

// Parse decodes and validates a Messages body (a count_tokens one when
// forCount) sent with the given anthropic-beta values and received at now,
// judging the model against cat. A refusal is an *apierror.Error worded as
// the real API words it.
func Parse(cat *catalog.Catalog, body []byte, forCount bool, betas []string, now time.Time) (*Request, error) {
	return parse(cat, body, forCount, betas, now, nil)
}

// parse is Parse with the file resolver of ParseWithFiles.
func parse(cat *catalog.Catalog, body []byte, forCount bool, betas []string, now time.Time, files FileResolver) (*Request, error) {
	if err := CheckSyntax(body); err != nil {
		return nil, err
	}
	var raw rawParams
	f := raw.messageFields()
	if forCount {
		f = raw.countFields()
	}
	if err := DecodeObject(body, "", f); err != nil {
		return nil, err
	}
	p := &parser{cat: cat, now: now, forCount: forCount, betas: betas, files: files}
	out, err := p.build(&raw)
	if err == nil && out.Thinking.Type != "" && out.Thinking.Type != "disabled" {
		out.Redacted = bytes.Contains(body, []byte(generate.RedactionTrigger))
	}
	return out, err
}

func (p *parser) build(raw *rawParams) (*Request, error) {
	out := &Request{}
	if err := p.required(raw); err != nil {
		return nil, err
	}
	p.model, _ = p.cat.Lookup(*raw.Model)
	if err := p.scalars(raw, out); err != nil {
		return nil, err
	}
	if err := p.parseTools(raw, out); err != nil {
		return nil, err
	}
	if err := p.parseSystem(raw.System); err != nil {
		return nil, err
	}
	if err := p.parseMessages(raw.Messages, out); err != nil {
		return nil, err
	}
	if err := parseOutput(raw, out); err != nil {
		return nil, err
	}
	auto, err := p.parseCacheControl(raw.CacheControl, "")
	if err != nil {
		return nil, err
	}
	p.autoCache = auto
	if err := p.parseContextManagement(raw.ContextManagement, out); err != nil {
		return nil, err
	}
	if p.breakpoints > 4 {
		return nil, apierror.Invalid("A maximum of 4 blocks with cache_control may be provided. Found %d.", p.breakpoints)
	}
	if err := p.modelRules(raw, out); err != nil {
		return nil, err
	}
	out.Turn = lastUserTurn(p.messages, out)
	out.Interleaved = p.betas.has(betaInterleavedThinking)
	return out, nil
}

// Peek reads the model and stream flag of a body without validating it,
// for the journal entry of a request refused before it was parsed: the
// model's id and family when the catalogue knows it, else the name as
// sent and no family.
func Peek(cat *catalog.Catalog, body []byte) (model, family string, stream bool) {
	var head struct {
		Model  string `json:"model"`
		Stream bool   `json:"stream"`
	}
	_ = json.Unmarshal(body, &head)
	if m, ok := cat.Lookup(head.Model); ok {
		return m.ID, m.Family, head.Stream
	}
	return head.Model, "", head.Stream
}
