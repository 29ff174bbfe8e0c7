package quota_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/quota"
)

var _ = Describe("Calendar buckets", func() {
	var l *quota.Limiter

	BeforeEach(func() {
		l = quota.New()
	})

	// t0 is 2026-03-01T12:00:00Z: the day resets 12 hours later, the month
	// on 2026-04-01.
	Describe("a day of 1,000 tokens", func() {
		var tpd quota.Charge
		midnight := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

		BeforeEach(func() {
			tpd = charge(key("tokens_per_day"), quota.Calendar(1000, quota.Day), 400, 400)
		})

		It("does not refill during the day", func() {
			Expect(l.Admit([]quota.Charge{tpd}, t0).Admitted).To(BeTrue())
			Expect(level(l, tpd, at(11*time.Hour))).To(Equal(600.0))
			Expect(level(l, tpd, midnight.Add(-time.Nanosecond))).To(Equal(600.0))
		})

		It("refuses until 00:00 UTC, names itself and is full again then", func() {
			Expect(l.Admit([]quota.Charge{tpd}, t0).Admitted).To(BeTrue())
			Expect(l.Admit([]quota.Charge{tpd}, t0).Admitted).To(BeTrue())
			d := l.Admit([]quota.Charge{tpd}, at(time.Hour))
			Expect(d.Admitted).To(BeFalse())
			Expect(d.Never).To(BeFalse())
			Expect(d.Refused).To(Equal([]quota.Key{tpd.Key}))
			Expect(d.Binding).To(Equal(tpd.Key))
			Expect(d.RetryAfter).To(Equal(11 * time.Hour))
			Expect(d.States).To(Equal([]quota.State{{Key: tpd.Key, Limit: tpd.Limit, Level: 200, FullAt: midnight}}))
			Expect(l.Admit([]quota.Charge{tpd}, midnight.Add(-time.Nanosecond)).Admitted).To(BeFalse())
			d = l.Admit([]quota.Charge{tpd}, midnight)
			Expect(d.Admitted).To(BeTrue())
			Expect(d.States[0].Level).To(Equal(600.0))
			Expect(d.States[0].FullAt).To(Equal(midnight.Add(24 * time.Hour)))
		})

		It("shows a full bucket as full now", func() {
			Expect(l.Peek([]quota.Charge{tpd}, t0)).To(Equal([]quota.State{{Key: tpd.Key, Limit: tpd.Limit, Level: 1000, FullAt: t0}}))
		})

		It("forgives a debt at the reset", func() {
			l.Settle(tpd.Key, tpd.Limit, 5000, t0)
			Expect(level(l, tpd, at(time.Hour))).To(Equal(-4000.0))
			Expect(level(l, tpd, midnight)).To(Equal(1000.0))
		})

		It("is Never for a need above the whole day", func() {
			tpd.Need = 1001
			d := l.Admit([]quota.Charge{tpd}, t0)
			Expect(d.Never).To(BeTrue())
			Expect(d.RetryAfter).To(BeZero())
			Expect(d.Binding).To(Equal(tpd.Key))
		})

		It("regains nothing when the clock is set back across midnight", func() {
			Expect(l.Admit([]quota.Charge{charge(tpd.Key, tpd.Limit, 1000, 1000)}, midnight.Add(time.Hour)).Admitted).To(BeTrue())
			Expect(level(l, tpd, t0)).To(Equal(0.0))
			d := l.Admit([]quota.Charge{tpd}, t0)
			Expect(d.RetryAfter).To(Equal(36 * time.Hour)) // to the midnight after the latest instant seen
		})
	})

	DescribeTable("a month resets at 00:00 UTC on the 1st",
		func(now, reset time.Time) {
			rpmo := charge(key("requests_per_month"), quota.Calendar(2, quota.Month), 1, 1)
			l.Settle(rpmo.Key, rpmo.Limit, 2, now)
			d := l.Admit([]quota.Charge{rpmo}, now)
			Expect(d.RetryAfter).To(Equal(reset.Sub(now)))
			Expect(d.States[0].FullAt.UTC()).To(Equal(reset))
			Expect(l.Admit([]quota.Charge{rpmo}, reset).Admitted).To(BeTrue())
		},
		Entry("mid-March", t0, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)),
		Entry("the last second of December", time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)),
		Entry("a non-UTC instant", time.Date(2026, 1, 31, 23, 0, 0, 0, time.FixedZone("UTC-5", -5*3600)), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)),
	)

	Describe("beside a per-minute bucket", func() {
		var tpm, tpd quota.Charge

		BeforeEach(func() {
			tpm = charge(key("tokens_per_minute"), perMinute(600), 300, 300)
			tpd = charge(key("tokens_per_day"), quota.Calendar(900, quota.Day), 300, 300)
			for range 2 {
				Expect(l.Admit([]quota.Charge{tpm, tpd}, t0).Admitted).To(BeTrue())
			}
			Expect(l.Admit([]quota.Charge{tpm, tpd}, at(30*time.Second)).Admitted).To(BeTrue()) // 300 regained
		})

		It("binds on the one that waits longest", func() {
			d := l.Admit([]quota.Charge{tpm, tpd}, at(30*time.Second))
			Expect(d.Refused).To(Equal([]quota.Key{tpm.Key, tpd.Key}))
			Expect(d.Binding).To(Equal(tpd.Key))
			Expect(d.RetryAfter).To(Equal(11*time.Hour + 59*time.Minute + 30*time.Second))
			d = l.Admit([]quota.Charge{tpd, tpm}, at(30*time.Second))
			Expect(d.Binding).To(Equal(tpd.Key))
		})

		It("binds on the first Never bucket", func() {
			tpd.Need = 901
			d := l.Admit([]quota.Charge{tpm, tpd}, at(30*time.Second))
			Expect(d.Never).To(BeTrue())
			Expect(d.Binding).To(Equal(tpd.Key))
		})
	})
})
