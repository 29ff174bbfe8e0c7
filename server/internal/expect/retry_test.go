package expect_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
)

// storm sends n logical requests of org-a at once and answers them all
// with o 100ms later.
func storm(t *traffic, n int, o journal.Outcome) {
	es := make([]*journal.Entry, n)
	for i := range es {
		es[i] = t.begin(0, req{body: fmt.Sprintf("storm-%d", i)})
	}
	for _, e := range es {
		t.finish(e, 100*ms, o)
	}
}

// retryAt retries storm request i at each offset in at (its first retry),
// every retry answered 100ms later with a success.
func retryAt(t *traffic, at ...time.Duration) {
	for i, a := range at {
		t.call(a, a+100*ms, req{body: fmt.Sprintf("storm-%d", i), retry: 1}, ok())
	}
}

var _ = Describe("respects_retry_after", func() {
	org := expect.Rules{RespectsRetryAfter: &expect.RetryAfterRule{}}

	// earlyNeighbour: request 1 gets a 429 asking for 5s while request 2
	// is in flight; request 3 (another logical request of the same
	// organization and family) comes 1.2s after it, request 4 is another
	// organization's, request 5 is the retry, on time.
	earlyNeighbour := func() *traffic {
		t := newTraffic()
		e1 := t.begin(0, req{body: "a"})
		e2 := t.begin(50*ms, req{body: "b"})
		t.finish(e1, 100*ms, limited(5))
		t.finish(e2, 200*ms, ok())
		t.call(1300*ms, 1400*ms, req{body: "c"}, ok())
		t.call(1500*ms, 1600*ms, req{org: "org-b", body: "d"}, ok())
		t.call(5100*ms, 5200*ms, req{body: "a", retry: 1}, ok())
		return t
	}

	It("passes a client that waits out retry-after while other organizations and families go on", func() {
		t := newTraffic()
		e := t.begin(0, req{body: "a"})
		t.finish(e, 100*ms, limited(5))
		t.call(1*sec, 1100*ms, req{org: "org-b", body: "b"}, ok())
		t.call(2*sec, 2100*ms, req{family: "haiku-4", body: "c"}, ok())
		t.call(5100*ms, 5200*ms, req{body: "a", retry: 1}, ok())
		Expect(only(judge(org, t))).To(Equal(passed("respects_retry_after",
			"4 requests, 1 rate-limited; every request waited out retry-after")))
	})

	It("names another request of the organization and family sent before the deadline, not one already in flight", func() {
		Expect(only(judge(org, earlyNeighbour()))).To(Equal(failed("respects_retry_after",
			"1 violation (5 requests, 1 rate-limited)",
			violation("request 3 came after 1.2s of the 5s the 429 to request 1 asked to wait (requests, org org-a, family sonnet-4)", 1, 3))))
	})

	It("with scope request, only judges retries of the refused request", func() {
		rules := expect.Rules{RespectsRetryAfter: &expect.RetryAfterRule{Scope: "request"}}
		Expect(only(judge(rules, earlyNeighbour()))).To(Equal(passed("respects_retry_after",
			"5 requests, 1 rate-limited; every request waited out retry-after")))
	})

	It("forgives a request early by less than the tolerance", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, limited(5))
		t.call(5050*ms, 5150*ms, req{body: "a", retry: 1}, ok())
		Expect(only(judge(org, t))).To(Equal(failed("respects_retry_after",
			"1 violation (2 requests, 1 rate-limited)",
			violation("request 2 came after 4.95s of the 5s the 429 to request 1 asked to wait (requests, org org-a, family sonnet-4)", 1, 2))))
		rules := expect.Rules{RespectsRetryAfter: &expect.RetryAfterRule{Tolerance: 100 * ms}}
		Expect(only(judge(rules, t)).Pass).To(BeTrue())
	})

	It("ignores spend refusals and 429s without retry-after", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, spendCap())
		t.call(100*ms, 200*ms, req{body: "b"}, failure(429, "rate_limit_error", "true"))
		t.call(200*ms, 300*ms, req{body: "c"}, ok())
		Expect(only(judge(org, t))).To(Equal(passed("respects_retry_after",
			"3 requests, 0 rate-limited; every request waited out retry-after")))
	})

	It("names each early retry of a storm once, against its own 429", func() {
		t := newTraffic()
		storm(t, 10, limited(1))
		for i := range 10 {
			t.call(100*ms, 200*ms, req{body: fmt.Sprintf("storm-%d", i), retry: -1}, ok())
		}
		var want []expect.Violation
		for i := 1; i <= 10; i++ {
			want = append(want, violation(fmt.Sprintf(
				"request %d came after 0s of the 1s the 429 to request %d asked to wait (requests, org org-a, family sonnet-4)", i+10, i), i, i+10))
		}
		Expect(only(judge(org, t))).To(Equal(failed("respects_retry_after",
			"10 violations (20 requests, 10 rate-limited)", want...)))
	})

	It("lists at most 20 violations and counts them all", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a"}, limited(60))
		for i := range 25 {
			at := time.Duration(i+1) * sec
			t.call(at, at+100*ms, req{body: fmt.Sprint(i)}, ok())
		}
		res := only(judge(org, t))
		Expect(res.Pass).To(BeFalse())
		Expect(res.Summary).To(Equal("25 violations, first 20 listed (26 requests, 1 rate-limited)"))
		Expect(res.Violations).To(HaveLen(20))
		Expect(res.Violations[19]).To(Equal(violation(
			"request 21 came after 19.9s of the 60s the 429 to request 1 asked to wait (requests, org org-a, family sonnet-4)", 1, 21)))
	})
})

var _ = Describe("max_attempts", func() {
	rules := expect.Rules{MaxAttempts: 3}

	It("passes an SDK-like client that stops at 3 attempts", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, limited(1), apiError, ok())
		Expect(only(judge(rules, t))).To(Equal(passed("max_attempts",
			"3 requests in 1 logical request; none made more than 3 attempts (most: 3)")))
	})

	It("names every attempt of a logical request tried too often", func() {
		t := newTraffic()
		eager.play(t, 0, req{body: "a"}, apiError, apiError, apiError, apiError, ok())
		sdk.play(t, 1*sec, req{body: "b"}, apiError, ok())
		Expect(only(judge(rules, t))).To(Equal(failed("max_attempts",
			"1 violation (7 requests in 2 logical requests)",
			violation("logical request 1 made 5 attempts (requests 1, 2, 3, 4, 5), more than the 3 allowed (org org-a, family sonnet-4)",
				1, 2, 3, 4, 5))))
	})
})

var _ = Describe("max_attempts of an application retrying around its SDK", func() {
	It("says where the SDK's retry count went back to 0", func() {
		t := newTraffic()
		now := time.Duration(0)
		for range 3 {
			for retry := range 3 {
				t.call(now, now+100*ms, req{body: "a", retry: retry}, overloaded)
				now += time.Duration(retry+1) * 600 * ms
			}
		}
		Expect(only(judge(expect.Rules{MaxAttempts: 3}, t))).To(Equal(failed("max_attempts",
			"1 violation (9 requests in 1 logical request)",
			violation("logical request 1 made 9 attempts (requests 1, 2, 3, 4, 5, 6, 7, 8, 9), more than the 3 allowed; "+
				"X-Stainless-Retry-Count went back to 0 at requests 4, 7: an application retrying on top of its SDK's retries (org org-a, family sonnet-4)",
				1, 2, 3, 4, 5, 6, 7, 8, 9))))
	})
})

var _ = Describe("backoff", func() {
	rules := expect.Rules{Backoff: &expect.BackoffRule{}}
	const held = "none came at once and the waits grew (1.5× within every three, or reached 6s)"

	// waits plays one logical request whose retries wait the given seconds
	// after failed answers (500s, 100ms each), the last one answered 200.
	waits := func(t *traffic, ws ...float64) {
		now := time.Duration(0)
		for i := 0; i <= len(ws); i++ {
			o := apiError
			if i == len(ws) {
				o = ok()
			}
			if i > 0 {
				now += time.Duration(ws[i-1] * float64(sec))
			}
			t.call(now, now+100*ms, req{body: "a", retry: i}, o)
			now += 100 * ms
		}
	}

	It("passes an SDK-like client backing off 0.5s then 1s, or waiting out a shorter retry-after", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, apiError, apiError, ok())
		sdk.play(t, 5*sec, req{body: "b"}, apiError, limited(0.2), ok())
		Expect(only(judge(rules, t))).To(Equal(passed("backoff", "4 retries; "+held)))
	})

	It("names a client retrying on a fixed schedule: three waits in a row that do not grow", func() {
		t := newTraffic()
		steady.play(t, 0, req{body: "a"}, apiError, apiError, apiError, apiError, ok())
		Expect(only(judge(rules, t))).To(Equal(failed("backoff", "1 violation (4 retries)",
			violation("requests 3, 4, 5 waited 1s, 1s, 1s: 3 waits in a row, none 1.5× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 3, 4, 5))))
	})

	It("forgives two waits in a row that do not grow, as full jitter draws them", func() {
		t := newTraffic()
		waits(t, 0.4, 0.5, 0.45, 1)
		Expect(only(judge(rules, t)).Pass).To(BeTrue(), "0.5 < 0.6, 0.45 < 0.6, then 1 ≥ 1.5 × 0.45")
		t = newTraffic()
		waits(t, 0.4, 0.5, 0.45, 0.55)
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("requests 3, 4, 5 waited 0.5s, 0.45s, 0.55s: 3 waits in a row, none 1.5× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 3, 4, 5)}))
	})

	It("holds a wait against the shorter of the two before it, so one long draw does not set the bar", func() {
		t := newTraffic()
		waits(t, 1, 4, 1.6, 1.5, 2.4)
		Expect(only(judge(rules, t)).Pass).To(BeTrue(), "1.6 ≥ 1.5 × 1; 2.4 ≥ 1.5 × 1.5")
	})

	It("names one violation for a run of any length, listing every retry in it", func() {
		t := newTraffic()
		waits(t, 0.2, 0.21, 0.22, 0.2, 0.23, 0.2)
		Expect(only(judge(rules, t))).To(Equal(failed("backoff", "1 violation (6 retries)",
			violation("requests 3, 4, 5, 6, 7 waited 0.21s, 0.22s, 0.2s, 0.23s, 0.2s: 5 waits in a row, none 1.5× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 3, 4, 5, 6, 7))))
	})

	It("counts a wait that served out retry-after as grown, and never holds a wait against it", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a", retry: 0}, apiError)
		t.call(1100*ms, 1200*ms, req{body: "a", retry: 1}, apiError)
		t.call(2200*ms, 2300*ms, req{body: "a", retry: 2}, limited(5))
		t.call(7300*ms, 7400*ms, req{body: "a", retry: 3}, apiError)
		t.call(8400*ms, 8500*ms, req{body: "a", retry: 4}, apiError)
		t.call(9500*ms, 9600*ms, req{body: "a", retry: 5}, ok())
		Expect(only(judge(rules, t)).Pass).To(BeTrue(), "own waits 1s, 1s | 5s served | 1s, 1s: no three in a row")
		t = newTraffic()
		waits(t, 1, 1, 1, 1, 1)
		Expect(only(judge(rules, t)).Violations).To(HaveLen(1), "the same own waits with no retry-after between them")
	})

	It("counts a wait cut short of the retry-after as the client's own", func() {
		t := newTraffic()
		t.call(0, 100*ms, req{body: "a", retry: 0}, apiError)
		t.call(1100*ms, 1200*ms, req{body: "a", retry: 1}, limited(2))
		t.call(2200*ms, 2300*ms, req{body: "a", retry: 2}, limited(2))
		t.call(3300*ms, 3400*ms, req{body: "a", retry: 3}, limited(2))
		t.call(4400*ms, 4500*ms, req{body: "a", retry: 4}, ok())
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("requests 3, 4, 5 waited 1s, 1s, 1s: 3 waits in a row, none 1.5× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 3, 4, 5)}))
	})

	It("stops judging growth once a wait reaches the cap: the SDKs' 8s ceiling less jitter", func() {
		t := newTraffic()
		waits(t, 0.45, 0.8, 1.9, 3.1, 7.2, 6.1, 7.9, 6.4)
		Expect(only(judge(rules, t)).Pass).To(BeTrue())
		t = newTraffic()
		waits(t, 0.5, 1, 2, 2, 2, 2, 2)
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("requests 6, 7, 8 waited 2s, 2s, 2s: 3 waits in a row, none 1.5× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 6, 7, 8)}))
		capped := expect.Rules{Backoff: &expect.BackoffRule{Cap: 2 * sec}}
		Expect(only(judge(capped, t))).To(Equal(passed("backoff",
			"7 retries; none came at once and the waits grew (1.5× within every three, or reached 2s)")))
	})

	It("reads its factor and tolerance from the rule", func() {
		t := newTraffic()
		waits(t, 1, 1.4, 1.45, 1.42, 1.44, 1.43)
		Expect(only(judge(rules, t)).Pass).To(BeFalse())
		Expect(only(judge(expect.Rules{Backoff: &expect.BackoffRule{Tolerance: 100 * ms}}, t)).Violations).To(Equal([]expect.Violation{
			violation("requests 5, 6, 7 waited 1.42s, 1.44s, 1.43s: 3 waits in a row, none 1.5× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 5, 6, 7)}),
			"1.4 + 0.1 and 1.45 + 0.1 reach 1.5 × 1; the rest fall short of 1.5 × 1.4")
		Expect(only(judge(expect.Rules{Backoff: &expect.BackoffRule{Tolerance: 800 * ms}}, t)).Pass).To(BeTrue())
		lenient := expect.Rules{Backoff: &expect.BackoffRule{Factor: 1.01}}
		Expect(only(judge(lenient, t)).Pass).To(BeTrue())
		t = newTraffic()
		waits(t, 1, 1.3, 1.69, 2.2, 2.86)
		Expect(only(judge(rules, t)).Pass).To(BeTrue(), "each wait is 1.69 times the one two before it")
		strict := expect.Rules{Backoff: &expect.BackoffRule{Factor: 2}}
		Expect(only(judge(strict, t))).To(Equal(failed("backoff", "1 violation (5 retries)",
			violation("requests 3, 4, 5, 6 waited 1.3s, 1.69s, 2.2s, 2.86s: 4 waits in a row, none 2× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 3, 4, 5, 6))))
	})

	It("names a linear backoff once its waits grow by less than the factor in two steps", func() {
		t := newTraffic()
		waits(t, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5)
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("requests 8, 9, 10 waited 3.5s, 4s, 4.5s: 3 waits in a row, none 1.5× the shorter of the two before it, below the 6s cap (logical request 1, org org-a, family sonnet-4)", 8, 9, 10)}))
	})

	It("names each retry an immediate-retry client sent at once", func() {
		t := newTraffic()
		eager.play(t, 0, req{body: "a"}, apiError, apiError, ok())
		Expect(only(judge(rules, t))).To(Equal(failed("backoff", "2 violations (2 retries)",
			violation("request 2 retried request 1 immediately, 0s after its 500 (api_error), which asked for no wait (logical request 1, org org-a, family sonnet-4)", 1, 2),
			violation("request 3 retried request 2 immediately, 0s after its 500 (api_error), which asked for no wait (logical request 1, org org-a, family sonnet-4)", 2, 3))))
	})

	It("does not judge a retry sent while its previous attempt was unanswered", func() {
		t := newTraffic()
		e := t.begin(0, req{body: "a", retry: 0})
		for i := 1; i <= 4; i++ {
			t.call(time.Duration(i)*sec, time.Duration(i)*sec+100*ms, req{body: "a", retry: i}, apiError)
		}
		t.finish(e, 10*sec, apiError)
		Expect(only(judge(rules, t))).To(Equal(passed("backoff", "4 retries; "+held)),
			"waits 0.9s, 0.9s, 0.9s: the first retry has no wait, so no run of three follows a first own wait")
	})
})

var _ = Describe("jitter", func() {
	rules := expect.Rules{Jitter: &expect.JitterRule{}}

	It("passes retries spread out after a burst of 429s, two at a time at most", func() {
		t := newTraffic()
		storm(t, 10, limited(1))
		retryAt(t, 1100*ms, 1100*ms, 1300*ms, 1350*ms, 1500*ms, 1650*ms, 1800*ms, 1950*ms, 2100*ms, 2250*ms)
		Expect(only(judge(rules, t))).To(Equal(passed("jitter",
			"10 retries after 429s; never more than 2 within 0.1s")))
	})

	It("names a retry storm: 10 logical requests retrying at the same instant", func() {
		t := newTraffic()
		storm(t, 10, limited(1))
		at := make([]time.Duration, 10)
		for i := range at {
			at[i] = 1100 * ms
		}
		retryAt(t, at...)
		Expect(only(judge(rules, t))).To(Equal(failed("jitter", "1 violation (10 retries after 429s)",
			violation("requests 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 retried 10 logical requests within 0s of each other after 429s, more than 2 in one 0.1s window (org org-a, family sonnet-4)",
				11, 12, 13, 14, 15, 16, 17, 18, 19, 20))))
	})

	It("merges overlapping crowded windows into one cluster", func() {
		t := newTraffic()
		storm(t, 6, limited(1))
		retryAt(t, 1000*ms, 1030*ms, 1060*ms, 1090*ms, 1120*ms, 1150*ms)
		Expect(only(judge(rules, t)).Violations).To(Equal([]expect.Violation{
			violation("requests 7, 8, 9, 10, 11, 12 retried 6 logical requests within 0.15s of each other after 429s, more than 2 in one 0.1s window (org org-a, family sonnet-4)",
				7, 8, 9, 10, 11, 12)}))
	})

	It("reads its window and count from the rule", func() {
		t := newTraffic()
		storm(t, 4, limited(1))
		retryAt(t, 1100*ms, 1400*ms, 1700*ms, 2000*ms)
		Expect(only(judge(rules, t)).Pass).To(BeTrue())
		wide := expect.Rules{Jitter: &expect.JitterRule{Window: sec, MaxTogether: 3}}
		Expect(only(judge(wide, t))).To(Equal(failed("jitter", "1 violation (4 retries after 429s)",
			violation("requests 5, 6, 7, 8 retried 4 logical requests within 0.9s of each other after 429s, more than 3 in one 1s window (org org-a, family sonnet-4)",
				5, 6, 7, 8))))
	})

	It("only counts retries that follow 429s", func() {
		t := newTraffic()
		storm(t, 5, overloaded)
		retryAt(t, 100*ms, 100*ms, 100*ms, 100*ms, 100*ms)
		Expect(only(judge(rules, t))).To(Equal(passed("jitter",
			"0 retries after 429s; never more than 2 within 0.1s")))
	})
})
