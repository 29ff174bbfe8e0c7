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

// priorityCharges are the Priority Tier buckets a request would burn
// down, per (organization, model): input at the documented rates (cache
// reads 0.1, 5-minute writes 1.25, 1-hour writes 2, the rest 1), output as
// the tier accounts it.
func priorityCharges(r Request, c accounts.Commitment) []quota.Charge {
	u := r.Usage
	in := float64(u.Input) + 0.1*float64(u.Read) + 1.25*float64(u.Write5m) + 2*float64(u.Write1h)
	outNeed, outTake := r.weigh().amounts(PriorityOutput)
	scope := "priority:" + r.Account.OrgID
	return []quota.Charge{
		{Key: quota.Key{Scope: scope, Family: r.Model, Dimension: PriorityInput},
			Limit: quota.PerWindow(float64(c.InputTPM), time.Minute, 0), Need: in, Take: in},
		{Key: quota.Key{Scope: scope, Family: r.Model, Dimension: PriorityOutput},
			Limit: quota.PerWindow(float64(c.OutputTPM), time.Minute, 0), Need: outNeed, Take: outTake},
	}
}

// Admission is how the buckets answered a request: the decision, the
// charges it took (or would have), the service tier that served it, and
// the Priority Tier charges whose headers the response carries (nil when
// the request was not eligible).
type Admission struct {
	quota.Decision
	Charges     []quota.Charge
	ServiceTier string
	Priority    []quota.Charge
	// cost is what Settle trues up; refusal the wording of a refusal,
	// worded when refused so an admitted request carries no copy of its
	// account.
	cost    cost
	refusal string
}

// Admit runs a request through the buckets of lim. When eligible (the
// organization has commitment for the model and the request allows the
// Priority Tier) it tries the commitment and the regular limits together
// first, since a priority request draws on both; when the commitment
// cannot take it, the request falls back to the standard tier alone.
func Admit(lim *quota.Limiter, r Request, commitment accounts.Commitment, eligible bool, now time.Time) Admission {
	a := admit(lim, r, commitment, eligible, now)
	a.cost = r.weigh()
	if !a.Admitted {
		a.refusal = refusal(a, r)
	}
	return a
}

// admit is Admit's decision: the Priority Tier with the regular limits
// when eligible, else (or when that fails) the regular limits alone.
func admit(lim *quota.Limiter, r Request, commitment accounts.Commitment, eligible bool, now time.Time) Admission {
	standard := standardCharges(r.Account, r.Family, r.weigh())
	if !eligible {
		return Admission{Decision: lim.Admit(standard, now), Charges: standard, ServiceTier: tierStandard}
	}
	prio := priorityCharges(r, commitment)
	all := append(append([]quota.Charge{}, prio...), standard...)
	if d := lim.Admit(all, now); d.Admitted {
		return Admission{Decision: d, Charges: all, ServiceTier: tierPriority, Priority: prio}
	}
	return Admission{Decision: lim.Admit(standard, now), Charges: standard, ServiceTier: tierStandard, Priority: prio}
}

// Settle trues the admitted request's output up (see settle) once the
// reply generated output tokens.
func (a Admission) Settle(lim *quota.Limiter, output int, now time.Time) {
	settle(lim, a.Charges, a.States, a.cost, output, now)
}

// priorityStates are the Priority Tier buckets as the response shows
// them: the admission's own view when the Priority Tier served the request
// (they come first among its charges), else as they stand in lim, which
// the request drew nothing from; nil when it was not eligible.
func (a Admission) priorityStates(lim *quota.Limiter, now time.Time) []quota.State {
	switch {
	case a.Priority == nil:
		return nil
	case a.ServiceTier == tierPriority:
		return a.States[:len(a.Priority)]
	}
	return lim.Peek(a.Priority, now)
}
