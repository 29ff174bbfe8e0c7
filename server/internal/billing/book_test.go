package billing_test

import (
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/billing"
)

func money(m billing.Money) *billing.Money { return &m }

var _ = Describe("Book", func() {
	var b *billing.Book
	jan := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	feb1 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

	BeforeEach(func() { b = billing.NewBook() })

	Describe("tier spend cap", func() {
		var acct billing.Account
		BeforeEach(func() { acct = billing.Account{Org: "org", Workspace: "ws", Tier: tier("tier-1")} })

		It("trips on the request that crosses it and not before", func() {
			Expect(b.Charge(acct, billing.Dollars(99.99), jan)).To(Succeed())
			Expect(b.Check(acct, jan)).To(BeNil())
			Expect(b.Charge(acct, billing.Dollars(0.02), jan)).To(Succeed()) // crosses $100
			org, _ := b.Ledger().Spent("org", "ws", jan)
			Expect(org.String()).To(Equal("$100.01"))

			r := b.Check(acct, jan)
			Expect(r).To(Equal(&billing.Refusal{Kind: billing.KindTierCap, ResumesAt: feb1}))
			Expect(r.Message()).To(Equal("You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2026-02-01 at 00:00 UTC."))
			Expect([]any{r.ErrorType().Status(), string(r.ErrorType()), r.ErrorCode()}).To(Equal([]any{429, "rate_limit_error", "enforced_spend_limit_reached"}))

			Expect(b.Check(acct, feb1.Add(-time.Nanosecond))).NotTo(BeNil())
			Expect(b.Check(acct, feb1)).To(BeNil())
		})

		It("refuses once spend equals the cap exactly", func() {
			Expect(b.Charge(acct, 100*billing.Dollar-1, jan)).To(Succeed())
			Expect(b.Check(acct, jan)).To(BeNil())
			Expect(b.Charge(acct, 1, jan)).To(Succeed())
			Expect(b.Check(acct, jan)).NotTo(BeNil())
		})

		It("does not cap a tier without a monthly limit", func() {
			acct.Tier = tier("custom")
			Expect(b.Charge(acct, 1_000_000*billing.Dollar, jan)).To(Succeed())
			Expect(b.Check(acct, jan)).To(BeNil())
		})

		It("is checked before the customer limits", func() {
			acct.OrgLimit = money(50 * billing.Dollar)
			Expect(b.Charge(acct, 100*billing.Dollar, jan)).To(Succeed())
			Expect(b.Check(acct, jan).Kind).To(Equal(billing.KindTierCap))
		})
	})

	Describe("customer-set limits", func() {
		dec := time.Date(2025, 12, 20, 8, 0, 0, 0, time.UTC)
		jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

		It("refuses the organization at its limit until the new year", func() {
			acct := billing.Account{Org: "org", Workspace: "ws", Tier: tier("tier-4"), OrgLimit: money(10 * billing.Dollar)}
			Expect(b.Charge(acct, 10*billing.Dollar, dec)).To(Succeed())
			r := b.Check(acct, dec)
			Expect(r).To(Equal(&billing.Refusal{Kind: billing.KindOrgLimit, ResumesAt: jan1}))
			Expect(r.Message()).To(Equal("You have reached your specified API usage limits. You will regain access on 2026-01-01 at 00:00 UTC."))
			Expect([]any{r.ErrorType().Status(), string(r.ErrorType()), r.ErrorCode()}).To(Equal([]any{400, "invalid_request_error", ""}))
			Expect(b.Check(acct, jan1)).To(BeNil())
		})

		It("refuses only the workspace at its limit, after the org limit", func() {
			a := billing.Account{Org: "org", Workspace: "a", WorkspaceLimit: money(5 * billing.Dollar)}
			other := billing.Account{Org: "org", Workspace: "b", WorkspaceLimit: money(5 * billing.Dollar)}
			Expect(b.Charge(a, 5*billing.Dollar, dec)).To(Succeed())
			r := b.Check(a, dec)
			Expect(r).To(Equal(&billing.Refusal{Kind: billing.KindWorkspaceLimit, ResumesAt: jan1}))
			Expect(r.Message()).To(Equal("You have reached your specified workspace API usage limits. You will regain access on 2026-01-01 at 00:00 UTC."))
			Expect(b.Check(other, dec)).To(BeNil())

			a.OrgLimit = money(5 * billing.Dollar)
			Expect(b.Check(a, dec).Kind).To(Equal(billing.KindOrgLimit))
		})

		It("ignores a workspace limit when the request has no workspace", func() {
			acct := billing.Account{Org: "org", WorkspaceLimit: money(0)}
			Expect(b.Check(acct, dec)).To(BeNil())
		})
	})

	Describe("credits", func() {
		acct := billing.Account{Org: "org", Workspace: "ws"}

		It("are unlimited while disabled", func() {
			Expect(b.Charge(acct, 1000*billing.Dollar, jan)).To(Succeed())
			Expect(b.Check(acct, jan)).To(BeNil())
			enabled, balance, purchased := b.Credits("org")
			Expect([]any{enabled, balance, purchased}).To(Equal([]any{false, billing.Money(0), billing.Money(0)}))
		})

		It("refuse at once when enabled with nothing deposited", func() {
			b.EnableCredits("org", true)
			r := b.Check(acct, jan)
			Expect(r).To(Equal(&billing.Refusal{Kind: billing.KindCredit}))
			Expect(r.ResumesAt.IsZero()).To(BeTrue())
			Expect(r.Message()).To(Equal("Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."))
			Expect([]any{string(r.ErrorType()), r.ErrorType().Status()}).To(Equal([]any{"invalid_request_error", 400}))
			b.EnableCredits("org", false)
			Expect(b.Check(acct, jan)).To(BeNil())
		})

		It("serve the request that empties the balance and refuse the next", func() {
			b.EnableCredits("org", true)
			_, err := b.Deposit("org", billing.Dollar, tier("tier-1"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(b.Charge(acct, billing.Dollars(0.6), jan)).To(Succeed())
			Expect(b.Check(acct, jan)).To(BeNil())
			Expect(b.Charge(acct, billing.Dollars(0.6), jan)).To(Succeed())
			_, balance, _ := b.Credits("org")
			Expect(balance.String()).To(Equal("-$0.20"))
			Expect(b.Check(acct, jan).Kind).To(Equal(billing.KindCredit))

			res, err := b.Deposit("org", billing.Dollar, tier("tier-1"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Balance.String()).To(Equal("$0.80"))
			Expect(b.Check(acct, jan)).To(BeNil())
		})

		It("upgrade the tier as cumulative purchases reach each threshold", func() {
			res, err := b.Deposit("org", 10*billing.Dollar, tier("tier-1"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res).To(Equal(billing.DepositResult{Balance: 10 * billing.Dollar, Purchased: 10 * billing.Dollar, Tier: tier("tier-1")}))

			res, err = b.Deposit("org", 30*billing.Dollar, tier("tier-1"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Purchased.String()).To(Equal("$40.00"))
			Expect(res.Tier.Name).To(Equal("tier-2"))
			Expect(res.Upgraded).To(BeTrue())

			res, err = b.Deposit("org", 160*billing.Dollar, tier("tier-2"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Tier.Name).To(Equal("tier-3"))

			res, err = b.Deposit("org", 1000*billing.Dollar, tier("tier-3"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Purchased.String()).To(Equal("$1200.00"))
			Expect(res.Tier.Name).To(Equal("tier-4"))
		})

		It("never downgrade, nor replace a tier without a threshold", func() {
			res, err := b.Deposit("org", 5*billing.Dollar, tier("tier-4"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect([]any{res.Tier.Name, res.Upgraded}).To(Equal([]any{"tier-4", false}))

			res, err = b.Deposit("start-org", 500*billing.Dollar, tier("start"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Tier.Name).To(Equal("start"))

			res, err = b.Deposit("new-org", 5*billing.Dollar, nil, cat, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Tier.Name).To(Equal("tier-1"))

			res, err = b.Deposit("no-cat", 5*billing.Dollar, nil, nil, jan)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Tier).To(BeNil())
		})

		It("refuse a deposit above the tier's maximum purchase, changing nothing", func() {
			_, err := b.Deposit("org", 101*billing.Dollar, tier("tier-1"), cat, jan)
			Expect(err).To(MatchError("deposit of $101.00 exceeds the tier's maximum credit purchase of $100.00"))
			_, err = b.Deposit("org", 100*billing.Dollar, tier("tier-1"), cat, jan)
			Expect(err).NotTo(HaveOccurred())
			_, balance, purchased := b.Credits("org")
			Expect([]billing.Money{balance, purchased}).To(Equal([]billing.Money{100 * billing.Dollar, 100 * billing.Dollar}))
		})

		It("refuse a deposit that is not positive", func() {
			_, err := b.Deposit("org", -5*billing.Dollar, tier("tier-1"), cat, jan)
			Expect(err).To(MatchError("deposit of -$5.00 must be positive"))
			_, err = b.Deposit("org", 0, nil, cat, jan)
			Expect(err).To(MatchError("deposit of $0.00 must be positive"))
			_, _, purchased := b.Credits("org")
			Expect(purchased).To(BeZero())
		})
	})

	It("rejects a negative charge", func() {
		Expect(b.Charge(billing.Account{Org: "org"}, -1, jan)).To(MatchError(billing.ErrNegative))
	})

	It("sums concurrent charges exactly", func() {
		cost := billing.Cost(model("claude-opus-4-5").Prices,
			billing.Usage{Input: 1000, CacheWrite5m: 2000, CacheRead: 10000, Output: 500})
		b.EnableCredits("org", true)
		_, err := b.Deposit("org", 5000*billing.Dollar, nil, cat, jan)
		Expect(err).NotTo(HaveOccurred())
		var wg sync.WaitGroup
		for g := range 64 {
			wg.Go(func() {
				defer GinkgoRecover()
				acct := billing.Account{Org: "org", Workspace: []string{"a", "b", "c", "d"}[g%4]}
				for range 1000 {
					_ = b.Check(acct, jan)
					Expect(b.Charge(acct, cost, jan)).To(Succeed())
				}
			})
		}
		wg.Wait()
		org, ws := b.Ledger().Spent("org", "a", jan)
		Expect(org.String()).To(Equal("$2240.00"))
		Expect(ws.String()).To(Equal("$560.00"))
		_, balance, _ := b.Credits("org")
		Expect(balance.String()).To(Equal("$2760.00"))
	})

	It("snapshots the month deterministically", func() {
		Expect(b.Charge(billing.Account{Org: "beta", Workspace: "z"}, 2*billing.Dollar, jan)).To(Succeed())
		Expect(b.Charge(billing.Account{Org: "beta", Workspace: "a"}, 3*billing.Dollar, jan)).To(Succeed())
		Expect(b.Charge(billing.Account{Org: "alpha"}, billing.Dollar, jan)).To(Succeed())
		Expect(b.Charge(billing.Account{Org: "old", Workspace: "w"}, billing.Dollar, jan.AddDate(0, -1, 0))).To(Succeed())
		b.EnableCredits("gamma", true)
		_, err := b.Deposit("gamma", 5*billing.Dollar, nil, nil, jan)
		Expect(err).NotTo(HaveOccurred())

		Expect(b.Snapshot(jan)).To(Equal(billing.Snapshot{Month: "2026-01", Orgs: []billing.OrgSnapshot{
			{Org: "alpha", Spent: billing.Dollar},
			{Org: "beta", Spent: 5 * billing.Dollar, Workspaces: []billing.WorkspaceSnapshot{
				{Workspace: "a", Spent: 3 * billing.Dollar}, {Workspace: "z", Spent: 2 * billing.Dollar}}},
			{Org: "gamma", CreditsEnabled: true, Balance: 5 * billing.Dollar, Purchased: 5 * billing.Dollar},
		}}))
	})
})

var _ = Describe("Book.Grant and Book.Reset", func() {
	var b *billing.Book
	jan := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	BeforeEach(func() { b = billing.NewBook() })

	It("grants a balance that is not a purchase", func() {
		b.Grant("org", billing.Dollars(0.05))
		on, balance, purchased := b.Credits("org")
		Expect([]any{on, balance.String(), purchased.String()}).To(Equal([]any{true, "$0.05", "$0.00"}))
	})

	It("forgets spend and credits", func() {
		acct := billing.Account{Org: "org"}
		b.Grant("org", billing.Dollars(1))
		Expect(b.Charge(acct, billing.Dollars(0.25), jan)).To(Succeed())
		b.Reset()
		on, balance, _ := b.Credits("org")
		spent, _ := b.Ledger().Spent("org", "", jan)
		Expect([]any{on, balance.String(), spent.String()}).To(Equal([]any{false, "$0.00", "$0.00"}))
	})
})
