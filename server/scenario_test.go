package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// sonnet is hello sent to Claude Sonnet 4.6.
var sonnet = strings.Replace(hello, "claude-haiku-4-5", "claude-sonnet-4-6", 1)

// withTool is hello declaring a lookup tool with two required arguments.
const withTool = `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Look it up"}],` +
	`"tools":[{"name":"lookup","input_schema":{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"integer"}},"required":["q","n"]}}]}`

// orgsBlock declares an organization with a key and a workspace with its own.
const orgsBlock = `organizations:
  - id: org-a
    keys: [sk-a]
    workspaces:
      - id: ws-a
        keys: [sk-a-ws]
`

// defaultOrg is the id of the default organization under a seed.
func defaultOrg(seed uint64) string {
	GinkgoHelper()
	s, err := server.New(server.Options{Seed: seed})
	Expect(err).NotTo(HaveOccurred())
	return s.DefaultOrganization()
}

// as sends the request as another key.
func as(key string) []string { return []string{"x-api-key", "", "x-api-key", key} }

var _ = Describe("Scenario matching and order", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
	})

	advance := func(d time.Duration) {
		GinkgoHelper()
		_, err := s.Advance(d)
		Expect(err).NotTo(HaveOccurred())
	}

	send := func(n int) []int {
		var out []int
		for range n {
			out = append(out, c.post("/v1/messages", hello).status)
		}
		return out
	}

	It("lets the first fault that fires take the request, and the later ones not count it", func() {
		load(s, `faults:
  - name: first
    when: {from: 2}
    overloaded: {}
  - name: second
    api_error: {}
`)
		Expect(send(3)).To(Equal([]int{500, 529, 529}))
		Expect(s.Scenario().Faults).To(Equal([]scenario.Count{
			{Name: "first", Kind: "overloaded", Matched: 3, Fired: 2},
			{Name: "second", Kind: "api_error", Matched: 1, Fired: 1},
		}))
		e := s.Journal()
		Expect([]string{e[0].Fault, e[1].Fault, e[2].Fault}).To(Equal([]string{"second", "first", "first"}))
	})

	It("does not count a request a streaming-only fault cannot act on", func() {
		load(s, `faults:
  - name: mid
    stream_error: {after_events: 0}
  - name: rest
    api_error: {}
`)
		Expect(c.post("/v1/messages", hello).status).To(Equal(500))
		r := c.post("/v1/messages", streamed(hello))
		Expect(r.status).To(Equal(200))
		Expect(string(r.body)).To(Equal("event: error\ndata: " + streamErrorJSON(r, "overloaded_error", "Overloaded") + "\n\n"))
		Expect(s.Scenario().Faults).To(Equal([]scenario.Count{
			{Name: "mid", Kind: "stream_error", Matched: 1, Fired: 1},
			{Name: "rest", Kind: "api_error", Matched: 1, Fired: 1},
		}))
	})

	type probe struct {
		path, body string
		headers    []string
	}
	messages := func(body string, headers ...string) probe { return probe{"/v1/messages", body, headers} }

	DescribeTable("matches on each field of match",
		func(match string, hit, miss probe) {
			load(s, orgsBlock+"faults:\n  - name: probe\n    match: "+match+"\n    api_error: {}\n")
			Expect(c.post(miss.path, miss.body, miss.headers...).status).To(Equal(200))
			r := c.post(hit.path, hit.body, hit.headers...)
			Expect(r.status).To(Equal(500))
			Expect(string(r.body)).To(Equal(errorJSON(r, "api_error", "Internal server error")))
			Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "probe", Kind: "api_error", Matched: 1, Fired: 1}}))
		},
		Entry("endpoint", "{endpoint: count_tokens}",
			probe{"/v1/messages/count_tokens", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`, nil}, messages(hello)),
		Entry("model glob on the alias", `{model: "claude-sonnet-4-*"}`, messages(sonnet), messages(hello)),
		Entry("model glob on the dated id", `{model: "*-20251001"}`, messages(hello), messages(sonnet)),
		Entry("family glob", `{family: "haiku-*"}`, messages(hello), messages(sonnet)),
		Entry("key", "{key: sk-a}", messages(hello, as("sk-a")...), messages(hello)),
		Entry("organization", "{organization: org-a}", messages(hello, as("sk-a-ws")...), messages(hello)),
		Entry("the default organization", "{organization: default}", messages(hello), messages(hello, as("sk-a")...)),
		Entry("workspace", "{workspace: ws-a}", messages(hello, as("sk-a-ws")...), messages(hello, as("sk-a")...)),
		Entry("the default workspace", "{organization: org-a, workspace: default}", messages(hello, as("sk-a")...), messages(hello, as("sk-a-ws")...)),
		Entry("stream", "{stream: true}", messages(streamed(hello)), messages(hello)),
		Entry("no stream", "{stream: false}", messages(hello), messages(streamed(hello))),
		Entry("header", "{header: X-Chaos}", messages(hello, "x-chaos", "1"), messages(hello)),
		Entry("body_contains", `{body_contains: '"content":"Hello"'}`, messages(hello), messages(strings.Replace(hello, "Hello", "Hello!", 1))),
	)

	DescribeTable("fires for the matching requests when says",
		func(when string, statuses []int, fired int) {
			load(s, "faults:\n  - name: w\n    when: "+when+"\n    api_error: {}\n")
			Expect(send(len(statuses))).To(Equal(statuses))
			Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "w", Kind: "api_error", Matched: len(statuses), Fired: fired}}))
		},
		Entry("from and to", "{from: 2, to: 4}", []int{200, 500, 500, 500, 200}, 3),
		Entry("every", "{every: 2}", []int{500, 200, 500, 200, 500}, 3),
		Entry("every counted from from", "{from: 2, every: 3}", []int{200, 500, 200, 200, 500, 200, 200, 500}, 3),
		Entry("max", "{max: 2}", []int{500, 500, 200, 200}, 2),
		Entry("from and max", "{from: 3, max: 1}", []int{200, 200, 500, 200, 200}, 1),
	)

	It("fires within [after, after+for) of virtual time since the load", func() {
		load(s, "faults:\n  - name: window\n    when: {after: 1m, for: 2m}\n    overloaded: {}\n")
		Expect(send(1)).To(Equal([]int{200}))
		advance(59 * time.Second)
		Expect(send(1)).To(Equal([]int{200}))
		advance(time.Second) // 1m: opens
		Expect(send(2)).To(Equal([]int{529, 529}))
		advance(119 * time.Second) // 2m59s: still open
		Expect(send(1)).To(Equal([]int{529}))
		advance(time.Second) // 3m: closed
		Expect(send(1)).To(Equal([]int{200}))
		Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "window", Kind: "overloaded", Matched: 6, Fired: 3}}))
	})

	It("fires from after on without for, and until for with no after", func() {
		load(s, "faults:\n  - name: later\n    when: {after: 30s}\n    overloaded: {}\n  - name: soon\n    when: {for: 10s}\n    api_error: {}\n")
		Expect(send(1)).To(Equal([]int{500}))
		advance(9 * time.Second)
		Expect(send(1)).To(Equal([]int{500}))
		advance(time.Second)
		Expect(send(1)).To(Equal([]int{200}))
		advance(20 * time.Second)
		Expect(send(1)).To(Equal([]int{529}))
		advance(time.Hour)
		Expect(send(1)).To(Equal([]int{529}))
		Expect(s.Scenario().Faults).To(Equal([]scenario.Count{
			{Name: "later", Kind: "overloaded", Matched: 5, Fired: 2},
			{Name: "soon", Kind: "api_error", Matched: 3, Fired: 2},
		}))
	})

	It("never lets an invalid request reach the faults", func() {
		load(s, "faults:\n  - name: all\n    api_error: {}\n")
		status, typ, msg := c.post("/v1/messages", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", "max_tokens: Field required"}))
		Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "all", Kind: "api_error", Matched: 0, Fired: 0}}))
	})
})

var _ = Describe("Scripted replies", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
	})

	// usage is the usage object of a Claude Haiku 4.5 reply with the given
	// counts; output_tokens_details only when details is not nil.
	usage := func(input, output, created, read int, details any) map[string]any {
		u := map[string]any{
			"input_tokens": float64(input), "output_tokens": float64(output),
			"cache_creation_input_tokens": float64(created), "cache_read_input_tokens": float64(read),
			"cache_creation": map[string]any{"ephemeral_5m_input_tokens": 0.0, "ephemeral_1h_input_tokens": 0.0},
			"service_tier":   "standard", "inference_geo": "not_available",
		}
		if details != nil {
			u["output_tokens_details"] = details
		}
		return u
	}

	text := func(t string) map[string]any { return map[string]any{"type": "text", "text": t} }

	answer := func(body string) map[string]any { return c.answer(body) }

	It("answers fixed text, counting its estimated tokens", func() {
		load(s, "replies:\n  - name: pong\n    match: {body_contains: Say pong}\n    text: pong\n")
		m := answer(strings.Replace(hello, "Hello", "Say pong", 1))
		Expect(m["content"]).To(Equal([]any{text("pong")}))
		Expect(m["stop_reason"]).To(Equal("end_turn"))
		Expect(m["usage"]).To(Equal(usage(12, 1, 0, 0, nil))) // "pong": 1 token
		e := s.Journal()[0]
		Expect([]any{e.Reply, *e.Usage}).To(Equal([]any{"pong", journal.Usage{InputTokens: 12, OutputTokens: 1}}))
		Expect(answer(hello)["usage"]).To(Equal(usage(12, 24, 0, 0, nil)), "unmatched: generated")
		Expect(s.Journal()[1].Reply).To(BeEmpty())
	})

	It("generates text of the given length, max_tokens notwithstanding", func() {
		load(s, "replies:\n  - text: {length: 5}\n")
		m := answer(strings.Replace(hello, `"max_tokens":100`, `"max_tokens":2`, 1))
		// Drawn after the message id and the generated reply it replaces:
		// a sentence of four words, and the last word ends one.
		Expect(m["content"]).To(Equal([]any{text("While into over stone. Honest.")}))
		Expect(m["stop_reason"]).To(Equal("end_turn"))
		Expect(m["usage"]).To(Equal(usage(12, 5, 0, 0, nil)))
		Expect(s.Journal()[0].Reply).To(Equal("replies[0]"))
	})

	It("calls a tool with the given input", func() {
		load(s, "replies:\n  - name: call\n    tool_use: {name: get_weather, input: {city: Paris, unit: celsius}}\n")
		m := answer(hello)
		Expect(m["content"]).To(Equal([]any{map[string]any{
			"type": "tool_use", "id": "toolu_01yUtuXndkKwVPAjWRuMMYmr", "name": "get_weather",
			"input": map[string]any{"city": "Paris", "unit": "celsius"}, "caller": map[string]any{"type": "direct"},
		}}))
		Expect(m["stop_reason"]).To(Equal("tool_use"))
		// {"city":"Paris","unit":"celsius"}: 33 bytes, 9 tokens, plus 10.
		Expect(m["usage"]).To(Equal(usage(12, 19, 0, 0, nil)))
	})

	It("generates a tool call's input from the request's tool schema", func() {
		load(s, "replies:\n  - tool_use: {name: lookup}\n")
		m := answer(withTool)
		block := m["content"].([]any)[0].(map[string]any)
		Expect(block["input"]).To(Equal(map[string]any{"q": "Server minute honest", "n": 94.0}))
		Expect(m["stop_reason"]).To(Equal("tool_use"))
		// {"n":94,"q":"Server minute honest"}: 35 bytes, 9 tokens, plus 10.
		Expect(m["usage"]).To(Equal(usage(397, 19, 0, 0, nil)))
		count := c.post("/v1/messages/count_tokens", strings.Replace(withTool, `"max_tokens":100,`, "", 1))
		Expect(string(count.body)).To(Equal(`{"input_tokens":397}`), "input as count_tokens estimates it, tool-use prompt included")
	})

	It("puts a thinking block first", func() {
		load(s, "replies:\n  - thinking: {length: 4}\n    text: done\n")
		m := answer(hello)
		Expect(m["content"]).To(Equal([]any{
			// The same draws as the five generated words above; the
			// signature follows them, as the tool id does without them.
			map[string]any{"type": "thinking", "thinking": "While into over stone.",
				"signature": "EsndkKwVPAjWRuMMYmrww9LfmEZ19zBwVp1fPqjD4GVLvXynBYxwYNDU4EgDbjaJfAW6v4ohoPfLuDfHCFB6Vhp7=="},
			text("done"),
		}))
		Expect(m["usage"]).To(Equal(usage(12, 5, 0, 0, map[string]any{"thinking_tokens": 4.0})))
	})

	It("overrides only the stop reason and usage, keeping the generated content", func() {
		load(s, "replies:\n  - stop_reason: max_tokens\n    usage: {input_tokens: 1000, output_tokens: 7, cache_read_input_tokens: 5}\n")
		m := answer(hello)
		Expect(m["content"]).To(Equal(twin(hello).json()["content"]))
		Expect(m["stop_reason"]).To(Equal("max_tokens"))
		Expect(m["usage"]).To(Equal(usage(1000, 7, 0, 5, nil)))
		Expect(*s.Journal()[0].Usage).To(Equal(journal.Usage{InputTokens: 1000, OutputTokens: 7, CacheReadInputTokens: 5}))
	})

	It("charges the usage it reports, cache writes included", func() {
		load(s, "replies:\n  - usage: {input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1000000, cache_read_input_tokens: 1000000}\n")
		m := answer(hello)
		u := usage(0, 0, 1000000, 1000000, nil)
		u["cache_creation"] = map[string]any{"ephemeral_5m_input_tokens": 1000000.0, "ephemeral_1h_input_tokens": 0.0}
		Expect(m["usage"]).To(Equal(u))
		// Haiku 4.5: $1.25 per MTok written for 5 minutes, $0.10 per MTok read.
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(1.35))
	})

	It("streams a scripted reply that accumulates to the non-streamed one", func() {
		scripted := "replies:\n  - thinking: {length: 4}\n    text: done\n    tool_use: {name: lookup}\n"
		load(s, scripted)
		streamedMsg := accumulate(events(c.post("/v1/messages", streamed(withTool)).body))
		other, oc := newServer(server.Options{})
		load(other, scripted)
		Expect(streamedMsg).To(Equal(oc.post("/v1/messages", withTool).json()))
	})

	It("counts only requests that are admitted and answered", func() {
		load(s, "faults:\n  - when: {to: 1}\n    api_error: {}\nreplies:\n  - name: once\n    when: {to: 1}\n    text: first\n")
		Expect(c.post("/v1/messages", hello).status).To(Equal(500))
		Expect(answer(hello)["content"]).To(Equal([]any{text("first")}))
		Expect(answer(hello)["usage"]).To(Equal(usage(12, 24, 0, 0, nil)))
	})
})

var _ = Describe("Loading a scenario", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Seed: 3, Clock: "manual", Start: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), Tier: "tier-1"})
	})

	It("resets buckets, spend and the journal, and applies the seed and clock start", func() {
		for range 50 {
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		}
		Expect(c.post("/v1/messages", hello).status).To(Equal(429))
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(0.0066)) // 50 × $0.000132

		load(s, "")
		Expect(s.Now()).To(Equal(start))
		Expect(s.DefaultOrganization()).To(Equal(defaultOrg(7)))
		Expect(s.Journal()).To(BeEmpty())
		Expect(s.State().Buckets).To(BeEmpty())
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(0.0))
		Expect(s.Scenario()).To(Equal(server.ScenarioInfo{Loaded: true, File: "spec.yaml", Name: "spec", Seed: 7, Faults: []scenario.Count{}}))

		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("anthropic-ratelimit-requests-remaining")).To(Equal("49"))
		Expect(r.header.Get("anthropic-organization-id")).To(Equal(defaultOrg(7)))
		fresh := newClient(server.Options{Seed: 7}).post("/v1/messages", hello)
		Expect(r.header.Get("request-id")).To(Equal(fresh.header.Get("request-id")), "the sequence starts over under the scenario's seed")
		Expect(r.json()["id"]).To(Equal(fresh.json()["id"]))
		Expect(s.Journal()).To(HaveLen(1))
	})

	It("declares organizations with credits, spend limits and workspaces", func() {
		load(s, `organizations:
  - id: org-credit
    tier: tier-2
    credits: 0.0001
    keys: [sk-credit]
  - id: org-limit
    spend_limit: 0.0001
    keys: [sk-limit]
  - id: org-ws
    keys: [sk-org-ws]
    workspaces:
      - id: ws-capped
        spend_limit: 0.0001
        keys: [sk-ws]
`)
		// hello costs 12 × $1 + 24 × $5 per MTok = $0.000132: one request crosses $0.0001.
		first := c.post("/v1/messages", hello, as("sk-credit")...)
		Expect(first.status).To(Equal(200))
		Expect(first.header.Get("anthropic-organization-id")).To(Equal("org-credit"))
		Expect(first.header.Get("anthropic-ratelimit-requests-limit")).To(Equal("1000")) // tier-2
		status, typ, msg := c.post("/v1/messages", hello, as("sk-credit")...).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error",
			"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}))
		Expect(s.Journal()[1].Spend).To(BeTrue())

		Expect(c.post("/v1/messages", hello, as("sk-limit")...).status).To(Equal(200))
		status, typ, msg = c.post("/v1/messages", hello, as("sk-limit")...).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error",
			"You have reached your specified API usage limits. You will regain access on 2026-02-01 at 00:00 UTC."}))

		ws := c.post("/v1/messages", hello, as("sk-ws")...)
		Expect([]string{ws.header.Get("anthropic-organization-id"), ws.header.Get("anthropic-workspace-id")}).To(Equal([]string{"org-ws", "ws-capped"}))
		status, typ, msg = c.post("/v1/messages", hello, as("sk-ws")...).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error",
			"You have reached your specified workspace API usage limits. You will regain access on 2026-02-01 at 00:00 UTC."}))
		Expect(c.post("/v1/messages", hello, as("sk-org-ws")...).status).To(Equal(200), "the default workspace has no limit")
		Expect(c.post("/v1/messages", hello).status).To(Equal(200), "nor has the default organization")
	})

	It("refuses an invalid scenario with located problems and keeps the one loaded", func() {
		load(s, "faults:\n  - name: boom\n    api_error: {}\n")
		Expect(c.post("/v1/messages", hello).status).To(Equal(500))
		err := s.SetScenario("bad.yaml", []byte("name: bad\nfaults:\n  - rate_limit: {dimension: cpu}\n  - overloaded: {retry_after: -1s}\n"))
		Expect(err).To(MatchError("bad.yaml:3: faults[0].rate_limit.dimension: must be one of requests, input_tokens, output_tokens, tokens, got \"cpu\"\n" +
			"bad.yaml:4: faults[1].overloaded.retry_after: must be > 0, got -1s"))
		Expect(s.Scenario().Name).To(Equal("spec"))
		Expect(c.post("/v1/messages", hello).status).To(Equal(500))
		Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "boom", Kind: "api_error", Matched: 2, Fired: 2}}))
		Expect(s.Journal()).To(HaveLen(2))
	})

	It("unloads back to the server's own options, keeping virtual time", func() {
		load(s, "faults:\n  - api_error: {}\n")
		Expect(c.post("/v1/messages", hello).status).To(Equal(500))
		_, err := s.Advance(time.Hour)
		Expect(err).NotTo(HaveOccurred())
		s.ClearScenario()
		Expect(s.Scenario()).To(Equal(server.ScenarioInfo{Seed: 3, Faults: []scenario.Count{}}))
		Expect(s.Now()).To(Equal(start.Add(time.Hour)))
		Expect(s.DefaultOrganization()).To(Equal(defaultOrg(3)))
		Expect(s.Journal()).To(BeEmpty())
		Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		rep := s.Report()
		Expect([]any{rep.Scenario, rep.ExpectationsFrom, rep.JudgedAt, rep.Faults, rep.Pass}).To(
			Equal([]any{"", "defaults", start.Add(time.Hour), []scenario.Count{}, true}))
	})

	Describe("through the control API", func() {
		BeforeEach(func() {
			s, c = newServer(server.Options{})
		})

		It("loads a YAML body, shows it, and unloads it", func() {
			r := c.do("PUT", "/_mock/scenario", scenarioFile("description: one fault\nfaults:\n  - name: f\n    api_error: {}\n"))
			Expect(r.status).To(Equal(200))
			Expect(string(r.body)).To(Equal(`{"loaded":true,"file":"request body","name":"spec","description":"one fault","seed":7,"faults":[{"name":"f","kind":"api_error","matched":0,"fired":0}]}`))
			Expect(c.post("/v1/messages", hello).status).To(Equal(500))
			Expect(string(c.do("GET", "/_mock/scenario", "").body)).To(Equal(
				`{"loaded":true,"file":"request body","name":"spec","description":"one fault","seed":7,"faults":[{"name":"f","kind":"api_error","matched":1,"fired":1}]}`))
			r = c.do("DELETE", "/_mock/scenario", "")
			Expect(r.status).To(Equal(200))
			Expect(string(r.body)).To(Equal(`{"loaded":false,"seed":0,"faults":[]}`))
			Expect(string(c.do("GET", "/_mock/scenario", "").body)).To(Equal(`{"loaded":false,"seed":0,"faults":[]}`))
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		})

		It("loads a ready scenario by name", func() {
			r := c.do("PUT", "/_mock/scenario?name=burst-429", "ignored")
			Expect(r.status).To(Equal(200))
			Expect(string(r.body)).To(Equal(`{"loaded":true,"file":"scenarios/burst-429.yaml (embedded)","name":"burst-429",` +
				`"description":"The first two /v1/messages requests get a requests-per-minute 429 with retry-after.","seed":429,` +
				`"faults":[{"name":"burst","kind":"rate_limit","matched":0,"fired":0}]}`))
			first := c.post("/v1/messages", hello)
			Expect(first.status).To(Equal(429))
			Expect(first.header.Get("retry-after")).To(Equal("1")) // 2 virtual seconds at scaled:60
			Expect(c.post("/v1/messages", hello).status).To(Equal(429))
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
			Expect(c.do("PUT", "/_mock/scenario?name=burst-429.yaml", "").status).To(Equal(200))
		})

		It("answers an unknown name with a 404", func() {
			status, typ, msg := c.do("PUT", "/_mock/scenario?name=nope", "").errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", `scenario "nope": no ready scenario of that name (have ` +
				strings.Join(server.ReadyScenarios(), ", ") + ")"}))
		})

		It("never reads the server's files for a name, as serve --scenario does", func() {
			status, typ, msg := c.do("PUT", "/_mock/scenario?name=../scenarios/burst-429.yaml", "").errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", `scenario "../scenarios/burst-429.yaml": no ready scenario of that name (have ` +
				strings.Join(server.ReadyScenarios(), ", ") + ")"}))
			file, data, err := server.ReadyScenario("../scenarios/burst-429.yaml")
			Expect(err).NotTo(HaveOccurred())
			Expect([]any{file, len(data) > 0}).To(Equal([]any{"../scenarios/burst-429.yaml", true}))
		})

		It("refuses a bad body with a 400 naming file and line, keeping the loaded scenario", func() {
			load(s, "")
			status, typ, msg := c.do("PUT", "/_mock/scenario", "name: bad\nfaults:\n  - overloaded: {retry_after: soon}\n").errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error",
				`request body:3: faults[0].overloaded.retry_after: must be a duration such as 1s or 60s, got "soon"`}))
			Expect(s.Scenario().Name).To(Equal("spec"))
		})
	})
})

var _ = Describe("The journal", func() {
	var (
		s   *server.Server
		c   *client
		org string
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
		load(s, "faults:\n  - name: burst\n    when: {to: 1}\n    rate_limit: {retry_after: 2s}\n")
		org = s.DefaultOrganization()
	})

	It("records a 429 and its retry, tied together", func() {
		first := c.post("/v1/messages", hello, "x-stainless-retry-count", "0")
		Expect(first.status).To(Equal(429))
		_, err := s.Advance(2500 * time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		second := c.post("/v1/messages", hello, "x-stainless-retry-count", "1")
		Expect(second.status).To(Equal(200))

		r := c.do("GET", "/_mock/requests", "")
		Expect(r.status).To(Equal(200))
		fp := journal.Fingerprint("test-key", "/v1/messages", []byte(hello))
		Expect(r.body).To(MatchJSON(fmt.Sprintf(`{"dropped":0,"has_more":false,"requests":[
			{"seq":1,"request_id":%q,"time":"2026-01-01T00:00:00Z","method":"POST","path":"/v1/messages","endpoint":"messages",
			 "key":"…-key","organization":%q,"workspace":"default","model":"claude-haiku-4-5-20251001","family":"haiku-4-5","stream":false,
			 "retry_count":0,"fingerprint":%q,"logical":1,"attempt":1,"wait_since_429":null,"since_previous_attempt":null,"in_flight":1,
			 "end":"2026-01-01T00:00:00Z","status":429,"error_type":"rate_limit_error","should_retry":"true","retry_after":2,
			 "dimension":"requests","fault":"burst","action":"rate_limit",
			 "rate_limits":[{"bucket":"requests","remaining":0,"reset":"2026-01-01T00:01:00Z"},
			   {"bucket":"tokens","remaining":60000,"reset":"2026-01-01T00:00:00Z"},
			   {"bucket":"input_tokens","remaining":50000,"reset":"2026-01-01T00:00:00Z"},
			   {"bucket":"output_tokens","remaining":10000,"reset":"2026-01-01T00:00:00Z"}],"delivery":"complete"},
			{"seq":2,"request_id":%q,"time":"2026-01-01T00:00:02.5Z","method":"POST","path":"/v1/messages","endpoint":"messages",
			 "key":"…-key","organization":%q,"workspace":"default","model":"claude-haiku-4-5-20251001","family":"haiku-4-5","stream":false,
			 "retry_count":1,"fingerprint":%q,"logical":1,"attempt":2,"wait_since_429":2.5,"since_previous_attempt":2.5,"in_flight":1,
			 "end":"2026-01-01T00:00:02.5Z","status":200,
			 "usage":{"input_tokens":12,"output_tokens":24,"cache_creation_input_tokens":0,"cache_read_input_tokens":0},
			 "rate_limits":[{"bucket":"requests","remaining":49,"reset":"2026-01-01T00:00:04Z"},
			   {"bucket":"tokens","remaining":59000,"reset":"2026-01-01T00:00:03Z"},
			   {"bucket":"input_tokens","remaining":49000,"reset":"2026-01-01T00:00:03Z"},
			   {"bucket":"output_tokens","remaining":9000,"reset":"2026-01-01T00:00:03Z"}],"delivery":"complete"}
		]}`, first.header.Get("request-id"), org, fp, second.header.Get("request-id"), org, fp)))
	})

	It("records requests refused before the handler: a 401 and a 400", func() {
		noKey := c.post("/v1/messages", hello, "x-api-key", "")
		Expect(noKey.status).To(Equal(401))
		bad := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`
		invalid := c.post("/v1/messages", bad)
		Expect(invalid.status).To(Equal(400))
		e := s.Journal()
		Expect(e).To(HaveLen(2))
		Expect(e[0]).To(Equal(journal.Entry{
			Seq: 1, RequestID: noKey.header.Get("request-id"), Time: start, Method: "POST", Path: "/v1/messages", Endpoint: "messages",
			Key: "…", Organization: org, Workspace: "default", Model: "claude-haiku-4-5-20251001", Family: "haiku-4-5",
			RetryCount: -1, Fingerprint: journal.Fingerprint("", "/v1/messages", []byte(hello)), Logical: 1, Attempt: 1, InFlight: 1,
			Outcome: journal.Outcome{End: start, Status: 401, ErrorType: "authentication_error", ShouldRetry: "false", Delivery: "complete"},
		}))
		Expect(e[1]).To(Equal(journal.Entry{
			Seq: 2, RequestID: invalid.header.Get("request-id"), Time: start, Method: "POST", Path: "/v1/messages", Endpoint: "messages",
			Key: "…-key", Organization: org, Workspace: "default", Model: "claude-haiku-4-5-20251001", Family: "haiku-4-5",
			RetryCount: -1, Fingerprint: journal.Fingerprint("test-key", "/v1/messages", []byte(bad)), Logical: 2, Attempt: 1, InFlight: 1,
			Outcome: journal.Outcome{End: start, Status: 400, ErrorType: "invalid_request_error", ShouldRetry: "false", Delivery: "complete"},
		}))
	})
})

var _ = Describe("The report", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
		load(s, `faults:
  - name: burst
    when: {to: 1}
    rate_limit: {retry_after: 10s}
expect:
  respects_retry_after: true
  max_attempts: 5
  no_retry_on: true
`)
	})

	It("fails a run with no requests, naming requests_arrived and the fault that never fired", func() {
		Expect(string(c.do("GET", "/_mock/report", "").body)).To(Equal(`{"scenario":"spec","expectations_from":"scenario",` +
			`"judged_at":"2026-01-01T00:00:00Z",` +
			`"faults":[{"name":"burst","kind":"rate_limit","matched":0,"fired":0}],"dropped":0,"pass":false,"requests":0,"expectations":[` +
			`{"rule":"requests_arrived","pass":false,"summary":"no request reached the mock — is the client's base URL set?","violations":[]},` +
			`{"rule":"faults_fired","pass":false,"summary":"1 violation (1 fault, 0 optional)","violations":[` +
			`{"requests":[],"detail":"fault burst (rate_limit) never fired: it matched 0 requests"}]},` +
			`{"rule":"respects_retry_after","pass":true,"summary":"0 requests, 0 rate-limited; every request waited out retry-after","violations":[]},` +
			`{"rule":"max_attempts","pass":true,"summary":"0 requests in 0 logical requests; none made more than 5 attempts (most: 0)","violations":[]},` +
			`{"rule":"no_retry_on","pass":true,"summary":"0 answers with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal; none retried","violations":[]}]}`))
		Expect(string(c.do("GET", "/_mock/requests", "").body)).To(Equal(`{"dropped":0,"has_more":false,"requests":[]}`))
	})

	It("names the requests that broke respects_retry_after and no_retry_on", func() {
		Expect(c.post("/v1/messages", hello).status).To(Equal(429))
		Expect(c.post("/v1/messages", hello).status).To(Equal(200), "at once, not 10 s later")
		_, err := s.Advance(10 * time.Second)
		Expect(err).NotTo(HaveOccurred())
		bad := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`
		Expect(c.post("/v1/messages", bad).status).To(Equal(400))
		Expect(c.post("/v1/messages", bad).status).To(Equal(400), "a 400 retried")

		org := s.DefaultOrganization()
		var rep server.Report
		Expect(json.Unmarshal(c.do("GET", "/_mock/report", "").body, &rep)).To(Succeed())
		Expect(rep).To(Equal(server.Report{
			Scenario: "spec", ExpectationsFrom: "scenario", JudgedAt: time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC),
			Faults: []scenario.Count{{Name: "burst", Kind: "rate_limit", Matched: 2, Fired: 1}},
			Verdict: server.Verdict{Pass: false, Requests: 4, Results: []expect.Result{
				{Rule: "requests_arrived", Pass: true, Summary: "4 requests reached the mock", Violations: []expect.Violation{}},
				{Rule: "faults_fired", Pass: true, Summary: "1 fault, 0 optional; every fault that is not optional fired",
					Violations: []expect.Violation{}},
				{Rule: "respects_retry_after", Pass: false, Summary: "1 violation (4 requests, 1 rate-limited)",
					Violations: []expect.Violation{{Requests: []int{1, 2},
						Detail: "request 2 came after 0s of the 10s the 429 to request 1 asked to wait (requests, org " + org + ", family haiku-4-5)"}}},
				{Rule: "max_attempts", Pass: true, Summary: "4 requests in 2 logical requests; none made more than 5 attempts (most: 2)",
					Violations: []expect.Violation{}},
				{Rule: "no_retry_on", Pass: false, Summary: "1 violation (2 answers with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal)",
					Violations: []expect.Violation{{Requests: []int{3, 4},
						Detail: "request 4 retried the 400 (invalid_request_error) to request 3, which is not retryable (org " + org + ", family haiku-4-5)"}}},
			}},
		}))
		Expect(s.Report()).To(Equal(rep))
	})

	It("passes a fault marked optional that never fired, and shows it optional", func() {
		load(s, "faults:\n  - name: rare\n    optional: true\n    when: {from: 5}\n    overloaded: {}\nexpect:\n  max_attempts: 3\n")
		Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		body := string(c.do("GET", "/_mock/report", "").body)
		Expect(body).To(ContainSubstring(`"faults":[{"name":"rare","kind":"overloaded","matched":1,"fired":0,"optional":true}]`))
		Expect(body).To(ContainSubstring(`"pass":true,"requests":1,"expectations":[` +
			`{"rule":"requests_arrived","pass":true,"summary":"1 request reached the mock","violations":[]},` +
			`{"rule":"faults_fired","pass":true,"summary":"1 fault, 1 optional; every fault that is not optional fired","violations":[]},` +
			`{"rule":"max_attempts","pass":true,`))
		Expect(string(c.do("GET", "/_mock/scenario", "").body)).To(ContainSubstring(`"faults":[{"name":"rare","kind":"overloaded","matched":1,"fired":0,"optional":true}]`))
	})

	It("judges a scenario without an expect block by the defaults, and an empty one by nothing but the run", func() {
		load(s, "faults:\n  - when: {to: 1}\n    overloaded: {}\n")
		Expect(c.post("/v1/messages", hello).status).To(Equal(529))
		rep := s.Report()
		Expect(rep.ExpectationsFrom).To(Equal("defaults"))
		Expect(verdicts(rep)).To(Equal([][2]any{{"requests_arrived", true}, {"faults_fired", true},
			{"respects_retry_after", true}, {"no_retry_on", true}, {"retries_retryable", false}, {"no_truncated_accept", true}}))
		Expect(rep.Results[4].Violations[0].Detail).To(HavePrefix("request 1 gave up at once after its 529 (overloaded_error), which is retryable"))

		load(s, "faults:\n  - when: {to: 1}\n    overloaded: {}\nexpect: {}\n")
		Expect(c.post("/v1/messages", hello).status).To(Equal(529))
		rep = s.Report()
		Expect(rep.ExpectationsFrom).To(Equal("scenario"))
		Expect(verdicts(rep)).To(Equal([][2]any{{"requests_arrived", true}, {"faults_fired", true}}))
		Expect(rep.Pass).To(BeTrue())
	})
})

var _ = Describe("The report without a scenario", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)})
	})

	It("fails an empty run and judges by the defaults", func() {
		rep := s.Report()
		Expect([]any{rep.Scenario, rep.ExpectationsFrom, rep.Pass, rep.Requests}).To(Equal([]any{"", "defaults", false, 0}))
		Expect(rep.Results[0]).To(Equal(expect.Result{Rule: "requests_arrived",
			Summary: "no request reached the mock — is the client's base URL set?", Violations: []expect.Violation{}}))
		Expect(verdicts(rep)).To(Equal([][2]any{{"requests_arrived", false},
			{"respects_retry_after", true}, {"no_retry_on", true}, {"retries_retryable", true}, {"no_truncated_accept", true}}))
	})

	It("passes a plain run, and fails a client that retries a 400", func() {
		Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		Expect(s.Report().Pass).To(BeTrue())
		bad := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`
		Expect(c.post("/v1/messages", bad).status).To(Equal(400))
		Expect(c.post("/v1/messages", bad).status).To(Equal(400))
		rep := s.Report()
		Expect(rep.Pass).To(BeFalse())
		Expect(verdicts(rep)).To(ContainElement([2]any{"no_retry_on", false}))
		Expect(string(c.do("GET", "/_mock/report", "").body)).To(HavePrefix(
			`{"scenario":"","expectations_from":"defaults","judged_at":"2026-03-01T12:00:00Z","faults":[],"dropped":0,"pass":false,"requests":3,`))
	})
})

// verdicts lists each result's rule and pass flag, in report order.
func verdicts(rep server.Report) [][2]any {
	out := [][2]any{}
	for _, r := range rep.Results {
		out = append(out, [2]any{r.Rule, r.Pass})
	}
	return out
}

var _ = Describe("Determinism", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
	})

	It("repeats a run byte for byte: responses, faults drawn by probability, generated replies, the journal", func() {
		const play = `faults:
  - name: coin
    when: {probability: 0.5}
    api_error: {}
replies:
  - name: tool
    match: {body_contains: lookup}
    tool_use: {name: lookup}
  - name: words
    when: {every: 2}
    text: {length: 9}
`
		run := func() (string, string, []scenario.Count) {
			load(s, play)
			var out strings.Builder
			for i := range 12 {
				body := []string{hello, streamed(hello), withTool, streamed(withTool)}[i%4]
				r := c.post("/v1/messages", body)
				fmt.Fprintf(&out, "%d %v %s\n", r.status, r.header, r.body)
				_, err := s.Advance(1500 * time.Millisecond)
				Expect(err).NotTo(HaveOccurred())
			}
			j, err := json.Marshal(s.Journal())
			Expect(err).NotTo(HaveOccurred())
			return out.String(), string(j), s.Scenario().Faults
		}
		responses, entries, faults := run()
		Expect(faults).To(Equal([]scenario.Count{{Name: "coin", Kind: "api_error", Matched: 12, Fired: 7}}))
		again, entriesAgain, faultsAgain := run()
		Expect(again).To(Equal(responses))
		Expect(entriesAgain).To(Equal(entries))
		Expect(faultsAgain).To(Equal(faults))
	})
})

var _ = Describe("The ready scenarios", func() {
	var (
		s    *server.Server
		c    *client
		logs *bytes.Buffer
	)

	BeforeEach(func() {
		logs = &bytes.Buffer{}
		s, c = newServer(server.Options{Logger: log.New(logs, "", 0)})
	})

	It("are the twenty-one documented ones", func() {
		names := server.ReadyScenarios()
		Expect(names).To(HaveLen(21))
		Expect(names).To(ContainElements("acceleration-ramp", "burst-429", "cache-heavy", "credits-run-out-then-topup", "flaky-stream",
			"guide-daily-tokens", "guide-monthly-requests", "itpm-exhaustion", "multi-model-failover", "otpm-reserve",
			"overloaded-window", "spend-cap-mid-run", "steady-state-tier-1", "tier-upgrade", "proactive-throttle", "long-retry-after",
			"overloaded-in-stream", "retry-amplification", "lockstep-429", "partial-stream", "batch-client"))
	})

	for _, name := range server.ReadyScenarios() {
		It("loads and plays "+name, func() {
			file, data, err := server.ReadyScenario(name)
			Expect(err).NotTo(HaveOccurred())
			Expect(file).To(Equal("scenarios/" + name + ".yaml (embedded)"))
			Expect(s.SetScenario(file, data)).To(Succeed())
			Expect(s.Scenario().Name).To(Equal(name))

			var statuses []int
			for _, body := range []string{hello, hello, streamed(hello), streamed(hello)} {
				r := c.post("/v1/messages", body)
				Expect(r.status).To(BeElementOf(200, 400, 429, 500, 504, 529), string(r.body))
				statuses = append(statuses, r.status)
			}
			Expect(logs.String()).NotTo(ContainSubstring("panic"))
			entries := s.Journal()
			Expect(entries).To(HaveLen(4))
			for i, e := range entries {
				Expect([]int{e.Seq, e.Status}).To(Equal([]int{i + 1, statuses[i]}))
				Expect(e.Delivery).NotTo(BeEmpty())
			}
		})
	}
})
