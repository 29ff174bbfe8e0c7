package billing

import (
	"math"
	"strconv"
	"strings"
)

// Money is an amount in nano-dollars (1e-9 USD). It is an integer so that
// costs, spend and balances add up exactly: the cheapest catalogue price
// ($0.03 per MTok) is 30 nano-dollars per token, so every per-token price is
// a whole number and no sum ever rounds. The range is about ±$9.2 billion.
type Money int64

// Common amounts, so callers and specs need not count zeros.
const (
	NanoDollar Money = 1
	Cent       Money = 10_000_000
	Dollar     Money = 1_000_000_000
)

// Dollars converts a USD amount (as the catalogue writes prices and caps) to
// Money, rounding to the nearest nano-dollar, so 0.1 becomes exactly
// 100,000,000 despite its binary representation. Values beyond Money's range
// saturate and NaN is zero, so a bad float cannot wrap around.
func Dollars(usd float64) Money {
	n := math.Round(usd * float64(Dollar))
	switch {
	case math.IsNaN(n):
		return 0
	case n >= math.MaxInt64:
		return math.MaxInt64
	case n <= math.MinInt64:
		return math.MinInt64
	}
	return Money(n)
}

// USD returns the amount as a float64 in dollars, for JSON and for catalogue
// functions that take float dollars; it is exact up to about $9 million.
func (m Money) USD() float64 {
	return float64(m) / float64(Dollar)
}

// String formats the amount as dollars with at least two and at most nine
// decimals, trailing zeros beyond the cents dropped: "$100.00", "$0.035",
// "$0.000123", "-$0.50". It is exact (no rounding), so messages and specs can
// compare it verbatim.
func (m Money) String() string {
	var b strings.Builder
	u := uint64(m)
	if m < 0 {
		b.WriteByte('-')
		u = -u // two's complement: also right for MinInt64
	}
	b.WriteByte('$')
	b.WriteString(strconv.FormatUint(u/uint64(Dollar), 10))
	frac := strconv.FormatUint(u%uint64(Dollar)+uint64(Dollar), 10)[1:] // 9 digits
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 2 {
		frac += "0"
	}
	b.WriteByte('.')
	b.WriteString(frac)
	return b.String()
}
