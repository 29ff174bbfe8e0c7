package limits_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/limits"
)

var _ = Describe("The Message Batches limits", func() {
	acct := accounts.Account{OrgID: "o1", WorkspaceID: "w1", Tier: &catalog.Tier{Name: "t", BatchRPM: 50, BatchQueue: 100_000}}

	It("draw every batch call from the organization's batch requests per minute", func() {
		c := limits.BatchCharge(acct)
		Expect(c.Key.Scope).To(Equal(acct.OrgScope()))
		Expect(c.Key.Dimension).To(Equal(limits.BatchRequests))
		Expect(c.Need).To(Equal(1.0))
		Expect(limits.JournalName(limits.BatchRequests)).To(Equal("batch_requests"))
		Expect(limits.BatchRateMessage(acct)).To(HavePrefix("This request would exceed your organization's rate limit of 50 batch requests per minute (org: o1). "))
	})

	It("bound the processing queue by the tier, or not at all when it sets none", func() {
		ok, _ := limits.QueueRoom(acct, 99_990, 10)
		Expect(ok).To(BeTrue())
		ok, limit := limits.QueueRoom(acct, 99_990, 11)
		Expect(ok).To(BeFalse())
		Expect(limit).To(Equal(100_000))
		ok, _ = limits.QueueRoom(accounts.Account{Tier: &catalog.Tier{}}, 1_000_000, 100_000)
		Expect(ok).To(BeTrue())
		Expect(limits.JournalName(limits.BatchQueue)).To(Equal("batch_queue"))
		Expect(limits.QueueMessage(acct, 100_000, 99_990, 11)).To(Equal("This request would exceed your organization's limit of 100,000 batch requests in the processing queue " +
			"(org: o1; 99,990 queued, 11 in this batch). For details, refer to: https://docs.claude.com/en/api/rate-limits. " +
			"Please wait for processing batches to end, or submit fewer requests."))
	})
})
