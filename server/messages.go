package server

import (
	"math/rand/v2"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// createMessage serves POST /v1/messages, plain or streamed.
func (s *Server) createMessage(c echo.Context) error {
	p, err := s.readParams(c, false)
	if err != nil {
		return err
	}
	st := state(c)
	s.identified(st, p)
	acct := st.acct
	h := c.Response().Header()
	req := scenarioRequest(c, st, scenario.EndpointMessages, p, acct)
	fault, err := s.fault(c, st, req, acct, p)
	if err != nil {
		return err
	}
	billed := s.billingAccount(acct)
	if refusal := s.book.Check(billed, st.now); refusal != nil {
		st.outcome.Spend = true
		return spendError(refusal)
	}
	msg, err := s.admitAndCompose(st, h, acct, p, req)
	if err != nil {
		return err
	}
	s.charge(billed, p, msg, st.now)
	st.outcome.Usage = &journal.Usage{InputTokens: msg.Usage.InputTokens, OutputTokens: msg.Usage.OutputTokens,
		CacheCreationInputTokens: msg.Usage.CacheCreationInputTokens, CacheReadInputTokens: msg.Usage.CacheReadInputTokens}
	if p.Stream {
		return s.stream(c, st, msg, fault)
	}
	return s.respond(c, st, msg, fault)
}

// admitAndCompose runs a request through its namespace's buckets and
// prompt cache (a 429 when the buckets refuse it) and composes the reply,
// settling output and setting the rate-limit headers; the policy is
// limits', this only calls it in order.
func (s *Server) admitAndCompose(st *reqState, h http.Header, acct accounts.Account, p *request.Request, req scenario.Request) (wire.Message, error) {
	lim := st.ns.Limiter
	r, plan := s.policyRequest(st, acct, p)
	c, ok := s.accounts.Priority(acct.OrgID, p.Model.ID)
	adm := limits.Admit(lim, r, c, ok && p.ServiceTier != "standard_only", st.now)
	if !adm.Admitted {
		st.outcome.Dimension = limits.JournalName(adm.Binding.Dimension)
		s.rateHeaders(h, adm.View(lim, st.now))
		s.retryHeaders(h, adm.Decision)
		return wire.Message{}, rateLimited(adm.Refusal())
	}
	st.ns.Cache.Commit(plan, st.now)
	msg := s.compose(st, p, plan.Usage, req)
	msg.Usage.ServiceTier = adm.ServiceTier
	adm.Settle(lim, msg.Usage.OutputTokens, st.now)
	s.rateHeaders(h, adm.View(lim, st.now))
	return msg, nil
}

// policyRequest is the request as the rate-limit policy weighs it, with
// the prompt cache's plan for it, not yet committed: Plan has no side
// effect, so a forced 429 can weigh input exactly as admission would.
func (s *Server) policyRequest(st *reqState, acct accounts.Account, p *request.Request) (limits.Request, tokens.Plan) {
	plan := st.ns.Cache.Plan(acct.CacheScope(), p.Model.ID, p.Prompt, p.Model.MinCacheableTokens, st.now)
	return limits.Request{
		Account: acct, Family: p.Model.Family, Model: p.Model.ID, MaxTokens: p.MaxTokens,
		Usage: plan.Usage, ReadsCount: p.Model.CacheReadsCountTowardITPM,
	}, plan
}

// countTokens serves POST /v1/messages/count_tokens with the same estimate
// usage.input_tokens reports; caching plays no part, as in the real API.
func (s *Server) countTokens(c echo.Context) error {
	p, err := s.readParams(c, true)
	if err != nil {
		return err
	}
	st := state(c)
	s.identified(st, p)
	acct := st.acct
	fault, err := s.fault(c, st, scenarioRequest(c, st, scenario.EndpointCountTokens, p, acct), acct, p)
	if err != nil {
		return err
	}
	if charge, ok := limits.CountCharge(acct); ok {
		if d := st.ns.Limiter.Admit([]quota.Charge{charge}, st.now); !d.Admitted {
			c.Response().Header().Set("retry-after", s.retryAfter(d.RetryAfter))
			c.Response().Header().Set("x-should-retry", "true")
			st.outcome.Dimension = "token_counting_requests"
			return rateLimited(limits.Message(acct, charge.Key, float64(acct.Tier.TokenCountingRPM), p.Model.ID))
		}
	}
	if fault != nil && fault.Kind == scenario.Latency && !s.sleep(c.Request().Context(), fault.TimeToFirstToken) {
		st.outcome.Delivery = journal.ClientGone
		return nil
	}
	if p.ContextManagement {
		return writeJSON(c, 200, map[string]any{"input_tokens": p.InputTokens,
			"context_management": wire.CountContextManagement{OriginalInputTokens: p.InputTokens}})
	}
	return writeJSON(c, 200, map[string]int{"input_tokens": p.InputTokens})
}

// readParams reads and validates the body of either endpoint.
func (s *Server) readParams(c echo.Context, forCount bool) (*request.Request, error) {
	body, err := readBody(c)
	if err != nil {
		return nil, err
	}
	return request.Parse(s.catalog, body, forCount, betas(c.Request().Header), state(c).now)
}

// compose generates the reply to p, or the one a scenario scripts, and
// wraps it in a Message. All randomness is drawn from the request's source
// in a fixed order: message id, generated reply, scripted reply.
func (s *Server) compose(st *reqState, p *request.Request, cached tokens.CacheUsage, req scenario.Request) wire.Message {
	rng := st.rng
	id := generate.ID(rng, "msg_01", 22)
	rep := generate.Answer(rng, generate.Request{
		MaxTokens:     p.MaxTokens,
		Length:        s.opts.ReplyTokens,
		StopSequences: p.StopSequences,
		Tool:          s.chosenTool(rng, st, p),
		Format:        p.Format,
		Thinking:      thinks(p),
		Redacted:      p.Redacted,
		Done:          st.done,
	})
	var script *scenario.Reply
	if st.ns.Engine != nil {
		if r, ok := st.ns.Engine.Reply(req, st.now); ok {
			script, st.outcome.Reply = r, r.Name
			rep = scripted(rng, st.done, p, rep, r)
		}
	}
	content := make([]any, len(rep.Content))
	for i, b := range rep.Content {
		content[i] = wire.Block(b)
	}
	msg := wire.Message{
		Model: p.Model.ID, ID: id, Type: "message", Role: "assistant", Content: content,
		StopReason: &rep.StopReason, StopSequence: optional(rep.StopSequence),
		ContextManagement: contextManagementFor(p),
		Usage: wire.Usage{
			InputTokens:              cached.Input,
			CacheCreationInputTokens: cached.Written(),
			CacheReadInputTokens:     cached.Read,
			CacheCreation:            wire.CacheCreation{Ephemeral5m: cached.Write5m, Ephemeral1h: cached.Write1h},
			OutputTokens:             rep.OutputTokens,
			ServiceTier:              "standard",
			InferenceGeo:             wire.InferenceGeo(p.Model, p.InferenceGeo),
			OutputTokensDetails:      wire.Details(p.Model, p.Thinking.Type == "enabled" || p.Thinking.Type == "adaptive", rep.ThinkingTokens),
		},
	}
	if script != nil {
		overrideUsage(&msg.Usage, script.Usage)
	}
	return msg
}

// forcedTool is the tool tool_choice makes the model call: the named one,
// or for "any" one drawn from the tools; nil for "none".
func forcedTool(rng *rand.Rand, p *request.Request) *generate.Tool {
	switch p.ToolChoice.Type {
	case "tool":
		for _, t := range p.Tools {
			if t.Name == p.ToolChoice.Name {
				return &generate.Tool{Name: t.Name, Schema: t.Schema}
			}
		}
	case "any":
		t := p.Tools[rng.IntN(len(p.Tools))]
		return &generate.Tool{Name: t.Name, Schema: t.Schema}
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// thinks says whether the reply opens with a thinking block. Budgeted
// thinking without the interleaved-thinking beta thinks once per assistant
// turn, so its answer to a tool_result, which continues that turn, does not
// think again (recorded 2026-02 and 2026-05); adaptive thinking interleaves
// on its own.
func thinks(p *request.Request) bool {
	switch p.Thinking.Type {
	case "adaptive":
		return true
	case "enabled":
		return p.Turn == nil || !p.Turn.ToolResult || p.Interleaved
	}
	return false
}
