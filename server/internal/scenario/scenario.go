// Package scenario reads scenario files and plays them: the world a run
// starts from (organizations, keys, tiers, credits), the faults to inject
// (which requests, when, and what happens to them), the replies to script
// and the client-behaviour rules the run is judged by.
//
// A scenario is plain data (Scenario, Fault, Reply, Action are values);
// Engine holds the little state playing it needs (how many requests each
// fault has matched and fired for, the acceleration window, the seeded
// source of probabilistic faults). Like every domain package it takes the
// virtual time as an argument and never reads a clock, and it never imports
// echo or net/http: headers are textproto's, error types apierror's kinds,
// and the server turns an Action into bytes on the wire.
//
// Faults are tried in file order and the first one that fires wins; the
// same holds for replies, independently of faults. See scenarios/README.md
// for the file format, one section per field, action and expectation.
package scenario

import (
	"net/textproto"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// Scenario is one decoded and validated scenario file.
type Scenario struct {
	// File names the source in messages ("scenarios/burst-429.yaml").
	File        string
	Name        string
	Description string
	// Seed, when set, replaces the server's seed while the scenario is
	// loaded, so a scenario carries its own reproducible randomness.
	Seed *uint64
	// Clock, when set, replaces the server's clock mode and start time.
	Clock Clock
	// Tier is the tier of the default organization (keys no organization
	// claims); empty keeps the server's.
	Tier string
	// AutoTools, when set, replaces the server's rule for when tool_choice
	// auto calls a tool: "named", "never" or "always" (generate.AutoTools).
	AutoTools string
	// Organizations is the organizations list, as in an organizations file
	// (with credits, spend limits and Priority Tier commitments).
	Organizations []orgs.Organization
	Faults        []Fault
	Replies       []Reply
	Expect        expect.Rules
	// HasExpect says the file has an `expect:` block (even an empty one);
	// without one the report judges the run by expect.Defaults.
	HasExpect bool
}

// Clock is the scenario's `clock:` block. A zero field keeps the server's.
type Clock struct {
	// Mode is "real", "manual" or "scaled:N" (as clock.Parse reads it).
	Mode string
	// Start is the virtual time the clock is set to when the scenario loads.
	Start time.Time
}

// Endpoints a fault or reply can match, by the names files use.
const (
	EndpointMessages    = "messages"     // POST /v1/messages
	EndpointCountTokens = "count_tokens" // POST /v1/messages/count_tokens
	// EndpointBatch is one request inside a Message Batch, matched once
	// per request when the batch is created; only the batch_* actions
	// (and replies) apply to it.
	EndpointBatch = "batch"
)

// JournalBatches is how the journal names every Message Batches call
// (create, get, list, cancel, delete, results); their path tells them
// apart.
const JournalBatches = "batches"

// EndpointOf names an API path the way scenario files (and the journal)
// do; other paths keep their own name.
func EndpointOf(path string) string {
	switch {
	case path == "/v1/messages":
		return EndpointMessages
	case path == "/v1/messages/count_tokens":
		return EndpointCountTokens
	case strings.HasPrefix(path, "/v1/models"):
		return "models"
	case strings.HasPrefix(path, "/v1/files"):
		return "files"
	case strings.HasPrefix(path, "/v1/messages/batches"):
		return JournalBatches
	}
	return path
}

// Match selects requests. Every field that is set must hold; the zero
// Match selects every request to the endpoints faults apply to.
type Match struct {
	// Endpoint is EndpointMessages, EndpointCountTokens or EndpointBatch;
	// empty is every endpoint the fault's kind applies to (the batch_*
	// kinds apply to batch requests only, the others never do).
	Endpoint string
	// Model and Family are globs (path.Match syntax: *, ?, [a-z]) on the
	// model id the request resolved to (an alias resolves to its dated id,
	// but the glob is tried on both) and on its rate-limit family.
	Model  string
	Family string
	// Key, Organization and Workspace are exact: the API key sent, and the
	// organization and workspace ids it resolves to ("default" for the
	// default workspace).
	Key          string
	Organization string
	Workspace    string
	// Stream, when set, must equal the request's "stream".
	Stream *bool
	// Header names a request header that must be present (any value).
	Header string
	// BodyContains is a substring the raw request body must contain.
	BodyContains string
}

// When says which of the matching requests a fault or reply fires for.
// Every condition that is set must hold.
type When struct {
	// From and To bound the ordinal of the matching request (1-based,
	// inclusive): from: 3, to: 5 is the 3rd, 4th and 5th. 0 is unbounded.
	From, To int
	// Every fires on every Nth matching request counted from From (or
	// from the first): every: 3 is the 3rd, 6th, 9th… 0 and 1 are each.
	Every int
	// After and For bound a window of virtual time measured from the
	// moment the scenario was loaded: [After, After+For). For 0 is open.
	After, For time.Duration
	// Probability, when set, fires with this chance (0 < p ≤ 1), drawn
	// from the scenario's seeded source only when every other condition
	// holds, so the draws are reproducible.
	Probability *float64
	// Max caps how many times the fault fires in all; 0 is no cap.
	Max int
}

// Kind names what a fault does.
type Kind string

// The fault kinds, each one action section in scenarios/README.md.
const (
	RateLimit         Kind = "rate_limit"         // 429 rate_limit_error for a dimension
	Overloaded        Kind = "overloaded"         // 529 overloaded_error
	APIError          Kind = "api_error"          // 500 api_error
	Timeout           Kind = "timeout"            // 504 timeout_error
	Status            Kind = "status"             // any status with a real-shaped body
	SpendCap          Kind = "spend_cap"          // 429 enforced_spend_limit_reached
	CreditExhausted   Kind = "credit_exhausted"   // 400 credit balance too low
	Latency           Kind = "latency"            // slow first token, slow tokens
	StreamError       Kind = "stream_error"       // event: error after N events
	Disconnect        Kind = "disconnect"         // close the connection mid-response
	Stall             Kind = "stall"              // stop sending, hold the connection
	MalformedEvent    Kind = "malformed_event"    // a broken SSE frame or JSON payload
	AccelerationLimit Kind = "acceleration_limit" // 429 when traffic ramps too fast
	BatchErrored      Kind = "batch_errored"      // a batch request ends errored
	BatchExpired      Kind = "batch_expired"      // a batch request ends expired
	BatchSlow         Kind = "batch_slow"         // a batch request takes longer to process
)

// Kinds lists every kind in documentation order.
var Kinds = []Kind{RateLimit, Overloaded, APIError, Timeout, Status, SpendCap, CreditExhausted,
	Latency, StreamError, Disconnect, Stall, MalformedEvent, AccelerationLimit,
	BatchErrored, BatchExpired, BatchSlow}

// Batch reports whether a kind acts on one request inside a Message Batch;
// such faults match batch requests only, and no other kind does.
func (k Kind) Batch() bool {
	return k == BatchErrored || k == BatchExpired || k == BatchSlow
}

// Streaming reports whether a kind only makes sense inside an SSE stream;
// such faults match streaming requests only.
func (k Kind) Streaming() bool {
	return k == StreamError || k == Stall || k == MalformedEvent
}

// Fault is one entry of `faults:`.
type Fault struct {
	// Name identifies the fault in the journal and report; "faults[i]"
	// when the file gives none.
	Name   string
	Line   int // where the entry starts in the file
	Match  Match
	When   When
	Action Action
	// Optional exempts the fault from faults_fired: a correct client may
	// never trigger it (one that ramps up gently never meets an
	// acceleration limit), so its not firing does not fail the run.
	Optional bool
}

// Action is what a fault does. Kind says which of the other fields apply;
// the rest are zero. A file writes it as one key named after the kind,
// whose value holds the attributes (or is empty for the defaults):
//
//	rate_limit: {dimension: input_tokens, retry_after: 20s}
type Action struct {
	Kind Kind

	// Dimension is the limit a rate_limit names: "requests",
	// "input_tokens", "output_tokens" or "tokens" (default "requests").
	Dimension string
	// RetryAfter is the virtual wait a rate_limit, acceleration_limit,
	// overloaded, api_error or timeout answers with; nil computes it for
	// rate limits (the time the named bucket needs to refill one request's
	// worth) and sends no retry-after for the others.
	RetryAfter *time.Duration

	// StatusCode, ErrorType and Message shape a `status` answer (and
	// override the message of any error answer when set). ErrorType is
	// also the fixed kind of an overloaded, api_error or timeout answer
	// and the type of a stream_error's event, so the server renders every
	// error kind from here. Headers are added to the response of any
	// error answer.
	StatusCode int
	ErrorType  apierror.Kind
	Message    string
	Headers    textproto.MIMEHeader

	// TimeToFirstToken and TokensPerSecond slow a `latency` answer down, in
	// virtual time (converted to wall time by the clock). 0 is no delay.
	TimeToFirstToken time.Duration
	TokensPerSecond  float64

	// AfterEvents is how many SSE events are sent before a stream_error,
	// disconnect, stall or malformed_event strikes; AfterBytes (disconnect
	// only) cuts after that many bytes of the body instead, which also
	// works for a non-streaming response.
	AfterEvents int
	AfterBytes  int
	// StallFor is how long a stall holds the connection silent, in
	// virtual time; 0 holds it until the client gives up (or the server
	// shuts down).
	StallFor time.Duration
	// Malformed is what malformed_event breaks: "json" (a data line that
	// is not JSON) or "frame" (a line that is not SSE framing).
	Malformed string

	// Floor and Ramp shape an acceleration_limit: requests per minute are
	// always allowed up to Floor, and beyond it a minute may carry at most
	// Ramp more requests than the minute before it.
	Floor int
	Ramp  int

	// RequestTime is how long a batch_slow request takes to process, in
	// virtual time, in place of the server's time per batch request.
	RequestTime time.Duration
}

// Reply is one scripted reply, an entry of `replies:`: what the model
// answers to the requests it matches, in place of the generated reply.
type Reply struct {
	Name  string
	Line  int
	Match Match
	When  When
	// Text is the text block: fixed text, or Length generated words.
	Text *Text
	// Thinking, when set, puts a thinking block first.
	Thinking *Text
	// ToolUse, when set, adds a tool_use block (and stop_reason tool_use
	// unless StopReason says otherwise).
	ToolUse *ToolUse
	// StopReason overrides the stop reason ("end_turn", "max_tokens",
	// "stop_sequence", "tool_use", "pause_turn", "refusal").
	StopReason string
	// Usage overrides the reported usage, field by field.
	Usage Usage
}

// Text is fixed text, or generated words of a given length.
type Text struct {
	Fixed  string
	Length int
}

// ToolUse is a scripted tool call: Input as given (a JSON object), or
// generated from the tool's input_schema when Input is nil.
type ToolUse struct {
	Name  string
	Input map[string]any
}

// Usage overrides reported token counts; nil fields keep the estimate.
type Usage struct {
	InputTokens              *int
	OutputTokens             *int
	CacheCreationInputTokens *int
	CacheReadInputTokens     *int
}

// Request is what matching needs to know about one API request: the
// server fills it in after authentication and validation.
type Request struct {
	Endpoint string // EndpointMessages or EndpointCountTokens
	// Model is the resolved (dated) model id, Alias what the request sent.
	Model, Alias string
	Family       string
	Key          string
	Organization string
	// DefaultOrganization is true for keys no organization claims, which
	// `organization: default` matches.
	DefaultOrganization bool
	Workspace           string // "default" for the default workspace
	Stream              bool
	Header              textproto.MIMEHeader
	Body                []byte
}

// Firing is a fault that fired for a request.
type Firing struct {
	Fault *Fault
	// RetryAfter is the virtual wait computed for an acceleration_limit
	// (until the window lets one more request in); 0 for other kinds.
	RetryAfter time.Duration
}

// Count is how often one fault matched a request and how often it fired,
// for the report and the control API.
type Count struct {
	Name    string `json:"name"`
	Kind    Kind   `json:"kind"`
	Matched int    `json:"matched"`
	Fired   int    `json:"fired"`
	// Optional is the fault's `optional`, shown only when true.
	Optional bool `json:"optional,omitempty"`
}

// Latency is how a latency action spreads an answer of output tokens over
// virtual time: the wait before the first token, and the wait before each
// of deltas streamed pieces (output at TokensPerSecond, shared evenly). A
// whole answer waits ttft plus every piece's share.
func (a *Action) Latency(output, deltas int) (ttft, perDelta time.Duration) {
	if a.TokensPerSecond > 0 && deltas > 0 {
		total := time.Duration(float64(output) / a.TokensPerSecond * float64(time.Second))
		perDelta = total / time.Duration(deltas)
	}
	return a.TimeToFirstToken, perDelta
}

// Breaks reports whether the action ends a stream early: a stream fault or
// a disconnect.
func (a *Action) Breaks() bool {
	return a != nil && (a.Kind.Streaming() || a.Kind == Disconnect)
}
