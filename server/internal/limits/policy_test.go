package limits_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// account is organization o1 on a tier of 50 RPM, 50,000 ITPM and 10,000
// OTPM under the given output accounting, in workspace w1, whose own
// limit is 10 RPM.
func account(accounting string) accounts.Account {
	tier := &catalog.Tier{Name: "t", OTPMAccounting: accounting, Limits: map[string]catalog.Limits{
		catalog.DefaultFamily: {RequestsPerMinute: 50, InputTokensPerMinute: 50_000, OutputTokensPerMinute: 10_000}}}
	ws := &orgs.Workspace{ID: "w1", Limits: map[string]catalog.Limits{catalog.DefaultFamily: {RequestsPerMinute: 10}}}
	return accounts.Account{OrgID: "o1", WorkspaceID: "w1", Tier: tier, Workspace: ws}
}

// request is a Haiku 4.5 request of 100 max_tokens with the given cache usage.
func request(acct accounts.Account, u tokens.CacheUsage) limits.Request {
	return limits.Request{Account: acct, Family: "haiku-4-5", Model: "claude-haiku-4-5-20251001", MaxTokens: 100, Usage: u}
}

// charged lists charges as "scope dimension need take".
func charged(charges []quota.Charge) []string {
	var out []string
	for _, c := range charges {
		out = append(out, fmt.Sprintf("%s %s %g %g", c.Key.Scope, c.Key.Dimension, c.Need, c.Take))
	}
	return out
}

// levels lists the states' levels.
func levels(states []quota.State) []float64 {
	var out []float64
	for _, st := range states {
		out = append(out, st.Level)
	}
	return out
}

var _ = Describe("Charges", func() {
	// admitted is the charges of the first request of a fresh limiter.
	admitted := func(r limits.Request) []string {
		a := limits.Admit(quota.New(), r, accounts.Commitment{}, false, t0)
		return charged(a.Charges())
	}

	It("weighs input with uncached input and cache writes, and cache reads only for the models whose limits count them", func() {
		r := request(account(catalog.OTPMReserve), tokens.CacheUsage{Input: 23, Read: 5010, Write5m: 7, Write1h: 3})
		Expect(admitted(r)[1]).To(Equal("org:o1 input_tokens_per_minute 33 33"))
		r.ReadsCount = true
		Expect(admitted(r)[1]).To(Equal("org:o1 input_tokens_per_minute 5043 5043"))
	})

	It("charges every dimension the tier and the workspace set, reserving max_tokens under reserve", func() {
		Expect(admitted(request(account(catalog.OTPMReserve), tokens.CacheUsage{Input: 1200}))).To(Equal([]string{
			"org:o1 requests_per_minute 1 1", "org:o1 input_tokens_per_minute 1200 1200",
			"org:o1 output_tokens_per_minute 100 100", "ws:w1 requests_per_minute 1 1",
		}))
	})

	It("needs a non-empty output bucket and takes nothing from it under actual", func() {
		Expect(admitted(request(account(catalog.OTPMActual), tokens.CacheUsage{Input: 1200}))[2]).To(
			Equal("org:o1 output_tokens_per_minute 1 0"))
	})

	It("counts token-counting requests only where the tier sets a limit for them", func() {
		acct := account(catalog.OTPMReserve)
		_, ok := limits.CountCharge(acct)
		Expect(ok).To(BeFalse())
		acct.Tier.TokenCountingRPM = 100
		c, ok := limits.CountCharge(acct)
		Expect([]any{ok, charged([]quota.Charge{c})}).To(Equal([]any{true, []string{"org:o1 token_counting_requests_per_minute 1 1"}}))
	})
})

var _ = Describe("Settle", func() {
	// output is the organization's OTPM bucket as the admission saw it
	// and as the limiter holds it.
	output := func(lim *quota.Limiter, a limits.Admission) []float64 {
		return []float64{a.States()[2].Level, lim.Peek(a.Charges()[2:3], t0)[0].Level}
	}

	It("refunds the unused part of max_tokens under reserve", func() {
		lim := quota.New()
		a := limits.Admit(lim, request(account(catalog.OTPMReserve), tokens.CacheUsage{Input: 20}), accounts.Commitment{}, false, t0)
		Expect(output(lim, a)).To(Equal([]float64{9900, 9900}))
		a.Settle(lim, 24, t0)
		Expect(output(lim, a)).To(Equal([]float64{9976, 9976}))
		Expect(levels(a.States())).To(Equal([]float64{49, 49_980, 9976, 9}))
	})

	It("charges the generated tokens under actual", func() {
		lim := quota.New()
		a := limits.Admit(lim, request(account(catalog.OTPMActual), tokens.CacheUsage{Input: 20}), accounts.Commitment{}, false, t0)
		Expect(output(lim, a)).To(Equal([]float64{10_000, 10_000}))
		a.Settle(lim, 24, t0)
		Expect(output(lim, a)).To(Equal([]float64{9976, 9976}))
	})
})

var _ = Describe("Priority Tier admission", func() {
	commitment := accounts.Commitment{InputTPM: 100, OutputTPM: 1000}

	It("burns input at the documented rates and output as the tier accounts it", func() {
		u := tokens.CacheUsage{Input: 10, Read: 100, Write5m: 8, Write1h: 5}
		a := limits.Admit(quota.New(), request(account(catalog.OTPMReserve), u), commitment, true, t0)
		Expect(charged(a.Priority())).To(Equal([]string{
			"priority:o1 priority_input_tokens_per_minute 40 40", "priority:o1 priority_output_tokens_per_minute 100 100",
		}))
	})

	It("serves from the commitment and the regular limits together, then falls back to standard when the commitment cannot take it", func() {
		lim := quota.New()
		acct := account(catalog.OTPMReserve)
		a := limits.Admit(lim, request(acct, tokens.CacheUsage{Input: 60}), commitment, true, t0)
		Expect([]any{a.Admitted, a.ServiceTier, len(a.Charges()), len(a.Priority())}).To(Equal([]any{true, "priority", 6, 2}))
		Expect(a.View(lim, t0).PriorityInput).To(Equal(limits.Shown{State: a.States()[0], OK: true}))

		b := limits.Admit(lim, request(acct, tokens.CacheUsage{Input: 60}), commitment, true, t0)
		Expect([]any{b.Admitted, b.ServiceTier, len(b.Charges()), len(b.Priority())}).To(Equal([]any{true, "standard", 4, 2}))
		v := b.View(lim, t0)
		Expect([]float64{v.PriorityInput.State.Level, v.PriorityOutput.State.Level}).To(Equal([]float64{40, 900})) // as a left them
		Expect(v.InputTokens.State.Level).To(Equal(49_880.0))
	})

	It("shows no Priority Tier buckets to a request that is not eligible", func() {
		a := limits.Admit(quota.New(), request(account(catalog.OTPMReserve), tokens.CacheUsage{Input: 60}), commitment, false, t0)
		Expect([]any{a.ServiceTier, a.Priority() == nil, a.View(quota.New(), t0).PriorityInput.OK}).To(Equal([]any{"standard", true, false}))
	})
})

var _ = Describe("The view", func() {
	state := func(dim string, limit, level float64) quota.State {
		return quota.State{Key: quota.Key{Scope: "org:o1", Dimension: dim}, Limit: quota.PerWindow(limit, time.Minute, 0), Level: level, FullAt: t0}
	}
	in, out := state(limits.InputTokens, 50_000, 40_000), state(limits.OutputTokens, 10_000, 9000)

	It("shows input + output summed as the tokens bucket when the tier has no combined one", func() {
		v := limits.ViewOf([]quota.State{in, out}, quota.Key{})
		Expect(v.Tokens.OK).To(BeTrue())
		Expect([]any{v.Tokens.State.Key, v.Tokens.State.Limit.Capacity, v.Tokens.State.Level}).To(Equal(
			[]any{quota.Key{Scope: "org:o1", Dimension: limits.Tokens}, 60_000.0, 49_000.0}))
		Expect([]bool{v.InputTokens.OK, v.OutputTokens.OK, v.Requests.OK}).To(Equal([]bool{true, true, false}))
	})

	It("shows the combined bucket when it is tighter than the sum, and the sum when it is not", func() {
		tpm := state(limits.Tokens, 60_000, 45_000)
		Expect(limits.ViewOf([]quota.State{in, out, tpm}, quota.Key{}).Tokens.State).To(Equal(tpm))
		tpm.Level = 55_000
		Expect(limits.ViewOf([]quota.State{in, out, tpm}, quota.Key{}).Tokens.State.Level).To(Equal(49_000.0))
	})

	It("shows the tightest requests bucket across windows, unless a refusal binds on another", func() {
		rpm, rpd := state(limits.Requests, 50, 3), state(limits.RequestsPerDay, 500, 2)
		Expect(limits.ViewOf([]quota.State{rpm, rpd}, quota.Key{}).Requests.State).To(Equal(rpd))
		Expect(limits.ViewOf([]quota.State{rpm, rpd}, rpm.Key).Requests.State).To(Equal(rpm))
	})
})

var _ = Describe("A forced 429", func() {
	It("empties the named bucket and waits for what admission would need of it", func() {
		r := request(account(catalog.OTPMReserve), tokens.CacheUsage{Input: 23, Read: 5010})
		f := limits.Force(quota.New(), r, "input_tokens", t0)
		Expect([]any{f.Empty.Key.Dimension, f.View.InputTokens.State.Remaining(), f.View.InputTokens.State.FullAt}).To(Equal(
			[]any{limits.InputTokens, int64(0), t0.Add(time.Minute)}))
		Expect(f.Wait).To(BeNumerically("~", 27600*time.Microsecond, time.Microsecond)) // 23 tokens at 50,000 a minute
	})

	It("stands the summed bucket in for tokens when the tier has no combined one", func() {
		f := limits.Force(quota.New(), request(account(catalog.OTPMReserve), tokens.CacheUsage{Input: 23}), "tokens", t0)
		Expect([]any{f.Empty.Key.Dimension, limits.LimitOf(f.Empty), f.View.Tokens.State.Level}).To(Equal([]any{limits.Tokens, 60_000.0, 0.0}))
	})
})

var _ = Describe("The wording", func() {
	const tail = "For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. " +
		"Please reduce the prompt length or the maximum tokens requested, or try again later. " +
		"You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase."
	acct := account(catalog.OTPMReserve)

	It("names the organization's limit in thousands, its unit and the model", func() {
		Expect(limits.Message(acct, quota.Key{Scope: "org:o1", Dimension: limits.InputTokens}, 50_000, "claude-haiku-4-5-20251001")).To(Equal(
			"This request would exceed your organization's rate limit of 50,000 input tokens per minute (org: o1, model: claude-haiku-4-5-20251001). " + tail))
	})

	It("names the workspace when its bucket refused, and the binding bucket of a refused admission", func() {
		lim := quota.New()
		r := request(acct, tokens.CacheUsage{Input: 20})
		for range 10 {
			Expect(limits.Admit(lim, r, accounts.Commitment{}, false, t0).Admitted).To(BeTrue())
		}
		a := limits.Admit(lim, r, accounts.Commitment{}, false, t0)
		Expect(a.Admitted).To(BeFalse())
		Expect(a.Refusal()).To(Equal(
			"This request would exceed your workspace's rate limit of 10 requests per minute (org: o1, workspace: w1, model: claude-haiku-4-5-20251001). " + tail))
	})

	It("words the acceleration limit", func() {
		Expect(limits.AccelerationMessage("o1", "m")).To(Equal("This request would exceed your organization's acceleration limit (org: o1, model: m): " +
			"usage is rising faster than allowed. Please ramp up your traffic gradually and maintain consistent usage patterns."))
	})
})
