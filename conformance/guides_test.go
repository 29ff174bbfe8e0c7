package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// journaled is what the journal says of one request: its status, the
// X-Stainless-Retry-Count it carried and the limit a 429 named.
type journaled struct {
	Status, RetryCount int
	Dimension          string
}

// journaledAll lists the journal, request by request.
func journaledAll(srv *server.Server) []journaled {
	var out []journaled
	for _, e := range srv.Journal() {
		out = append(out, journaled{e.Status, e.RetryCount, e.Dimension})
	}
	return out
}

// passesEveryRule checks that the report passes with requests_arrived and
// exactly the rules the guide scenarios declare (they declare no faults, so
// there is no faults_fired).
func passesEveryRule(srv *server.Server) {
	GinkgoHelper()
	rep := srv.Report()
	Expect(rep.Pass).To(BeTrue(), fmt.Sprintf("%+v", rep))
	Expect(verdicts(rep)).To(Equal(map[string]bool{
		"requests_arrived": true, "respects_retry_after": true, "max_attempts": true, "backoff": true,
		"no_retry_on": true, "retries_retryable": true,
	}))
}

// forwardTo moves the virtual clock to t unless it is already past it: the
// specs below keep to a schedule of virtual minutes however slowly answers
// come (under -race, on a busy machine), without ever moving time back once
// a request has been sent. Each schedule starts by setting the scenario's
// start time again, which the server's own start-up may have run past.
func forwardTo(srv *server.Server, t time.Time) {
	if srv.Now().Before(t) {
		srv.SetTime(t)
	}
}

// spendTheDay sends the 15 requests of 20,000 tokens that guide-daily-tokens
// allows in a day, one a minute (the pace of 20,000 tokens a minute) from
// 23:44 to 23:58, and leaves the clock at 23:59.
func spendTheDay(srv *server.Server, send func()) {
	GinkgoHelper()
	first := time.Date(2026, 1, 5, 23, 44, 0, 0, time.UTC)
	srv.SetTime(first)
	srv.Reset() // buckets last touched at a later instant would refill late
	for i := range 15 {
		forwardTo(srv, first.Add(time.Duration(i)*time.Minute))
		send()
	}
	forwardTo(srv, first.Add(15*time.Minute))
}

// spendTheMonth sends the 30 requests guide-monthly-requests leaves
// org-monthly in January, ten at a time (its requests per minute) at 23:50,
// 23:52 and 23:54, and leaves the clock at 23:59. The batches are two
// minutes apart, not one: the scenario's clock runs 60 times faster than
// the wall, and on a busy machine a batch of ten can take a wall second,
// spreading it over a virtual minute whose last tokens would not have
// refilled by the next batch.
func spendTheMonth(srv *server.Server, send func()) {
	GinkgoHelper()
	first := time.Date(2026, 1, 31, 23, 50, 0, 0, time.UTC)
	srv.SetTime(first)
	srv.Reset() // buckets last touched at a later instant would refill late
	for batch := range 3 {
		forwardTo(srv, first.Add(time.Duration(2*batch)*time.Minute))
		for range 10 {
			send()
		}
	}
	forwardTo(srv, first.Add(9*time.Minute))
}

var _ = Describe("Go SDK against the third-party guide scenarios", func() {
	It("guide-daily-tokens: waits out the day's 429 until 00:00 UTC and passes the report", func(ctx SpecContext) {
		srv := readyServer("guide-daily-tokens")
		client := newClient(srv, testKey)
		spendTheDay(srv, func() {
			_, err := client.Messages.New(ctx, textParams()) // 22 + 19,989 tokens
			Expect(err).NotTo(HaveOccurred())
		})
		msg, err := client.Messages.New(ctx, textParams()) // the day is spent: 429, then 200 after 00:00
		Expect(err).NotTo(HaveOccurred())
		Expect(msg.Usage.OutputTokens).To(Equal(int64(19989)))

		want := make([]journaled, 15, 17)
		for i := range want {
			want[i] = journaled{200, 0, ""}
		}
		want = append(want, journaled{429, 0, "tokens_per_day"}, journaled{200, 1, ""})
		Expect(journaledAll(srv)).To(Equal(want))
		Expect(*srv.Journal()[15].RetryAfter).To(Equal(60.0)) // retry-after: 1, a virtual minute
		Expect(srv.Journal()[16].Time).To(BeTemporally(">=", time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)))
		passesEveryRule(srv)
	})

	It("guide-monthly-requests: waits out the month's 429 until February 1st and passes the report", func(ctx SpecContext) {
		srv := readyServer("guide-monthly-requests")
		client := newClient(srv, "test-monthly")
		send := func() {
			_, err := client.Messages.New(ctx, textParams())
			Expect(err).NotTo(HaveOccurred())
		}
		spendTheMonth(srv, send)
		send() // January is spent: 429, then 200 on February 1st

		want := make([]journaled, 30, 32)
		for i := range want {
			want[i] = journaled{200, 0, ""}
		}
		want = append(want, journaled{429, 0, "requests_per_month"}, journaled{200, 1, ""})
		Expect(journaledAll(srv)).To(Equal(want))
		Expect(srv.Journal()[31].Time).To(BeTemporally(">=", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)))
		passesEveryRule(srv)
	})
})

var _ = Describe("Go SDK against a request no wait can admit", func() {
	// 64,000 is what frameworks send as max_tokens for Sonnet; tier-1
	// reserves it of an 8,000-token output minute.
	params := func() anthropic.MessageNewParams {
		p := textParams()
		p.Model, p.MaxTokens = "claude-sonnet-4-6", 64000
		return p
	}

	It("makes one attempt only: x-should-retry: false", func(ctx SpecContext) {
		srv := startServer(server.Options{Tier: "tier-1"})
		client := newClient(srv, testKey)
		stream := client.Messages.NewStreaming(ctx, params())
		DeferCleanup(stream.Close)
		for stream.Next() {
		}
		var apiErr *anthropic.Error
		Expect(errors.As(stream.Err(), &apiErr)).To(BeTrue(), "stream error: %v", stream.Err())
		Expect(apiErr.StatusCode).To(Equal(429))
		Expect(journaledAll(srv)).To(Equal([]journaled{{429, 0, "output_tokens"}}))
		Expect(srv.Journal()[0].ShouldRetry).To(Equal("false"))
	})

	It("is admitted on the default tier, start", func(ctx SpecContext) {
		srv := startServer(server.Options{})
		msg, _ := accumulate(newClient(srv, testKey), ctx, params())
		Expect(msg.StopReason).To(Equal(anthropic.StopReasonEndTurn))
		Expect(journaledAll(srv)).To(Equal([]journaled{{200, 0, ""}}))
	})
})

var _ = Describe("Deliberately bad clients on the guide scenarios", func() {
	var c rawClient
	BeforeEach(func() { c = rawClient{ctx: context.Background()} })

	It("fail respects_retry_after when they retry the day's 429 at once (guide-daily-tokens)", func() {
		c.srv = readyServer("guide-daily-tokens")
		spendTheDay(c.srv, func() {
			status, _, _ := c.send(helloBody, 0)
			Expect(status).To(Equal(200))
		})
		for retry := range 3 {
			status, _, _ := c.send(helloBody, retry)
			Expect(status).To(Equal(429))
		}
		rep := c.srv.Report()
		Expect(rep.Pass).To(BeFalse())
		Expect(verdicts(rep)["respects_retry_after"]).To(BeFalse())
		// Only the rule under test is pinned: the immediate retries' wall gaps
		// are noise at scaled:60, so backoff may or may not flag them too.
		Expect(offenders(rep)["respects_retry_after"]).To(Equal([][]int{{16, 17}, {17, 18}}))
	})

	It("fail retries_retryable when they give up on the month's 429 (guide-monthly-requests)", func() {
		c.srv, c.key = readyServer("guide-monthly-requests"), "test-monthly"
		spendTheMonth(c.srv, func() {
			status, _, _ := c.send(helloBody, 0)
			Expect(status).To(Equal(200))
		})
		status, _, _ := c.send(helloBody, 0) // January is spent; the client gives up
		Expect(status).To(Equal(429))
		rep := c.srv.Report()
		Expect(rep.Pass).To(BeFalse())
		Expect(offenders(rep)["retries_retryable"]).To(Equal([][]int{{31}}))
		Expect(c.srv.Journal()[30].Dimension).To(Equal("requests_per_month"))
	})
})
