package scenario_test

import (
	"net/textproto"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// fullScenario sets every top-level field and one of each kind of entry.
const fullScenario = `name: burst-429
description: Bursts of 429s for org-a.
seed: 42
clock:
  mode: scaled:60
  start: 2026-01-05T09:00:00Z
tier: tier-2
organizations:
  - id: org-a
    tier: tier-3
    credits: 5.00
    spend_limit: 100
    priority:
      claude-sonnet-4-5:
        input_tokens_per_minute: 100000
        output_tokens_per_minute: 20000
    keys: [sk-a]
    workspaces:
      - id: ws-1
        spend_limit: 10
        keys: [sk-a-ws]
faults:
  - name: burst
    match:
      endpoint: messages
      model: "claude-sonnet-*"
      family: "sonnet*"
      key: sk-a-ws
      organization: org-a
      workspace: ws-1
      stream: true
      header: x-test-case
      body_contains: "hello"
    when:
      from: 2
      to: 8
      every: 2
      after: 10s
      for: 30s
      probability: 0.25
      max: 5
    rate_limit:
      dimension: input_tokens
      retry_after: 5s
  - overloaded:
replies:
  - name: weather
    match: {endpoint: messages}
    when: {max: 1}
    text: "Fixed text"
    thinking: {length: 12}
    tool_use:
      name: get_weather
      input: {city: Paris, days: [1, 2], metric: true, scale: 0.5, note: null}
    stop_reason: tool_use
    usage:
      input_tokens: 10
      output_tokens: 5
      cache_creation_input_tokens: 0
      cache_read_input_tokens: 3
  - text: plain
expect:
  respects_retry_after: true
  max_attempts: 3
  backoff: true
  jitter: true
  no_retry_on: true
  retries_retryable: true
  no_truncated_accept: true
  read_timeout: 30s
  stops_on_spend_cap: true
  max_concurrency: 4
  max_requests: 100
`

var _ = Describe("Load", func() {
	var cat *catalog.Catalog

	BeforeEach(func() { cat = loadCatalog() })

	// load decodes a document that must be valid.
	load := func(doc string) *scenario.Scenario {
		sc, err := scenario.Load("s.yaml", []byte(doc), cat)
		Expect(err).NotTo(HaveOccurred())
		return sc
	}

	It("decodes a full scenario to exact values", func() {
		Expect(load(fullScenario)).To(Equal(&scenario.Scenario{
			File: "s.yaml", Name: "burst-429", Description: "Bursts of 429s for org-a.",
			Seed:  ptr(uint64(42)),
			Clock: scenario.Clock{Mode: "scaled:60", Start: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)},
			Tier:  "tier-2",
			Organizations: []orgs.Organization{{
				ID: "org-a", Tier: "tier-3", Credits: ptr(5.0), SpendLimit: ptr(100.0),
				Priority: map[string]orgs.Commitment{
					"claude-sonnet-4-5": {InputTokensPerMinute: 100000, OutputTokensPerMinute: 20000},
				},
				Keys:       []string{"sk-a"},
				Workspaces: []orgs.Workspace{{ID: "ws-1", SpendLimit: ptr(10.0), Keys: []string{"sk-a-ws"}}},
			}},
			Faults: []scenario.Fault{
				{
					Name: "burst", Line: 23,
					Match: scenario.Match{
						Endpoint: "messages", Model: "claude-sonnet-*", Family: "sonnet*", Key: "sk-a-ws",
						Organization: "org-a", Workspace: "ws-1", Stream: ptr(true), Header: "x-test-case", BodyContains: "hello",
					},
					When: scenario.When{From: 2, To: 8, Every: 2, After: 10 * time.Second, For: 30 * time.Second,
						Probability: ptr(0.25), Max: 5},
					Action: scenario.Action{Kind: scenario.RateLimit, Dimension: "input_tokens", RetryAfter: ptr(5 * time.Second)},
				},
				{Name: "faults[1]", Line: 45, Action: scenario.Action{Kind: scenario.Overloaded, ErrorType: "overloaded_error"}},
			},
			Replies: []scenario.Reply{
				{
					Name: "weather", Line: 47,
					Match:    scenario.Match{Endpoint: "messages"},
					When:     scenario.When{Max: 1},
					Text:     &scenario.Text{Fixed: "Fixed text"},
					Thinking: &scenario.Text{Length: 12},
					ToolUse: &scenario.ToolUse{Name: "get_weather", Input: map[string]any{
						"city": "Paris", "days": []any{int64(1), int64(2)}, "metric": true, "scale": 0.5, "note": nil,
					}},
					StopReason: "tool_use",
					Usage: scenario.Usage{InputTokens: ptr(10), OutputTokens: ptr(5),
						CacheCreationInputTokens: ptr(0), CacheReadInputTokens: ptr(3)},
				},
				{Name: "replies[1]", Line: 61, Text: &scenario.Text{Fixed: "plain"}},
			},
			Expect: expect.Rules{
				RespectsRetryAfter: &expect.RetryAfterRule{Scope: "organization"},
				MaxAttempts:        3,
				Backoff:            &expect.BackoffRule{Factor: 1.5, Cap: 6 * time.Second},
				Jitter:             &expect.JitterRule{Window: 100 * time.Millisecond, MaxTogether: 2},
				NoRetryOn:          []int{400, 401, 403, 404, 413},
				RetriesRetryable:   true,
				NoTruncatedAccept:  true,
				ReadTimeout:        30 * time.Second,
				StopsOnSpendCap:    true,
				MaxConcurrency:     4,
				MaxRequests:        100,
			},
			HasExpect: true,
		}))
	})

	It("decodes optional on a fault, false when left out", func() {
		sc := load("name: n\nfaults:\n  - name: ramp\n    optional: true\n    acceleration_limit: {floor: 1, ramp: 0}\n" +
			"  - name: burst\n    optional: false\n    overloaded: {}\n  - api_error: {}\n")
		Expect(sc.Faults).To(Equal([]scenario.Fault{
			{Name: "ramp", Line: 3, Optional: true, Action: scenario.Action{Kind: scenario.AccelerationLimit, Floor: 1}},
			{Name: "burst", Line: 6, Action: scenario.Action{Kind: scenario.Overloaded, ErrorType: "overloaded_error"}},
			{Name: "faults[2]", Line: 9, Action: scenario.Action{Kind: scenario.APIError, ErrorType: "api_error"}},
		}))
	})

	DescribeTable("HasExpect says whether the file has an expect block",
		func(doc string, has bool) {
			Expect(load(doc).HasExpect).To(Equal(has))
		},
		Entry("none", "name: n\n", false),
		Entry("empty", "name: n\nexpect: {}\n", true),
		Entry("every rule off", "name: n\nexpect: {backoff: false}\n", true),
	)

	It("needs only a name", func() {
		Expect(load("name: minimal\n")).To(Equal(&scenario.Scenario{File: "s.yaml", Name: "minimal"}))
	})

	It("accepts null and empty lists", func() {
		Expect(load("name: n\nfaults: []\nreplies:\norganizations: []\nexpect: {}\n")).To(
			Equal(&scenario.Scenario{File: "s.yaml", Name: "n", HasExpect: true}))
	})

	It("gives no_retry_on: true a copy of the default list", func() {
		sc := load("name: n\nexpect: {no_retry_on: true}\n")
		sc.Expect.NoRetryOn[0] = 999
		Expect(expect.DefaultNoRetryOn).To(Equal([]int{400, 401, 403, 404, 413}))
	})

	It("accepts anchors and aliases", func() {
		sc := load("name: n\nfaults:\n  - &f {match: {stream: true}, stall: {after_events: 1}}\n  - *f\n")
		Expect(sc.Faults).To(HaveLen(2))
		Expect(sc.Faults[1].Name).To(Equal("faults[1]"))
		Expect(sc.Faults[1].Action).To(Equal(scenario.Action{Kind: scenario.Stall, AfterEvents: 1}))
	})

	It("Validate agrees with Load", func() {
		Expect(scenario.Validate("s.yaml", []byte(fullScenario), cat)).To(Succeed())
		Expect(scenario.Validate("s.yaml", []byte("name: x\ntier: nope\n"), cat)).To(MatchError(ContainSubstring(`s.yaml:2: tier: must name a tier`)))
	})

	DescribeTable("clock modes",
		func(mode string) {
			Expect(load("name: n\nclock: {mode: '" + mode + "'}\n").Clock).To(Equal(scenario.Clock{Mode: mode}))
		},
		Entry("real", "real"),
		Entry("manual", "manual"),
		Entry("scaled", "scaled:2.5"),
	)

	DescribeTable("auto_tools rules",
		func(rule string) {
			Expect(load("name: n\nauto_tools: " + rule + "\n")).To(Equal(&scenario.Scenario{File: "s.yaml", Name: "n", AutoTools: rule}))
		},
		Entry("named", "named"),
		Entry("never", "never"),
		Entry("always", "always"),
	)

	It("reads a quoted start time with an offset", func() {
		c := load("name: n\nclock: {start: '2026-01-05T10:00:00+01:00'}\n").Clock
		Expect(c.Start.Equal(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))).To(BeTrue())
	})

	DescribeTable("actions, with their defaults",
		func(src string, want scenario.Action) {
			Expect(load("name: n\nfaults:\n  - match: {stream: true}\n    " + src + "\n").Faults[0].Action).To(Equal(want))
		},
		Entry("rate_limit, defaults", "rate_limit:", scenario.Action{Kind: scenario.RateLimit, Dimension: "requests"}),
		Entry("rate_limit, all", "rate_limit: {dimension: tokens, retry_after: 20s, message: slow down, headers: {x-a: b}}",
			scenario.Action{Kind: scenario.RateLimit, Dimension: "tokens", RetryAfter: ptr(20 * time.Second),
				Message: "slow down", Headers: textproto.MIMEHeader{"X-A": {"b"}}}),
		Entry("overloaded", "overloaded: {}", scenario.Action{Kind: scenario.Overloaded, ErrorType: "overloaded_error"}),
		Entry("overloaded, all", "overloaded: {message: busy, retry_after: 1s, headers: {x-should-retry: 'false'}}",
			scenario.Action{Kind: scenario.Overloaded, ErrorType: "overloaded_error", Message: "busy", RetryAfter: ptr(time.Second),
				Headers: textproto.MIMEHeader{"X-Should-Retry": {"false"}}}),
		Entry("api_error", "api_error: ~", scenario.Action{Kind: scenario.APIError, ErrorType: "api_error"}),
		Entry("timeout", "timeout: {retry_after: 2s}", scenario.Action{Kind: scenario.Timeout, ErrorType: "timeout_error", RetryAfter: ptr(2 * time.Second)}),
		Entry("status with a default type", "status: {code: 404}",
			scenario.Action{Kind: scenario.Status, StatusCode: 404, ErrorType: "not_found_error"}),
		Entry("status with its own type", "status: {code: 418, type: invalid_request_error, message: teapot}",
			scenario.Action{Kind: scenario.Status, StatusCode: 418, ErrorType: "invalid_request_error", Message: "teapot"}),
		Entry("status 529", "status: {code: 529}",
			scenario.Action{Kind: scenario.Status, StatusCode: 529, ErrorType: "overloaded_error"}),
		Entry("spend_cap", "spend_cap: {message: capped}", scenario.Action{Kind: scenario.SpendCap, Message: "capped"}),
		Entry("credit_exhausted", "credit_exhausted:", scenario.Action{Kind: scenario.CreditExhausted}),
		Entry("latency", "latency: {time_to_first_token: 2s, tokens_per_second: 12.5}",
			scenario.Action{Kind: scenario.Latency, TimeToFirstToken: 2 * time.Second, TokensPerSecond: 12.5}),
		Entry("latency, zero first token", "latency: {time_to_first_token: 0s}", scenario.Action{Kind: scenario.Latency}),
		Entry("stream_error, defaults", "stream_error:",
			scenario.Action{Kind: scenario.StreamError, AfterEvents: 3, ErrorType: "overloaded_error", Message: "Overloaded"}),
		Entry("stream_error, all", "stream_error: {after_events: 0, type: api_error, message: Internal server error}",
			scenario.Action{Kind: scenario.StreamError, ErrorType: "api_error", Message: "Internal server error"}),
		Entry("disconnect, defaults", "disconnect:", scenario.Action{Kind: scenario.Disconnect, AfterEvents: 3}),
		Entry("disconnect after bytes", "disconnect: {after_bytes: 100}", scenario.Action{Kind: scenario.Disconnect, AfterBytes: 100}),
		Entry("disconnect after events", "disconnect: {after_events: 7}", scenario.Action{Kind: scenario.Disconnect, AfterEvents: 7}),
		Entry("stall, defaults", "stall:", scenario.Action{Kind: scenario.Stall, AfterEvents: 3}),
		Entry("stall, all", "stall: {after_events: 5, for: 1m}", scenario.Action{Kind: scenario.Stall, AfterEvents: 5, StallFor: time.Minute}),
		Entry("malformed_event, defaults", "malformed_event:", scenario.Action{Kind: scenario.MalformedEvent, AfterEvents: 3, Malformed: "json"}),
		Entry("malformed_event, frame", "malformed_event: {break: frame, after_events: 1}",
			scenario.Action{Kind: scenario.MalformedEvent, AfterEvents: 1, Malformed: "frame"}),
		Entry("acceleration_limit", "acceleration_limit: {floor: 10, ramp: 0}", scenario.Action{Kind: scenario.AccelerationLimit, Floor: 10}),
		Entry("acceleration_limit, all", "acceleration_limit: {floor: 1, ramp: 5, retry_after: 30s, message: slow ramp}",
			scenario.Action{Kind: scenario.AccelerationLimit, Floor: 1, Ramp: 5, RetryAfter: ptr(30 * time.Second), Message: "slow ramp"}),
	)

	DescribeTable("match fields",
		func(src string, want scenario.Match) {
			doc := "name: n\norganizations: [{id: org-a, workspaces: [{id: ws-1}]}]\nfaults:\n  - match: " + src + "\n    overloaded:\n"
			Expect(load(doc).Faults[0].Match).To(Equal(want))
		},
		Entry("endpoint", "{endpoint: count_tokens}", scenario.Match{Endpoint: "count_tokens"}),
		Entry("model by id", "{model: claude-3-haiku-20240307}", scenario.Match{Model: "claude-3-haiku-20240307"}),
		Entry("model glob matching only an alias", "{model: '*-latest'}", scenario.Match{Model: "*-latest"}),
		Entry("model character class", "{model: 'claude-opus-4-[56]'}", scenario.Match{Model: "claude-opus-4-[56]"}),
		Entry("family", "{family: 'haiku-?'}", scenario.Match{Family: "haiku-?"}),
		Entry("key", "{key: sk-anything}", scenario.Match{Key: "sk-anything"}),
		Entry("declared organization and workspace", "{organization: org-a, workspace: ws-1}",
			scenario.Match{Organization: "org-a", Workspace: "ws-1"}),
		Entry("default organization and workspace", "{organization: default, workspace: default}",
			scenario.Match{Organization: "default", Workspace: "default"}),
		Entry("stream false", "{stream: false}", scenario.Match{Stream: ptr(false)}),
		Entry("header", "{header: X-Test-Case}", scenario.Match{Header: "X-Test-Case"}),
		Entry("body_contains", "{body_contains: '\"tools\"'}", scenario.Match{BodyContains: `"tools"`}),
	)

	DescribeTable("when fields",
		func(src string, want scenario.When) {
			Expect(load("name: n\nfaults:\n  - when: " + src + "\n    overloaded:\n").Faults[0].When).To(Equal(want))
		},
		Entry("from alone", "{from: 3}", scenario.When{From: 3}),
		Entry("to alone", "{to: 2}", scenario.When{To: 2}),
		Entry("to equal to from", "{from: 4, to: 4}", scenario.When{From: 4, To: 4}),
		Entry("every", "{every: 1}", scenario.When{Every: 1}),
		Entry("after zero", "{after: 0s}", scenario.When{}),
		Entry("after and for", "{after: 1m30s, for: 500ms}", scenario.When{After: 90 * time.Second, For: 500 * time.Millisecond}),
		Entry("probability one", "{probability: 1}", scenario.When{Probability: ptr(1.0)}),
		Entry("max", "{max: 1}", scenario.When{Max: 1}),
	)

	DescribeTable("reply content",
		func(src string, want scenario.Reply) {
			want.Name, want.Line = "replies[0]", 3
			Expect(load("name: n\nreplies:\n  - " + src + "\n").Replies[0]).To(Equal(want))
		},
		Entry("empty fixed text", "text: ''", scenario.Reply{Text: &scenario.Text{}}),
		Entry("generated text of no words", "text: {length: 0}", scenario.Reply{Text: &scenario.Text{}}),
		Entry("thinking text", "thinking: hmm", scenario.Reply{Thinking: &scenario.Text{Fixed: "hmm"}}),
		Entry("tool_use without input", "tool_use: {name: lookup}", scenario.Reply{ToolUse: &scenario.ToolUse{Name: "lookup"}}),
		Entry("tool_use with null input", "tool_use: {name: lookup, input: ~}", scenario.Reply{ToolUse: &scenario.ToolUse{Name: "lookup"}}),
		Entry("tool_use with an empty input", "tool_use: {name: lookup, input: {}}",
			scenario.Reply{ToolUse: &scenario.ToolUse{Name: "lookup", Input: map[string]any{}}}),
		Entry("tool_use with nested input", "tool_use: {name: t, input: {a: {b: [x, {c: 1}]}, when: 2026-01-05}}",
			scenario.Reply{ToolUse: &scenario.ToolUse{Name: "t", Input: map[string]any{
				"a": map[string]any{"b": []any{"x", map[string]any{"c": int64(1)}}}, "when": "2026-01-05"}}}),
		Entry("stop_reason", "stop_reason: refusal", scenario.Reply{StopReason: "refusal"}),
		Entry("empty usage", "usage: {}", scenario.Reply{}),
		Entry("one usage field", "usage: {cache_read_input_tokens: 9}", scenario.Reply{Usage: scenario.Usage{CacheReadInputTokens: ptr(9)}}),
	)

	DescribeTable("expect rules",
		func(src string, want expect.Rules) {
			Expect(load("name: n\nexpect:\n  " + src + "\n").Expect).To(Equal(want))
		},
		Entry("respects_retry_after off", "respects_retry_after: false", expect.Rules{}),
		Entry("respects_retry_after with attributes", "respects_retry_after: {tolerance: 100ms, scope: request}",
			expect.Rules{RespectsRetryAfter: &expect.RetryAfterRule{Tolerance: 100 * time.Millisecond, Scope: "request"}}),
		Entry("respects_retry_after, scope defaulted", "respects_retry_after: {tolerance: 0s}",
			expect.Rules{RespectsRetryAfter: &expect.RetryAfterRule{Scope: "organization"}}),
		Entry("respects_remaining on", "respects_remaining: true", expect.Rules{RespectsRemaining: &expect.RemainingRule{}}),
		Entry("respects_remaining with tolerance", "respects_remaining: {tolerance: 1s}",
			expect.Rules{RespectsRemaining: &expect.RemainingRule{Tolerance: time.Second}}),
		Entry("respects_remaining off", "respects_remaining: false", expect.Rules{}),
		Entry("backoff off", "backoff: false", expect.Rules{}),
		Entry("backoff with tolerance", "backoff: {tolerance: 50ms}",
			expect.Rules{Backoff: &expect.BackoffRule{Factor: 1.5, Cap: 6 * time.Second, Tolerance: 50 * time.Millisecond}}),
		Entry("backoff with factor and cap", "backoff: {factor: 2, cap: 20s}",
			expect.Rules{Backoff: &expect.BackoffRule{Factor: 2, Cap: 20 * time.Second}}),
		Entry("backoff on", "backoff: true", expect.Rules{Backoff: &expect.BackoffRule{Factor: 1.5, Cap: 6 * time.Second}}),
		Entry("jitter off", "jitter: false", expect.Rules{}),
		Entry("jitter with attributes", "jitter: {window: 1s, max_together: 5}",
			expect.Rules{Jitter: &expect.JitterRule{Window: time.Second, MaxTogether: 5}}),
		Entry("jitter, one attribute", "jitter: {max_together: 1}",
			expect.Rules{Jitter: &expect.JitterRule{Window: 100 * time.Millisecond, MaxTogether: 1}}),
		Entry("no_retry_on off", "no_retry_on: false", expect.Rules{}),
		Entry("no_retry_on statuses", "no_retry_on: [400, 529]", expect.Rules{NoRetryOn: []int{400, 529}}),
		Entry("no_retry_on empty", "no_retry_on: []", expect.Rules{NoRetryOn: []int{}}),
		Entry("booleans off", "retries_retryable: false", expect.Rules{}),
		Entry("no_duplicate_output", "no_duplicate_output: true", expect.Rules{NoDuplicateOutput: true}),
		Entry("max_attempts", "max_attempts: 1", expect.Rules{MaxAttempts: 1}),
	)
})
