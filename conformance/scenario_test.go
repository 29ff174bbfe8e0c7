package conformance_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/anthropics/anthropic-sdk-go/option"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// verdicts is each rule's pass flag, by rule name.
func verdicts(rep server.Report) map[string]bool {
	out := map[string]bool{}
	for _, r := range rep.Results {
		out[r.Rule] = r.Pass
	}
	return out
}

// offenders lists, per failed rule, the requests its violations name.
func offenders(rep server.Report) map[string][][]int {
	out := map[string][][]int{}
	for _, r := range rep.Results {
		for _, v := range r.Violations {
			out[r.Rule] = append(out[r.Rule], v.Requests)
		}
	}
	return out
}

// readyServer starts a server playing one of the ready scenarios.
func readyServer(name string) *server.Server {
	GinkgoHelper()
	file, data, err := server.ReadyScenario(name)
	Expect(err).NotTo(HaveOccurred())
	return startServer(server.Options{Scenario: data, ScenarioFile: file})
}

// rawClient is a hand-written client with the bad habits the report must
// catch; it sends what the SDKs send, retry count included.
type rawClient struct {
	srv *server.Server
	ctx context.Context
	key string // testKey when empty
}

// send posts body as attempt retry of a logical request and returns the
// status and the body read to its end (or the read error).
func (c rawClient) send(body string, retry int) (int, string, error) {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(c.ctx, "POST", c.srv.URL()+"/v1/messages", strings.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("x-api-key", cmp.Or(c.key, testKey))
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	req.Header.Set("X-Stainless-Retry-Count", strconv.Itoa(retry))
	res, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, string(data), err
}

const helloBody = `{"model":"claude-haiku-4-5","max_tokens":256,"messages":[{"role":"user","content":"Hello"}]}`

var _ = Describe("Go SDK against the burst-429 scenario", func() {
	It("with default retries waits out retry-after, makes 3 attempts at most and passes the report", func(ctx SpecContext) {
		srv := readyServer("burst-429")
		client := newClient(srv, testKey)
		for range 3 {
			_, err := client.Messages.New(ctx, textParams())
			Expect(err).NotTo(HaveOccurred())
		}
		var statuses, counts []int
		for _, e := range srv.Journal() {
			statuses, counts = append(statuses, e.Status), append(counts, e.RetryCount)
		}
		Expect(statuses).To(Equal([]int{429, 429, 200, 200, 200}))
		Expect(counts).To(Equal([]int{0, 1, 2, 0, 0}))
		rep := srv.Report()
		Expect(rep.Pass).To(BeTrue(), fmt.Sprintf("%+v", rep))
		Expect(verdicts(rep)).To(Equal(map[string]bool{
			"requests_arrived": true, "faults_fired": true,
			"respects_retry_after": true, "max_attempts": true, "backoff": true,
			"jitter": true, "no_retry_on": true, "retries_retryable": true,
		}))
	})
})

var _ = Describe("Go SDK clients naming their tests against one burst-429 server", func() {
	It("each get the burst and its retries, and pass a report of their own", func(ctx SpecContext) {
		srv := readyServer("burst-429")
		errs := make(chan error, 2)
		for _, name := range []string{"TestCheckout", "TestRefund"} {
			client := newClient(srv, testKey, option.WithHeader("x-claudemock-test", name))
			go func() {
				defer GinkgoRecover()
				_, err := client.Messages.New(ctx, textParams())
				errs <- err
			}()
		}
		Expect([]error{<-errs, <-errs}).To(Equal([]error{nil, nil}))
		Expect(srv.Tests()).To(Equal([]string{"TestCheckout", "TestRefund"}))
		for _, rep := range srv.Reports() {
			var statuses, counts []int
			for _, e := range srv.JournalFor(rep.Test) {
				statuses, counts = append(statuses, e.Status), append(counts, e.RetryCount)
			}
			Expect([][]int{statuses, counts}).To(Equal([][]int{{429, 429, 200}, {0, 1, 2}}), rep.Test)
			Expect(rep.Pass).To(BeTrue(), fmt.Sprintf("%+v", rep))
		}
		Expect(srv.Journal()).To(BeEmpty())
	})
})

var _ = Describe("Deliberately bad clients", func() {
	var c rawClient
	BeforeEach(func() { c = rawClient{ctx: context.Background()} })

	It("fail respects_retry_after when they retry a 429 at once", func() {
		c.srv = readyServer("burst-429")
		for retry := range 3 {
			c.send(helloBody, retry)
		}
		rep := c.srv.Report()
		Expect(rep.Pass).To(BeFalse())
		Expect(verdicts(rep)["respects_retry_after"]).To(BeFalse())
		Expect(offenders(rep)["respects_retry_after"]).To(Equal([][]int{{1, 2}, {2, 3}}))
	})

	It("fail backoff when they retry on a fixed schedule", func() {
		c.srv = startServer(server.Options{})
		Expect(c.srv.SetScenario("fixed-schedule.yaml", []byte(`name: fixed-schedule
clock: {mode: manual, start: 2026-01-05T09:00:00Z}
faults:
  - when: {to: 4}
    overloaded: {}
expect:
  backoff: true
`))).To(Succeed())
		for retry := range 5 {
			c.send(helloBody, retry)
			_, _ = c.srv.Advance(500_000_000) // half a second between attempts, every time
		}
		rep := c.srv.Report()
		// The first wait sets the bar; the next three never grow.
		Expect(offenders(rep)["backoff"]).To(Equal([][]int{{3, 4, 5}}))
	})

	It("fail no_retry_on when they retry a 400", func() {
		c.srv = readyServer("burst-429")
		bad := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hello"}]}` // no max_tokens
		for retry := range 2 {
			status, _, _ := c.send(bad, retry)
			Expect(status).To(Equal(400))
		}
		rep := c.srv.Report()
		Expect(verdicts(rep)["no_retry_on"]).To(BeFalse())
		Expect(offenders(rep)["no_retry_on"]).To(Equal([][]int{{1, 2}}))
	})

	It("fail no_truncated_accept when they take a cut stream for an answer", func() {
		c.srv = startServer(server.Options{})
		Expect(c.srv.SetScenario("cut.yaml", []byte(`name: cut
faults:
  - when: {to: 1}
    match: {stream: true}
    disconnect: {after_events: 3}
expect:
  no_truncated_accept: true
`))).To(Succeed())
		status, _, err := c.send(strings.Replace(helloBody, `"max_tokens"`, `"stream":true,"max_tokens"`, 1), 0)
		Expect(status).To(Equal(200))
		Expect(errors.Is(err, io.ErrUnexpectedEOF)).To(BeTrue(), "read error: %v", err)
		// The client sees the cut before the handler has journaled how the
		// answer ended: the entry exists from arrival, its delivery only
		// once the handler returns.
		Eventually(func() string {
			if j := c.srv.Journal(); len(j) > 0 {
				return j[0].Delivery
			}
			return ""
		}).Should(Equal(server.DeliveryCut))
		c.send(helloBody, 0) // the next, different question: the cut one is never asked again
		Expect(offenders(c.srv.Report())["no_truncated_accept"]).To(Equal([][]int{{1}}))
	})

	It("fail read_timeout when they sit through a stalled stream", func() {
		c.srv = startServer(server.Options{})
		// 60 virtual seconds of silence are 0.1 s of wall time at scaled:600.
		Expect(c.srv.SetScenario("stall.yaml", []byte(`name: stall
clock: {mode: "scaled:600"}
faults:
  - match: {stream: true}
    stall: {after_events: 3, for: 60s}
expect:
  read_timeout: 10s
`))).To(Succeed())
		status, _, err := c.send(strings.Replace(helloBody, `"max_tokens"`, `"stream":true,"max_tokens"`, 1), 0)
		Expect(status).To(Equal(200))
		Expect(err).NotTo(HaveOccurred())
		rep := c.srv.Report()
		Expect(offenders(rep)["read_timeout"]).To(Equal([][]int{{1}}))
	})
})
