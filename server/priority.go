package server

import (
	"net/http"
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// SetPriority gives an organization a Priority Tier commitment for a model
// (input and output tokens per minute); zero for both removes it.
func (s *Server) SetPriority(orgID, model string, inputTPM, outputTPM int) error {
	modelID, c, err := s.commitmentOf(model, inputTPM, outputTPM)
	if err != nil {
		return err
	}
	return s.setCommitment(orgID, modelID, c)
}

// commitmentOf checks a commitment for a model named by id or alias,
// returning the model's id, so that a change can be checked whole before
// any of it applies.
func (s *Server) commitmentOf(model string, inputTPM, outputTPM int) (string, accounts.Commitment, error) {
	m, ok := s.catalog.Lookup(model)
	if !ok {
		return "", accounts.Commitment{}, &APIError{Type: NotFound, Message: "model: " + model}
	}
	if inputTPM < 0 || outputTPM < 0 || (inputTPM == 0) != (outputTPM == 0) {
		return "", accounts.Commitment{}, invalid("priority.%s: input_tokens_per_minute and output_tokens_per_minute must both be > 0 (or both 0 to remove)", model)
	}
	return m.ID, accounts.Commitment{InputTPM: inputTPM, OutputTPM: outputTPM}, nil
}

// setCommitment applies a checked commitment; only an unknown
// organization can refuse it.
func (s *Server) setCommitment(orgID, modelID string, c accounts.Commitment) error {
	if err := s.accounts.SetPriority(orgID, modelID, c); err != nil {
		return &APIError{Type: NotFound, Message: err.Error()}
	}
	return nil
}

// priorityCharges are the Priority Tier buckets a request would burn down:
// input at the documented rates (cache reads 0.1, 5-minute writes 1.25,
// 1-hour writes 2, the rest 1), output as the tier accounts it.
func (s *Server) priorityCharges(acct accounts.Account, model string, c accounts.Commitment, u tokens.CacheUsage, cost usageCost) []quota.Charge {
	in := float64(u.Input) + 0.1*float64(u.Read) + 1.25*float64(u.Write5m) + 2*float64(u.Write1h)
	outNeed, outTake := cost.amounts(limits.OutputTokens)
	scope := "priority:" + acct.OrgID
	return []quota.Charge{
		{Key: quota.Key{Scope: scope, Family: model, Dimension: limits.PriorityInput},
			Limit: quota.PerWindow(float64(c.InputTPM), time.Minute, 0), Need: in, Take: in},
		{Key: quota.Key{Scope: scope, Family: model, Dimension: limits.PriorityOutput},
			Limit: quota.PerWindow(float64(c.OutputTPM), time.Minute, 0), Need: outNeed, Take: outTake},
	}
}

// admitPriority tries, in the buckets of lim, the Priority Tier first when
// the organization has a commitment for the model and the request allows
// it: a priority request draws on both the commitment and the regular
// limits. When the commitment
// cannot take it, the request falls back to the standard tier. It returns
// the decision, the charges taken, the service tier used and the priority
// charges whose headers the response carries (nil when not eligible).
func (s *Server) admitPriority(lim *quota.Limiter, acct accounts.Account, p *request.Request, u tokens.CacheUsage, cost usageCost, standard []quota.Charge, now time.Time) (quota.Decision, []quota.Charge, string, []quota.Charge) {
	c, ok := s.accounts.Priority(acct.OrgID, p.Model.ID)
	if !ok || p.ServiceTier == "standard_only" {
		return lim.Admit(standard, now), standard, "standard", nil
	}
	prio := s.priorityCharges(acct, p.Model.ID, c, u, cost)
	all := append(append([]quota.Charge{}, prio...), standard...)
	if d := lim.Admit(all, now); d.Admitted {
		return d, all, "priority", prio
	}
	return lim.Admit(standard, now), standard, "standard", prio
}

// priorityStates is the admission's view of the priority buckets when the
// request was served by the Priority Tier (they come first among the
// charges), nil when it fell back and they were not charged.
func priorityStates(serviceTier string, prio []quota.Charge, states []quota.State) []quota.State {
	if serviceTier != "priority" {
		return nil
	}
	return states[:len(prio)]
}

// priorityHeaders sets the six anthropic-priority-* headers, present
// whenever the request was eligible, even if it fell back to standard.
// states are the buckets as this request's admission left them; nil
// looks them up in lim (the request drew nothing from them).
func (s *Server) priorityHeaders(lim *quota.Limiter, h http.Header, prio []quota.Charge, states []quota.State, now time.Time) {
	if prio == nil {
		return
	}
	if states == nil {
		states = lim.Peek(prio, now)
	}
	for i, names := range []headerNames{priorityInputHeaders, priorityOutputHeaders} {
		st := states[i]
		h[names.limit] = []string{itoa(int(limits.LimitOf(st)))}
		h[names.remaining] = []string{itoa(int(st.Remaining()))}
		h[names.reset] = []string{s.resetTime(st.FullAt)}
	}
}

var (
	priorityInputHeaders  = canonicalTriple("anthropic-priority-input-tokens")
	priorityOutputHeaders = canonicalTriple("anthropic-priority-output-tokens")
)
