package quota_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/quota"
)

var _ = Describe("Reclaiming idle buckets", func() {
	var rpm, day quota.Charge
	// idle is the first instant both buckets have been full for IdleAfter
	// after the admissions at t0: RPM is full a minute later, the day at
	// midnight.
	midnight := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	idle := midnight.Add(quota.IdleAfter)

	// used is a limiter whose two buckets were drained at t0: 50 requests,
	// 900 of 1,000 tokens of the day.
	used := func() *quota.Limiter {
		l := quota.New()
		for range 50 {
			Expect(l.Admit([]quota.Charge{rpm, day}, t0).Admitted).To(BeTrue())
		}
		l.Settle(day.Key, day.Limit, 850, t0)
		return l
	}

	BeforeEach(func() {
		rpm = charge(key("requests_per_minute"), rpm50, 1, 1)
		day = charge(key("tokens_per_day"), quota.Calendar(1000, quota.Day), 1, 1)
	})

	It("keeps a bucket until it has been full for IdleAfter", func() {
		l := used()
		Expect(l.Reclaim(idle.Add(-time.Nanosecond))).To(Equal(1)) // the day is full at midnight, not an hour before
		Expect(l.Reclaim(at(time.Minute + quota.IdleAfter - time.Nanosecond))).To(Equal(1))
		Expect(l.Reclaim(idle)).To(BeZero())
	})

	It("keeps a bucket in debt or not yet refilled, however long since it was used", func() {
		l := quota.New()
		l.Settle(rpm.Key, rpm50, 5000, t0) // 99 minutes of debt
		Expect(l.Reclaim(at(98 * time.Minute))).To(Equal(1))
		frozen := charge(key("frozen"), quota.Limit{Capacity: 10}, 1, 1) // never refills
		l.Admit([]quota.Charge{frozen}, t0)
		Expect(l.Reclaim(at(1000 * time.Hour))).To(Equal(1))
	})

	It("answers after dropping exactly as the bucket it dropped would have", func() {
		kept, reclaimed := used(), used()
		Expect(reclaimed.Reclaim(idle)).To(BeZero())
		for i, d := range []time.Duration{0, 0, time.Second, 90 * time.Second, 25 * time.Hour} {
			now := idle.Add(d)
			for _, c := range [][]quota.Charge{{rpm, day}, {charge(rpm.Key, rpm50, 60, 60)}, {charge(day.Key, day.Limit, 999, 999)}} {
				Expect(reclaimed.Peek(c, now)).To(Equal(kept.Peek(c, now)), "step %d", i)
				Expect(reclaimed.Admit(c, now)).To(Equal(kept.Admit(c, now)), "step %d", i)
			}
			Expect(reclaimed.Settle(day.Key, day.Limit, 7, now)).To(Equal(kept.Settle(day.Key, day.Limit, 7, now)))
			Expect(reclaimed.Snapshot(now)).To(Equal(kept.Snapshot(now)), "step %d", i)
		}
	})

	It("drops idle buckets a few at a time as admissions go by, so the count falls", func() {
		l := quota.New()
		for i := range 100 {
			l.Admit([]quota.Charge{charge(quota.Key{Scope: fmt.Sprintf("org:%d", i), Dimension: "requests_per_minute"}, rpm50, 1, 1)}, t0)
		}
		l.Admit([]quota.Charge{rpm}, t0)
		Expect(l.Len()).To(Equal(101))
		for s := range 30 {
			l.Admit([]quota.Charge{rpm}, at(time.Minute+quota.IdleAfter+time.Duration(s)*time.Second))
		}
		// Each admission looks at 4 buckets, at most one of them rpm's.
		Expect(l.Len()).To(BeNumerically("<=", 101-30*3))
		Expect(l.Reclaim(at(time.Minute + quota.IdleAfter + time.Hour))).To(Equal(1)) // rpm's, full for less than the hour
	})
})
