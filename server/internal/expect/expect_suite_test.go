package expect_test

import (
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
)

func TestExpect(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Expect Suite")
}

// t0 is the virtual instant every run starts at.
var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// ms and sec shorten the virtual offsets the specs are written in.
const (
	ms  = time.Millisecond
	sec = time.Second
)

// traffic drives a real journal as the server does: Begin when a request
// arrives, Finish when its answer ends, at explicit virtual offsets from
// t0, so that the entries judged are the ones the server would produce.
type traffic struct{ j *journal.Journal }

func newTraffic() *traffic { return &traffic{j: journal.New()} }

// req is what a client sends: its organization and model family
// (default org-a, sonnet-4), a body standing for its content, and its
// X-Stainless-Retry-Count (-1 when it sends none).
type req struct {
	org, family, body string
	retry             int
}

// begin records req arriving at offset at.
func (t *traffic) begin(at time.Duration, r req) *journal.Entry {
	if r.org == "" {
		r.org = "org-a"
	}
	if r.family == "" {
		r.family = "sonnet-4"
	}
	key := "sk-ant-" + r.org
	return t.j.Begin(journal.Entry{
		RequestID: fmt.Sprintf("req_%d", t.j.Len()+1), Time: t0.Add(at),
		Method: "POST", Path: "/v1/messages", Endpoint: "messages",
		Key: journal.Redact(key), Organization: r.org, Workspace: "default",
		Model: "claude-" + r.family, Family: r.family, Stream: true, RetryCount: r.retry,
		Fingerprint: journal.Fingerprint(key, "messages", []byte(r.body)),
	})
}

// finish records e answered with o, ending at offset at.
func (t *traffic) finish(e *journal.Entry, at time.Duration, o journal.Outcome) {
	o.End = t0.Add(at)
	t.j.Finish(e, o)
}

// call records a request answered before the next one arrives.
func (t *traffic) call(from, to time.Duration, r req, o journal.Outcome) {
	t.finish(t.begin(from, r), to, o)
}

// entries is the journal as Evaluate reads it.
func (t *traffic) entries() []journal.Entry { return t.j.Entries() }

// ok is a complete success.
func ok() journal.Outcome {
	return journal.Outcome{Status: 200, Delivery: journal.Complete}
}

// limited is a 429 for requests per minute asking to wait retryAfter
// seconds.
func limited(retryAfter float64) journal.Outcome {
	return journal.Outcome{Status: 429, ErrorType: "rate_limit_error", ShouldRetry: "true",
		RetryAfter: &retryAfter, Dimension: "requests", Delivery: journal.Complete}
}

// reporting is o carrying rate-limit headers: bucket, remaining, reset
// (an offset from t0) for each bucket given.
func reporting(o journal.Outcome, buckets ...journal.RateLimit) journal.Outcome {
	o.RateLimits = buckets
	return o
}

// bucket is one rate-limit bucket as an answer reports it, its reset at
// offset reset from t0.
func bucket(name string, remaining int64, reset time.Duration) journal.RateLimit {
	return journal.RateLimit{Bucket: name, Remaining: remaining, Reset: t0.Add(reset)}
}

// failure is an error answer with no retry-after.
func failure(status int, errorType, shouldRetry string) journal.Outcome {
	return journal.Outcome{Status: status, ErrorType: errorType, ShouldRetry: shouldRetry,
		Delivery: journal.Complete}
}

// The error answers the specs use most.
var (
	apiError     = failure(500, "api_error", "true")
	overloaded   = failure(529, "overloaded_error", "true")
	badRequest   = failure(400, "invalid_request_error", "false")
	unauthorized = failure(401, "authentication_error", "false")
)

// spendCap is the 429 of an organization's spend cap: no retry-after.
func spendCap() journal.Outcome {
	return journal.Outcome{Status: 429, ErrorType: "rate_limit_error",
		ErrorCode: "enforced_spend_limit_reached", ShouldRetry: "false",
		Delivery: journal.Complete, Spend: true}
}

// noCredit is the 400 of an empty credit balance.
func noCredit() journal.Outcome {
	return journal.Outcome{Status: 400, ErrorType: "invalid_request_error",
		Delivery: journal.Complete, Spend: true}
}

// cut is a 200 stream that did not reach message_stop.
func cut(delivery string) journal.Outcome {
	return journal.Outcome{Status: 200, Delivery: delivery}
}

// stall is a 200 stream that went silent at offset since and ended as
// delivery says (the client left, or the server ended the stall).
func stall(since time.Duration, delivery string) journal.Outcome {
	at := t0.Add(since)
	return journal.Outcome{Status: 200, Delivery: delivery, StalledAt: &at}
}

// client plays logical requests one attempt after another, as an SDK
// does: every answer takes latency, and the next attempt comes wait after
// it.
type client struct {
	header  bool // sends X-Stainless-Retry-Count
	latency time.Duration
	wait    func(attempt int, o journal.Outcome) time.Duration
}

// play sends r from offset start until answers run out (the last answer
// is the one the client keeps), and returns when the last answer ended.
func (c client) play(t *traffic, start time.Duration, r req, answers ...journal.Outcome) time.Duration {
	now := start
	for i, o := range answers {
		r.retry = -1
		if c.header {
			r.retry = i
		}
		if i > 0 {
			now += c.wait(i, answers[i-1])
		}
		t.call(now, now+c.latency, r, o)
		now += c.latency
	}
	return now
}

// Client shapes seen in the wild.
var (
	// sdk waits out retry-after, else backs off 0.5s, 1s, 2s…
	sdk = client{header: true, latency: 100 * ms, wait: func(n int, o journal.Outcome) time.Duration {
		if o.RetryAfter != nil {
			return time.Duration(*o.RetryAfter * float64(sec))
		}
		return 500 * ms << (n - 1)
	}}
	// eager retries the moment an answer fails, without the header.
	eager = client{latency: 100 * ms, wait: func(int, journal.Outcome) time.Duration { return 0 }}
	// steady retries every second whatever it was told.
	steady = client{header: true, latency: 100 * ms, wait: func(int, journal.Outcome) time.Duration { return sec }}
)

// judge evaluates the traffic by rules.
func judge(r expect.Rules, t *traffic) expect.Report { return expect.Evaluate(r, t.entries()) }

// only is the single result of a report judged by one rule.
func only(rep expect.Report) expect.Result {
	ExpectWithOffset(1, rep.Results).To(HaveLen(1))
	return rep.Results[0]
}

// passed is the result of a rule that held.
func passed(rule, summary string) expect.Result {
	return expect.Result{Rule: rule, Pass: true, Summary: summary, Violations: []expect.Violation{}}
}

// failed is the result of a rule that broke.
func failed(rule, summary string, v ...expect.Violation) expect.Result {
	return expect.Result{Rule: rule, Summary: summary, Violations: v}
}

// violation is one breach.
func violation(detail string, seqs ...int) expect.Violation {
	return expect.Violation{Requests: seqs, Detail: detail}
}
