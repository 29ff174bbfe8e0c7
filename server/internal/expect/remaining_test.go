package expect_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
)

var _ = Describe("respects_remaining", func() {
	rules := expect.Rules{RespectsRemaining: &expect.RemainingRule{}}

	// spent is a 200 whose headers say the requests bucket is empty until
	// 60s (and input tokens plenty).
	spent := func() journal.Outcome {
		return reporting(ok(), bucket("requests", 0, 60*sec), bucket("input_tokens", 49000, 2*sec))
	}
	// fresh is a 200 with every bucket holding some.
	fresh := func() journal.Outcome {
		return reporting(ok(), bucket("requests", 3, 20*sec), bucket("input_tokens", 49000, 2*sec))
	}

	It("passes a client that waits for the reset of a bucket reported empty", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, fresh())
		t.call(200*ms, 300*ms, req{body: "b"}, spent())
		t.call(60*sec, 60*sec+100*ms, req{body: "c"}, fresh())
		Expect(only(judge(rules, t))).To(Equal(passed("respects_remaining",
			"3 requests, 1 answer reporting an empty bucket without retry-after; none was sent while an empty bucket's reset lay ahead")))
	})

	It("names a request a blind client sent before the reset", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, spent())
		t.call(1*sec, 1100*ms, req{body: "b"}, reporting(limited(11), bucket("requests", 0, 61*sec)))
		t.call(12100*ms, 12200*ms, req{body: "b", retry: 1}, spent())
		Expect(only(judge(rules, t))).To(Equal(failed("respects_remaining",
			"1 violation (3 requests, 2 answers reporting an empty bucket without retry-after)",
			violation("request 2 was sent 0.9s after the answer to request 1 reported requests remaining 0, 59s before its reset (org org-a, family sonnet-4)", 1, 2))),
			"request 3 follows the 429's retry-after, which the rule leaves to respects_retry_after")
	})

	It("reads only the latest answer of the organization and family, and no other's", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, spent())
		t.call(100*ms, 200*ms, req{org: "org-b", body: "b"}, ok())
		t.call(200*ms, 300*ms, req{family: "haiku-4-5", body: "c"}, ok())
		t.call(20*sec, 20*sec+100*ms, req{body: "d"}, fresh())
		e := t.begin(21*sec, req{body: "e"})
		t.call(22*sec, 22*sec+100*ms, req{body: "f"}, spent())
		t.finish(e, 23*sec, fresh())
		t.call(24*sec, 24*sec+100*ms, req{body: "g"}, ok())
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("request 4 was sent 19.9s after the answer to request 1 reported requests remaining 0, 40s before its reset (org org-a, family sonnet-4)", 1, 4),
		}), "request 5, answered at 23s after request 6's empty report, lifts it: the latest answer counts")
	})

	It("does not judge a request already in flight when the empty bucket was reported", func() {
		t := newTraffic()
		e1 := t.begin(0, req{body: "a"})
		e2 := t.begin(50*ms, req{body: "b"})
		t.finish(e1, 100*ms, spent())
		t.finish(e2, 200*ms, fresh())
		Expect(only(judge(rules, t)).Pass).To(BeTrue())
	})

	It("names the bucket that is full again the latest, and forgives the tolerance", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, reporting(ok(), bucket("requests", 0, 30*sec), bucket("tokens", 0, 50*sec)))
		t.call(49800*ms, 49900*ms, req{body: "b"}, ok())
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("request 2 was sent 49.7s after the answer to request 1 reported tokens remaining 0, 0.2s before its reset (org org-a, family sonnet-4)", 1, 2)}))
		tolerant := expect.Rules{RespectsRemaining: &expect.RemainingRule{Tolerance: 200 * ms}}
		Expect(only(judge(tolerant, t)).Pass).To(BeTrue())
	})

	It("passes over answers that carried no rate-limit headers", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, spent())
		t.call(60*sec, 60*sec+100*ms, req{body: "b"}, unauthorized)
		t.call(61*sec, 61*sec+100*ms, req{body: "c"}, ok())
		t2 := newTraffic()
		t2.call(0, 100*ms, req{body: "a"}, spent())
		t2.call(1*sec, 1100*ms, req{body: "b"}, unauthorized)
		t2.call(2*sec, 2100*ms, req{body: "c"}, ok())
		Expect(only(judge(rules, t)).Pass).To(BeTrue())
		Expect(only(judge(rules, t2)).Violations).To(HaveLen(2), "the 401 does not lift the empty report")
	})
})
