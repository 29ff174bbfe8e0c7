package server

import (
	"net/textproto"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/batch"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/compose"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// batchItems answers every request of a new batch, in order, from the
// request's own random source: a batch_* fault may make one error, expire
// or take longer; the rest get a composed message (a scripted reply where
// one applies) with service tier "batch", priced at the batch rate.
func (x *exchange) batchItems(entries []batch.Entry) []batch.Item {
	items := make([]batch.Item, len(entries))
	for i, e := range entries {
		items[i] = x.batchItem(e)
	}
	return items
}

// batchItem decides one request of a batch.
func (x *exchange) batchItem(e batch.Entry) batch.Item {
	it := batch.Item{CustomID: e.CustomID, Outcome: batch.Succeeded, Takes: x.s.opts.BatchRequestTime}
	scen := x.batchRequest(e)
	if x.ns.Engine != nil {
		if f, ok := x.ns.Engine.Fault(scen, x.now); ok {
			if done := x.batchFault(&it, &f.Fault.Action); done {
				return it
			}
		}
	}
	it.Message = x.batchMessage(e, scen)
	it.Cost = batchCost(e, it.Message.Usage)
	return it
}

// batchFault applies a batch_* fault to an item; true when the item is
// decided (errored or expired), false when it still gets a message.
func (x *exchange) batchFault(it *batch.Item, a *scenario.Action) bool {
	switch a.Kind {
	case scenario.BatchErrored:
		msg := a.Message
		if msg == "" {
			msg = a.ErrorType.Message()
		}
		it.Outcome, it.Error = batch.Errored, &apierror.Error{Kind: a.ErrorType, Message: msg}
		it.RequestID = generate.ID(x.rng, "req_011C", 20)
		return true
	case scenario.BatchExpired:
		it.Outcome = batch.Expired
		return true
	}
	it.Takes = a.RequestTime // batch_slow
	return false
}

// batchRequest is one request of a batch as scenario matching sees it:
// the batch endpoint, the request's own params as its body.
func (x *exchange) batchRequest(e batch.Entry) scenario.Request {
	p, acct := e.Params, x.acct
	return scenario.Request{
		Endpoint: scenario.EndpointBatch, Model: p.Model.ID, Alias: p.Alias, Family: p.Model.Family,
		Key: x.key, Organization: acct.OrgID, DefaultOrganization: acct.IsDefault,
		Workspace: acct.WorkspaceName(), Header: textproto.MIMEHeader(x.c.Request().Header), Body: e.Body,
	}
}

// batchMessage composes a succeeded request's message, through the
// namespace's prompt cache as a Messages request would be; generation is
// never cut short, since the client waiting on the create is not waiting
// on this answer.
func (x *exchange) batchMessage(e batch.Entry, scen scenario.Request) wire.Message {
	p := e.Params
	plan := x.ns.Cache.Plan(x.acct.CacheScope(), p.Model.ID, p.Prompt, p.Model.MinCacheableTokens, x.now)
	x.ns.Cache.Commit(plan, x.now)
	var script *scenario.Reply
	if x.ns.Engine != nil {
		script, _ = x.ns.Engine.Reply(scen, x.now)
	}
	msg := compose.Message(compose.Input{
		Request: p, Cached: plan.Usage, Script: script,
		AutoTools: x.autoTools(), ReplyTokens: x.s.opts.ReplyTokens, Rand: x.rng,
	})
	msg.Usage.ServiceTier = "batch"
	return msg
}

// batchCost prices a succeeded batch request at the batch rate: half of
// every category, the cache multipliers stacking (api-facts §8.2).
func batchCost(e batch.Entry, u wire.Usage) billing.Money {
	return billing.Cost(e.Params.Model.Prices, billing.Usage{
		Input: u.InputTokens, Output: u.OutputTokens,
		CacheWrite5m: u.CacheCreation.Ephemeral5m, CacheWrite1h: u.CacheCreation.Ephemeral1h,
		CacheRead: u.CacheReadInputTokens, Batch: true,
	})
}
