package billing_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/billing"
)

var _ = Describe("Money", func() {
	DescribeTable("String is exact dollars with 2 to 9 decimals",
		func(m billing.Money, want string) { Expect(m.String()).To(Equal(want)) },
		Entry("zero", billing.Money(0), "$0.00"),
		Entry("whole dollars", 100*billing.Dollar, "$100.00"),
		Entry("cents", 101*billing.Cent, "$1.01"),
		Entry("tenths", 5*billing.Cent*10, "$0.50"),
		Entry("sub-cent", billing.Money(35_000_000), "$0.035"),
		Entry("micro", billing.Money(123_000), "$0.000123"),
		Entry("one nano", billing.NanoDollar, "$0.000000001"),
		Entry("negative", -20*billing.Cent, "-$0.20"),
		Entry("min", billing.Money(math.MinInt64), "-$9223372036.854775808"),
	)

	DescribeTable("Dollars rounds to the nearest nano-dollar",
		func(usd float64, want billing.Money) { Expect(billing.Dollars(usd)).To(Equal(want)) },
		Entry("0.1", 0.1, billing.Money(100_000_000)),
		Entry("99.99", 99.99, billing.Money(99_990_000_000)),
		Entry("3.75", 3.75, billing.Money(3_750_000_000)),
		Entry("half nano rounds away from zero", 1.5e-9, billing.Money(2)),
		Entry("negative", -0.02, billing.Money(-20_000_000)),
		Entry("NaN", math.NaN(), billing.Money(0)),
		Entry("too large saturates", 1e12, billing.Money(math.MaxInt64)),
		Entry("too small saturates", -1e12, billing.Money(math.MinInt64)),
	)

	It("USD converts back to float dollars", func() {
		Expect(billing.Dollars(40).USD()).To(Equal(40.0))
		Expect(billing.Money(35_000_000).USD()).To(Equal(0.035))
	})
})
