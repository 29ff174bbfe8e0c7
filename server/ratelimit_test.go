package server_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// start is the virtual time every rate-limit spec begins at.
var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// prompt is a request whose input is about n tokens (four ASCII bytes a
// token) with the given max_tokens.
func prompt(model string, n, maxTokens int) string {
	return fmt.Sprintf(`{"model":%q,"max_tokens":%d,"messages":[{"role":"user","content":%q}]}`,
		model, maxTokens, strings.Repeat("abcd", n))
}

var _ = Describe("Rate limits", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		// These specs are about tier-1's numbers, no longer the default tier.
		s, c = newServer(server.Options{Seed: 1, Clock: "manual", Start: start, Tier: "tier-1"})
	})

	advance := func(d time.Duration) {
		_, err := s.Advance(d)
		Expect(err).NotTo(HaveOccurred())
	}

	It("sends all twelve headers on a 200, consistent with the buckets", func() {
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(200))
		h := r.header
		Expect(h.Get("anthropic-organization-id")).To(Equal(s.DefaultOrganization()))
		// tier-1, Haiku 4.5: 50 RPM, 50,000 ITPM, 10,000 OTPM (reserve: 100 taken, 76 refunded).
		Expect(h.Get("anthropic-ratelimit-requests-limit")).To(Equal("50"))
		Expect(h.Get("anthropic-ratelimit-requests-remaining")).To(Equal("49"))
		Expect(h.Get("anthropic-ratelimit-requests-reset")).To(Equal("2026-01-01T00:00:02Z")) // 1.2 s to refill one
		Expect(h.Get("anthropic-ratelimit-input-tokens-limit")).To(Equal("50000"))
		Expect(h.Get("anthropic-ratelimit-input-tokens-remaining")).To(Equal("49000")) // 49,988 floored
		Expect(h.Get("anthropic-ratelimit-input-tokens-reset")).To(Equal("2026-01-01T00:00:01Z"))
		Expect(h.Get("anthropic-ratelimit-output-tokens-limit")).To(Equal("10000"))
		Expect(h.Get("anthropic-ratelimit-output-tokens-remaining")).To(Equal("9000")) // 9,976 floored
		Expect(h.Get("anthropic-ratelimit-output-tokens-reset")).To(Equal("2026-01-01T00:00:01Z"))
		Expect(h.Get("anthropic-ratelimit-tokens-limit")).To(Equal("60000"))
		Expect(h.Get("anthropic-ratelimit-tokens-remaining")).To(Equal("59000")) // 49,988 + 9,976
		Expect(h.Get("anthropic-ratelimit-tokens-reset")).To(Equal("2026-01-01T00:00:01Z"))
		Expect(h.Get("retry-after")).To(BeEmpty())
	})

	It("admits exactly the capacity of concurrent requests at one instant", func() {
		var wg sync.WaitGroup
		var mu sync.Mutex
		statuses := map[int]int{}
		for range 80 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status := c.post("/v1/messages", hello).status
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		Expect(statuses).To(Equal(map[int]int{200: 50, 429: 30}))
	})

	It("gives each admitted request of a concurrent burst its own requests-remaining, in admission order", func() {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var remaining []string
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := c.post("/v1/messages", hello)
				mu.Lock()
				remaining = append(remaining, r.header.Get("anthropic-ratelimit-requests-remaining"))
				mu.Unlock()
			}()
		}
		wg.Wait()
		want := make([]string, 50)
		for i := range want {
			want[i] = fmt.Sprint(i)
		}
		Expect(remaining).To(ConsistOf(want))
	})

	It("refuses the 51st request with the real wording and a tight retry-after", func() {
		for range 50 {
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		}
		r := c.post("/v1/messages", hello)
		status, typ, msg := r.errorOf()
		Expect(status).To(Equal(429))
		Expect(typ).To(Equal("rate_limit_error"))
		Expect(msg).To(Equal("This request would exceed your organization's rate limit of 50 requests per minute (org: " +
			s.DefaultOrganization() + ", model: claude-haiku-4-5-20251001). For details, refer to: https://docs.claude.com/en/api/rate-limits. " +
			"You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. " +
			"You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase."))
		Expect(r.header.Get("retry-after")).To(Equal("2")) // 1.2 s for one request, rounded up
		Expect(r.header.Get("x-should-retry")).To(Equal("true"))
		Expect(r.header.Get("anthropic-ratelimit-requests-remaining")).To(Equal("0"))
		Expect(r.header.Get("anthropic-ratelimit-requests-reset")).To(Equal("2026-01-01T00:01:00Z"))
		Expect(spec.ValidateResponse("post", "/v1/messages", 429, r.body)).To(Succeed())

		advance(time.Second)
		Expect(c.post("/v1/messages", hello).status).To(Equal(429), "one second early")
		advance(time.Second)
		Expect(c.post("/v1/messages", hello).status).To(Equal(200), "exactly retry-after")
	})

	DescribeTable("retry-after is tight and sufficient for token limits",
		func(first, second string) {
			Expect(c.post("/v1/messages", first).status).To(Equal(200))
			r := c.post("/v1/messages", second)
			Expect(r.status).To(Equal(429), string(r.body))
			var wait int
			_, err := fmt.Sscan(r.header.Get("retry-after"), &wait)
			Expect(err).NotTo(HaveOccurred())
			Expect(wait).To(BeNumerically(">=", 1))
			advance(time.Duration(wait-1) * time.Second)
			Expect(c.post("/v1/messages", second).status).To(Equal(429), "one second early")
			advance(time.Second)
			Expect(c.post("/v1/messages", second).status).To(Equal(200), "after retry-after")
		},
		Entry("input tokens", prompt("claude-haiku-4-5", 30000, 10), prompt("claude-haiku-4-5", 30000, 10)),
		Entry("output tokens reserved by max_tokens", prompt("claude-haiku-4-5", 1, 9000), prompt("claude-haiku-4-5", 1, 9990)),
	)

	It("states the ITPM wait exactly", func() {
		Expect(c.post("/v1/messages", prompt("claude-haiku-4-5", 30000, 10)).status).To(Equal(200))
		r := c.post("/v1/messages", prompt("claude-haiku-4-5", 30000, 10))
		// Each request is 30,000 + 10 tokens; 19,990 are left of 50,000; the
		// bucket regains 50,000/60 a second: (30,010 - 19,990) / 833.33 = 12.02 s.
		Expect(r.header.Get("retry-after")).To(Equal(fmt.Sprint(int(math.Ceil((30010.0 - 19990.0) / (50000.0 / 60))))))
		_, _, msg := r.errorOf()
		Expect(msg).To(HavePrefix("This request would exceed your organization's rate limit of 50,000 input tokens per minute"))
	})

	It("refuses a request larger than the bucket every time with the real words, x-should-retry: false and no retry-after", func() {
		for i := range 3 {
			now := start.Add(time.Duration(i) * time.Hour).Format(time.RFC3339)
			r := c.post("/v1/messages", prompt("claude-haiku-4-5", 60000, 10))
			Expect(r.status).To(Equal(429))
			Expect(string(r.body)).To(Equal(`{"type":"error","error":{"type":"rate_limit_error","message":"` +
				`This request would exceed your organization's rate limit of 50,000 input tokens per minute (org: ` + s.DefaultOrganization() +
				`, model: claude-haiku-4-5-20251001). For details, refer to: https://docs.claude.com/en/api/rate-limits. ` +
				`You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. ` +
				`You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase."},` +
				`"request_id":"` + r.header.Get("request-id") + `"}`))
			Expect(r.header.Values("x-should-retry")).To(Equal([]string{"false"}))
			Expect(r.header.Values("retry-after")).To(BeEmpty())
			Expect(rateHeaders(r.header)).To(Equal([]string{ // as they stand: nothing was taken
				"50", "50", now, "50000", "50000", now, "10000", "10000", now, "60000", "60000", now}))
			advance(time.Hour)
		}
	})

	It("refuses a max_tokens larger than a reserved output bucket the same way", func() {
		r := c.post("/v1/messages", prompt("claude-sonnet-4-6", 1, 64000)) // tier-1 reserves it of 8,000
		_, _, msg := r.errorOf()
		Expect(msg).To(HavePrefix("This request would exceed your organization's rate limit of 8,000 output tokens per minute"))
		Expect([]string{r.header.Get("x-should-retry"), r.header.Get("retry-after")}).To(Equal([]string{"false", ""}))
	})

	It("answers it as retryable with RetryOversized", func() {
		s, c = newServer(server.Options{Seed: 1, Clock: "manual", Start: start, Tier: "tier-1", RetryOversized: true})
		r := c.post("/v1/messages", prompt("claude-haiku-4-5", 60000, 10))
		Expect(r.status).To(Equal(429))
		Expect([]string{r.header.Get("x-should-retry"), r.header.Get("retry-after")}).To(Equal([]string{"true", "1"}))
		_, _, msg := r.errorOf()
		Expect(msg).To(HavePrefix("This request would exceed your organization's rate limit of 50,000 input tokens per minute"))
	})

	It("refunds unused max_tokens under the reserve rule", func() {
		// 9,000 reserved then 8,976 refunded: a second 9,000 fits at once.
		Expect(c.post("/v1/messages", prompt("claude-haiku-4-5", 1, 9000)).status).To(Equal(200))
		Expect(c.post("/v1/messages", prompt("claude-haiku-4-5", 1, 9000)).status).To(Equal(200))
	})

	It("never reserves max_tokens under the actual rule", func() {
		Expect(s.SetTier(s.DefaultOrganization(), "start")).To(Succeed())
		r := c.post("/v1/messages", prompt("claude-haiku-4-5", 1, 60000))
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("anthropic-ratelimit-output-tokens-remaining")).To(Equal("399000")) // 400,000 - 24
	})

	It("keeps model families in separate pools and shares one pool within a family", func() {
		for range 50 {
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		}
		Expect(c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", "claude-haiku-4-5-20251001", 1)).status).To(Equal(429))
		Expect(c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", "claude-sonnet-4-5", 1)).status).To(Equal(200))
	})

	It("raises the limits of the very next request after a tier change", func() {
		for range 50 {
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		}
		Expect(c.post("/v1/messages", hello).status).To(Equal(429))
		Expect(s.SetTier(s.DefaultOrganization(), "tier-2")).To(Succeed())
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("anthropic-ratelimit-requests-limit")).To(Equal("1000"))
	})

	It("limits count_tokens in a bucket of its own", func() {
		count := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`
		for range 100 { // tier-1: 100 token-counting requests per minute
			Expect(c.post("/v1/messages/count_tokens", count).status).To(Equal(200))
		}
		r := c.post("/v1/messages/count_tokens", count)
		status, typ, msg := r.errorOf()
		Expect([]any{status, typ}).To(Equal([]any{429, "rate_limit_error"}))
		Expect(msg).To(HavePrefix("This request would exceed your organization's rate limit of 100 token counting requests per minute"))
		Expect(r.header.Get("retry-after")).To(Equal("1")) // 0.6 s for one
		Expect(c.post("/v1/messages", hello).status).To(Equal(200), "messages are limited separately")
	})

	It("resets every bucket", func() {
		for range 50 {
			c.post("/v1/messages", hello)
		}
		s.Reset()
		Expect(c.post("/v1/messages", hello).status).To(Equal(200))
	})
})

var _ = Describe("The control API", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start, Tier: "tier-1"})
	})

	It("reads, sets and advances the clock", func() {
		Expect(string(c.do("GET", "/_mock/clock", "").body)).To(Equal(`{"mode":"manual","now":"2026-01-01T00:00:00Z"}`))
		Expect(string(c.post("/_mock/clock/advance", `{"duration":"90s"}`).body)).To(Equal(`{"mode":"manual","now":"2026-01-01T00:01:30Z"}`))
		Expect(string(c.post("/_mock/clock/advance", `{"seconds":0.5}`).body)).To(Equal(`{"mode":"manual","now":"2026-01-01T00:01:30.5Z"}`))
		Expect(string(c.do("PUT", "/_mock/clock", `{"now":"2026-02-01T00:00:00Z"}`).body)).To(Equal(`{"mode":"manual","now":"2026-02-01T00:00:00Z"}`))
		Expect(s.Now()).To(Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)))
	})

	It("takes a control body whatever content type it declares, as curl -d declares a form", func() {
		form := []string{"content-type", "", "content-type", "application/x-www-form-urlencoded"}
		Expect(string(c.post("/_mock/clock/advance", `{"duration":"1s"}`, form...).body)).To(Equal(`{"mode":"manual","now":"2026-01-01T00:00:01Z"}`))
		status, typ, msg := c.post("/v1/messages", hello, form...).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", `content-type: expected application/json, got "application/x-www-form-urlencoded"`}))
	})

	DescribeTable("answers bad control requests with the envelope",
		func(method, path, body, message string) {
			status, typ, msg := c.do(method, path, body).errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", message}))
		},
		Entry("a negative advance", "POST", "/_mock/clock/advance", `{"duration":"-1s"}`, "duration: clock: cannot advance by a negative duration -1s; set the time instead"),
		Entry("a bad duration", "POST", "/_mock/clock/advance", `{"duration":"soon"}`, `duration: "soon" is not a duration such as "90s" or "1h30m"`),
		Entry("no duration", "POST", "/_mock/clock/advance", `{}`, "duration: Field required (or seconds)"),
		Entry("a huge advance in seconds", "POST", "/_mock/clock/advance", `{"seconds":1e300}`, "seconds: must be between 0 and 9223372036 (about 292 years), got 1e+300"),
		Entry("a negative advance in seconds", "POST", "/_mock/clock/advance", `{"seconds":-2}`, "seconds: must be between 0 and 9223372036 (about 292 years), got -2"),
		Entry("no time", "PUT", "/_mock/clock", `{}`, "now: Field required"),
		Entry("a bad time", "PUT", "/_mock/clock", `{"now":"yesterday"}`, `now: "yesterday" is not an RFC 3339 time such as "2026-01-01T00:00:00Z"`),
		Entry("an unknown field", "PUT", "/_mock/clock", `{"when":"now"}`, `when: Extra inputs are not permitted`),
		Entry("an unknown tier", "PUT", "/_mock/organizations/x", `{"tier":"tier-9"}`, `tier: no tier named "tier-9" in the catalogue`),
	)

	It("shows every bucket in the state", func() {
		c.post("/v1/messages", hello)
		var st server.State
		Expect(json.Unmarshal(c.do("GET", "/_mock/state", "").body, &st)).To(Succeed())
		Expect(st.Clock).To(Equal("manual"))
		Expect(st.Organizations).To(HaveLen(1))
		Expect(st.Buckets).To(HaveLen(3))
		Expect(st.Buckets[0]).To(Equal(server.BucketState{
			Scope: "org:" + s.DefaultOrganization(), Family: "haiku-4-5", Dimension: "input_tokens_per_minute",
			Limit: 50000, Capacity: 50000, Level: 49988, FullAt: start.Add(time.Duration(12.0 / (50000.0 / 60) * float64(time.Second))),
		}))
	})

	It("changes an organization's tier", func() {
		r := c.do("PUT", "/_mock/organizations/"+s.DefaultOrganization(), `{"tier":"scale"}`)
		Expect(r.status).To(Equal(200))
		Expect(s.State().Organizations[0].Tier).To(Equal("scale"))
		status, typ, _ := c.do("PUT", "/_mock/organizations/nope", `{"tier":"scale"}`).errorOf()
		Expect([]any{status, typ}).To(Equal([]any{404, "not_found_error"}))
	})
})

var _ = Describe("The default tier", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start})
	})

	It("is start: a framework's default max_tokens is admitted, with Start's limits", func() {
		for _, maxTokens := range []int{64000, 32000} { // AI SDK and LangChain; Claude Code
			r := c.post("/v1/messages", prompt("claude-sonnet-4-6", 1, maxTokens))
			Expect(r.status).To(Equal(200), string(r.body))
		}
		r := c.post("/v1/messages", prompt("claude-sonnet-4-6", 1, 64000))
		Expect(r.status).To(Equal(200))
		const soon = "2026-01-01T00:00:01Z"
		// 3 requests of 11 input tokens and 24 generated: output counts only what was generated.
		Expect(rateHeaders(r.header)).To(Equal([]string{
			"1000", "997", soon, "2000000", "1999000", soon, "400000", "399000", soon, "2400000", "2399000", soon}))
		Expect(s.State().Organizations[0].Tier).To(Equal("start"))
	})
})

var _ = Describe("The third-party guide profiles", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start})
	})

	It("count combined tokens per minute and per day, with requests-* and tokens-* headers only (guide-free)", func() {
		Expect(s.SetTier(s.DefaultOrganization(), "guide-free")).To(Succeed())
		r := c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(200))
		// 5 RPM: one regained in 12 s. 12 + 24 of 20,000 tokens a minute, the tighter of minute and day.
		Expect(rateHeaders(r.header)).To(Equal([]string{
			"5", "4", "2026-01-01T00:00:12Z", "", "", "", "", "", "", "20000", "19000", "2026-01-01T00:00:01Z"}))
	})

	DescribeTable("hold the guides' numbers",
		func(tier string, rpm, tpm, tpd string) {
			Expect(s.SetTier(s.DefaultOrganization(), tier)).To(Succeed())
			r := c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(200))
			Expect([]string{r.header.Get("anthropic-ratelimit-requests-limit"), r.header.Get("anthropic-ratelimit-tokens-limit")}).
				To(Equal([]string{rpm, tpm}))
			var day []float64
			for _, b := range s.State().Buckets {
				if b.Dimension == "tokens_per_day" {
					day = append(day, b.Limit)
				}
			}
			Expect(fmt.Sprint(day)).To(Equal(tpd))
		},
		Entry(nil, "guide-free", "5", "20000", "[300000]"),
		Entry(nil, "guide-build-1", "50", "40000", "[1e+06]"),
		Entry(nil, "guide-build-2", "1000", "80000", "[2.5e+06]"),
		Entry(nil, "guide-build-3", "2000", "160000", "[5e+06]"),
		Entry(nil, "guide-build-4", "4000", "400000", "[1e+07]"),
		Entry(nil, "guide-monthly-free", "10", "", "[]"),
		Entry(nil, "guide-monthly-paid", "60", "", "[]"),
	)

	It("refuse by the day until 00:00 UTC, the headers showing the day (guide-free)", func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start, Tier: "guide-free", ReplyTokens: 19989})
		body := prompt("claude-haiku-4-5", 1, 19989) // 11 + 19,989 = 20,000 tokens: the whole minute
		for i := range 15 {
			Expect(c.post("/v1/messages", body).status).To(Equal(200), "request %d", i+1)
			advance(s, time.Minute)
		}
		r := c.post("/v1/messages", body) // 00:15: the day's 300,000 are spent
		Expect(r.status).To(Equal(429))
		Expect(r.json()["error"]).To(Equal(map[string]any{"type": "rate_limit_error", "message": "This request would exceed your organization's rate limit of 300,000 tokens per day (org: " +
			s.DefaultOrganization() + ", model: claude-haiku-4-5-20251001). For details, refer to: https://docs.claude.com/en/api/rate-limits. " +
			"You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. " +
			"You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase."}))
		Expect([]string{r.header.Get("retry-after"), r.header.Get("x-should-retry")}).To(Equal([]string{"85500", "true"})) // 23 h 45 min
		Expect(rateHeaders(r.header)).To(Equal([]string{
			"5", "5", "2026-01-01T00:15:00Z", "", "", "", "", "", "", "300000", "0", "2026-01-02T00:00:00Z"}))
		Expect(s.Journal()[15].Dimension).To(Equal("tokens_per_day"))

		s.SetTime(time.Date(2026, 1, 1, 23, 59, 59, 0, time.UTC))
		Expect(c.post("/v1/messages", body).status).To(Equal(429), "one second early")
		advance(s, time.Second)
		Expect(c.post("/v1/messages", body).status).To(Equal(200), "at 00:00 UTC")
	})

	It("refuse by the calendar month until the 1st, 00:00 UTC (guide-monthly-free)", func() {
		s, c = newServer(server.Options{Clock: "manual", Start: time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), Tier: "guide-monthly-free"})
		// The month's 5,000 cut to 12, as if 4,988 had been sent already.
		Expect(s.SetLimits(s.DefaultOrganization(), map[string]map[string]int{"default": {"requests_per_month": 12}})).To(Succeed())
		for range 10 {
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		}
		r := c.post("/v1/messages", hello)
		Expect([]string{r.header.Get("retry-after"), r.header.Get("anthropic-ratelimit-requests-limit")}).To(Equal([]string{"6", "10"}))
		_, _, msg := r.errorOf()
		Expect(msg).To(HavePrefix("This request would exceed your organization's rate limit of 10 requests per minute"))
		advance(s, time.Minute)
		for range 2 {
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		}
		r = c.post("/v1/messages", hello) // 23:01: the month's 12 are spent
		_, _, msg = r.errorOf()
		Expect(msg).To(HavePrefix("This request would exceed your organization's rate limit of 12 requests per month (org: "))
		Expect([]string{r.header.Get("retry-after"), r.header.Get("x-should-retry")}).To(Equal([]string{"3540", "true"}))
		Expect(rateHeaders(r.header)).To(Equal([]string{"12", "0", "2026-02-01T00:00:00Z", "", "", "", "", "", "", "", "", ""}))

		advance(s, 59*time.Minute)
		r = c.post("/v1/messages", hello)
		Expect(r.status).To(Equal(200), "on the 1st")
		Expect(rateHeaders(r.header)[:3]).To(Equal([]string{"10", "9", "2026-02-01T00:00:06Z"}))
	})
})

// advance moves a manual clock.
func advance(s *server.Server, d time.Duration) {
	GinkgoHelper()
	_, err := s.Advance(d)
	Expect(err).NotTo(HaveOccurred())
}
