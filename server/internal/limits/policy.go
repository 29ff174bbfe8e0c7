package limits

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// Request is what the policy needs to know of one Messages request, in
// plain values, so that it does not depend on how the server parses one.
type Request struct {
	Account accounts.Account
	// Family keys the standard buckets; Model (the model's id) keys the
	// Priority Tier's and names the model in a 429.
	Family, Model string
	MaxTokens     int
	// Usage is the input as the prompt cache would serve it (its plan,
	// committed or not); ReadsCount marks the models whose cache reads
	// count toward input tokens per minute.
	Usage      tokens.CacheUsage
	ReadsCount bool
}

// weigh is what the request weighs before it runs: its ITPM weight, and
// max_tokens, which the output buckets reserve under "reserve" accounting.
func (r Request) weigh() cost {
	return cost{Input: itpm(r.Usage, r.ReadsCount), MaxTokens: r.MaxTokens, Reserve: r.Account.Tier.Reserve()}
}

// cost is what one Messages request weighs in each dimension before it
// runs.
type cost struct {
	Input     int  // itpm: input + cache writes (+ cache reads for flagged models)
	MaxTokens int  // reserved under "reserve" accounting
	Reserve   bool // the tier's otpm_accounting is "reserve"
}

// itpm is what a request weighs against input tokens per minute: uncached
// input and cache writes, and cache reads only when readsCount (the models
// whose published limits count them). Admission and the forced 429 both
// weigh input with it, so that they agree on what a request needs.
func itpm(u tokens.CacheUsage, readsCount bool) int {
	n := u.Input + u.Written()
	if readsCount {
		n += u.Read
	}
	return n
}

// amounts gives a dimension's admission threshold (need) and deduction
// (take). Under "actual" accounting a non-empty output bucket admits and
// output is charged after the reply.
func (c cost) amounts(dim string) (need, take float64) {
	out := 0.0
	if c.Reserve {
		out = float64(c.MaxTokens)
	}
	switch dim {
	case InputTokens:
		return float64(c.Input), float64(c.Input)
	case OutputTokens, PriorityOutput:
		if c.Reserve {
			return out, out
		}
		return 1, 0
	case Tokens, TokensPerDay:
		return float64(c.Input) + out, float64(c.Input) + out
	default:
		return 1, 1
	}
}

// tierDimensions is how many dimensions a tier sets (those Field maps):
// requests, input, output and combined tokens per minute, tokens and
// requests per day, requests per month.
const tierDimensions = 7

// maxStandard bounds the standard charges of one request: every dimension
// a tier sets, for the organization and for its workspace.
const maxStandard = 2 * tierDimensions

// standardCharges appends to dst the standard buckets a request draws
// from: every dimension the tier sets for the family, for the organization
// and for the workspace when it has limits of its own (accounts.Account.Scopes,
// without its allocations: the scope names are lim's interned ones).
func standardCharges(dst []quota.Charge, lim *quota.Limiter, acct accounts.Account, family string, c cost) []quota.Charge {
	dst = scopeCharges(dst, lim.Name("org:", acct.OrgID), acct.Org.Effective(acct.Tier, family), acct, family, c)
	if acct.Workspace == nil {
		return dst
	}
	if l, ok := acct.Workspace.For(family); ok {
		dst = scopeCharges(dst, lim.Name("ws:", acct.Workspace.ID), l, acct, family, c)
	}
	return dst
}

// scopeCharges appends to dst a charge for every dimension set sets,
// in All's order, on the buckets of scope.
func scopeCharges(dst []quota.Charge, scope string, set catalog.Limits, acct accounts.Account, family string, c cost) []quota.Charge {
	for _, d := range All[:tierDimensions] {
		n := d.LimitIn(set)
		if n <= 0 {
			continue
		}
		need, take := c.amounts(d.Name)
		dst = append(dst, quota.Charge{
			Key:   quota.Key{Scope: scope, Family: family, Dimension: d.Name},
			Limit: d.Shape(n, acct.Tier.BurstWindow),
			Need:  need, Take: take,
		})
	}
	return dst
}

// settle trues the settling dimensions of charges up once the reply's
// output is known: under "reserve" the unused part of max_tokens is
// refunded, under "actual" the generated tokens are charged. states, the
// admission's own view of the charges' buckets (in charge order), is
// adjusted the same way, so the response's headers count exactly this
// request's admission and settlement, whatever concurrent requests did in
// between.
func settle(lim *quota.Limiter, charges []quota.Charge, states []quota.State, c cost, output int, now time.Time) {
	delta := float64(output)
	if c.Reserve {
		delta = float64(output - c.MaxTokens)
	}
	for i, ch := range charges {
		if Settles(ch.Key.Dimension) {
			lim.Settle(ch.Key, ch.Limit, delta, now)
			states[i] = states[i].Settled(delta, now)
		}
	}
}

// CountCharge is the one bucket a token-counting request draws on, the
// organization's token counting requests per minute; false when the tier
// sets none.
func CountCharge(acct accounts.Account) (quota.Charge, bool) {
	rpm := acct.Tier.TokenCountingRPM
	if rpm <= 0 {
		return quota.Charge{}, false
	}
	return quota.Charge{
		Key:   quota.Key{Scope: acct.OrgScope(), Dimension: CountRequests},
		Limit: quota.PerWindow(float64(rpm), time.Minute, acct.Tier.BurstWindow),
		Need:  1, Take: 1,
	}, true
}
