package server

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// params is a validated Messages (or count_tokens) request, reduced to what
// the mock acts on. The wire form is decoded and checked once, here.
type params struct {
	model         *catalog.Model
	alias         string // the model as the request named it
	maxTokens     int
	stream        bool
	stopSequences []string
	prompt        tokens.Prompt
	inputTokens   int // tokens.Count(prompt), counted once
	tools         []toolDef
	toolChoice    toolChoice
	thinking      thinking
	lastRole      string
	serviceTier   string // "auto" (also when absent) or "standard_only"
	inferenceGeo  string // inference_geo as sent; "" when absent
	// format is the JSON Schema a structured output must meet
	// (output_config.format, or the beta output_format); nil when none.
	format json.RawMessage
	// effort is output_config.effort; nil when absent.
	effort *string
	// turn is the user turn the conversation ends with, read only when
	// tool_choice auto may call a tool; nil otherwise.
	turn *generate.Turn
	// interleaved is true with the interleaved-thinking beta: budgeted
	// thinking then thinks again after a tool result.
	interleaved bool
	// redacted is true when the conversation carries the documented
	// redacted-thinking trigger: its thinking is then answered encrypted.
	redacted bool
	// contextManagement is set when the request carried context_management:
	// the answer then reports the (empty) list of edits applied.
	contextManagement bool
}

type toolDef struct {
	Name   string
	Type   string
	Schema json.RawMessage
	cache  time.Duration // the TTL of its cache_control breakpoint
}

type toolChoice struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// forced reports whether tool_choice makes the model call a tool.
func (t toolChoice) forced() bool { return t.Type == "any" || t.Type == "tool" }

type thinking struct {
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
func (r *rawParams) messageFields() fields {
	f := fields{
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
func (r *rawParams) countFields() fields {
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
}

// parseParams decodes and validates a Messages or count_tokens body sent
// with the given anthropic-beta values and received at now.
func (s *Server) parseParams(body []byte, forCount bool, betas []string, now time.Time) (*params, error) {
	if err := syntaxCheck(body); err != nil {
		return nil, err
	}
	var raw rawParams
	f := raw.messageFields()
	if forCount {
		f = raw.countFields()
	}
	if err := decodeObject(body, "", f); err != nil {
		return nil, err
	}
	p := &parser{cat: s.catalog, now: now, forCount: forCount, betas: betas}
	out, err := p.build(&raw)
	if err == nil && out.thinking.Type != "" && out.thinking.Type != "disabled" {
		out.redacted = bytes.Contains(body, []byte(generate.RedactionTrigger))
	}
	return out, err
}

func (p *parser) build(raw *rawParams) (*params, error) {
	out := &params{}
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
		return nil, invalid("A maximum of 4 blocks with cache_control may be provided. Found %d.", p.breakpoints)
	}
	if err := p.modelRules(raw, out); err != nil {
		return nil, err
	}
	out.turn = lastUserTurn(p.messages, out)
	out.interleaved = p.betas.has(betaInterleavedThinking)
	return out, nil
}

// required checks the fields every request must carry, in the order the
// real API reports them.
func (p *parser) required(raw *rawParams) error {
	switch {
	case raw.Model == nil:
		return invalid("model: Field required")
	case raw.Messages == nil:
		return invalid("messages: Field required")
	case raw.MaxTokens == nil && !p.forCount:
		return invalid("max_tokens: Field required")
	case len(raw.Messages) == 0:
		return invalid("messages: at least one message is required")
	}
	return nil
}

// scalars validates the simple top-level values.
func (p *parser) scalars(raw *rawParams, out *params) error {
	if raw.MaxTokens != nil {
		if *raw.MaxTokens < 0 {
			return invalid("max_tokens: Input should be greater than or equal to 0")
		}
		out.maxTokens = *raw.MaxTokens
	}
	if err := inRange("temperature", raw.Temperature, 0, 1); err != nil {
		return err
	}
	if err := inRange("top_p", raw.TopP, 0, 1); err != nil {
		return err
	}
	if raw.TopK != nil && *raw.TopK < 0 {
		return invalid("top_k: Input should be greater than or equal to 0")
	}
	if raw.ServiceTier != nil && *raw.ServiceTier != "auto" && *raw.ServiceTier != "standard_only" {
		return invalid("service_tier: Input should be 'auto' or 'standard_only'")
	}
	if err := checkMetadata(raw.Metadata); err != nil {
		return err
	}
	for _, seq := range raw.StopSequences {
		switch {
		case seq == "":
			return invalid("stop_sequences: each stop sequence must be non-empty")
		case strings.TrimSpace(seq) == "":
			return invalid("stop_sequences: each stop sequence must contain non-whitespace")
		}
	}
	out.stopSequences = raw.StopSequences
	out.serviceTier = "auto"
	if raw.ServiceTier != nil {
		out.serviceTier = *raw.ServiceTier
	}
	if raw.InferenceGeo != nil {
		out.inferenceGeo = *raw.InferenceGeo
	}
	out.stream = raw.Stream != nil && *raw.Stream
	return nil
}

func inRange(name string, v *float64, lo, hi float64) error {
	switch {
	case v == nil:
		return nil
	case *v < lo:
		return invalid("%s: Input should be greater than or equal to %g", name, lo)
	case *v > hi:
		return invalid("%s: Input should be less than or equal to %g", name, hi)
	}
	return nil
}

func checkMetadata(raw json.RawMessage) error {
	if len(raw) == 0 || isNull(raw) {
		return nil
	}
	var userID *string
	if err := decodeObject(raw, "metadata", fields{"user_id": &userID}); err != nil {
		return err
	}
	if userID != nil && len(*userID) > 256 {
		return invalid("metadata.user_id: String should have at most 256 characters")
	}
	return nil
}

// modelRules applies the checks that depend on the model: it must exist
// and not be retired at the request's time, max_tokens must fit its output
// limit, prefill, thinking and the effort level must be supported, and the
// prompt must fit its context window.
func (p *parser) modelRules(raw *rawParams, out *params) error {
	model := p.model // looked up once, in build
	if model == nil || model.LifecycleAt(p.now) == catalog.LifecycleRetired {
		return &APIError{Type: NotFound, Message: "model: " + *raw.Model}
	}
	out.model, out.alias = model, *raw.Model
	if !p.forCount && out.maxTokens > model.MaxOutputTokens {
		return invalid("max_tokens: %d > %d, which is the maximum allowed number of output tokens for %s",
			out.maxTokens, model.MaxOutputTokens, model.ID)
	}
	if out.lastRole == "assistant" && !model.SupportsPrefill && !p.forCount {
		return invalid("This model does not support assistant message prefill. The conversation must end with a user message.")
	}
	if err := p.parseThinking(raw.Thinking, out); err != nil {
		return err
	}
	if err := checkEffort(out.effort, model); err != nil {
		return err
	}
	out.prompt = tokens.Prompt{Blocks: p.blocks, Messages: len(raw.Messages), ToolChoiceForced: out.toolChoice.forced(), AutoCache: p.autoCache}
	out.inputTokens = tokens.Count(out.prompt)
	if out.inputTokens > model.ContextWindow {
		return invalid("prompt is too long: %d tokens > %d maximum", out.inputTokens, model.ContextWindow)
	}
	return nil
}

// parseThinking validates the thinking configuration against the model.
func (p *parser) parseThinking(raw json.RawMessage, out *params) error {
	if len(raw) == 0 || isNull(raw) {
		return nil
	}
	var t thinking
	if err := decodeTag(raw, "thinking", &t.Type); err != nil {
		return err
	}
	f := fields{"type": nil, "display": nil, "block_binding": nil}
	switch t.Type {
	case "disabled":
		f = fields{"type": nil}
	case "enabled":
		f["budget_tokens"] = &t.Budget
	case "adaptive", "between_tools":
	default:
		return invalid("thinking: Input tag '%s' found using 'type' does not match any of the expected tags: 'enabled', 'disabled' or 'adaptive'", t.Type)
	}
	if err := decodeObject(raw, "thinking."+t.Type, f); err != nil {
		return err
	}
	if t.Type == "enabled" {
		if err := p.checkBudget(t, out); err != nil {
			return err
		}
	}
	if err := thinkingAllowed(t.Type, out); err != nil {
		return err
	}
	out.thinking = t
	return nil
}

// thinkingAllowed applies the model's thinking modes, worded as the real
// API words them (errors page; recorded 400s), and the rule that budgeted
// thinking cannot go with a forced tool. Adaptive thinking can: a recorded
// real exchange on Claude Opus 4.6 sent it with tool_choice "any".
func thinkingAllowed(kind string, out *params) error {
	switch {
	case kind == "disabled":
		return nil
	case kind == "adaptive" && !out.model.AcceptsThinking(kind):
		return invalid("adaptive thinking is not supported on this model")
	case !out.model.AcceptsThinking(kind):
		return invalid("\"thinking.type.%s\" is not supported for this model. Use \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.", kind)
	case kind == "enabled" && out.toolChoice.forced():
		return invalid("Thinking may not be enabled when tool_choice forces tool use.")
	}
	return nil
}

// checkEffort validates output_config.effort: one of the API's levels, and
// one the model lists, worded as the real API words both refusals.
func checkEffort(level *string, model *catalog.Model) error {
	switch {
	case level == nil:
		return nil
	case !slices.Contains(catalog.EffortLevels, *level):
		return invalid("output_config.effort: Input should be %s", oneOf(catalog.EffortLevels))
	case len(model.Effort) == 0:
		return invalid("This model does not support the effort parameter.")
	case !model.AcceptsEffort(*level):
		return invalid("This model does not support effort level '%s'. Supported levels: %s.", *level, strings.Join(slices.Sorted(slices.Values(model.Effort)), ", "))
	}
	return nil
}

func (p *parser) checkBudget(t thinking, out *params) error {
	if t.Budget == nil {
		return invalid("thinking.enabled.budget_tokens: Field required")
	}
	if *t.Budget < 1024 {
		return invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")
	}
	if !p.forCount && out.maxTokens <= *t.Budget {
		return invalid("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
	}
	return nil
}

// toolName is the real API's pattern for custom tool names.
var toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)

// parseTools validates tool definitions and tool_choice.
func (p *parser) parseTools(raw *rawParams, out *params) error {
	for i, rawTool := range raw.Tools {
		tool, err := p.parseTool(rawTool, i)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(out.tools, func(t toolDef) bool { return t.Name == tool.Name }) {
			return invalid("tools: Tool names must be unique.")
		}
		out.tools = append(out.tools, tool)
		p.add(tokens.Block{Section: tokens.Tools, Kind: tokens.KindToolDefinition, Text: compact(rawTool), Message: -1, Cache: tool.cache})
	}
	return p.parseToolChoice(raw.ToolChoice, out)
}

func (p *parser) parseTool(raw json.RawMessage, i int) (toolDef, error) {
	var t struct {
		Type         string          `json:"type"`
		Name         *string         `json:"name"`
		InputSchema  json.RawMessage `json:"input_schema"`
		CacheControl json.RawMessage `json:"cache_control"`
	}
	path := "tools." + itoa(i)
	if err := json.Unmarshal(raw, &t); err != nil {
		return toolDef{}, typeError(path, err, "Input should be a valid dictionary")
	}
	if t.Type == "" || t.Type == "custom" {
		path += ".custom"
		switch {
		case t.Name == nil:
			return toolDef{}, invalid("%s.name: Field required", path)
		case !toolName.MatchString(*t.Name):
			return toolDef{}, invalid("%s.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", path)
		case len(t.InputSchema) == 0 || isNull(t.InputSchema):
			return toolDef{}, invalid("%s.input_schema: Field required", path)
		}
	} else {
		path += "." + t.Type
		if t.Name == nil {
			return toolDef{}, invalid("%s.name: Field required", path)
		}
	}
	ttl, err := p.parseCacheControl(t.CacheControl, path)
	if err != nil {
		return toolDef{}, err
	}
	return toolDef{Name: *t.Name, Type: t.Type, Schema: t.InputSchema, cache: ttl}, nil
}

// toolChoiceFields are the keys each tool_choice type takes.
func toolChoiceFields(tc *toolChoice, name **string) (fields, error) {
	f := fields{"type": nil, "disable_parallel_tool_use": new(*bool)}
	switch tc.Type {
	case "auto", "any":
	case "none":
		delete(f, "disable_parallel_tool_use")
	case "tool":
		f["name"] = name
	default:
		return nil, invalid("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool' or 'none'", tc.Type)
	}
	return f, nil
}

// parseToolChoice validates tool_choice: a tagged object. A forced one
// needs tools ("tool_choice.any may only be specified while providing
// tools" is the recorded real wording); auto and none without tools are
// accepted, since no recording shows them refused.
func (p *parser) parseToolChoice(raw json.RawMessage, out *params) error {
	if len(raw) == 0 || isNull(raw) {
		out.toolChoice = toolChoice{Type: "auto"}
		return nil
	}
	var tc toolChoice
	var name *string
	if err := decodeTag(raw, "tool_choice", &tc.Type); err != nil {
		return err
	}
	f, err := toolChoiceFields(&tc, &name)
	if err != nil {
		return err
	}
	if err := decodeObject(raw, "tool_choice."+tc.Type, f); err != nil {
		return err
	}
	if tc.Type == "tool" && name == nil {
		return invalid("tool_choice.tool.name: Field required")
	}
	if tc.forced() && len(out.tools) == 0 {
		return invalid("tool_choice.%s may only be specified while providing tools", tc.Type)
	}
	if name != nil {
		tc.Name = *name
		if !slices.ContainsFunc(out.tools, func(t toolDef) bool { return t.Name == tc.Name }) {
			return invalid("tool_choice.name: Tool '%s' not found in tools", tc.Name)
		}
	}
	out.toolChoice = tc
	return nil
}

// parseCacheControl validates the cache_control of the object at owner
// ("" for the top-level one), counts it as a breakpoint and returns its TTL
// (5m unless it says 1h; 0 when absent). cache_control is a union tagged by
// type, so the real API's paths name the tag: a stray key on a system block
// is "system.1.cache_control.ephemeral.scope: Extra inputs are not
// permitted". scope is allowed with the prompt-caching-scope beta.
func (p *parser) parseCacheControl(raw json.RawMessage, owner string) (time.Duration, error) {
	if len(raw) == 0 || isNull(raw) {
		return 0, nil
	}
	path := join(owner, "cache_control")
	var typ, ttl string
	if err := decodeTag(raw, path, &typ); err != nil {
		return 0, err
	}
	if typ != "ephemeral" {
		return 0, invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: 'ephemeral'", path, typ)
	}
	f := fields{"type": nil, "ttl": &ttl}
	if p.betas.has(betaCacheScope) {
		f["scope"] = new(string)
	}
	if err := decodeObject(raw, path+".ephemeral", f); err != nil {
		return 0, err
	}
	if ttl != "" && ttl != "5m" && ttl != "1h" {
		return 0, invalid("%s.ephemeral.ttl: Input should be '5m' or '1h'", path)
	}
	p.breakpoints++
	if ttl == "1h" {
		return time.Hour, nil
	}
	return 5 * time.Minute, nil
}

// parseContextManagement accepts context_management when a context
// management beta is on (the answer then reports the edits applied, none);
// without one the real API refuses the key as it refuses any unknown one.
func (p *parser) parseContextManagement(raw json.RawMessage, out *params) error {
	if len(raw) == 0 || isNull(raw) {
		return nil
	}
	if !p.betas.any(contextManagementBetas) {
		return invalid("context_management: Extra inputs are not permitted")
	}
	var edits []json.RawMessage
	if err := decodeObject(raw, "context_management", fields{"edits": &edits}); err != nil {
		return err
	}
	out.contextManagement = true
	return nil
}

// compact is the JSON text that the token estimator counts for a value.
func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
