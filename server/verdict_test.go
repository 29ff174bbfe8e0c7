package server_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("A client that retries on its own (retry count 0 on every attempt)", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
		Expect(c.do("PUT", "/_mock/scenario?name=burst-429", "").status).To(Equal(200))
	})

	// selfRetry sends hello with X-Stainless-Retry-Count 0, as LangChain JS
	// does on each of its own attempts, and on a 429 moves the virtual clock
	// by exactly the wait asked (the header is in wall seconds of the
	// scenario's scaled clock; the journal has it in virtual time), or by
	// wait when given, and sends again.
	selfRetry := func(wait time.Duration) []int {
		var statuses []int
		for range 3 {
			r := c.post("/v1/messages", hello, "X-Stainless-Retry-Count", "0")
			statuses = append(statuses, r.status)
			if r.status != 429 {
				break
			}
			Expect(r.header.Get("retry-after")).To(Equal("1"))
			journal := s.Journal()
			d := time.Duration(*journal[len(journal)-1].RetryAfter * float64(time.Second))
			if wait > 0 {
				d = wait
			}
			s.SetTime(s.Now().Add(d))
		}
		return statuses
	}

	It("is recognised as retrying, and passes burst-429 when it waits out retry-after", func() {
		Expect(selfRetry(0)).To(Equal([]int{429, 429, 200}))
		Expect([]int{s.Journal()[0].Logical, s.Journal()[1].Logical, s.Journal()[2].Logical}).To(Equal([]int{1, 1, 1}))
		rep := s.Report()
		Expect(rep.Pass).To(BeTrue(), "%+v", rep.Results)
		Expect(verdictsOf(rep)).To(Equal(map[string]bool{
			"requests_arrived": true, "faults_fired": true, "respects_retry_after": true, "max_attempts": true,
			"backoff": true, "jitter": true, "no_retry_on": true, "retries_retryable": true,
		}))
	})

	It("fails respects_retry_after when it comes back after half the wait", func() {
		Expect(selfRetry(30 * time.Second)).To(Equal([]int{429, 429, 200}))
		rep := s.Report()
		Expect(rep.Pass).To(BeFalse())
		Expect(verdictsOf(rep)["respects_retry_after"]).To(BeFalse())
		Expect(verdictsOf(rep)["retries_retryable"]).To(BeTrue())
	})
})

// verdictsOf maps each result of a report to whether it passed.
func verdictsOf(rep server.Report) map[string]bool {
	out := map[string]bool{}
	for _, r := range rep.Results {
		out[r.Rule] = r.Pass
	}
	return out
}
