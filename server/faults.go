package server

import (
	"math"
	"net/http"
	"net/textproto"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// scenarioRequest describes a validated request the way scenario matching
// sees it.
func scenarioRequest(c echo.Context, st *reqState, endpoint string, p *params, acct accounts.Account) scenario.Request {
	return scenario.Request{
		Endpoint: endpoint, Model: p.model.ID, Alias: p.alias, Family: p.model.Family,
		Key: st.key, Organization: acct.OrgID, DefaultOrganization: acct.IsDefault,
		Workspace: workspaceName(acct), Stream: p.stream, Header: textproto.MIMEHeader(c.Request().Header), Body: st.body,
	}
}

// fault asks the loaded scenario, as the request's namespace plays it,
// which fault, if any, fires for the request.
// An error answer comes back as the error to return; the other kinds
// (latency and the stream faults) are kept in the request's state and act
// while the response is written.
func (s *Server) fault(c echo.Context, st *reqState, req scenario.Request, acct accounts.Account, p *params) (*scenario.Action, error) {
	if st.ns.Engine == nil {
		return nil, nil
	}
	f, ok := st.ns.Engine.Fault(req, st.now)
	if !ok {
		return nil, nil
	}
	st.outcome.Fault, st.outcome.Action = f.Fault.Name, string(f.Fault.Action.Kind)
	a := &f.Fault.Action
	if err := s.strike(c.Response().Header(), st, a, f.RetryAfter, acct, p); err != nil {
		return nil, err
	}
	return a, nil
}

// strike turns an error fault into the APIError the real API would send,
// with its headers; nil for the kinds that are not errors.
func (s *Server) strike(h http.Header, st *reqState, a *scenario.Action, computed time.Duration, acct accounts.Account, p *params) error {
	var e *APIError
	switch a.Kind {
	case scenario.RateLimit:
		e = s.forcedRateLimit(h, st, a, acct, p)
	case scenario.AccelerationLimit:
		e = s.accelerationLimit(h, st, a, computed, acct, p)
	case scenario.SpendCap:
		e = spendError(&billing.Refusal{Kind: billing.KindTierCap, ResumesAt: billing.NextMonth(st.now)})
		st.outcome.Spend = true
	case scenario.CreditExhausted:
		e = spendError(&billing.Refusal{Kind: billing.KindCredit})
		st.outcome.Spend = true
	case scenario.Overloaded, scenario.APIError, scenario.Timeout, scenario.Status:
		e = statusError(a)
		if a.RetryAfter != nil {
			h.Set("retry-after", s.retryAfter(*a.RetryAfter))
		}
	default:
		return nil
	}
	if a.Message != "" {
		e.Message = a.Message
	}
	for name, values := range a.Headers {
		h[http.CanonicalHeaderKey(name)] = values
	}
	return e
}

// statusError is the error of an overloaded, api_error, timeout or status
// fault, in its kind's own wording, which a message set in the scenario
// replaces. Load gives each of them its kind: the fixed one of its action,
// or the one of a status code, and refuses a code the API has none for.
func statusError(a *scenario.Action) *APIError {
	return &APIError{Type: ErrorType(a.ErrorType), Status: a.StatusCode, Message: a.ErrorType.Message()}
}

// forcedRateLimit is a rate_limit fault: the 429 the buckets would give if
// the named dimension were empty. The headers show the buckets as they
// stand with that one at 0, refilling from now; retry-after is the given
// wait, or the time the bucket needs to hold this request again.
func (s *Server) forcedRateLimit(h http.Header, st *reqState, a *scenario.Action, acct accounts.Account, p *params) *APIError {
	cost := usageCost{input: p.inputTokens, maxTokens: p.maxTokens, reserve: acct.Tier.Reserve()}
	charges := s.charges(acct, p.model.Family, cost)
	states := st.ns.Limiter.Peek(charges, st.now)
	d, _ := limits.ByScenario(a.Dimension)
	dim := d.Name
	i := limits.Tightest(states, quota.Key{}, func(st quota.State) bool { return st.Key.Dimension == dim })
	if i < 0 {
		states = append(states, missingState(acct, p.model.Family, dim, states))
		i = len(states) - 1
	}
	empty := &states[i]
	refill := time.Duration(float64(time.Second) * empty.Limit.Capacity / empty.Limit.Rate)
	empty.Level, empty.FullAt = 0, st.now.Add(refill)
	wait := refillWait(*empty, need(charges, empty.Key))
	if a.RetryAfter != nil {
		wait = *a.RetryAfter
	}
	s.rateHeaders(h, states, empty.Key)
	h.Set("retry-after", s.retryAfter(wait))
	h.Set("x-should-retry", "true")
	st.outcome.Dimension = a.Dimension
	return rateLimitError(acct, empty.Key, limits.LimitOf(*empty), p.model.ID)
}

// missingState stands for a dimension the request draws on no bucket of,
// so a fault can still name it. "tokens" is the combined input and output
// bucket the tokens headers already report; any other is a bucket of one
// unit a minute.
func missingState(acct accounts.Account, family, dim string, states []quota.State) quota.State {
	if dim == limits.Tokens {
		tight := map[string]quota.State{}
		for _, st := range states {
			if cur, ok := tight[st.Key.Dimension]; !ok || limits.Restrictive(st, cur, quota.Key{}) {
				tight[st.Key.Dimension] = st
			}
		}
		if st, ok := combinedTokens(tight, quota.Key{}); ok {
			return st
		}
	}
	return quota.State{
		Key:   quota.Key{Scope: acct.OrgScope(), Family: family, Dimension: dim},
		Limit: quota.PerWindow(1, time.Minute, 0),
	}
}

// need is what the request would need from the bucket with the given key.
func need(charges []quota.Charge, key quota.Key) float64 {
	for _, c := range charges {
		if c.Key == key {
			return max(c.Need, 1)
		}
	}
	return 1
}

// refillWait is how long an empty bucket takes to hold n units again.
func refillWait(st quota.State, n float64) time.Duration {
	if st.Limit.Rate <= 0 {
		return time.Minute
	}
	secs := math.Min(n, st.Limit.Capacity) / st.Limit.Rate
	return time.Duration(secs * float64(time.Second))
}

// accelerationLimit is the 429 of an acceleration_limit fault. No wording
// for it is published, so the message says what happened in the real
// API's style; a scenario can replace it.
func (s *Server) accelerationLimit(h http.Header, st *reqState, a *scenario.Action, computed time.Duration, acct accounts.Account, p *params) *APIError {
	wait := computed
	if a.RetryAfter != nil {
		wait = *a.RetryAfter
	}
	h.Set("retry-after", s.retryAfter(max(wait, time.Second)))
	h.Set("x-should-retry", "true")
	st.outcome.Dimension = "acceleration"
	return &APIError{Type: RateLimit, Message: "This request would exceed your organization's acceleration limit (org: " + acct.OrgID +
		", model: " + p.model.ID + "): usage is rising faster than allowed. Please ramp up your traffic gradually and maintain consistent usage patterns."}
}
