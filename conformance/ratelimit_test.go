package conformance_test

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go/option"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// exchange is one attempt the SDK made, as its middleware saw it.
type exchange struct {
	logical    int // which call of the burst
	retryCount string
	sent       time.Time
	status     int
	retryAfter string
}

// journal records every attempt of a burst of SDK calls.
type journal struct {
	mu   sync.Mutex
	seen []exchange
}

func (j *journal) middleware(logical int) option.Middleware {
	return func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		sent := time.Now()
		res, err := next(req)
		ex := exchange{logical: logical, retryCount: req.Header.Get("X-Stainless-Retry-Count"), sent: sent}
		if res != nil {
			ex.status, ex.retryAfter = res.StatusCode, res.Header.Get("retry-after")
		}
		j.mu.Lock()
		j.seen = append(j.seen, ex)
		j.mu.Unlock()
		return res, err
	}
}

var _ = Describe("Go SDK against the rate limits", func() {
	It("retries a tier-1 burst under scaled:60, honouring retry-after, and succeeds", func(ctx SpecContext) {
		srv := startServer(server.Options{Seed: 3, Clock: "scaled:60", Tier: "tier-1"})
		const calls = 56 // tier-1 allows 50 requests at once
		var j journal
		var wg sync.WaitGroup
		errs := make([]error, calls)
		for i := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := newClient(srv, testKey, option.WithMiddleware(j.middleware(i)))
				_, errs[i] = client.Messages.New(ctx, textParams())
			}()
		}
		wg.Wait()
		for _, err := range errs {
			Expect(err).NotTo(HaveOccurred())
		}

		byCall := map[int][]exchange{}
		for _, ex := range j.seen {
			byCall[ex.logical] = append(byCall[ex.logical], ex)
		}
		retried := 0
		for _, attempts := range byCall {
			last := attempts[len(attempts)-1]
			Expect(last.status).To(Equal(200))
			for k := 1; k < len(attempts); k++ {
				prev := attempts[k-1]
				Expect(prev.status).To(Equal(429))
				Expect(attempts[k].retryCount).To(Equal(strconv.Itoa(k)))
				wait, err := strconv.Atoi(prev.retryAfter)
				Expect(err).NotTo(HaveOccurred())
				Expect(attempts[k].sent.Sub(prev.sent)).To(BeNumerically(">=", time.Duration(wait)*time.Second),
					"the SDK waited retry-after before attempt %d", k)
			}
			if len(attempts) > 1 {
				retried++
			}
		}
		// Virtual time runs on while the burst arrives (a wall millisecond is
		// 60 virtual ones), so a few refills may land mid-burst: at most
		// calls-50 calls are refused at first, and at least one is.
		Expect(retried).To(BeNumerically(">=", 1))
		Expect(retried).To(BeNumerically("<=", calls-50))
		Expect(len(j.seen)).To(Equal(calls + retried))
	})
})
