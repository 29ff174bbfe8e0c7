package billing

import (
	"math"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// Usage is what one request consumed, in tokens per billing category, as the
// API's usage object reports it: Input excludes the cache writes and reads,
// which are billed at their own rates. Batch marks a Message Batches request,
// billed at half price (api-facts §8.2).
type Usage struct {
	Input, Output, CacheWrite5m, CacheWrite1h, CacheRead int
	Batch                                                bool
}

// Cost is what usage costs at prices (USD per million tokens). Each category
// is billed at the model's own rate, which already encodes the cache
// multipliers (1.25× 5m write, 2× 1h write, 0.1× or the model's own read
// rate), and Batch halves the total, so the multipliers stack as the pricing
// page says. Negative counts are treated as zero so a cost is never negative.
// An odd nano-dollar left by halving rounds up (it never happens with
// catalogue prices, which are whole tens of nano-dollars per token).
func Cost(p catalog.Prices, u Usage) Money {
	total := perToken(p.Input)*tokens(u.Input) +
		perToken(p.Output)*tokens(u.Output) +
		perToken(p.CacheWrite5m)*tokens(u.CacheWrite5m) +
		perToken(p.CacheWrite1h)*tokens(u.CacheWrite1h) +
		perToken(p.CacheRead)*tokens(u.CacheRead)
	if u.Batch {
		total = (total + 1) / 2
	}
	return total
}

// perToken converts a price in USD per million tokens to nano-dollars per
// token (×1e9 / 1e6 = ×1000), rounding once so $3.75 is exactly 3750 and the
// float representation of the price never leaks into a sum.
func perToken(usdPerMTok float64) Money {
	return Money(math.Round(usdPerMTok * 1000))
}

// tokens turns a token count into a multiplier, clamping the negative counts
// only a caller's bug could produce.
func tokens(n int) Money {
	return Money(max(n, 0))
}
