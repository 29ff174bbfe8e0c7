package limits_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// The admission decision is on every Messages request: issue 15 wants it
// free of allocations, and this guard keeps it so.
var _ = Describe("The admission decision", func() {
	var (
		lim *quota.Limiter
		r   limits.Request
		at  time.Time
	)

	BeforeEach(func() {
		lim, r, at = quota.New(), benchRequest("guard"), t0
		Expect(limits.Admit(lim, r, accounts.Commitment{}, false, at).Admitted).To(BeTrue())
	})

	It("allocates nothing once the organization's buckets exist", func() {
		admitted := 0
		allocs := testing.AllocsPerRun(200, func() {
			at = at.Add(time.Millisecond)
			if limits.Admit(lim, r, accounts.Commitment{}, false, at).Admitted {
				admitted++
			}
		})
		Expect(allocs).To(BeZero())
		Expect(admitted).To(Equal(201)) // AllocsPerRun runs once more to warm up
	})

	It("allocates nothing for the Priority Tier either", func() {
		c := accounts.Commitment{InputTPM: 2_000_000_000, OutputTPM: 2_000_000_000}
		allocs := testing.AllocsPerRun(200, func() {
			at = at.Add(time.Millisecond)
			limits.Admit(lim, r, c, true, at)
		})
		Expect(allocs).To(BeZero())
	})
})
