package expect_test

import (
	"math/rand/v2"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
)

// These specs play the retry schedules clients ship, with seeded random
// jitter and network noise, and count how often backoff passes them: the
// verdict must be the same on every run, not a matter of luck.
var _ = Describe("backoff under jitter and network noise", func() {
	rules := expect.Rules{Backoff: &expect.BackoffRule{}}
	var rng *rand.Rand

	BeforeEach(func() { rng = rand.New(rand.NewPCG(2026, 11)) })

	// noisy plays one logical request of n retries, each answered with a
	// 529 after 100ms but the last (a 200): retry i waits wait(i) (i from
	// 0), plus 0–50ms of extra network latency, the time the answer and
	// the retry spend on the wire. It returns backoff's verdict.
	noisy := func(n int, wait func(i int) time.Duration) bool {
		t := newTraffic()
		now := time.Duration(0)
		for i := 0; i <= n; i++ {
			o := overloaded
			if i == n {
				o = ok()
			}
			if i > 0 {
				now += wait(i-1) + time.Duration(rng.Int64N(int64(50*ms)))
			}
			t.call(now, now+100*ms, req{body: "a", retry: i}, o)
			now += 100 * ms
		}
		return only(judge(rules, t)).Pass
	}

	// passes plays runs runs of between lo and hi retries (drawn) and
	// counts the runs backoff passed.
	passes := func(runs, lo, hi int, wait func(i int) time.Duration) int {
		n := 0
		for range runs {
			if noisy(lo+rng.IntN(hi-lo+1), wait) {
				n++
			}
		}
		return n
	}

	// fixed waits 0.2s every time.
	fixed := func(int) time.Duration { return 200 * ms }
	// sdkBackoff is the official SDKs' schedule: min(0.5s × 2^i, 8s) less
	// up to 25% jitter.
	sdkBackoff := func(i int) time.Duration {
		ceiling := min(500*ms<<i, 8*sec)
		return time.Duration(float64(ceiling) * (1 - 0.25*rng.Float64()))
	}
	// fullJitter is AWS's "full jitter": a wait drawn anywhere in [0,
	// 100ms × 2^i), whose ceiling stays below the 6s cap, so every wait of
	// 4–6 retries is judged.
	fullJitter := func(i int) time.Duration {
		return time.Duration(rng.Int64N(int64(100 * ms << i)))
	}

	It("fails a fixed 0.2s schedule 20 runs out of 20 (4–6 retries each)", func() {
		Expect(passes(20, 4, 6, fixed)).To(Equal(0))
	})

	It("passes the SDKs' backoff with its jitter 20 runs out of 20 (5–8 retries each, capped at 8s from the fifth)", func() {
		Expect(passes(20, 5, 8, sdkBackoff)).To(Equal(20))
	})

	It("passes a full-jitter client 20 runs out of 20 (4–6 retries each)", func() {
		Expect(passes(20, 4, 6, fullJitter)).To(Equal(20))
	})

	It("holds over 2,000 runs each: fixed always fails, the SDKs always pass, full jitter fails about 1 in 100", func() {
		Expect(passes(2000, 4, 6, fixed)).To(Equal(0))
		Expect(passes(2000, 2, 10, sdkBackoff)).To(Equal(2000))
		// Three low draws in a row look exactly like a fixed schedule: the
		// price of judging full jitter at all (scenarios/README.md, backoff).
		Expect(passes(2000, 4, 6, fullJitter)).To(Equal(1975))
	})

	It("does not judge growth with fewer than four waits of the client's own, where full jitter cannot be told from a fixed schedule", func() {
		Expect(passes(20, 1, 3, fixed)).To(Equal(20))
	})
})
