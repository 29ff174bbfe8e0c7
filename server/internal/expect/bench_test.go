package expect_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
)

// BenchmarkEvaluate judges a run of 10,000 requests (a third of them
// retried once after a 429, some cut after content, the rest reporting
// their requests bucket) against every rule.
func BenchmarkEvaluate(b *testing.B) {
	j := journal.New()
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	wait := 2.0
	for i := range 10_000 {
		at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		e := journal.Entry{Time: at, Endpoint: "messages", Organization: "org-a", Family: "sonnet-4", RetryCount: 0,
			Fingerprint: journal.Fingerprint("sk-a", "messages", fmt.Appendf(nil, "%d", i/2))}
		if i%3 == 0 {
			j.Finish(j.Begin(e), journal.Outcome{End: at, Status: 429, RetryAfter: &wait, Delivery: journal.Complete})
			continue
		}
		o := journal.Outcome{End: at, Status: 200, Delivery: journal.Complete,
			RateLimits: []journal.RateLimit{{Bucket: "requests", Remaining: int64(i % 5), Reset: at.Add(time.Minute)}}}
		if i%7 == 0 {
			o.Delivery, o.ContentDeltas = journal.Cut, 3
		}
		j.Finish(j.Begin(e), o)
	}
	entries := j.Entries()
	rules := expect.Rules{
		RespectsRetryAfter: &expect.RetryAfterRule{}, RespectsRemaining: &expect.RemainingRule{}, MaxAttempts: 3,
		Backoff: &expect.BackoffRule{}, Jitter: &expect.JitterRule{}, NoRetryOn: expect.DefaultNoRetryOn, RetriesRetryable: true,
		NoTruncatedAccept: true, NoDuplicateOutput: true, ReadTimeout: time.Minute, StopsOnSpendCap: true,
		MaxConcurrency: 8, MaxRequests: 100_000,
	}
	b.ReportAllocs()
	for b.Loop() {
		expect.Evaluate(rules, entries)
	}
}
