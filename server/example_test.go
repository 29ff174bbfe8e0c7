package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server"
)

// exampleBody is a small Messages request the examples send.
const exampleBody = `{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]}`

// exampleServer is a server on a manual clock, so that every time in the
// examples' output is the start time until they move it.
func exampleServer(scenario string) *server.Server {
	s, err := server.New(server.Options{Clock: "manual", Start: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Seed: 1})
	if err != nil {
		panic(err)
	}
	if scenario != "" {
		if err := s.SetScenario("example.yaml", []byte(scenario)); err != nil {
			panic(err)
		}
	}
	return s
}

// send posts exampleBody to s in memory, as attempt retry of its request
// (the X-Stainless-Retry-Count an SDK sends), and returns the status.
func send(s *server.Server, retry int) int {
	req := httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(exampleBody))
	req.Header.Set("x-api-key", "sk-ant-example-1234")
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	req.Header.Set("x-stainless-retry-count", fmt.Sprint(retry))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code
}

// burst refuses the first request with a rate-limit 429 asking for a
// 10-second wait, and needs nothing else of the client.
const burst = `name: burst
faults:
  - name: first
    when: {from: 1, to: 1}
    rate_limit: {dimension: requests, retry_after: 10s}
expect:
  respects_retry_after: true
`

func ExampleJournalEntry() {
	s := exampleServer("")
	send(s, 0)
	var e server.JournalEntry = s.Journal()[0]
	fmt.Println(e.Seq, e.Method, e.Path, e.Endpoint, e.Model, e.Family, e.Stream)
	fmt.Println(e.Key, e.Time.Format(time.RFC3339), e.Logical, e.Attempt, e.RetryCount)
	// Output:
	// 1 POST /v1/messages messages claude-sonnet-4-5-20250929 sonnet-4 false
	// …1234 2026-01-05T09:00:00Z 1 1 0
}

func ExampleJournalOutcome() {
	s := exampleServer(burst)
	send(s, 0)
	send(s, 1)
	for _, e := range s.Journal() {
		var o server.JournalOutcome = e.Outcome
		fmt.Println(o.Status, o.ErrorType, o.Dimension, o.Fault, o.Delivery == server.DeliveryComplete)
	}
	// Output:
	// 429 rate_limit_error requests first true
	// 200    true
}

func ExampleJournalUsage() {
	s := exampleServer("")
	send(s, 0)
	var u *server.JournalUsage = s.Journal()[0].Usage
	fmt.Println(u.InputTokens, u.OutputTokens, u.CacheReadInputTokens)
	// Output:
	// 12 24 0
}

func ExampleJournalRateLimit() {
	s := exampleServer("")
	send(s, 0)
	for _, rl := range s.Journal()[0].RateLimits {
		var r server.JournalRateLimit = rl
		fmt.Println(r.Bucket, r.Remaining, r.Reset.Format(time.RFC3339))
	}
	// Output:
	// requests 999 2026-01-05T09:00:01Z
	// tokens 2399000 2026-01-05T09:00:01Z
	// input_tokens 1999000 2026-01-05T09:00:01Z
	// output_tokens 399000 2026-01-05T09:00:01Z
}

func ExampleVerdict() {
	s := exampleServer("")
	send(s, 0)
	rep := s.Report()
	var v server.Verdict = rep.Verdict
	fmt.Println(rep.ExpectationsFrom, v.Pass, v.Requests)
	// Output:
	// defaults true 1
}

func ExampleExpectationResult() {
	s := exampleServer(burst)
	send(s, 0)
	send(s, 1)
	for _, r := range s.Report().Results {
		var res server.ExpectationResult = r
		fmt.Println(res.Rule, res.Pass)
	}
	// Output:
	// requests_arrived true
	// faults_fired true
	// respects_retry_after false
}

func ExampleViolation() {
	s := exampleServer(burst)
	send(s, 0)
	send(s, 1) // at once, though the 429 asked for 10 s
	for _, r := range s.Report().Results {
		for _, v := range r.Violations {
			var one server.Violation = v
			fmt.Println(r.Rule, one.Requests)
		}
	}
	// Output:
	// respects_retry_after [1 2]
}

func ExampleFaultCount() {
	s := exampleServer(burst)
	send(s, 0)
	send(s, 1)
	for _, f := range s.Scenario().Faults {
		var c server.FaultCount = f
		var k server.FaultKind = c.Kind
		fmt.Println(c.Name, k, c.Matched, c.Fired)
	}
	// Output:
	// first rate_limit 2 1
}

func ExampleOrganizationState() {
	s := exampleServer("")
	for _, o := range s.State().Organizations {
		var org server.OrganizationState = o
		fmt.Println(org.ID == s.DefaultOrganization(), org.Default, org.Tier, org.CreditsEnabled)
	}
	// Output:
	// true true start false
}
