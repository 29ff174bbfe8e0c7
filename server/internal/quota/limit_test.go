package quota_test

import (
	"math"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/quota"
)

var _ = Describe("PerWindow", func() {
	DescribeTable("shapes n per window with a burst window",
		func(n float64, window, burst time.Duration, want quota.Limit) {
			Expect(quota.PerWindow(n, window, burst)).To(Equal(want))
		},
		Entry("60 RPM enforced as 1 per second", 60.0, time.Minute, time.Second, quota.Limit{Capacity: 1, Rate: 1}),
		Entry("no burst window: capacity n", 50.0, time.Minute, time.Duration(0), quota.Limit{Capacity: 50, Rate: 50.0 / 60}),
		Entry("burst equal to window", 50.0, time.Minute, time.Minute, quota.Limit{Capacity: 50, Rate: 50.0 / 60}),
		Entry("burst longer than window", 50.0, time.Minute, 2*time.Minute, quota.Limit{Capacity: 50, Rate: 50.0 / 60}),
		Entry("30k ITPM with a 10s burst", 30000.0, time.Minute, 10*time.Second, quota.Limit{Capacity: 5000, Rate: 500}),
		Entry("burst capacity never below one unit", 50.0, time.Minute, time.Second, quota.Limit{Capacity: 1, Rate: 50.0 / 60}),
		Entry("tokens per day", 1e6, 24*time.Hour, time.Duration(0), quota.Limit{Capacity: 1e6, Rate: 1e6 / 86400}),
		Entry("zero", 0.0, time.Minute, time.Second, quota.Limit{}),
		Entry("negative counts as zero", -5.0, time.Minute, 0*time.Second, quota.Limit{}),
		Entry("no window: never refills", 10.0, time.Duration(0), time.Duration(0), quota.Limit{Capacity: 10}),
	)
})

var _ = Describe("State", func() {
	DescribeTable("Remaining and RemainingThousands floor, never negative",
		func(lvl float64, whole, thousands int64) {
			s := quota.State{Level: lvl}
			Expect(s.Remaining()).To(Equal(whole))
			Expect(s.RemainingThousands()).To(Equal(thousands))
		},
		Entry("39,586.7", 39586.7, int64(39586), int64(39000)),
		Entry("40,000", 40000.0, int64(40000), int64(40000)),
		Entry("999.99", 999.99, int64(999), int64(0)),
		Entry("1000", 1000.0, int64(1000), int64(1000)),
		Entry("3", 3.0, int64(3), int64(0)),
		Entry("0.4", 0.4, int64(0), int64(0)),
		Entry("zero", 0.0, int64(0), int64(0)),
		Entry("debt", -5.0, int64(0), int64(0)),
		Entry("NaN", math.NaN(), int64(0), int64(0)),
		Entry("huge", 1e30, int64(math.MaxInt64), int64(math.MaxInt64/1000*1000)),
	)
})

var _ = Describe("Calendar", func() {
	DescribeTable("shapes n per calendar day or month: no refill, a reset",
		func(n float64, p quota.Period, want quota.Limit) {
			Expect(quota.Calendar(n, p)).To(Equal(want))
		},
		Entry("300,000 tokens per day", 300000.0, quota.Day, quota.Limit{Capacity: 300000, Period: quota.Day}),
		Entry("5,000 requests per month", 5000.0, quota.Month, quota.Limit{Capacity: 5000, Period: quota.Month}),
		Entry("negative counts as zero", -1.0, quota.Day, quota.Limit{Period: quota.Day}),
	)
})
