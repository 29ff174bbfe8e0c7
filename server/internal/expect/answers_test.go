package expect_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
)

var _ = Describe("no_retry_on", func() {
	rules := expect.Rules{NoRetryOn: expect.DefaultNoRetryOn}

	It("passes a client that gives up on 4xx and spend refusals, and retries what it was told to", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, badRequest)
		sdk.play(t, 1*sec, req{body: "b"}, unauthorized)
		sdk.play(t, 2*sec, req{body: "c"}, spendCap())
		sdk.play(t, 3*sec, req{body: "d"}, overloaded, ok())
		sdk.play(t, 5*sec, req{body: "e"}, failure(400, "invalid_request_error", "true"), ok())
		Expect(only(judge(rules, t))).To(Equal(passed("no_retry_on",
			"2 answers with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal; none retried")))
	})

	It("names a client that retries a 400, but not one retrying the spend cap's 429 as the SDKs do", func() {
		t := newTraffic()
		eager.play(t, 0, req{body: "a"}, badRequest, ok())
		sdk.play(t, 1*sec, req{body: "b"}, spendCap(), ok())
		Expect(only(judge(rules, t))).To(Equal(failed("no_retry_on",
			"1 violation (1 answer with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal)",
			violation("request 2 retried the 400 (invalid_request_error) to request 1, which is not retryable (org org-a, family sonnet-4)", 1, 2))))
	})

	It("with an empty list, still forbids retrying spend refusals", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, failure(400, "invalid_request_error", ""), ok())
		sdk.play(t, 1*sec, req{body: "b"}, noCredit(), ok())
		rules := expect.Rules{NoRetryOn: []int{}}
		Expect(only(judge(rules, t))).To(Equal(failed("no_retry_on", "1 violation (1 answer with x-should-retry: false or a spend refusal)",
			violation("request 4 retried the 400 (invalid_request_error) to request 3, a spend refusal (org org-a, family sonnet-4)", 3, 4))))
	})

	It("names a client that retries an answer marked x-should-retry: false, whatever its status", func() {
		t := newTraffic()
		oversized := failure(429, "rate_limit_error", "false")
		sdk.play(t, 0, req{body: "a"}, oversized)
		eager.play(t, 1*sec, req{body: "b"}, oversized, oversized)
		Expect(only(judge(rules, t))).To(Equal(failed("no_retry_on",
			"1 violation (3 answers with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal)",
			violation("request 3 retried the 429 (rate_limit_error) to request 2, which said x-should-retry: false (org org-a, family sonnet-4)", 2, 3))))
	})
})

var _ = Describe("retries_retryable", func() {
	rules := expect.Rules{RetriesRetryable: true}

	It("passes a client that retries 429s and 500s and gives up on what cannot succeed", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, limited(1), ok())
		sdk.play(t, 2*sec, req{body: "b"}, apiError, apiError)
		sdk.play(t, 4*sec, req{body: "c"}, spendCap())
		sdk.play(t, 5*sec, req{body: "d"}, badRequest)
		Expect(only(judge(rules, t))).To(Equal(passed("retries_retryable",
			"3 retryable answers; no logical request gave up at once")))
	})

	It("does not count a 429 marked x-should-retry: false as retryable", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, failure(429, "rate_limit_error", "false"))
		Expect(only(judge(rules, t))).To(Equal(passed("retries_retryable",
			"0 retryable answers; no logical request gave up at once")))
	})

	It("counts a stream that broke after its 200 with an overloaded_error event as retryable, and an application's re-send as its retry", func() {
		broke := func(typ string) journal.Outcome {
			o := cut(journal.ErrorEvent)
			o.ErrorType = typ
			return o
		}
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a", retry: 0}, broke("overloaded_error"))
		t.call(1*sec, 1100*ms, req{body: "a", retry: 0}, ok())
		t.call(2*sec, 2100*ms, req{body: "b", retry: 0}, broke("overloaded_error"))
		t.call(3*sec, 3100*ms, req{body: "c", retry: 0}, broke("invalid_request_error"))
		t.call(4*sec, 4100*ms, req{body: "d", retry: 0}, cut(journal.Cut))
		late := broke("overloaded_error")
		late.ContentDeltas = 3
		t.call(5*sec, 5100*ms, req{body: "e", retry: 0}, late)
		Expect(only(judge(rules, t))).To(Equal(failed("retries_retryable", "1 violation (2 retryable answers)",
			violation("request 3 gave up at once after its cut stream (error_event overloaded_error), which is retryable (org org-a, family sonnet-4)", 3))),
			"a stream cut without an error event is no_truncated_accept's business; one that broke after content, no_duplicate_output's")
	})

	It("names a request given up after one retryable answer, not one still in flight", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, overloaded)
		t.begin(1*sec, req{body: "b"})
		Expect(only(judge(rules, t))).To(Equal(failed("retries_retryable", "1 violation (1 retryable answer)",
			violation("request 1 gave up at once after its 529 (overloaded_error), which is retryable (org org-a, family sonnet-4)", 1))))
	})
})

var _ = Describe("no_truncated_accept", func() {
	rules := expect.Rules{NoTruncatedAccept: true}

	It("passes a client that retries a malformed stream", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, cut(journal.Malformed), ok())
		Expect(only(judge(rules, t))).To(Equal(passed("no_truncated_accept",
			"1 cut stream; each was retried")))
	})

	It("passes an application that asks again with a new SDK call, its retry count back at 0", func() {
		t := newTraffic()
		t.call(0, 500*ms, req{body: "a", retry: 0}, cut(journal.Cut))
		t.call(1*sec, 1500*ms, req{body: "a", retry: 0}, ok())
		Expect(only(judge(rules, t))).To(Equal(passed("no_truncated_accept",
			"1 cut stream; each was retried")))
	})

	It("names a client accepting a cut stream", func() {
		t := newTraffic()
		t.call(0, 500*ms, req{body: "a"}, cut(journal.Cut))
		t.call(1*sec, 1500*ms, req{body: "b"}, cut(journal.ErrorEvent))
		Expect(only(judge(rules, t))).To(Equal(failed("no_truncated_accept", "2 violations (2 cut streams)",
			violation("request 1 accepted a cut stream (disconnected): no retry followed (org org-a, family sonnet-4)", 1),
			violation("request 2 accepted a cut stream (error_event): no retry followed (org org-a, family sonnet-4)", 2))))
	})
})

// shown is a stream cut (as delivery says) after n content deltas
// reached the client.
func shown(delivery string, n int) journal.Outcome {
	o := cut(delivery)
	o.ContentDeltas = n
	return o
}

var _ = Describe("no_duplicate_output", func() {
	rules := expect.Rules{NoDuplicateOutput: true}

	It("passes a client that continues a stream cut after content with a new body, or reports the error", func() {
		t := newTraffic()
		t.call(0, 500*ms, req{body: "a", retry: 0}, shown(journal.Cut, 4))
		t.call(1*sec, 1500*ms, req{body: "a + the 4 deltas as an assistant turn", retry: 0}, ok())
		t.call(2*sec, 2500*ms, req{body: "b", retry: 0}, shown(journal.ErrorEvent, 2))
		t.call(3*sec, 3500*ms, req{body: "c", retry: 0}, cut(journal.Cut))
		t.call(4*sec, 4500*ms, req{body: "c", retry: 0}, ok())
		Expect(only(judge(rules, t))).To(Equal(passed("no_duplicate_output",
			"2 streams cut after content was delivered; none was sent again with the same body")),
			"request 5 repeats a stream cut before any content: nothing was shown twice")
	})

	It("names a client that sends the same body again after output reached it, once per cut stream", func() {
		t := newTraffic()
		t.call(0, 500*ms, req{body: "a", retry: 0}, shown(journal.Cut, 4))
		t.call(1*sec, 1500*ms, req{body: "a", retry: 0}, shown(journal.Malformed, 1))
		t.call(2*sec, 2500*ms, req{body: "a", retry: 1}, ok())
		t.call(3*sec, 3500*ms, req{body: "a", retry: 0}, ok())
		Expect(only(judge(rules, t))).To(Equal(failed("no_duplicate_output", "2 violations (2 streams cut after content was delivered)",
			violation("request 2 sent the body of request 1 again after its stream broke with 4 content deltas delivered (disconnected): the caller may show that output twice (org org-a, family sonnet-4)", 1, 2),
			violation("request 3 sent the body of request 2 again after its stream broke with 1 content delta delivered (malformed): the caller may show that output twice (org org-a, family sonnet-4)", 2, 3))))
	})

	It("does not count a request sent while the cut stream was still in flight", func() {
		t := newTraffic()
		e := t.begin(0, req{body: "a"})
		t.call(100*ms, 200*ms, req{body: "a"}, ok())
		t.finish(e, 500*ms, shown(journal.ClientGone, 3))
		Expect(only(judge(rules, t)).Pass).To(BeTrue())
	})

	It("leaves cuts after content to itself when no_truncated_accept is on too, which still wants cuts before content retried", func() {
		t := newTraffic()
		t.call(0, 500*ms, req{body: "a"}, shown(journal.Cut, 4))
		t.call(1*sec, 1500*ms, req{body: "b"}, cut(journal.Cut))
		both := judge(expect.Rules{NoTruncatedAccept: true, NoDuplicateOutput: true}, t)
		Expect(both.Results).To(Equal([]expect.Result{
			failed("no_truncated_accept", "1 violation (2 cut streams, 1 after content left to no_duplicate_output)",
				violation("request 2 accepted a cut stream (disconnected): no retry followed (org org-a, family sonnet-4)", 2)),
			passed("no_duplicate_output", "1 stream cut after content was delivered; none was sent again with the same body"),
		}))
		alone := judge(expect.Rules{NoTruncatedAccept: true}, t)
		Expect(only(alone).Violations).To(HaveLen(2))
	})
})

var _ = Describe("read_timeout", func() {
	rules := expect.Rules{ReadTimeout: 30 * sec}

	It("passes a client that leaves a stall within its read timeout and retries", func() {
		t := newTraffic()
		t.call(0, 30500*ms, req{body: "a", retry: 0}, stall(500*ms, journal.ClientGone))
		t.call(31*sec, 32*sec, req{body: "a", retry: 1}, ok())
		Expect(only(judge(rules, t))).To(Equal(passed("read_timeout",
			"1 stalled stream; the client left each within 30s of its last byte")))
	})

	It("names a client without read timeout, and one that left too late", func() {
		t := newTraffic()
		t.call(0, 600500*ms, req{body: "a"}, stall(500*ms, journal.Stalled))
		t.call(601*sec, 646500*ms, req{body: "b"}, stall(601500*ms, journal.ClientGone))
		Expect(only(judge(rules, t))).To(Equal(failed("read_timeout", "2 violations (2 stalled streams)",
			violation("request 1 stalled and the client never left: the server ended the stall after 600s, past the 30s read timeout (org org-a, family sonnet-4)", 1),
			violation("request 2 stalled and the client waited 45s before leaving, longer than the 30s read timeout (org org-a, family sonnet-4)", 2))))
	})

	It("does not judge a stall the server ended before the timeout", func() {
		t := newTraffic()
		t.call(0, 5500*ms, req{body: "a"}, stall(500*ms, journal.Stalled))
		Expect(only(judge(rules, t))).To(Equal(passed("read_timeout",
			"1 stalled stream (1 ended by the server within 30s, not judged); the client left each within 30s of its last byte")))
	})
})

var _ = Describe("stops_on_spend_cap", func() {
	rules := expect.Rules{StopsOnSpendCap: true}

	It("passes when the refused organization stops and the others go on", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, spendCap())
		t.call(1*sec, 1100*ms, req{org: "org-b", body: "b"}, ok())
		t.call(2*sec, 2100*ms, req{org: "org-b", body: "c"}, ok())
		Expect(only(judge(rules, t))).To(Equal(passed("stops_on_spend_cap",
			"3 requests, 1 spend refusal; no organization sent a request after its refusal")))
	})

	It("leaves the SDK's own retries of the cap's 429 to no_retry_on", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, spendCap(), spendCap(), spendCap())
		Expect(only(judge(rules, t))).To(Equal(passed("stops_on_spend_cap",
			"3 requests, 3 spend refusals; no organization sent a request after its refusal")))
	})

	It("names each later request of the refused organization, not one already in flight", func() {
		t := newTraffic()
		e1 := t.begin(0, req{body: "a"})
		e2 := t.begin(50*ms, req{body: "b"})
		t.finish(e1, 100*ms, spendCap())
		t.finish(e2, 200*ms, ok())
		t.call(1*sec, 1100*ms, req{org: "org-b", body: "c"}, ok())
		t.call(2100*ms, 2200*ms, req{family: "haiku-4", body: "d"}, noCredit())
		t.call(3*sec, 3100*ms, req{body: "e"}, ok())
		Expect(only(judge(rules, t))).To(Equal(failed("stops_on_spend_cap", "2 violations (5 requests, 2 spend refusals)",
			violation("request 4 came 2s after the spend refusal to request 1 (429 enforced_spend_limit_reached, org org-a)", 1, 4),
			violation("request 5 came 2.9s after the spend refusal to request 1 (429 enforced_spend_limit_reached, org org-a)", 1, 5))))
	})
})

var _ = Describe("max_concurrency", func() {
	rules := expect.Rules{MaxConcurrency: 4}

	It("passes a client sending one request at a time", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, apiError, apiError, ok())
		Expect(only(judge(rules, t))).To(Equal(passed("max_concurrency",
			"3 requests, at most 1 in flight; never more than 4 at once")))
	})

	It("names where the most requests were in flight", func() {
		t := newTraffic()
		storm(t, 10, ok())
		Expect(only(judge(rules, t))).To(Equal(failed("max_concurrency", "1 violation (10 requests, at most 10 in flight)",
			violation("request 10 arrived with 10 requests in flight, more than the 4 allowed (6 requests arrived above 4)", 10))))
	})

	It("names every request the peak was seen at", func() {
		t := newTraffic()
		storm(t, 5, ok())
		storm(t, 5, ok())
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("requests 5, 10 arrived with 5 requests in flight, more than the 4 allowed (2 requests arrived above 4)", 5, 10)}))
	})
})

var _ = Describe("max_requests", func() {
	rules := expect.Rules{MaxRequests: 5}

	It("passes a run within the cap", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, apiError, apiError, apiError, apiError, ok())
		Expect(only(judge(rules, t))).To(Equal(passed("max_requests", "5 requests; no more than the 5 allowed")))
	})

	It("names the first request beyond the cap", func() {
		t := newTraffic()
		steady.play(t, 0, req{body: "a"}, apiError, apiError, apiError, apiError, apiError, apiError, ok())
		Expect(only(judge(rules, t))).To(Equal(failed("max_requests", "1 violation (7 requests)",
			violation("request 6 went beyond the 5 requests allowed (the run made 7)", 6))))
	})
})
