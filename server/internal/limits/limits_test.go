package limits_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

var _ = Describe("The registry", func() {
	It("names every dimension once, with the scenario names faults may force in order", func() {
		seen := map[string]bool{}
		for _, d := range limits.All {
			Expect(seen[d.Name]).To(BeFalse(), d.Name)
			seen[d.Name] = true
		}
		Expect(seen).To(HaveLen(12))
		Expect(limits.ScenarioNames()).To(Equal([]string{"requests", "input_tokens", "output_tokens", "tokens"}))
	})

	It("words, journals and settles each dimension from the one table", func() {
		d, ok := limits.Lookup(limits.CountRequests)
		Expect(ok).To(BeTrue())
		Expect(d.Unit).To(Equal("token counting requests per minute"))
		Expect(limits.JournalName(limits.InputTokens)).To(Equal("input_tokens"))
		Expect(limits.JournalName(limits.RequestsPerMonth)).To(Equal("requests_per_month"))
		Expect(limits.JournalName(limits.CountRequests)).To(Equal("token_counting_requests"))
		var settles []string
		for _, d := range limits.All {
			if limits.Settles(d.Name) {
				settles = append(settles, d.Name)
			}
		}
		Expect(settles).To(Equal([]string{limits.OutputTokens, limits.Tokens, limits.TokensPerDay, limits.PriorityOutput}))
		byScenario, ok := limits.ByScenario("tokens")
		Expect([]any{byScenario.Name, ok}).To(Equal([]any{limits.Tokens, true}))
		_, ok = limits.ByScenario("requests_per_day")
		Expect(ok).To(BeFalse())
	})

	It("reads and points at a tier's limits, and has none for the dimensions tiers do not set", func() {
		l := catalog.Limits{RequestsPerMinute: 50, TokensPerDay: 300_000}
		rpm, _ := limits.Lookup(limits.Requests)
		prio, _ := limits.Lookup(limits.PriorityInput)
		Expect([]int{rpm.LimitIn(l), prio.LimitIn(l)}).To(Equal([]int{50, 0}))
		*limits.Field(&l, limits.RequestsPerMonth) = 5000
		Expect(l.RequestsPerMonth).To(Equal(5000))
		Expect(limits.Field(&l, limits.PriorityOutput)).To(BeNil())
		Expect(limits.Field(&l, "requests_per_hour")).To(BeNil())
	})

	It("lists the seven dimensions tiers set first, which bounds a request's charges", func() {
		var set []bool
		for _, d := range limits.All {
			set = append(set, limits.Field(&catalog.Limits{}, d.Name) != nil)
		}
		Expect(set).To(Equal([]bool{true, true, true, true, true, true, true, false, false, false, false, false}))
	})

	It("gives a rolling bucket's per-window limit and a calendar bucket's capacity", func() {
		rpm, _ := limits.Lookup(limits.Requests)
		day, _ := limits.Lookup(limits.TokensPerDay)
		prio, _ := limits.Lookup(limits.PriorityOutput)
		burst := quota.State{Key: quota.Key{Dimension: limits.Requests}, Limit: rpm.Shape(60, 10*time.Second)}
		Expect([]float64{burst.Limit.Capacity, limits.LimitOf(burst)}).To(Equal([]float64{10, 60}))
		Expect(limits.LimitOf(quota.State{Key: quota.Key{Dimension: limits.TokensPerDay}, Limit: day.Shape(300_000, 0)})).To(Equal(300_000.0))
		Expect(limits.LimitOf(quota.State{Key: quota.Key{Dimension: limits.PriorityOutput}, Limit: prio.Shape(8000, 0)})).To(BeNumerically("~", 8000, 1e-6))
	})
})

var _ = Describe("Tightest", func() {
	state := func(dim string, level float64, full time.Duration) quota.State {
		return quota.State{Key: quota.Key{Scope: dim + "-" + full.String(), Dimension: dim}, Limit: quota.PerWindow(100, time.Minute, 0),
			Level: level, FullAt: t0.Add(full)}
	}
	rpm := func(st quota.State) bool { return st.Key.Dimension == limits.Requests }

	It("picks the fewest whole units left, then the later refill, then the binding bucket before all", func() {
		states := []quota.State{state(limits.Requests, 5.9, time.Second), state(limits.InputTokens, 0, time.Hour),
			state(limits.Requests, 5.2, 2*time.Second), state(limits.Requests, 7, 0)}
		Expect(limits.Tightest(states, quota.Key{}, rpm)).To(Equal(2))
		Expect(limits.Tightest(states, states[3].Key, rpm)).To(Equal(3))
		Expect(limits.Tightest(states, quota.Key{}, func(quota.State) bool { return false })).To(Equal(-1))
	})
})
