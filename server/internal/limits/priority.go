package limits

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// The service tiers a Messages reply reports in usage.service_tier.
const (
	tierStandard = "standard"
	tierPriority = "priority"
)

// priorityCharges writes into dst the Priority Tier buckets a request
// would burn down, per (organization, model): input at the documented
// rates (cache reads 0.1, 5-minute writes 1.25, 1-hour writes 2, the rest
// 1), output as the tier accounts it.
func priorityCharges(dst *[2]quota.Charge, lim *quota.Limiter, r Request, c accounts.Commitment) {
	u := r.Usage
	in := float64(u.Input) + 0.1*float64(u.Read) + 1.25*float64(u.Write5m) + 2*float64(u.Write1h)
	outNeed, outTake := r.weigh().amounts(PriorityOutput)
	scope := lim.Name("priority:", r.Account.OrgID)
	*dst = [2]quota.Charge{
		{Key: quota.Key{Scope: scope, Family: r.Model, Dimension: PriorityInput},
			Limit: quota.PerWindow(float64(c.InputTPM), time.Minute, 0), Need: in, Take: in},
		{Key: quota.Key{Scope: scope, Family: r.Model, Dimension: PriorityOutput},
			Limit: quota.PerWindow(float64(c.OutputTPM), time.Minute, 0), Need: outNeed, Take: outTake},
	}
}

// maxCharges bounds the charges of one Messages request: the Priority
// Tier's two and the standard ones.
const maxCharges = 2 + maxStandard

// Admission is how the buckets answered a request: the decision, the
// charges it took (or would have), the service tier that served it, and
// the Priority Tier charges whose headers the response carries (nil when
// the request was not eligible). It holds its charges and their states in
// arrays of its own, so that admitting a request allocates nothing; the
// embedded Decision is the verdict alone (its Refused and States lists
// are left nil: States is the method's).
type Admission struct {
	quota.Decision
	ServiceTier string
	// cost is what Settle trues up; refusal the wording of a refusal,
	// worded when refused so an admitted request carries no copy of its
	// account.
	cost    cost
	refusal string
	// charges holds the Priority Tier's two charges (when eligible) and
	// the standard ones after them, states their states as admitted
	// (aligned with charges); the admission's own are [first:n], the
	// Priority Tier's [:2] when eligible.
	eligible bool
	first, n int
	charges  [maxCharges]quota.Charge
	states   [maxCharges]quota.State
}

// Charges are the charges the admission took (or would have), in order.
func (a *Admission) Charges() []quota.Charge { return a.charges[a.first:a.n:a.n] }

// States are the charges' buckets after the decision (and after Settle),
// in charge order.
func (a *Admission) States() []quota.State { return a.states[a.first:a.n:a.n] }

// Priority are the Priority Tier charges whose headers the response
// carries; nil when the request was not eligible.
func (a *Admission) Priority() []quota.Charge {
	if !a.eligible {
		return nil
	}
	return a.charges[:2:2]
}

// Admit runs a request through the buckets of lim. When eligible (the
// organization has commitment for the model and the request allows the
// Priority Tier) it tries the commitment and the regular limits together
// first, since a priority request draws on both; when the commitment
// cannot take it, the request falls back to the standard tier alone.
func Admit(lim *quota.Limiter, r Request, commitment accounts.Commitment, eligible bool, now time.Time) Admission {
	var a Admission
	a.cost = r.weigh()
	a.admit(lim, r, commitment, eligible, now)
	if !a.Admitted {
		a.refusal = refusal(&a, r)
	}
	return a
}

// admit is Admit's decision: the Priority Tier with the regular limits
// when eligible, else (or when that fails) the regular limits alone.
func (a *Admission) admit(lim *quota.Limiter, r Request, commitment accounts.Commitment, eligible bool, now time.Time) {
	a.n = len(standardCharges(a.charges[2:2], lim, r.Account, r.Family, a.cost)) + 2
	a.first, a.eligible, a.ServiceTier = 2, eligible, tierStandard
	if eligible {
		priorityCharges((*[2]quota.Charge)(a.charges[:2]), lim, r, commitment)
		if a.try(lim, 0, now) {
			a.ServiceTier = tierPriority
			return
		}
	}
	a.try(lim, 2, now)
}

// try admits charges[from:n], keeping their states, and reports whether
// they were admitted; the admission's charges start at from from then on.
func (a *Admission) try(lim *quota.Limiter, from int, now time.Time) bool {
	a.first = from
	a.Decision = lim.AdmitStates(a.states[from:a.n], a.charges[from:a.n], now)
	return a.Admitted
}

// Settle trues the admitted request's output up (see settle) once the
// reply generated output tokens.
func (a *Admission) Settle(lim *quota.Limiter, output int, now time.Time) {
	settle(lim, a.Charges(), a.States(), a.cost, output, now)
}

// priorityStates are the Priority Tier buckets as the response shows
// them: the admission's own view when the Priority Tier served the request
// (they come first among its charges), else as they stand in lim, which
// the request drew nothing from; nil when it was not eligible.
func (a *Admission) priorityStates(lim *quota.Limiter, now time.Time) []quota.State {
	switch {
	case !a.eligible:
		return nil
	case a.ServiceTier == tierPriority:
		return a.states[:2]
	}
	return lim.Peek(a.Priority(), now)
}
