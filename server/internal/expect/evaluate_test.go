package expect_test

import (
	"encoding/json"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
)

// every switches every rule on.
var every = expect.Rules{
	RespectsRetryAfter: &expect.RetryAfterRule{},
	RespectsRemaining:  &expect.RemainingRule{},
	MaxAttempts:        3,
	Backoff:            &expect.BackoffRule{},
	Jitter:             &expect.JitterRule{},
	NoRetryOn:          expect.DefaultNoRetryOn,
	RetriesRetryable:   true,
	NoTruncatedAccept:  true,
	NoDuplicateOutput:  true,
	ReadTimeout:        30 * sec,
	StopsOnSpendCap:    true,
	MaxConcurrency:     4,
	MaxRequests:        100,
}

// ruleNames lists a report's rule names, in order.
func ruleNames(rep expect.Report) []string {
	var names []string
	for _, r := range rep.Results {
		names = append(names, r.Rule)
	}
	return names
}

// chaos is a run that breaks most rules: a storm of 10 requests answered
// with 429s, retried together at once three times, then a cut stream
// accepted and an overload given up.
func chaos() []journal.Entry {
	t := newTraffic()
	storm(t, 10, limited(2))
	for round := range 3 {
		at := time.Duration(round+1) * 100 * ms
		for i := range 10 {
			t.call(at, at+100*ms, req{body: fmt.Sprintf("storm-%d", i), retry: -1}, overloaded)
		}
	}
	t.call(2*sec, 2500*ms, req{body: "cut"}, cut(journal.Cut))
	t.call(3*sec, 3100*ms, req{body: "give-up"}, overloaded)
	return t.entries()
}

var _ = Describe("Evaluate", func() {
	It("judges nothing when no rule is on", func() {
		Expect(expect.Evaluate(expect.Rules{}, chaos())).To(Equal(expect.Report{
			Pass: true, Requests: 42, Results: []expect.Result{}}))
		Expect(expect.Evaluate(expect.Rules{}, nil)).To(Equal(expect.Report{
			Pass: true, Requests: 0, Results: []expect.Result{}}))
	})

	It("passes a well-behaved SDK-like client on every rule, in Rules' field order", func() {
		t := newTraffic()
		end := sdk.play(t, 0, req{body: "a"}, limited(2), apiError, ok())
		end = sdk.play(t, end, req{body: "b"}, cut(journal.ErrorEvent), ok())
		sdk.play(t, end, req{body: "c"}, badRequest)
		rep := judge(every, t)
		Expect(ruleNames(rep)).To(Equal([]string{"respects_retry_after", "respects_remaining", "max_attempts", "backoff", "jitter",
			"no_retry_on", "retries_retryable", "no_truncated_accept", "no_duplicate_output", "read_timeout", "stops_on_spend_cap",
			"max_concurrency", "max_requests"}))
		for _, r := range rep.Results {
			Expect(r.Pass).To(BeTrue(), "%s: %s", r.Rule, r.Summary)
		}
		Expect(rep.Pass).To(BeTrue())
		Expect(rep.Requests).To(Equal(6))
	})

	It("fails the report when one rule fails, and says which", func() {
		rep := expect.Evaluate(every, chaos())
		Expect(rep.Pass).To(BeFalse())
		var broken []string
		for _, r := range rep.Results {
			if !r.Pass {
				broken = append(broken, r.Rule)
			}
		}
		Expect(broken).To(Equal([]string{"respects_retry_after", "max_attempts", "backoff", "jitter",
			"retries_retryable", "no_truncated_accept", "max_concurrency"}))
	})

	It("is deterministic: the same entries give an equal report, byte for byte", func() {
		entries := chaos()
		first := expect.Evaluate(every, entries)
		for range 20 {
			Expect(expect.Evaluate(every, entries)).To(Equal(first))
		}
		a, err := json.Marshal(first)
		Expect(err).NotTo(HaveOccurred())
		b, err := json.Marshal(expect.Evaluate(every, chaos()))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(b)).To(Equal(string(a)))
	})

	It("leaves the entries it reads untouched", func() {
		entries := chaos()
		before := append([]journal.Entry{}, entries...)
		expect.Evaluate(every, entries)
		Expect(entries).To(Equal(before))
	})

	It("writes empty lists, not null, in JSON", func() {
		a, err := json.Marshal(expect.Evaluate(expect.Rules{MaxRequests: 5}, nil))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(a)).To(Equal(`{"pass":true,"requests":0,"expectations":[{"rule":"max_requests","pass":true,"summary":"0 requests; no more than the 5 allowed","violations":[]}]}`))
	})
})
