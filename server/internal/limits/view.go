package limits

import (
	"math"
	"time"

	"github.com/claudemock/claudemock/server/internal/quota"
)

// Shown is the bucket one family of rate-limit headers shows; OK is false
// when the family has no bucket and its headers are left out.
type Shown struct {
	State quota.State
	OK    bool
}

// View is which bucket each family of rate-limit headers shows. Formatting
// them (names, the clock) is the server's; choosing them is policy.
type View struct {
	Requests, InputTokens, OutputTokens, Tokens Shown
	PriorityInput, PriorityOutput               Shown
}

// ViewOf chooses, among the buckets' states, the most restrictive (see
// Restrictive) of each family, across organization and workspace and
// across windows: requests the requests per minute, day or month; tokens
// the combined tokens per minute or per day, or input + output summed.
// binding, the bucket a refusal waits on (the zero Key on a 200), is
// always the one shown for its family, so that a 429's headers say why it
// was refused.
func ViewOf(states []quota.State, binding quota.Key) View {
	v := View{
		Requests:     tightestOf(states, binding, Requests, RequestsPerDay, RequestsPerMonth),
		InputTokens:  tightestOf(states, binding, InputTokens),
		OutputTokens: tightestOf(states, binding, OutputTokens),
	}
	v.Tokens = combinedTokens(states, binding, v.InputTokens, v.OutputTokens)
	return v
}

// View is the buckets the response to an admission shows: its own view of
// the standard ones (settled, if it was admitted and settled) and the
// Priority Tier's when the request was eligible for it.
func (a *Admission) View(lim *quota.Limiter, now time.Time) View {
	v := ViewOf(a.States(), a.Binding)
	if prio := a.priorityStates(lim, now); prio != nil {
		v.PriorityInput = Shown{prio[0], true}
		v.PriorityOutput = Shown{prio[1], true}
	}
	return v
}

// tightestOf is the most restrictive of the tightest bucket of each of
// dims, a tie going to the dimension named first.
func tightestOf(states []quota.State, binding quota.Key, dims ...string) Shown {
	var buf [3]quota.State
	return pick(tightestEach(buf[:0], states, binding, dims...), binding)
}

// tightestEach appends to cands the tightest bucket of each of dims that
// states hold, in dims' order.
func tightestEach(cands, states []quota.State, binding quota.Key, dims ...string) []quota.State {
	for _, d := range dims {
		if i := Tightest(states, binding, func(st quota.State) bool { return st.Key.Dimension == d }); i >= 0 {
			cands = append(cands, states[i])
		}
	}
	return cands
}

// pick is the most restrictive of cands, the first of equals.
func pick(cands []quota.State, binding quota.Key) Shown {
	if i := Tightest(cands, binding, func(quota.State) bool { return true }); i >= 0 {
		return Shown{cands[i], true}
	}
	return Shown{}
}

// combinedTokens is the tokens view, as the real headers are: the most
// restrictive of the tier's combined tokens per minute and per day, where
// it has them, and of input + output summed (limit, remaining, and the
// later of the two resets) where it has both (in and out, the input and
// output families' buckets). The sum comes last, so a real combined bucket
// wins a tie and is the one a refusal binds on.
func combinedTokens(states []quota.State, binding quota.Key, in, out Shown) Shown {
	var buf [3]quota.State
	cands := tightestEach(buf[:0], states, binding, Tokens, TokensPerDay)
	if in.OK && out.OK {
		cands = append(cands, summed(in.State, out.State))
	}
	return pick(cands, binding)
}

// summed is the input and output buckets as one combined bucket.
func summed(in, out quota.State) quota.State {
	sum := quota.State{
		Key:    quota.Key{Scope: in.Key.Scope, Family: in.Key.Family, Dimension: Tokens},
		Limit:  quota.Limit{Capacity: in.Limit.Capacity + out.Limit.Capacity, Rate: in.Limit.Rate + out.Limit.Rate},
		Level:  math.Max(in.Level, 0) + math.Max(out.Level, 0),
		FullAt: in.FullAt,
	}
	if out.FullAt.After(sum.FullAt) {
		sum.FullAt = out.FullAt
	}
	return sum
}
