package server

import (
	"net/http"
	"net/textproto"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// scenarioRequest describes a validated request the way scenario matching
// sees it.
func scenarioRequest(c echo.Context, st *reqState, endpoint string, p *request.Request, acct accounts.Account) scenario.Request {
	return scenario.Request{
		Endpoint: endpoint, Model: p.Model.ID, Alias: p.Alias, Family: p.Model.Family,
		Key: st.key, Organization: acct.OrgID, DefaultOrganization: acct.IsDefault,
		Workspace: workspaceName(acct), Stream: p.Stream, Header: textproto.MIMEHeader(c.Request().Header), Body: st.body,
	}
}

// fault asks the loaded scenario, as the request's namespace plays it,
// which fault, if any, fires for the request.
// An error answer comes back as the error to return; the other kinds
// (latency and the stream faults) are kept in the request's state and act
// while the response is written.
func (s *Server) fault(c echo.Context, st *reqState, req scenario.Request, acct accounts.Account, p *request.Request) (*scenario.Action, error) {
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
func (s *Server) strike(h http.Header, st *reqState, a *scenario.Action, computed time.Duration, acct accounts.Account, p *request.Request) error {
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
// the named dimension were empty (limits.Force). The headers show the
// buckets as they stand with that one at 0, refilling from now;
// retry-after is the given wait, or the time the bucket needs to hold this
// request again, weighed as admission weighs it (limits.ITPM of the cache
// plan admission would use): before issue 12 the whole prompt counted, so
// a cache read the model's ITPM ignores still lengthened the wait.
func (s *Server) forcedRateLimit(h http.Header, st *reqState, a *scenario.Action, acct accounts.Account, p *request.Request) *APIError {
	r, _ := s.policyRequest(st, acct, p) // the cache's plan, not committed
	f := limits.Force(st.ns.Limiter, r, a.Dimension, st.now)
	wait := f.Wait
	if a.RetryAfter != nil {
		wait = *a.RetryAfter
	}
	s.rateHeaders(h, f.View)
	h.Set("retry-after", s.retryAfter(wait))
	h.Set("x-should-retry", "true")
	st.outcome.Dimension = a.Dimension
	return rateLimited(f.Message)
}

// accelerationLimit is the 429 of an acceleration_limit fault, in
// limits.AccelerationMessage's wording, which a scenario can replace.
func (s *Server) accelerationLimit(h http.Header, st *reqState, a *scenario.Action, computed time.Duration, acct accounts.Account, p *request.Request) *APIError {
	wait := computed
	if a.RetryAfter != nil {
		wait = *a.RetryAfter
	}
	h.Set("retry-after", s.retryAfter(max(wait, time.Second)))
	h.Set("x-should-retry", "true")
	st.outcome.Dimension = "acceleration"
	return rateLimited(limits.AccelerationMessage(acct.OrgID, p.Model.ID))
}
