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

// firstWave holds back every retry of a burst until each call's first
// attempt has its answer, and then calls then once (the spec moves the
// clock there). With a manual clock the burst arrives at one virtual
// instant, so how fast the machine sends it cannot change how many calls
// are refused, and no retry can arrive before the clock has moved.
type firstWave struct {
	mu       sync.Mutex
	calls    int
	answered int
	then     func()
	done     chan struct{}
}

func newFirstWave(calls int, then func()) *firstWave {
	return &firstWave{calls: calls, then: then, done: make(chan struct{})}
}

func (w *firstWave) middleware(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	first := req.Header.Get("X-Stainless-Retry-Count") == "0"
	if !first {
		select {
		case <-w.done:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	res, err := next(req)
	if first {
		w.mu.Lock()
		w.answered++
		if w.answered == w.calls {
			w.then()
			close(w.done)
		}
		w.mu.Unlock()
	}
	return res, err
}

var _ = Describe("Go SDK against the rate limits", func() {
	It("retries a tier-1 burst on a driven clock, honouring retry-after, and succeeds", func(ctx SpecContext) {
		srv := startServer(server.Options{Seed: 3, Clock: "manual", Tier: "tier-1"})
		// Only tier-1's 50 requests a minute may bind: its output bucket
		// would otherwise refuse whenever 40 of the burst's reservations
		// happened to be in flight at once.
		Expect(srv.SetLimits(srv.DefaultOrganization(), map[string]map[string]int{
			"default": {"input_tokens_per_minute": 1_000_000, "output_tokens_per_minute": 1_000_000},
		})).To(Succeed())
		const calls = 80 // tier-1 allows 50 requests at once; the other 30 are refused and told to wait
		wave := newFirstWave(calls, func() {
			// A minute refills the bucket, so every retry that honoured
			// retry-after (2 s: one request's 1.2 s, rounded up) succeeds.
			_, err := srv.Advance(time.Minute)
			Expect(err).NotTo(HaveOccurred())
		})
		var j journal
		var wg sync.WaitGroup
		errs := make([]error, calls)
		for i := range calls {
			wg.Add(1)
			go func() {
				defer GinkgoRecover()
				defer wg.Done()
				client := newClient(srv, testKey, option.WithMiddleware(j.middleware(i)), option.WithMiddleware(wave.middleware))
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
				Expect(prev.retryAfter).To(Equal("2"))
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
		// The clock stands still until every first attempt is answered:
		// exactly calls-50 are refused, and each succeeds on its one retry.
		Expect(retried).To(Equal(calls - 50))
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
