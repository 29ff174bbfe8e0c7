package expect_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
)

var _ = Describe("Judge", func() {
	var t *traffic

	BeforeEach(func() { t = newTraffic() })

	It("fails a run no request reached, though every rule passes on nothing", func() {
		rep := expect.Judge(expect.Rules{RetriesRetryable: true}, nil, nil)
		Expect(rep).To(Equal(expect.Report{Pass: false, Requests: 0, Results: []expect.Result{
			{Rule: "requests_arrived", Summary: "no request reached the mock — is the client's base URL set?",
				Violations: []expect.Violation{}},
			passed("retries_retryable", "0 retryable answers; no logical request gave up at once"),
		}}))
	})

	It("passes requests_arrived on one request, in the singular", func() {
		sdk.play(t, 0, req{body: "a"}, ok())
		Expect(expect.Judge(expect.Rules{}, t.entries(), nil)).To(Equal(expect.Report{Pass: true, Requests: 1,
			Results: []expect.Result{passed("requests_arrived", "1 request reached the mock")}}))
	})

	It("names each fault that never fired, skipping optional ones, before the rules", func() {
		sdk.play(t, 0, req{body: "a"}, limited(1), ok())
		faults := []expect.Fault{
			{Name: "burst", Kind: "rate_limit", Matched: 2, Fired: 1},
			{Name: "stall", Kind: "stall", Matched: 0, Fired: 0},
			{Name: "late", Kind: "overloaded", Matched: 1, Fired: 0},
			{Name: "ramp", Kind: "acceleration_limit", Matched: 2, Fired: 0, Optional: true},
		}
		rep := expect.Judge(expect.Rules{MaxAttempts: 3}, t.entries(), faults)
		Expect(rep).To(Equal(expect.Report{Pass: false, Requests: 2, Results: []expect.Result{
			passed("requests_arrived", "2 requests reached the mock"),
			failed("faults_fired", "2 violations (4 faults, 1 optional)",
				expect.Violation{Requests: []int{}, Detail: "fault stall (stall) never fired: it matched 0 requests"},
				expect.Violation{Requests: []int{}, Detail: "fault late (overloaded) never fired: it matched 1 request"}),
			passed("max_attempts", "2 requests in 1 logical request; none made more than 3 attempts (most: 2)"),
		}}))
	})

	It("passes faults_fired when every fault fired or is optional", func() {
		sdk.play(t, 0, req{body: "a"}, limited(1), ok())
		faults := []expect.Fault{
			{Name: "burst", Kind: "rate_limit", Matched: 2, Fired: 1},
			{Name: "ramp", Kind: "acceleration_limit", Optional: true},
		}
		Expect(expect.Judge(expect.Rules{}, t.entries(), faults).Results).To(Equal([]expect.Result{
			passed("requests_arrived", "2 requests reached the mock"),
			passed("faults_fired", "2 faults, 1 optional; every fault that is not optional fired"),
		}))
	})

	It("fails the run on a failed rule alone", func() {
		eager.play(t, 0, req{body: "a"}, badRequest, ok())
		rep := expect.Judge(expect.Rules{NoRetryOn: expect.DefaultNoRetryOn}, t.entries(), nil)
		Expect(rep.Pass).To(BeFalse())
		Expect(ruleNames(rep)).To(Equal([]string{"requests_arrived", "no_retry_on"}))
		Expect(rep.Results[0].Pass).To(BeTrue())
	})

	It("writes the empty violations of its checks as lists in JSON", func() {
		a, err := json.Marshal(expect.Judge(expect.Rules{}, nil, []expect.Fault{{Name: "f", Kind: "stall"}}))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(a)).To(Equal(`{"pass":false,"requests":0,"expectations":[` +
			`{"rule":"requests_arrived","pass":false,"summary":"no request reached the mock — is the client's base URL set?","violations":[]},` +
			`{"rule":"faults_fired","pass":false,"summary":"1 violation (1 fault, 0 optional)","violations":[{"requests":[],"detail":"fault f (stall) never fired: it matched 0 requests"}]}]}`))
	})
})

var _ = Describe("Defaults", func() {
	It("are respects_retry_after, no_retry_on, retries_retryable and no_truncated_accept as `true` writes them", func() {
		Expect(expect.Defaults()).To(Equal(expect.Rules{
			RespectsRetryAfter: &expect.RetryAfterRule{Scope: "organization"},
			NoRetryOn:          []int{400, 401, 403, 404, 413},
			RetriesRetryable:   true,
			NoTruncatedAccept:  true,
		}))
	})

	It("hand out their own list, leaving DefaultNoRetryOn alone", func() {
		d := expect.Defaults()
		d.NoRetryOn[0] = 999
		Expect(expect.DefaultNoRetryOn).To(Equal([]int{400, 401, 403, 404, 413}))
	})

	It("judge a client that gives up on a 529 and retries a 400", func() {
		t := newTraffic()
		sdk.play(t, 0, req{body: "a"}, overloaded)
		eager.play(t, sec, req{body: "b"}, badRequest, ok())
		rep := expect.Judge(expect.Defaults(), t.entries(), nil)
		Expect(rep.Pass).To(BeFalse())
		Expect(ruleNames(rep)).To(Equal([]string{"requests_arrived", "respects_retry_after", "no_retry_on",
			"retries_retryable", "no_truncated_accept"}))
		var broken []string
		for _, r := range rep.Results {
			if !r.Pass {
				broken = append(broken, r.Rule)
			}
		}
		Expect(broken).To(Equal([]string{"no_retry_on", "retries_retryable"}))
	})
})

var _ = Describe("Wording", func() {
	It("writes a bound of one in the singular", func() {
		t := newTraffic()
		eager.play(t, 0, req{body: "a"}, apiError, ok())
		rep := expect.Evaluate(expect.Rules{MaxAttempts: 1, MaxRequests: 1}, t.entries())
		Expect(rep.Results).To(Equal([]expect.Result{
			failed("max_attempts", "1 violation (2 requests in 1 logical request)",
				violation("logical request 1 made 2 attempts (requests 1, 2), more than the 1 allowed (org org-a, family sonnet-4)", 1, 2)),
			failed("max_requests", "1 violation (2 requests)",
				violation("request 2 went beyond the 1 request allowed (the run made 2)", 2)),
		}))
		sdk.play(t, sec, req{body: "b"}, ok())
		Expect(expect.Evaluate(expect.Rules{MaxAttempts: 1}, t.entries()[2:]).Results).To(Equal([]expect.Result{
			passed("max_attempts", "1 request in 1 logical request; none made more than 1 attempt (most: 1)"),
		}))
	})
})
