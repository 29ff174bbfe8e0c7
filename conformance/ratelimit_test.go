package conformance_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
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
		const calls = 80 // tier-1 allows 50 requests at once; 30 more need 36 virtual seconds (0.6 s wall) to refill
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

var _ = Describe("Go SDK against the spend cap", func() {
	It("retries the cap's 429 twice, as with the real API, and fails with enforced_spend_limit_reached", func(ctx SpecContext) {
		srv := startServer(server.Options{Clock: "manual", Tier: "tier-1", ReplyTokens: 64000})
		Expect(srv.SetLimits(srv.DefaultOrganization(), map[string]map[string]int{
			"default": {"requests_per_minute": 1000, "output_tokens_per_minute": 100_000_000},
		})).To(Succeed())
		// Each reply is 64,000 Opus 4.5 output tokens: $1.60 of tier-1's $100 a month.
		body := `{"model":"claude-opus-4-5","max_tokens":64000,"messages":[{"role":"user","content":"Hi"}]}`
		for range 63 {
			req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL()+"/v1/messages", strings.NewReader(body))
			req.Header.Set("x-api-key", testKey)
			req.Header.Set("anthropic-version", "2023-06-01")
			res, err := http.DefaultClient.Do(req)
			Expect(err).NotTo(HaveOccurred())
			res.Body.Close()
			Expect(res.StatusCode).To(Equal(200))
		}

		var j journal
		client := newClient(srv, testKey, option.WithMiddleware(j.middleware(0)))
		_, err := client.Messages.New(ctx, textParams())
		var apiErr *anthropic.Error
		Expect(errors.As(err, &apiErr)).To(BeTrue())
		Expect(apiErr.StatusCode).To(Equal(429))
		Expect(apiErr.RawJSON()).To(ContainSubstring(`"error_code":"enforced_spend_limit_reached"`))
		var counts []string
		for _, ex := range j.seen {
			counts = append(counts, ex.retryCount)
			Expect(ex.status).To(Equal(429))
			Expect(ex.retryAfter).To(BeEmpty())
		}
		Expect(counts).To(Equal([]string{"0", "1", "2"}))
	})
})
