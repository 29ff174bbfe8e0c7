package billing_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
)

var _ = Describe("Cost", func() {
	// opusRequest is 1,000 input + 2,000 5m cache write + 10,000 cache read
	// + 500 output: $0.005 + $0.0125 + $0.005 + $0.0125 at Opus 4.5 prices.
	opusRequest := billing.Usage{Input: 1000, CacheWrite5m: 2000, CacheRead: 10000, Output: 500}

	It("bills Opus 4.5 at its own rates, exactly", func() {
		cost := billing.Cost(model("claude-opus-4-5").Prices, opusRequest)
		Expect(cost).To(Equal(billing.Money(35_000_000)))
		Expect(cost.String()).To(Equal("$0.035"))
	})

	It("halves a batch request, stacking with the cache multipliers", func() {
		u := opusRequest
		u.Batch = true
		Expect(billing.Cost(model("claude-opus-4-5").Prices, u).String()).To(Equal("$0.0175"))
	})

	It("bills Haiku 4.5 including the 1h cache write", func() {
		// 1,000×$1 + 3,000×$2 + 20,000×$0.10 + 800×$5 per MTok
		// = $0.001 + $0.006 + $0.002 + $0.004.
		u := billing.Usage{Input: 1000, CacheWrite1h: 3000, CacheRead: 20000, Output: 800}
		p := model("claude-haiku-4-5").Prices
		Expect(billing.Cost(p, u).String()).To(Equal("$0.013"))
		u.Batch = true
		Expect(billing.Cost(p, u).String()).To(Equal("$0.0065"))
	})

	It("has no float drift on fractional prices", func() {
		// Haiku 3: $0.25 in, $0.03 read: 30 nano-dollars a cached token.
		p := model("claude-3-haiku-20240307").Prices
		Expect(billing.Cost(p, billing.Usage{CacheRead: 1})).To(Equal(billing.Money(30)))
		Expect(billing.Cost(p, billing.Usage{Input: 1_000_000})).To(Equal(25 * billing.Cent))
		var sum billing.Money
		for range 1000 {
			sum += billing.Cost(model("claude-sonnet-4-5").Prices, billing.Usage{CacheRead: 1})
		}
		Expect(sum.String()).To(Equal("$0.0003"))
	})

	It("bills a whole million tokens at the list price", func() {
		u := billing.Usage{Input: 1_000_000, Output: 1_000_000}
		Expect(billing.Cost(model("claude-sonnet-4-5").Prices, u)).To(Equal(18 * billing.Dollar))
	})

	It("rounds an odd nano-dollar left by the batch discount up", func() {
		p := catalog.Prices{Input: 0.001} // 1 nano-dollar a token
		Expect(billing.Cost(p, billing.Usage{Input: 3, Batch: true})).To(Equal(billing.Money(2)))
	})

	It("treats negative counts as zero", func() {
		u := billing.Usage{Input: -5, Output: 1}
		Expect(billing.Cost(model("claude-opus-4-5").Prices, u)).To(Equal(billing.Money(25_000)))
	})
})
