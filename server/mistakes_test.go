package server_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/expect"
)

// These specs play the ready scenarios that catch the retry mistakes
// clients ship, each once with a correct client and once with the faulty
// one, over HTTP with the clock made manual: the spec moves virtual time
// where a client would wait.

// clockMode is a scenario's clock mode line.
var clockMode = regexp.MustCompile(`(?m)^  mode: .+$`)

// playReady loads the ready scenario name with its clock made manual.
func playReady(s *server.Server, name string) {
	GinkgoHelper()
	file, data, err := server.ReadyScenario(name)
	Expect(err).NotTo(HaveOccurred())
	manual := clockMode.ReplaceAll(data, []byte("  mode: manual"))
	Expect(string(manual)).NotTo(Equal(string(data)), "the scenario declares a clock mode")
	Expect(s.SetScenario(file, manual)).To(Succeed())
}

// wait moves virtual time forward by d, as a client waiting d would.
func wait(s *server.Server, d time.Duration) {
	GinkgoHelper()
	_, err := s.Advance(d)
	Expect(err).NotTo(HaveOccurred())
}

// retryAfterOf is the retry-after of a reply, 0 when it carried none.
func retryAfterOf(r reply) time.Duration {
	n, _ := strconv.Atoi(r.header.Get("retry-after"))
	return time.Duration(n) * time.Second
}

// resultOf is the result of one rule in a report.
func resultOf(rep server.Report, rule string) expect.Result {
	GinkgoHelper()
	for _, r := range rep.Results {
		if r.Rule == rule {
			return r
		}
	}
	Fail("no result for " + rule)
	return expect.Result{}
}

var _ = Describe("Ready scenarios for the retry mistakes clients ship", func() {
	var (
		s   *server.Server
		c   *client
		org string
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
	})

	Describe("proactive-throttle", func() {
		BeforeEach(func() {
			playReady(s, "proactive-throttle")
			org = "org-throttle"
		})

		// send posts hello as the throttled organization, retrying a 429
		// after its retry-after as an SDK would, at most twice.
		send := func() reply {
			var r reply
			for attempt := range 3 {
				r = c.post("/v1/messages", hello, append(as("test-throttle"), "x-stainless-retry-count", strconv.Itoa(attempt))...)
				if r.status != 429 {
					break
				}
				wait(s, retryAfterOf(r))
			}
			return r
		}

		// emptyUntil is the latest reset among the buckets a reply reports
		// at remaining 0; zero when none is empty.
		emptyUntil := func(r reply) time.Time {
			var until time.Time
			for _, b := range []string{"requests", "tokens", "input-tokens", "output-tokens"} {
				if r.header.Get("anthropic-ratelimit-"+b+"-remaining") != "0" {
					continue
				}
				reset, err := time.Parse(time.RFC3339, r.header.Get("anthropic-ratelimit-"+b+"-reset"))
				Expect(err).NotTo(HaveOccurred())
				if reset.After(until) {
					until = reset
				}
			}
			return until
		}

		It("passes a client that reads the headers and waits for the reset of an empty bucket", func() {
			var statuses []int
			for range 8 {
				r := send()
				statuses = append(statuses, r.status)
				if until := emptyUntil(r); until.After(s.Now()) {
					wait(s, until.Sub(s.Now()))
				}
			}
			Expect(statuses).To(Equal([]int{200, 200, 200, 200, 200, 200, 200, 200}))
			rep := s.Report()
			Expect(rep.Pass).To(BeTrue())
			Expect(rep.Requests).To(Equal(8))
			Expect(resultOf(rep, "respects_remaining")).To(Equal(expect.Result{Rule: "respects_remaining", Pass: true,
				Summary:    "8 requests, 1 answer reporting an empty bucket without retry-after; none was sent while an empty bucket's reset lay ahead",
				Violations: []expect.Violation{}}))
		})

		It("fails a client blind to the headers, though it waits out every retry-after", func() {
			var statuses []int
			for range 7 {
				statuses = append(statuses, send().status)
			}
			Expect(statuses).To(Equal([]int{200, 200, 200, 200, 200, 200, 200}))
			entries := s.Journal()
			Expect(entries).To(HaveLen(9))
			Expect([]int{entries[5].Status, entries[7].Status}).To(Equal([]int{429, 429}))
			rep := s.Report()
			Expect(verdictsOf(rep)).To(Equal(map[string]bool{"requests_arrived": true, "respects_remaining": false, "respects_retry_after": true,
				"max_attempts": true, "no_retry_on": true, "retries_retryable": true}))
			Expect(resultOf(rep, "respects_remaining")).To(Equal(expect.Result{Rule: "respects_remaining",
				Summary: "2 violations (9 requests, 3 answers reporting an empty bucket without retry-after)",
				Violations: []expect.Violation{
					{Requests: []int{5, 6}, Detail: "request 6 was sent 0s after the answer to request 5 reported requests remaining 0, 60s before its reset (org " + org + ", family haiku-4-5)"},
					{Requests: []int{7, 8}, Detail: "request 8 was sent 0s after the answer to request 7 reported requests remaining 0, 60s before its reset (org " + org + ", family haiku-4-5)"},
				}}))
		})
	})
	Describe("long-retry-after", func() {
		BeforeEach(func() { playReady(s, "long-retry-after") })

		// retryAfter sends hello, and after its 429 waits waited before
		// retrying, as the SDKs number their attempts.
		retryAfter := func(waited time.Duration) {
			first := c.post("/v1/messages", hello, "x-stainless-retry-count", "0")
			Expect([]any{first.status, first.header.Get("retry-after")}).To(Equal([]any{429, "120"}))
			wait(s, waited)
			Expect(c.post("/v1/messages", hello, "x-stainless-retry-count", "1").status).To(Equal(200))
		}

		It("passes a client that waits the whole 120 seconds", func() {
			retryAfter(120 * time.Second)
			rep := s.Report()
			Expect(rep.Pass).To(BeTrue())
			Expect(resultOf(rep, "respects_retry_after").Summary).To(Equal("2 requests, 1 rate-limited; every request waited out retry-after"))
		})

		It("fails a client that caps retry-after at 60 seconds, and says how much of the wait it served", func() {
			retryAfter(60 * time.Second)
			rep := s.Report()
			Expect(verdictsOf(rep)).To(Equal(map[string]bool{"requests_arrived": true, "faults_fired": true, "respects_retry_after": false, "max_attempts": true,
				"no_retry_on": true, "retries_retryable": true}))
			Expect(resultOf(rep, "respects_retry_after").Violations).To(Equal([]expect.Violation{{Requests: []int{1, 2},
				Detail: "request 2 came after 60s of the 120s the 429 to request 1 asked to wait (requests, org " + s.DefaultOrganization() + ", family haiku-4-5)"}}))
		})
	})
	Describe("overloaded-in-stream", func() {
		BeforeEach(func() { playReady(s, "overloaded-in-stream") })

		// ask sends body as an SDK call: attempt 0, and when retry529 is set
		// one retry (attempt 1) after a 529, half a second later.
		ask := func(body string, retry529 bool) reply {
			r := c.post("/v1/messages", body, "x-stainless-retry-count", "0")
			if r.status == 529 && retry529 {
				wait(s, 500*time.Millisecond)
				r = c.post("/v1/messages", body, "x-stainless-retry-count", "1")
			}
			return r
		}
		// brokeMidStream reports whether a stream ended with an error event.
		brokeMidStream := func(r reply) bool {
			return r.status == 200 && strings.Contains(string(r.body), "event: error\n")
		}

		It("passes a client whose SDK retries the 529 and whose application re-sends the stream that broke", func() {
			Expect(ask(hello, true).status).To(Equal(200))
			r := ask(streamed(hello), true)
			Expect(brokeMidStream(r)).To(BeTrue())
			wait(s, time.Second)
			Expect(brokeMidStream(ask(streamed(hello), true))).To(BeFalse())
			rep := s.Report()
			Expect(rep.Pass).To(BeTrue())
			Expect(resultOf(rep, "retries_retryable").Summary).To(Equal("2 retryable answers; no logical request gave up at once"))
			Expect(resultOf(rep, "max_attempts").Summary).To(Equal("4 requests in 2 logical requests; none made more than 3 attempts (most: 2)"))
		})

		It("fails a client that never retries a 529", func() {
			Expect(ask(hello, false).status).To(Equal(529))
			Expect(brokeMidStream(ask(streamed(hello), false))).To(BeTrue())
			wait(s, time.Second)
			Expect(ask(streamed(hello), false).status).To(Equal(200))
			rep := s.Report()
			Expect(verdictsOf(rep)).To(Equal(map[string]bool{"requests_arrived": true, "faults_fired": true, "max_attempts": true, "no_retry_on": true,
				"retries_retryable": false, "no_truncated_accept": true}))
			Expect(resultOf(rep, "retries_retryable").Violations).To(Equal([]expect.Violation{{Requests: []int{1},
				Detail: "request 1 gave up at once after its 529 (overloaded_error), which is retryable (org " + s.DefaultOrganization() + ", family haiku-4-5)"}}))
		})

		It("fails a client that leaves the error event after the 200 to its SDK, which does not retry it", func() {
			Expect(ask(hello, true).status).To(Equal(200))
			Expect(brokeMidStream(ask(streamed(hello), true))).To(BeTrue())
			rep := s.Report()
			Expect(verdictsOf(rep)).To(Equal(map[string]bool{"requests_arrived": true, "faults_fired": true, "max_attempts": true, "no_retry_on": true,
				"retries_retryable": false, "no_truncated_accept": false}))
			Expect(resultOf(rep, "retries_retryable").Violations).To(Equal([]expect.Violation{{Requests: []int{3},
				Detail: "request 3 gave up at once after its cut stream (error_event overloaded_error), which is retryable (org " + s.DefaultOrganization() + ", family haiku-4-5)"}}))
			Expect(resultOf(rep, "no_truncated_accept").Violations).To(Equal([]expect.Violation{{Requests: []int{3},
				Detail: "request 3 accepted a cut stream (error_event overloaded_error): no retry followed (org " + s.DefaultOrganization() + ", family haiku-4-5)"}}))
		})
	})
	Describe("retry-amplification", func() {
		BeforeEach(func() { playReady(s, "retry-amplification") })

		// sdkCall makes one SDK call: three attempts with the SDKs' waits
		// (0.5s, 1s) between them, ending at the first that is not a 529.
		sdkCall := func() int {
			status := 0
			for attempt := range 3 {
				if attempt > 0 {
					wait(s, time.Duration(attempt)*500*time.Millisecond)
				}
				if status = c.post("/v1/messages", hello, "x-stainless-retry-count", strconv.Itoa(attempt)).status; status != 529 {
					break
				}
			}
			return status
		}

		It("passes a client that lets its SDK retry and then reports the error", func() {
			Expect(sdkCall()).To(Equal(529))
			rep := s.Report()
			Expect(rep.Pass).To(BeTrue())
			Expect(resultOf(rep, "max_attempts").Summary).To(Equal("3 requests in 1 logical request; none made more than 3 attempts (most: 3)"))
		})

		It("fails an application that retries the SDK call on top of the SDK's own retries", func() {
			var statuses []int
			for range 3 {
				statuses = append(statuses, sdkCall())
				wait(s, 2*time.Second)
			}
			Expect(statuses).To(Equal([]int{529, 529, 529}))
			rep := s.Report()
			Expect(verdictsOf(rep)).To(Equal(map[string]bool{"requests_arrived": true, "faults_fired": true, "max_attempts": false, "no_retry_on": true, "retries_retryable": true}))
			Expect(resultOf(rep, "max_attempts").Violations).To(Equal([]expect.Violation{{Requests: []int{1, 2, 3, 4, 5, 6, 7, 8, 9},
				Detail: "logical request 1 made 9 attempts (requests 1, 2, 3, 4, 5, 6, 7, 8, 9), more than the 3 allowed; " +
					"X-Stainless-Retry-Count went back to 0 at requests 4, 7: an application retrying on top of its SDK's retries (org " +
					s.DefaultOrganization() + ", family haiku-4-5)"}}))
		})
	})
	Describe("lockstep-429", func() {
		BeforeEach(func() { playReady(s, "lockstep-429") })

		// pool sends one request per worker at the same instant, all
		// refused, then lets worker i retry after delay(i).
		pool := func(delay func(i int) time.Duration) {
			for i := range 8 {
				body := strings.Replace(hello, "Hello", "Hello from worker "+strconv.Itoa(i), 1)
				Expect(c.post("/v1/messages", body, "x-stainless-retry-count", "0").status).To(Equal(429))
			}
			start := s.Now()
			order := []int{0, 1, 2, 3, 4, 5, 6, 7}
			sort.SliceStable(order, func(a, b int) bool { return delay(order[a]) < delay(order[b]) })
			for _, i := range order {
				wait(s, start.Add(delay(i)).Sub(s.Now()))
				body := strings.Replace(hello, "Hello", "Hello from worker "+strconv.Itoa(i), 1)
				Expect(c.post("/v1/messages", body, "x-stainless-retry-count", "1").status).To(Equal(200))
			}
		}

		It("passes workers that add their own random wait on top of retry-after", func() {
			pool(func(i int) time.Duration {
				return 2*time.Second + []time.Duration{730, 120, 1940, 455, 1310, 60, 980, 1620}[i]*time.Millisecond
			})
			rep := s.Report()
			Expect(rep.Pass).To(BeTrue())
			Expect(resultOf(rep, "jitter").Summary).To(Equal("8 retries after 429s; never more than 3 within 0.025s"))
		})

		It("fails workers that all sleep exactly retry-after: a retry storm", func() {
			pool(func(int) time.Duration { return 2 * time.Second })
			rep := s.Report()
			Expect(verdictsOf(rep)).To(Equal(map[string]bool{"requests_arrived": true, "faults_fired": true, "respects_retry_after": true, "jitter": false,
				"max_attempts": true, "retries_retryable": true}))
			Expect(resultOf(rep, "jitter").Violations).To(Equal([]expect.Violation{{Requests: []int{9, 10, 11, 12, 13, 14, 15, 16},
				Detail: "requests 9, 10, 11, 12, 13, 14, 15, 16 retried 8 logical requests within 0s of each other after 429s, more than 3 in one 0.025s window (org " +
					s.DefaultOrganization() + ", family haiku-4-5)"}}))
		})
	})
	Describe("partial-stream", func() {
		BeforeEach(func() { playReady(s, "partial-stream") })

		// cutShort sends the first stream and returns the text it delivered
		// before the cut.
		cutShort := func() string {
			r := c.post("/v1/messages", streamed(hello))
			Expect(r.status).To(Equal(200))
			Expect(string(r.body)).NotTo(ContainSubstring("message_stop"))
			var text strings.Builder
			for _, f := range frames(r.body) {
				if data, ok := strings.CutPrefix(f, "event: content_block_delta\ndata: "); ok {
					var ev struct {
						Delta struct{ Text string } `json:"delta"`
					}
					Expect(json.Unmarshal([]byte(strings.TrimSpace(data)), &ev)).To(Succeed())
					text.WriteString(ev.Delta.Text)
				}
			}
			Expect(s.Journal()[0].ContentDeltas).To(Equal(4))
			return text.String()
		}

		It("passes a client that continues from the words it received", func() {
			received := cutShort()
			Expect(received).NotTo(BeEmpty())
			prefill, err := json.Marshal(received)
			Expect(err).NotTo(HaveOccurred())
			continued := strings.Replace(streamed(hello), `"content":"Hello"}]`,
				`"content":"Hello"},{"role":"assistant","content":`+string(prefill)+`}]`, 1)
			Expect(continued).NotTo(Equal(streamed(hello)))
			Expect(strings.Contains(string(c.post("/v1/messages", continued).body), "message_stop")).To(BeTrue())
			rep := s.Report()
			Expect(rep.Pass).To(BeTrue())
			Expect(resultOf(rep, "no_duplicate_output").Summary).To(Equal("1 stream cut after content was delivered; none was sent again with the same body"))
			Expect(resultOf(rep, "no_truncated_accept").Summary).To(Equal("1 cut stream, 1 after content left to no_duplicate_output; each was retried"))
		})

		It("passes a client that reports the error, which the mock cannot tell from one accepting the partial answer", func() {
			cutShort()
			Expect(s.Report().Pass).To(BeTrue())
		})

		It("fails a client that runs the same prompt again, showing its first words twice", func() {
			cutShort()
			Expect(strings.Contains(string(c.post("/v1/messages", streamed(hello)).body), "message_stop")).To(BeTrue())
			rep := s.Report()
			Expect(verdictsOf(rep)).To(Equal(map[string]bool{"requests_arrived": true, "faults_fired": true, "max_attempts": true, "no_truncated_accept": true, "no_duplicate_output": false}))
			Expect(resultOf(rep, "no_duplicate_output").Violations).To(Equal([]expect.Violation{{Requests: []int{1, 2},
				Detail: "request 2 sent the body of request 1 again after its stream broke with 4 content deltas delivered (disconnected): " +
					"the caller may show that output twice (org " + s.DefaultOrganization() + ", family haiku-4-5)"}}))
		})
	})
})
