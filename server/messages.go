package server

import (
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
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
	if p.stream {
		return s.stream(c, st, msg, fault)
	}
	return s.respond(c, st, msg, fault)
}

// admitAndCompose runs a request through its namespace's buckets and
// prompt cache (a 429 when the buckets refuse it) and composes the reply, settling output and setting the
// rate-limit headers.
func (s *Server) admitAndCompose(st *reqState, h http.Header, acct accounts.Account, p *params, req scenario.Request) (message, error) {
	lim := st.ns.Limiter
	plan := st.ns.Cache.Plan(acct.CacheScope(), p.model.ID, p.prompt, p.model.MinCacheableTokens, st.now)
	cost := usageCost{input: itpmTokens(plan.Usage, p), maxTokens: p.maxTokens, reserve: acct.Tier.Reserve()}
	charges := s.charges(acct, p.model.Family, cost)
	decision, charges, serviceTier, prio := s.admitPriority(lim, acct, p, plan.Usage, cost, charges, st.now)
	if !decision.Admitted {
		s.priorityHeaders(lim, h, prio, nil, st.now)
		st.outcome.Dimension = limits.JournalName(decision.Binding.Dimension)
		return message{}, s.refuse(h, acct, p, decision)
	}
	st.ns.Cache.Commit(plan, st.now)
	msg := s.compose(st, p, plan.Usage, req)
	msg.Usage.ServiceTier = serviceTier
	s.settle(lim, charges, decision.States, cost, msg.Usage.OutputTokens, st.now)
	s.rateHeaders(h, decision.States, quota.Key{})
	s.priorityHeaders(lim, h, prio, priorityStates(serviceTier, prio, decision.States), st.now)
	return msg, nil
}

// itpmTokens is what a request weighs against input tokens per minute:
// uncached input and cache writes, and cache reads only for the models
// whose limits count them.
func itpmTokens(u tokens.CacheUsage, p *params) int {
	n := u.Input + u.Written()
	if p.model.CacheReadsCountTowardITPM {
		n += u.Read
	}
	return n
}

// refuse answers a request the buckets turned down: the rate-limit
// headers as they stand, the retry headers (retryHeaders), and the real
// 429 wording for the bucket the refusal binds on.
func (s *Server) refuse(h http.Header, acct accounts.Account, p *params, d quota.Decision) error {
	s.rateHeaders(h, d.States, d.Binding)
	s.retryHeaders(h, d)
	key := d.Binding
	limit := 0.0
	for _, st := range d.States {
		if st.Key == key {
			limit = limits.LimitOf(st)
		}
	}
	return rateLimitError(acct, key, limit, p.model.ID)
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
	if acct.Tier.TokenCountingRPM > 0 {
		charge := quota.Charge{
			Key:   quota.Key{Scope: acct.OrgScope(), Dimension: limits.CountRequests},
			Limit: quota.PerWindow(float64(acct.Tier.TokenCountingRPM), time.Minute, acct.Tier.BurstWindow),
			Need:  1, Take: 1,
		}
		if d := st.ns.Limiter.Admit([]quota.Charge{charge}, st.now); !d.Admitted {
			c.Response().Header().Set("retry-after", s.retryAfter(d.RetryAfter))
			c.Response().Header().Set("x-should-retry", "true")
			st.outcome.Dimension = "token_counting_requests"
			return rateLimitError(acct, charge.Key, float64(acct.Tier.TokenCountingRPM), p.model.ID)
		}
	}
	if fault != nil && fault.Kind == scenario.Latency && !s.sleep(c.Request().Context(), fault.TimeToFirstToken) {
		st.outcome.Delivery = journal.ClientGone
		return nil
	}
	if p.contextManagement {
		return writeJSON(c, 200, map[string]any{"input_tokens": p.inputTokens,
			"context_management": countContextManagement{OriginalInputTokens: p.inputTokens}})
	}
	return writeJSON(c, 200, map[string]int{"input_tokens": p.inputTokens})
}

// readParams reads and validates the body of either endpoint.
func (s *Server) readParams(c echo.Context, forCount bool) (*params, error) {
	body, err := readBody(c)
	if err != nil {
		return nil, err
	}
	return s.parseParams(body, forCount, betas(c.Request().Header), state(c).now)
}

// compose generates the reply to p, or the one a scenario scripts, and
// wraps it in a Message. All randomness is drawn from the request's source
// in a fixed order: message id, generated reply, scripted reply.
func (s *Server) compose(st *reqState, p *params, cached tokens.CacheUsage, req scenario.Request) message {
	rng := st.rng
	id := generate.ID(rng, "msg_01", 22)
	rep := generate.Answer(rng, generate.Request{
		MaxTokens:     p.maxTokens,
		Length:        s.opts.ReplyTokens,
		StopSequences: p.stopSequences,
		Tool:          s.chosenTool(rng, st, p),
		Format:        p.format,
		Thinking:      thinks(p),
		Redacted:      p.redacted,
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
		content[i] = wireBlock(b)
	}
	msg := message{
		Model: p.model.ID, ID: id, Type: "message", Role: "assistant", Content: content,
		StopReason: &rep.StopReason, StopSequence: optional(rep.StopSequence),
		ContextManagement: contextManagementFor(p),
		Usage: usage{
			InputTokens:              cached.Input,
			CacheCreationInputTokens: cached.Written(),
			CacheReadInputTokens:     cached.Read,
			CacheCreation:            cacheCreation{Ephemeral5m: cached.Write5m, Ephemeral1h: cached.Write1h},
			OutputTokens:             rep.OutputTokens,
			ServiceTier:              "standard",
			InferenceGeo:             inferenceGeo(p.model, p.inferenceGeo),
			OutputTokensDetails:      details(p, rep),
		},
	}
	if script != nil {
		overrideUsage(&msg.Usage, script.Usage)
	}
	return msg
}

// details is usage.output_tokens_details: present when the request asked
// for thinking, with 0 on a turn that did not think (a recorded 2026-05
// answer to a tool_result), and always for models from Claude Opus 4.8 on,
// whose recorded replies carry it even without thinking; absent otherwise.
func details(p *params, rep generate.Reply) *outputDetails {
	asked := p.thinking.Type == "enabled" || p.thinking.Type == "adaptive"
	if rep.ThinkingTokens == 0 && !asked && p.model.CreatedAt.Before(detailsSince) {
		return nil
	}
	return &outputDetails{ThinkingTokens: rep.ThinkingTokens}
}

// forcedTool is the tool tool_choice makes the model call: the named one,
// or for "any" one drawn from the tools; nil for "none".
func forcedTool(rng *rand.Rand, p *params) *generate.Tool {
	switch p.toolChoice.Type {
	case "tool":
		for _, t := range p.tools {
			if t.Name == p.toolChoice.Name {
				return &generate.Tool{Name: t.Name, Schema: t.Schema}
			}
		}
	case "any":
		t := p.tools[rng.IntN(len(p.tools))]
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
func thinks(p *params) bool {
	switch p.thinking.Type {
	case "adaptive":
		return true
	case "enabled":
		return p.turn == nil || !p.turn.ToolResult || p.interleaved
	}
	return false
}
