package server

import (
	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/compose"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// createMessage serves POST /v1/messages, plain or streamed: the walk the
// package doc describes, one step a line. A step's error is the answer.
func (s *Server) createMessage(c echo.Context) error {
	x := state(c)
	if err := x.validate(false); err != nil {
		return err
	}
	if err := x.strike(scenario.EndpointMessages); err != nil {
		return err
	}
	if err := x.checkSpend(); err != nil {
		return err
	}
	if err := x.admit(); err != nil {
		return err
	}
	x.compose()
	x.settle()
	return x.deliver()
}

// countTokens serves POST /v1/messages/count_tokens with the same estimate
// usage.input_tokens reports; caching plays no part, as in the real API.
func (s *Server) countTokens(c echo.Context) error {
	x := state(c)
	if err := x.validate(true); err != nil {
		return err
	}
	if err := x.strike(scenario.EndpointCountTokens); err != nil {
		return err
	}
	if err := x.admitCount(); err != nil {
		return err
	}
	return x.deliverCount()
}

// validate reads the body and turns it into a validated request (package
// request), and tells the journal what the request asked for.
func (x *exchange) validate(forCount bool) error {
	body, err := readBody(x.c)
	if err != nil {
		return err
	}
	betas := request.Betas(x.c.Request().Header.Values("Anthropic-Beta"))
	x.p, err = request.ParseWithFiles(x.s.catalog, body, forCount, betas, x.now, x)
	if err != nil {
		return err
	}
	if x.entry != nil {
		x.ns.Journal.Identify(x.entry, x.p.Model.ID, x.p.Model.Family, x.p.Stream)
		x.identified = true
	}
	return nil
}

// checkSpend refuses a request its organization or workspace may not pay
// for: the tier's monthly cap, a customer-set limit, an empty prepaid
// balance. It runs before admission, so that a request refused for money
// draws nothing from the rate-limit buckets: a client stopped by its spend
// cap must not also drain its rate limits with requests never served. The
// namespace's batches that have ended are booked first, so that their cost
// counts against the caps.
func (x *exchange) checkSpend() error {
	x.s.settleBatches(x.ns, x.now)
	x.billed = x.s.billingAccount(x.acct)
	if refusal := x.s.book.Check(x.billed, x.now); refusal != nil {
		return x.refuseSpend(refusal)
	}
	return nil
}

// refuseSpend is the answer to a request refused for money, by the book or
// by a spend fault, noted as such in the journal.
func (x *exchange) refuseSpend(r *billing.Refusal) *APIError {
	x.outcome.Spend = true
	return spendError(r)
}

// admit weighs the request against its namespace's buckets (the policy is
// package limits'), with the prompt cache's plan for its prompt; a refusal
// is the 429 with the buckets' headers and the real wording.
func (x *exchange) admit() error {
	var r limits.Request
	r, x.plan = x.policyRequest()
	c, ok := x.s.accounts.Priority(x.acct.OrgID, x.p.Model.ID)
	x.adm = limits.Admit(x.ns.Limiter, r, c, ok && x.p.ServiceTier != "standard_only", x.now)
	if !x.adm.Admitted {
		x.outcome.Dimension = limits.JournalName(x.adm.Binding.Dimension)
		x.rateHeaders(x.adm.View(x.ns.Limiter, x.now))
		x.retryHeaders(x.adm.Decision)
		return rateLimited(x.adm.Refusal())
	}
	return nil
}

// policyRequest is the request as the rate-limit policy weighs it, with
// the prompt cache's plan for it, not yet committed: Plan has no side
// effect, so a forced 429 can weigh input exactly as admission would.
func (x *exchange) policyRequest() (limits.Request, tokens.Plan) {
	p := x.p
	plan := x.ns.Cache.Plan(x.acct.CacheScope(), p.Model.ID, p.Prompt, p.Model.MinCacheableTokens, x.now)
	return limits.Request{
		Account: x.acct, Family: p.Model.Family, Model: p.Model.ID, MaxTokens: p.MaxTokens,
		Usage: plan.Usage, ReadsCount: p.Model.CacheReadsCountTowardITPM,
	}, plan
}

// compose commits the prompt cache's plan and makes the answer (package
// compose): the scenario's scripted reply when one applies, else a
// generated one.
func (x *exchange) compose() {
	x.ns.Cache.Commit(x.plan, x.now)
	var script *scenario.Reply
	if x.ns.Engine != nil {
		if r, ok := x.ns.Engine.Reply(x.scen, x.now); ok {
			script, x.outcome.Reply = r, r.Name
		}
	}
	x.msg = compose.Message(compose.Input{
		Request: x.p, Cached: x.plan.Usage, Script: script,
		AutoTools: x.autoTools(), ReplyTokens: x.s.opts.ReplyTokens, Rand: x.rng, Done: x.doneFor(script),
	})
	x.msg.Usage.ServiceTier = x.adm.ServiceTier
}

// doneFor is the channel that closes when the client goes away, so that
// generation can stop: for the generation that can take long, a tool
// input, a structured output or a scripted reply. A text reply is never
// cut short by it, and reading it would have the request's context make
// the channel, an allocation on every request.
func (x *exchange) doneFor(script *scenario.Reply) <-chan struct{} {
	if len(x.p.Tools) == 0 && x.p.Format == nil && script == nil {
		return nil
	}
	return x.c.Request().Context().Done()
}

// autoTools is the auto-tools rule in force: the scenario's, else the
// server's.
func (x *exchange) autoTools() generate.AutoTools {
	if sc := x.play.Scenario; sc != nil && sc.AutoTools != "" {
		return generate.AutoTools(sc.AutoTools)
	}
	return generate.AutoTools(x.s.opts.AutoTools)
}

// settle trues the output buckets up now that the reply is known, sets the
// rate-limit headers from the admission's own view, and books the cost.
func (x *exchange) settle() {
	u := x.msg.Usage
	x.adm.Settle(x.ns.Limiter, u.OutputTokens, x.now)
	x.rateHeaders(x.adm.View(x.ns.Limiter, x.now))
	x.s.charge(x.billed, x.p, x.msg, x.now)
	x.outcome.Usage = &journal.Usage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
		CacheCreationInputTokens: u.CacheCreationInputTokens, CacheReadInputTokens: u.CacheReadInputTokens,
		CacheCreation1h: u.CacheCreation.Ephemeral1h}
}

// admitCount draws on the organization's token-counting requests per
// minute, where its tier has such a limit.
func (x *exchange) admitCount() error {
	charge, ok := limits.CountCharge(x.acct)
	if !ok {
		return nil
	}
	d := x.ns.Limiter.Admit([]quota.Charge{charge}, x.now)
	if d.Admitted {
		return nil
	}
	x.retryAfter(x.s.retryAfter(d.RetryAfter))
	x.outcome.Dimension = limits.JournalName(charge.Key.Dimension)
	return rateLimited(limits.Message(x.acct, charge.Key, float64(x.acct.Tier.TokenCountingRPM), x.p.Model.ID))
}

// deliverCount answers count_tokens, after a latency fault's delay.
func (x *exchange) deliverCount() error {
	if a := x.fault; a != nil && a.Kind == scenario.Latency && !x.s.sleep(x.c.Request().Context(), a.TimeToFirstToken) {
		x.outcome.Delivery = journal.ClientGone
		return nil
	}
	if x.p.ContextManagement {
		return writeJSON(x.c, 200, &countWithContext{InputTokens: x.p.InputTokens,
			ContextManagement: wire.CountContextManagement{OriginalInputTokens: x.p.InputTokens}})
	}
	return writeJSON(x.c, 200, &count{InputTokens: x.p.InputTokens})
}

// count is count_tokens' answer: a struct rather than a map, which would
// be allocated and sorted for one key.
type count struct {
	InputTokens int `json:"input_tokens"`
}

// countWithContext is count_tokens' answer to a request with context
// management, its keys in the order a map's would be sent: sorted.
type countWithContext struct {
	ContextManagement wire.CountContextManagement `json:"context_management"`
	InputTokens       int                         `json:"input_tokens"`
}
