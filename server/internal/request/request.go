package request

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
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
// ever refused. An opt is unset when its field is absent or null. The
// fields read by this package's own walk are JSON texts ("" when absent);
// the others are handed to DecodeObject as raw JSON.
type rawParams struct {
	Model         opt[string]
	Messages      opt[list]
	MaxTokens     opt[int]
	System        string
	StopSequences []string
	Stream        bool
	Temperature   opt[float64]
	TopP          opt[float64]
	TopK          opt[int]
	Metadata      string
	ServiceTier   opt[string]
	Tools         list
	ToolChoice    string
	Thinking      string
	CacheControl  string
	OutputConfig  string
	OutputFormat  string
	InferenceGeo  opt[string]
	// ContextManagement needs one of contextManagementBetas.
	ContextManagement json.RawMessage
}

// opt is an optional value: set is false when it is absent or null.
type opt[T any] struct {
	v   T
	set bool
}

func some[T any](v T) opt[T] { return opt[T]{v: v, set: true} }

// paramKind is the type each top-level key of POST /v1/messages takes;
// false for a key it does not accept. Fields the mock does not simulate
// (container, diagnostics, speed, compaction, fallback_credit_token,
// fallbacks, mcp_servers) are accepted and ignored.
func paramKind(key string) (kind, bool) {
	switch key {
	case "model", "service_tier", "inference_geo":
		return stringValue, true
	case "max_tokens", "top_k":
		return intValue, true
	case "temperature", "top_p":
		return floatValue, true
	case "stream":
		return boolValue, true
	case "stop_sequences":
		return stringList, true
	case "messages", "tools":
		return anyList, true
	case "system", "metadata", "tool_choice", "thinking", "cache_control",
		"output_config", "output_format", "context_management",
		"container", "diagnostics", "speed", "compaction", "fallback_credit_token",
		"fallbacks", "mcp_servers":
		return anyValue, true
	}
	return anyValue, false
}

// countKind is paramKind for POST /v1/messages/count_tokens: no
// max_tokens, stream, sampling or metadata.
func countKind(key string) (kind, bool) {
	switch key {
	case "max_tokens", "stream", "stop_sequences", "temperature",
		"top_p", "top_k", "metadata", "service_tier", "container", "diagnostics",
		"inference_geo", "fallback_credit_token", "fallbacks":
		return anyValue, false
	}
	return paramKind(key)
}

// decode reads the top-level object text obj as DecodeObject did with the
// endpoint's fields: the fault of the key that sorts first wins.
func (r *rawParams) decode(obj string, forCount bool) error {
	var buf [32]member
	ms := members(obj, buf[:0])
	want := paramKind
	if forCount {
		want = countKind
	}
	if bad, fault := strictFault(ms, want); fault != "" {
		return apierror.Invalid("%s: %s", bad, fault)
	}
	for _, m := range ms {
		if m.val != "null" {
			r.set(m.key, m.val)
		}
	}
	return nil
}

// set stores one top-level value whose type strictFault has checked.
func (r *rawParams) set(key, v string) {
	switch key {
	case "model":
		r.Model = some(jsonscan.Unquote(v))
	case "messages":
		r.Messages = some(readList(v))
	case "max_tokens":
		r.MaxTokens = some(atoi(v))
	case "top_k":
		r.TopK = some(atoi(v))
	case "temperature":
		r.Temperature = some(atof(v))
	case "top_p":
		r.TopP = some(atof(v))
	case "stream":
		r.Stream = v == "true"
	case "service_tier":
		r.ServiceTier = some(jsonscan.Unquote(v))
	case "inference_geo":
		r.InferenceGeo = some(jsonscan.Unquote(v))
	case "stop_sequences":
		r.StopSequences = stringsOf(v)
	default:
		r.setRaw(key, v)
	}
}

// atoi and atof read a number typeFault has checked.
func atoi(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}

func atof(v string) float64 {
	f, _ := strconv.ParseFloat(v, 64)
	return f
}

// setRaw stores a value read later as raw JSON or by its own walk.
func (r *rawParams) setRaw(key, v string) {
	switch key {
	case "system":
		r.System = v
	case "tools":
		r.Tools = readList(v)
	case "cache_control":
		r.CacheControl = v
	case "metadata":
		r.Metadata = v
	case "tool_choice":
		r.ToolChoice = v
	case "thinking":
		r.Thinking = v
	case "output_config":
		r.OutputConfig = v
	case "output_format":
		r.OutputFormat = v
	case "context_management":
		r.ContextManagement = rawJSON(v)
	}
}

// stringsOf reads a list of strings, a null element as "" (as
// json.Unmarshal does); an empty list is empty, not nil.
func stringsOf(v string) []string {
	out := []string{}
	it := jsonscan.Elems(v)
	for e, ok := it.Elem(); ok; e, ok = it.Elem() {
		s := ""
		if e != "null" {
			s = jsonscan.Unquote(e)
		}
		out = append(out, s)
	}
	return out
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
	// blockHint is how many blocks the prompt has at least (one for each
	// tool, message and the system prompt): blocks is allocated once for
	// most prompts instead of once per doubling.
	blockHint int
	files     FileResolver // nil: file sources are not resolved
}

// Parse decodes and validates a Messages body (a count_tokens one when
// forCount) sent with the given anthropic-beta values and received at now,
// judging the model against cat. A refusal is an *apierror.Error worded as
// the real API words it.
func Parse(cat *catalog.Catalog, body []byte, forCount bool, betas []string, now time.Time) (*Request, error) {
	return parse(cat, body, forCount, betas, now, nil)
}

// parse is Parse with the file resolver of ParseWithFiles. The body is
// copied once into a string; every string of the Request that needs no
// unescaping is a substring of that copy, so the body's own buffer may be
// reused once parse returns.
func parse(cat *catalog.Catalog, body []byte, forCount bool, betas []string, now time.Time, files FileResolver) (*Request, error) {
	src := string(body)
	obj := strings.TrimLeft(src, " \t\r\n")
	if !jsonscan.Valid(src) || obj[0] != '{' {
		// CheckSyntax words the fault; should it find none (a document
		// nested deeper than jsonscan checks), the walk can still read it.
		if err := CheckSyntax(body); err != nil {
			return nil, err
		}
	}
	var raw rawParams
	if err := raw.decode(obj, forCount); err != nil {
		return nil, err
	}
	p := parser{cat: cat, now: now, forCount: forCount, betas: betas, files: files}
	out, err := p.build(&raw)
	if err == nil && out.Thinking.Type != "" && out.Thinking.Type != "disabled" {
		out.Redacted = strings.Contains(src, generate.RedactionTrigger)
	}
	return out, err
}

func (p *parser) build(raw *rawParams) (*Request, error) {
	out := &Request{}
	if err := p.required(raw); err != nil {
		return nil, err
	}
	p.model, _ = p.cat.Lookup(raw.Model.v)
	p.blockHint = raw.Tools.n + raw.Messages.v.n + 1
	if err := p.scalars(raw, out); err != nil {
		return nil, err
	}
	if err := p.parseTools(raw, out); err != nil {
		return nil, err
	}
	if err := p.parseSystem(raw.System); err != nil {
		return nil, err
	}
	if err := p.parseMessages(raw.Messages.v, out); err != nil {
		return nil, err
	}
	if err := parseOutput(raw, out); err != nil {
		return nil, err
	}
	auto, err := p.parseCacheControl(raw.CacheControl, loc{})
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
