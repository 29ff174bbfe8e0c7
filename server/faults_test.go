package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// scenarioFile is a scenario file for the specs: seed 7, tier-1 and a manual
// clock at start, so time moves only through Advance, then body.
func scenarioFile(body string) string {
	return "name: spec\nseed: 7\nclock: {mode: manual, start: 2026-01-01T00:00:00Z}\ntier: tier-1\n" + body
}

// load loads scenarioFile(body) into s.
func load(s *server.Server, body string) {
	GinkgoHelper()
	Expect(s.SetScenario("spec.yaml", []byte(scenarioFile(body)))).To(Succeed())
}

// streamed is a request body with "stream": true.
func streamed(body string) string {
	return strings.Replace(body, `{"model"`, `{"stream":true,"model"`, 1)
}

// twin is the answer to body as the first request of a fresh server playing
// scenarioFile("") — the same seed with no fault — which is what a faulted first
// request would have got.
func twin(body string) reply {
	GinkgoHelper()
	s, c := newServer(server.Options{})
	load(s, "")
	return c.post("/v1/messages", body)
}

// messageStart is the first frame of the stream of streamed(hello) as the
// first request under scenarioFile: seed 7 draws the message id; 12 input
// tokens, and output_tokens 1 until message_delta; Claude Haiku 4.5 predates
// inference_geo, so "not_available".
const messageStart = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5-20251001\"," +
	"\"id\":\"msg_01occSkNwoLSzoxdtPjVjKRR\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," +
	"\"stop_details\":null,\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0," +
	"\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1,\"service_tier\":\"standard\"," +
	"\"inference_geo\":\"not_available\"}}}\n\n"

// frames splits an SSE body into its frames, each with its blank line.
func frames(body []byte) []string {
	var out []string
	for rest := string(body); rest != ""; {
		i := strings.Index(rest, "\n\n")
		Expect(i).To(BeNumerically(">=", 0), "unterminated frame: "+rest)
		out = append(out, rest[:i+2])
		rest = rest[i+2:]
	}
	return out
}

// errorJSON is the exact error envelope of r: type, message, and the
// request-id header as request_id.
func errorJSON(r reply, typ, message string) string {
	return fmt.Sprintf(`{"type":"error","error":{"type":%q,"message":%q},"request_id":%q}`, typ, message, r.header.Get("request-id"))
}

// streamErrorJSON is the exact error event data of r: as errorJSON, with
// the "details": null real mid-stream errors carry first.
func streamErrorJSON(r reply, typ, message string) string {
	return fmt.Sprintf(`{"type":"error","error":{"details":null,"type":%q,"message":%q},"request_id":%q}`, typ, message, r.header.Get("request-id"))
}

// limitMessage is the real 429 wording for a tier-1 Haiku 4.5 limit.
func limitMessage(limit, org string) string {
	return "This request would exceed your organization's rate limit of " + limit + " (org: " + org +
		", model: claude-haiku-4-5-20251001). For details, refer to: https://docs.claude.com/en/api/rate-limits. " +
		"You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. " +
		"You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase."
}

// rateHeaders picks the twelve anthropic-ratelimit-* headers of h, in the
// order requests, input, output, tokens × limit, remaining, reset.
func rateHeaders(h http.Header) []string {
	var out []string
	for _, kind := range []string{"requests", "input-tokens", "output-tokens", "tokens"} {
		for _, field := range []string{"limit", "remaining", "reset"} {
			out = append(out, h.Get("anthropic-ratelimit-"+kind+"-"+field))
		}
	}
	return out
}

// live is an HTTP client of its own, for the specs that need a real
// connection; its idle connections close with the spec.
func live() *http.Client {
	tr := &http.Transport{}
	DeferCleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// open sends a Messages request over a real connection and returns the
// response, whose body the spec reads.
func open(ctx context.Context, hc *http.Client, url, body string) *http.Response {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/messages", strings.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("x-api-key", "test-key")
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	res, err := hc.Do(req)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(res.Body.Close)
	return res
}

// readFrames reads exactly n SSE frames from r.
func readFrames(r *bufio.Reader, n int) string {
	GinkgoHelper()
	var b strings.Builder
	for n > 0 {
		line, err := r.ReadString('\n')
		Expect(err).NotTo(HaveOccurred())
		b.WriteString(line)
		if line == "\n" {
			n--
		}
	}
	return b.String()
}

var _ = Describe("Scenario faults on the wire", func() {
	var (
		s   *server.Server
		c   *client
		org string
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
	})

	// play loads the faults and notes the default organization the seed gives.
	play := func(faults string) {
		GinkgoHelper()
		load(s, faults)
		org = s.DefaultOrganization()
	}

	advance := func(d time.Duration) {
		GinkgoHelper()
		_, err := s.Advance(d)
		Expect(err).NotTo(HaveOccurred())
	}

	last := func() journal.Entry {
		GinkgoHelper()
		entries := s.Journal()
		Expect(entries).NotTo(BeEmpty())
		return entries[len(entries)-1]
	}

	Describe("rate_limit", func() {
		It("names the requests dimension with the given retry-after, rounded up to whole seconds", func() {
			play("faults:\n  - name: burst\n    rate_limit: {dimension: requests, retry_after: 1500ms}\n")
			r := c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(429))
			Expect(string(r.body)).To(Equal(errorJSON(r, "rate_limit_error", limitMessage("50 requests per minute", org))))
			Expect(r.header.Get("retry-after")).To(Equal("2"))
			Expect(r.header.Get("x-should-retry")).To(Equal("true"))
			// The buckets are untouched: full, so their reset is now; only
			// the named one shows empty, a full minute from refilled.
			Expect(rateHeaders(r.header)).To(Equal([]string{
				"50", "0", "2026-01-01T00:01:00Z",
				"50000", "50000", "2026-01-01T00:00:00Z",
				"10000", "10000", "2026-01-01T00:00:00Z",
				"60000", "60000", "2026-01-01T00:00:00Z",
			}))
			Expect(spec.ValidateResponse("post", "/v1/messages", 429, r.body)).To(Succeed())
			e := last()
			Expect([]any{e.Status, e.ErrorType, e.ShouldRetry, *e.RetryAfter, e.Dimension, e.Fault, e.Action, e.Delivery}).To(Equal(
				[]any{429, "rate_limit_error", "true", 2.0, "requests", "burst", "rate_limit", "complete"}))
			Expect(e.Usage).To(BeNil())
		})

		It("computes retry-after from the refill of one request when none is given", func() {
			play("faults:\n  - rate_limit: {}\n")
			r := c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(429))
			Expect(r.header.Get("retry-after")).To(Equal("2")) // 50 RPM: 1.2 s for one request
			Expect(r.header.Get("anthropic-ratelimit-requests-remaining")).To(Equal("0"))
			Expect(last().Fault).To(Equal("faults[0]"))
		})

		It("empties the input-token bucket for the input_tokens dimension", func() {
			play("faults:\n  - rate_limit: {dimension: input_tokens}\n")
			r := c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(429))
			Expect(string(r.body)).To(Equal(errorJSON(r, "rate_limit_error", limitMessage("50,000 input tokens per minute", org))))
			Expect(r.header.Get("anthropic-ratelimit-input-tokens-remaining")).To(Equal("0"))
			Expect(r.header.Get("anthropic-ratelimit-input-tokens-reset")).To(Equal("2026-01-01T00:01:00Z"))
			Expect(r.header.Get("anthropic-ratelimit-requests-remaining")).To(Equal("50"))
			Expect(r.header.Get("anthropic-ratelimit-tokens-remaining")).To(Equal("10000")) // 0 input + 10,000 output
			Expect(r.header.Get("anthropic-ratelimit-tokens-reset")).To(Equal("2026-01-01T00:01:00Z"))
			// 12 input tokens at 50,000 a minute refill in 14.4 ms: at least 1 s.
			Expect(r.header.Get("retry-after")).To(Equal("1"))
			Expect(r.header.Get("x-should-retry")).To(Equal("true"))
			Expect(last().Dimension).To(Equal("input_tokens"))
		})

		// Issue 12: the forced 429 weighs input as admission does (uncached
		// input and cache writes; cache reads only for the models whose
		// limits count them), not as the whole prompt. A cache read on
		// Haiku 4.5, whose reads do not count, needs 23 tokens of the
		// input bucket, not 5,033: the retry-after says so.
		It("waits for the input admission would weigh, without a cache read the model's ITPM ignores", func() {
			play("faults:\n  - when: {from: 2}\n    rate_limit: {dimension: input_tokens}\n")
			Expect(c.post("/v1/messages", cached(5000, 20, "")).status).To(Equal(200)) // writes the 5,010-token prefix
			r := c.post("/v1/messages", cached(5000, 20, ""))                          // reads it: 23 uncached
			Expect(r.status).To(Equal(429))
			Expect(r.header.Get("anthropic-ratelimit-input-tokens-remaining")).To(Equal("0"))
			// 23 tokens at 50,000 a minute refill in 27.6 ms: 1 s. Weighed
			// as 5,033 they would take 6.04 s: "7".
			Expect(r.header.Get("retry-after")).To(Equal("1"))
			Expect(last().Dimension).To(Equal("input_tokens"))
		})

		It("names the combined input and output limit for the tokens dimension", func() {
			play("faults:\n  - rate_limit: {dimension: tokens}\n")
			r := c.post("/v1/messages", hello)
			Expect(string(r.body)).To(Equal(errorJSON(r, "rate_limit_error", limitMessage("60,000 tokens per minute", org))))
			Expect(r.header.Get("anthropic-ratelimit-tokens-limit")).To(Equal("60000"))
			Expect(r.header.Get("anthropic-ratelimit-tokens-remaining")).To(Equal("0"))
			Expect(r.header.Get("anthropic-ratelimit-input-tokens-remaining")).To(Equal("50000"))
			Expect(r.header.Get("retry-after")).To(Equal("1"))
			Expect(last().Dimension).To(Equal("tokens"))
		})

		It("takes a message and headers that replace its own", func() {
			play("faults:\n  - rate_limit:\n      message: slow down\n      headers: {retry-after: \"7\", x-trace: abc}\n")
			r := c.post("/v1/messages", hello)
			Expect(string(r.body)).To(Equal(errorJSON(r, "rate_limit_error", "slow down")))
			Expect(r.header.Values("retry-after")).To(Equal([]string{"7"}))
			Expect(r.header.Values("x-trace")).To(Equal([]string{"abc"}))
			Expect(*last().RetryAfter).To(Equal(7.0))
		})
	})

	DescribeTable("plain error faults",
		func(action string, status int, typ, message, retryAfter string, shouldRetry []string) {
			play("faults:\n  - name: boom\n    " + action + "\n")
			r := c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(status))
			Expect(r.header.Get("request-id")).To(MatchRegexp(`^req_011C[1-9A-HJ-NP-Za-km-z]{20}$`))
			Expect(string(r.body)).To(Equal(errorJSON(r, typ, message)))
			Expect(r.header.Get("Content-Type")).To(Equal("application/json"))
			Expect(r.header.Get("retry-after")).To(Equal(retryAfter))
			Expect(r.header.Values("x-should-retry")).To(Equal(shouldRetry))
			Expect(r.header.Get("anthropic-ratelimit-requests-limit")).To(BeEmpty(), "refused before the buckets")
			if status == 401 { // a real 401 names no organization: no key was authenticated
				Expect(r.header.Values("anthropic-organization-id")).To(BeEmpty())
				Expect(r.header.Values("anthropic-workspace-id")).To(BeEmpty())
			} else {
				Expect(r.header.Values("anthropic-organization-id")).To(Equal([]string{org}))
				Expect(r.header.Values("anthropic-workspace-id")).To(Equal([]string{orgs.DefaultWorkspaceID(org)}))
			}
			e := last()
			Expect([]any{e.Status, e.ErrorType, e.Fault, e.Action, e.Delivery, e.Spend, e.ShouldRetry}).To(Equal([]any{status, typ, "boom", strings.TrimSuffix(strings.Fields(action)[0], ":"), "complete", false, strings.Join(shouldRetry, "")}))
			Expect(s.State().Buckets).To(BeEmpty(), "an error fault takes nothing from any bucket")
		},
		Entry("overloaded", "overloaded: {}", 529, "overloaded_error", "Overloaded", "", []string{"true"}),
		Entry("overloaded with a retry-after", "overloaded: {retry_after: 30s}", 529, "overloaded_error", "Overloaded", "30", []string{"true"}),
		Entry("api_error", "api_error:", 500, "api_error", "Internal server error", "", []string{"true"}),
		Entry("timeout (a gateway's status: no x-should-retry)", "timeout: {}", 504, "timeout_error", "Request timed out", "", []string(nil)),
		Entry("status 418 with its type given", "status: {code: 418, type: invalid_request_error}", 418, "invalid_request_error", "Invalid request", "", []string{"false"}),
		Entry("status 403 with its type defaulted", "status: {code: 403}", 403, "permission_error", "Your API key does not have permission to use the specified resource.", "", []string{"false"}),
		Entry("status with its message overridden", "status: {code: 502, type: api_error, message: Bad gateway}", 502, "api_error", "Bad gateway", "", []string(nil)),
		Entry("status 401", "status: {code: 401, retry_after: 2s}", 401, "authentication_error", "invalid x-api-key", "2", []string{"false"}),
		Entry("status 409 (the SDKs retry it by status: no x-should-retry)", "status: {code: 409, type: api_error}", 409, "api_error", "Internal server error", "", []string(nil)),
	)

	It("keeps the x-should-retry a fault's headers give over the status's own", func() {
		play("faults:\n  - overloaded: {headers: {x-should-retry: \"false\"}}\n")
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(529))
		Expect(r.header.Values("x-should-retry")).To(Equal([]string{"false"}))
		Expect(last().ShouldRetry).To(Equal("false"))
	})

	It("adds a fault's extra headers to an error answer", func() {
		play("faults:\n  - timeout: {headers: {x-should-retry: \"true\", X-Gateway: edge-7}}\n")
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(504))
		Expect(r.header.Values("x-should-retry")).To(Equal([]string{"true"}))
		Expect(r.header.Values("x-gateway")).To(Equal([]string{"edge-7"}))
		Expect(last().ShouldRetry).To(Equal("true"))
	})

	It("answers spend_cap with the tier cap's 429: error_code, the next month, no retry-after", func() {
		play("faults:\n  - name: cap\n    spend_cap: {}\n")
		advance(20 * 24 * time.Hour) // 2026-01-21: access resumes on February 1st
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(429))
		Expect(string(r.body)).To(Equal(fmt.Sprintf(`{"type":"error","error":{"type":"rate_limit_error","message":%q,"details":{"error_code":"enforced_spend_limit_reached"}},"request_id":%q}`,
			"You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2026-02-01 at 00:00 UTC.",
			r.header.Get("request-id"))))
		Expect(r.header.Get("retry-after")).To(BeEmpty())
		Expect(r.header.Get("x-should-retry")).To(BeEmpty())
		Expect(spec.ValidateResponse("post", "/v1/messages", 429, r.body)).To(Succeed())
		e := last()
		Expect([]any{e.Status, e.ErrorType, e.ErrorCode, e.Spend, e.Fault, e.Action, e.RetryAfter == nil}).To(Equal(
			[]any{429, "rate_limit_error", "enforced_spend_limit_reached", true, "cap", "spend_cap", true}))
	})

	It("answers credit_exhausted with the empty balance's 400", func() {
		play("faults:\n  - credit_exhausted:\n")
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(400))
		Expect(string(r.body)).To(Equal(errorJSON(r, "invalid_request_error",
			"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.")))
		Expect(r.header.Get("retry-after")).To(BeEmpty())
		e := last()
		Expect([]any{e.Status, e.Spend, e.ErrorCode, e.Action}).To(Equal([]any{400, true, "", "credit_exhausted"}))
	})

	Describe("latency", func() {
		DescribeTable("answers with exactly the bytes the same request gets without it",
			func(body string) {
				play("faults:\n  - name: slow\n    latency: {time_to_first_token: 1ms, tokens_per_second: 24000}\n")
				r, plain := c.post("/v1/messages", body), twin(body)
				Expect(r.status).To(Equal(200))
				Expect(r.header).To(Equal(plain.header))
				Expect(string(r.body)).To(Equal(string(plain.body)))
				e := last()
				Expect([]any{e.Status, e.Fault, e.Action, e.Delivery}).To(Equal([]any{200, "slow", "latency", "complete"}))
				Expect(*e.Usage).To(Equal(journal.Usage{InputTokens: 12, OutputTokens: 24}))
			},
			Entry("non-streaming", hello),
			Entry("streaming", streamed(hello)),
		)
	})

	Describe("stream faults", func() {
		It("sends after_events events, then the error event, and ends the stream", func() {
			play("faults:\n  - name: mid\n    stream_error: {after_events: 3}\n")
			r := c.post("/v1/messages", streamed(hello))
			Expect(r.status).To(Equal(200))
			whole := frames(twin(streamed(hello)).body)
			Expect(whole).To(HaveLen(14))
			Expect(whole[0]).To(Equal(messageStart))
			Expect(whole[1]).To(Equal("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"))
			Expect(whole[2]).To(Equal("event: ping\ndata: {\"type\": \"ping\"}\n\n"))
			Expect(string(r.body)).To(Equal(whole[0] + whole[1] + whole[2] +
				"event: error\ndata: " + streamErrorJSON(r, "overloaded_error", "Overloaded") + "\n\n"))
			e := last()
			Expect([]any{e.Status, e.Fault, e.Action, e.Delivery, e.ErrorType, e.ContentDeltas}).To(Equal(
				[]any{200, "mid", "stream_error", "error_event", "overloaded_error", 0}))
		})

		It("journals the content deltas a stream delivered before it broke, and the error event's type", func() {
			play("faults:\n  - name: late\n    stream_error: {after_events: 6, type: api_error, message: boom}\n")
			r := c.post("/v1/messages", streamed(hello))
			whole := frames(twin(streamed(hello)).body)
			Expect(string(r.body)).To(Equal(strings.Join(whole[:6], "") +
				"event: error\ndata: " + streamErrorJSON(r, "api_error", "boom") + "\n\n"))
			Expect(whole[3:6]).To(HaveEach(HavePrefix("event: content_block_delta\n")))
			e := last()
			Expect([]any{e.Delivery, e.ErrorType, e.ContentDeltas}).To(Equal([]any{"error_event", "api_error", 3}))
			c.post("/v1/messages", streamed(hello))
			e = last()
			Expect([]any{e.Delivery, e.ErrorType, e.ContentDeltas}).To(Equal([]any{"error_event", "api_error", 3}))
		})

		It("journals every content delta of a whole stream", func() {
			r := c.post("/v1/messages", streamed(hello))
			deltas := strings.Count(string(r.body), "event: content_block_delta\n")
			Expect(deltas).To(Equal(8))
			Expect([]any{last().Delivery, last().ContentDeltas}).To(Equal([]any{"complete", 8}))
		})

		It("sends a stream with no more events than after_events whole", func() {
			play("faults:\n  - stream_error: {after_events: 14}\n")
			r := c.post("/v1/messages", streamed(hello))
			Expect(string(r.body)).To(Equal(string(twin(streamed(hello)).body)))
			Expect(last().Delivery).To(Equal("complete"))
			Expect(s.Scenario().Faults[0].Fired).To(Equal(1))
		})

		DescribeTable("malformed_event sends after_events good events, then one broken one",
			func(kind, tail string) {
				play("faults:\n  - malformed_event: {break: " + kind + "}\n")
				r := c.post("/v1/messages", streamed(hello))
				Expect(r.status).To(Equal(200))
				whole := frames(twin(streamed(hello)).body)
				Expect(string(r.body)).To(Equal(whole[0] + whole[1] + whole[2] + tail))
				e := last()
				Expect([]any{e.Action, e.Delivery}).To(Equal([]any{"malformed_event", "malformed"}))
			},
			Entry("json", "json", "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n"),
			Entry("frame", "frame", "event: content_block_delta\ndata{\"type\":\"content_block_delta\",\"index\":0}\n\n"),
		)
	})

	Describe("over a real connection", func() {
		var (
			hc  *http.Client
			url string
		)

		BeforeEach(func() {
			s = server.RunT(GinkgoT(), server.Options{})
			hc, url = live(), s.URL()
		})

		It("disconnects a stream after after_events events", func() {
			load(s, "faults:\n  - name: cut\n    disconnect: {after_events: 3}\n")
			res := open(context.Background(), hc, url, streamed(hello))
			Expect(res.StatusCode).To(Equal(200))
			Expect(res.Header.Get("Content-Type")).To(Equal("text/event-stream; charset=utf-8"))
			data, err := io.ReadAll(res.Body)
			Expect(err).To(MatchError(io.ErrUnexpectedEOF))
			whole := frames(twin(streamed(hello)).body)
			Expect(string(data)).To(Equal(whole[0] + whole[1] + whole[2]))
			Eventually(func() string { return s.Journal()[0].Delivery }).Should(Equal("disconnected"))
			e := s.Journal()[0]
			Expect([]any{e.Status, e.Fault, e.Action}).To(Equal([]any{200, "cut", "disconnect"}))
		})

		It("disconnects a non-streaming answer after after_bytes bytes", func() {
			load(s, "faults:\n  - disconnect: {after_bytes: 10}\n")
			res := open(context.Background(), hc, url, hello)
			Expect(res.StatusCode).To(Equal(200))
			plain := twin(hello)
			Expect(res.ContentLength).To(Equal(int64(len(plain.body))))
			data, err := io.ReadAll(res.Body)
			Expect(err).To(MatchError(io.ErrUnexpectedEOF))
			Expect(string(data)).To(Equal(`{"model":"`))
			Expect(string(plain.body[:10])).To(Equal(`{"model":"`))
			Eventually(func() string { return s.Journal()[0].Delivery }).Should(Equal("disconnected"))
		})

		It("disconnects a stream after after_bytes bytes, mid-frame", func() {
			load(s, "faults:\n  - disconnect: {after_bytes: 700}\n")
			res := open(context.Background(), hc, url, streamed(hello))
			data, err := io.ReadAll(res.Body)
			Expect(err).To(MatchError(io.ErrUnexpectedEOF))
			whole := twin(streamed(hello)).body
			Expect(len(whole)).To(BeNumerically(">", 700))
			Expect(string(data)).To(Equal(string(whole[:700])))
			Eventually(func() string { return s.Journal()[0].Delivery }).Should(Equal("disconnected"))
		})

		DescribeTable("sends an answer no longer than the cut point whole, as if the fault had not fired",
			func(body string) {
				load(s, "faults:\n  - disconnect: {after_bytes: 100000}\n")
				res := open(context.Background(), hc, url, body)
				data, err := io.ReadAll(res.Body)
				Expect(err).NotTo(HaveOccurred())
				Expect(string(data)).To(Equal(string(twin(body).body)))
				Eventually(func() string { return s.Journal()[0].Delivery }).Should(Equal("complete"))
				Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "faults[0]", Kind: "disconnect", Matched: 1, Fired: 1}}))
			},
			Entry("non-streaming", hello),
			Entry("streaming", streamed(hello)),
		)

		It("stalls after after_events events until the client gives up", func() {
			load(s, "faults:\n  - name: hang\n    stall: {after_events: 2}\n")
			ctx, cancel := context.WithCancel(context.Background())
			DeferCleanup(cancel)
			res := open(ctx, hc, url, streamed(hello))
			Expect(res.StatusCode).To(Equal(200))
			whole := frames(twin(streamed(hello)).body)
			Expect(readFrames(bufio.NewReader(res.Body), 2)).To(Equal(whole[0] + whole[1]))
			Expect(s.Journal()[0].Delivery).To(Equal(""), "in flight while stalled")
			cancel()
			Eventually(func() string { return s.Journal()[0].Delivery }).Should(Equal("abandoned"))
			e := s.Journal()[0]
			Expect(e.StalledAt).NotTo(BeNil())
			Expect(*e.StalledAt).To(BeTemporally("==", start))
			Expect([]any{e.Status, e.Fault, e.Action}).To(Equal([]any{200, "hang", "stall"}))
		})

		It("ends a stall that has a time limit itself", func() {
			load(s, "faults:\n  - stall: {after_events: 4, for: 20ms}\n")
			res := open(context.Background(), hc, url, streamed(hello))
			data, err := io.ReadAll(res.Body)
			Expect(err).NotTo(HaveOccurred())
			whole := frames(twin(streamed(hello)).body)
			Expect(string(data)).To(Equal(strings.Join(whole[:4], "")))
			Eventually(func() string { return s.Journal()[0].Delivery }).Should(Equal("stalled"))
			Expect(*s.Journal()[0].StalledAt).To(BeTemporally("==", start))
		})
	})

	Describe("acceleration_limit", func() {
		BeforeEach(func() {
			play("faults:\n  - name: ramp\n    acceleration_limit: {floor: 2, ramp: 1}\n")
		})

		send := func(n int) []int {
			var out []int
			for range n {
				out = append(out, c.post("/v1/messages", hello).status)
			}
			return out
		}

		It("allows max(floor, last minute + ramp) requests a minute as the clock moves", func() {
			Expect(send(3)).To(Equal([]int{200, 200, 429}))
			advance(time.Minute) // the minute before carried 2: 3 allowed
			Expect(send(4)).To(Equal([]int{200, 200, 200, 429}))
			advance(time.Minute) // 3 before: 4 allowed
			Expect(send(5)).To(Equal([]int{200, 200, 200, 200, 429}))
			advance(time.Minute) // 4 before: 5 allowed
			Expect(send(6)).To(Equal([]int{200, 200, 200, 200, 200, 429}))
			advance(2 * time.Minute) // an idle minute: back to the floor
			Expect(send(3)).To(Equal([]int{200, 200, 429}))
			Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "ramp", Kind: "acceleration_limit", Matched: 21, Fired: 5}}))
		})

		It("asks the client to wait until the oldest request of the minute leaves the window", func() {
			Expect(send(2)).To(Equal([]int{200, 200}))
			r := c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(429))
			Expect(string(r.body)).To(Equal(errorJSON(r, "rate_limit_error", "This request would exceed your organization's acceleration limit (org: "+org+
				", model: claude-haiku-4-5-20251001): usage is rising faster than allowed. Please ramp up your traffic gradually and maintain consistent usage patterns.")))
			Expect(r.header.Get("retry-after")).To(Equal("60"))
			Expect(r.header.Get("x-should-retry")).To(Equal("true"))
			advance(30 * time.Second)
			r = c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(429))
			Expect(r.header.Get("retry-after")).To(Equal("30"))
			e := last()
			Expect([]any{e.Status, e.Dimension, e.Fault, e.Action, *e.RetryAfter}).To(Equal([]any{429, "acceleration", "ramp", "acceleration_limit", 30.0}))
			advance(30 * time.Second)
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		})
	})
})
