package server

import (
	"net/http"
	"net/textproto"
	"time"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// strike asks the loaded scenario, as the request's namespace plays it,
// which fault, if any, fires for the request. An error fault is the
// answer, returned with its headers; the other kinds (latency and the
// stream faults) are kept in x.fault and act on delivery.
func (x *exchange) strike(endpoint string) error {
	x.scen = x.scenarioRequest(endpoint)
	if x.ns.Engine == nil {
		return nil
	}
	f, ok := x.ns.Engine.Fault(x.scen, x.now)
	if !ok {
		return nil
	}
	x.outcome.Fault, x.outcome.Action = f.Fault.Name, string(f.Fault.Action.Kind)
	a := &f.Fault.Action
	if err := x.faultError(a, f.RetryAfter); err != nil {
		return err
	}
	x.fault = a
	return nil
}

// scenarioRequest describes the validated request the way scenario
// matching sees it.
func (x *exchange) scenarioRequest(endpoint string) scenario.Request {
	p, acct := x.p, x.acct
	return scenario.Request{
		Endpoint: endpoint, Model: p.Model.ID, Alias: p.Alias, Family: p.Model.Family,
		Key: x.key, Organization: acct.OrgID, DefaultOrganization: acct.IsDefault,
		Workspace: acct.WorkspaceName(), Stream: p.Stream, Header: textproto.MIMEHeader(x.c.Request().Header), Body: x.body,
	}
}

// faultError turns an error fault into the APIError the real API would
// send, with its headers; nil for the kinds that are not errors.
func (x *exchange) faultError(a *scenario.Action, computed time.Duration) error {
	h := x.header()
	var e *APIError
	switch a.Kind {
	case scenario.RateLimit:
		e = x.forcedRateLimit(a)
	case scenario.AccelerationLimit:
		e = x.accelerationLimit(a, computed)
	case scenario.SpendCap:
		e = x.refuseSpend(&billing.Refusal{Kind: billing.KindTierCap, ResumesAt: billing.NextMonth(x.now)})
	case scenario.CreditExhausted:
		e = x.refuseSpend(&billing.Refusal{Kind: billing.KindCredit})
	case scenario.Overloaded, scenario.APIError, scenario.Timeout, scenario.Status:
		e = statusError(a)
		if a.RetryAfter != nil {
			h.Set("retry-after", x.s.retryAfter(*a.RetryAfter))
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
// request again, weighed as admission weighs it (the ITPM of the cache
// plan admission would use): before issue 12 the whole prompt counted, so
// a cache read the model's ITPM ignores still lengthened the wait.
func (x *exchange) forcedRateLimit(a *scenario.Action) *APIError {
	r, _ := x.policyRequest() // the cache's plan, not committed
	f := limits.Force(x.ns.Limiter, r, a.Dimension, x.now)
	wait := f.Wait
	if a.RetryAfter != nil {
		wait = *a.RetryAfter
	}
	x.rateHeaders(f.View)
	x.retryAfter(x.s.retryAfter(wait))
	x.outcome.Dimension = a.Dimension
	return rateLimited(f.Message)
}

// accelerationLimit is the 429 of an acceleration_limit fault, in
// limits.AccelerationMessage's wording, which a scenario can replace.
func (x *exchange) accelerationLimit(a *scenario.Action, computed time.Duration) *APIError {
	wait := computed
	if a.RetryAfter != nil {
		wait = *a.RetryAfter
	}
	x.retryAfter(x.s.retryAfter(max(wait, time.Second)))
	x.outcome.Dimension = "acceleration"
	return rateLimited(limits.AccelerationMessage(x.acct.OrgID, x.p.Model.ID))
}
