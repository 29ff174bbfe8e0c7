package billing_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/billing"
)

var _ = Describe("Ledger", func() {
	jan := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

	It("keeps spend per organization and workspace per UTC month", func() {
		l := billing.NewLedger()
		Expect(l.Charge("org", "ws-a", 3*billing.Dollar, jan)).To(Succeed())
		Expect(l.Charge("org", "ws-b", 2*billing.Dollar, jan)).To(Succeed())
		Expect(l.Charge("org", "", 1*billing.Dollar, jan)).To(Succeed())
		Expect(l.Charge("org", "ws-a", 7*billing.Dollar, jan.AddDate(0, 1, 0))).To(Succeed())

		org, ws := l.Spent("org", "ws-a", jan)
		Expect(org).To(Equal(6 * billing.Dollar))
		Expect(ws).To(Equal(3 * billing.Dollar))
		org, ws = l.Spent("org", "", jan)
		Expect([]billing.Money{org, ws}).To(Equal([]billing.Money{6 * billing.Dollar, 0}))
		org, ws = l.Spent("org", "ws-a", jan.AddDate(0, 1, 0))
		Expect([]billing.Money{org, ws}).To(Equal([]billing.Money{7 * billing.Dollar, 7 * billing.Dollar}))
		org, _ = l.Spent("other", "ws-a", jan)
		Expect(org).To(BeZero())
	})

	It("files a charge under the UTC month whatever the zone of now", func() {
		l := billing.NewLedger()
		// 2026-01-01 09:00 at UTC+14 is still 2025-12-31 in UTC.
		kiritimati := time.FixedZone("LINT", 14*3600)
		now := time.Date(2026, 1, 1, 9, 0, 0, 0, kiritimati)
		Expect(l.Charge("org", "", billing.Dollar, now)).To(Succeed())
		org, _ := l.Spent("org", "", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC))
		Expect(org).To(Equal(billing.Dollar))
		Expect(billing.MonthKey(now)).To(Equal("2025-12"))
		Expect(billing.NextMonth(now)).To(Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	})

	It("rejects a negative charge without recording it", func() {
		l := billing.NewLedger()
		Expect(l.Charge("org", "ws", -1, jan)).To(MatchError(billing.ErrNegative))
		org, ws := l.Spent("org", "ws", jan)
		Expect([]billing.Money{org, ws}).To(Equal([]billing.Money{0, 0}))
	})

	It("names months and finds the next one across a year", func() {
		Expect(billing.MonthKey(jan)).To(Equal("2026-01"))
		dec := time.Date(2025, 12, 31, 23, 59, 59, 999_999_999, time.UTC)
		Expect(billing.NextMonth(dec)).To(Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	})
})
