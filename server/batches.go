package server

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/batch"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/run"
)

// The Message Batches endpoints. Each one first books the batches of the
// test's namespace that have ended (settleBatches), then draws on the
// organization's batch requests per minute, then does its one thing with
// the namespace's store (package batch, where the state machine lives).

// createBatch serves POST /v1/messages/batches: the body validated whole
// (every request's params as a Messages request), the rate and the
// processing queue checked, then every request answered at once and the
// batch stored to be revealed as the virtual clock passes its requests.
func (s *Server) createBatch(c echo.Context) error {
	x := state(c)
	body, err := readBody(c)
	if err != nil {
		return err
	}
	entries, err := batch.Parse(body, batch.Reading{Catalog: s.catalog, Betas: request.Betas(c.Request().Header.Values("Anthropic-Beta")),
		Now: x.now, Files: x})
	if err != nil {
		return err
	}
	if err := x.openBatchCall(); err != nil {
		return err
	}
	if err := x.checkSpend(); err != nil {
		return err
	}
	if err := x.admitQueue(len(entries)); err != nil {
		return err
	}
	b := x.ns.Batches.Create(x.owner(), x.billed, journal.Redact(x.key), x.batchItems(entries), x.rng, x.now)
	return writeJSON(c, 200, x.ns.Batches.Object(b, x.now, x.resultsURL(b.ID)))
}

// getBatch serves GET /v1/messages/batches/{id}.
func (s *Server) getBatch(c echo.Context) error {
	x := state(c)
	if err := x.openBatchCall(); err != nil {
		return err
	}
	b, err := x.ns.Batches.Get(x.owner(), c.Param("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, 200, x.ns.Batches.Object(b, x.now, x.resultsURL(b.ID)))
}

// listBatches serves GET /v1/messages/batches: the workspace's batches,
// newest first, paged with after_id / before_id / limit.
func (s *Server) listBatches(c echo.Context) error {
	x := state(c)
	if err := x.openBatchCall(); err != nil {
		return err
	}
	q := batch.Query{Limit: c.QueryParam("limit"), AfterID: c.QueryParam("after_id"), BeforeID: c.QueryParam("before_id")}
	page, err := batch.List(x.ns.Batches.Objects(x.owner(), x.now, x.resultsURL), q)
	if err != nil {
		return err
	}
	return writeJSON(c, 200, page)
}

// cancelBatch serves POST /v1/messages/batches/{id}/cancel.
func (s *Server) cancelBatch(c echo.Context) error {
	x := state(c)
	if err := x.openBatchCall(); err != nil {
		return err
	}
	b, err := x.ns.Batches.Cancel(x.owner(), c.Param("id"), x.now)
	if err != nil {
		return err
	}
	return writeJSON(c, 200, x.ns.Batches.Object(b, x.now, x.resultsURL(b.ID)))
}

// deleteBatch serves DELETE /v1/messages/batches/{id}, for a batch that
// has ended.
func (s *Server) deleteBatch(c echo.Context) error {
	x := state(c)
	if err := x.openBatchCall(); err != nil {
		return err
	}
	id := c.Param("id")
	if err := x.ns.Batches.Delete(x.owner(), id, x.now); err != nil {
		return err
	}
	return writeJSON(c, 200, batch.Deleted{ID: id, Type: "message_batch_deleted"})
}

// batchResults serves GET /v1/messages/batches/{id}/results: the JSONL
// file of an ended batch.
func (s *Server) batchResults(c echo.Context) error {
	x := state(c)
	if err := x.openBatchCall(); err != nil {
		return err
	}
	data, err := x.ns.Batches.Results(x.owner(), c.Param("id"), x.now)
	if err != nil {
		return err
	}
	return c.Blob(200, "application/x-jsonl", data)
}

// openBatchCall is what every batch endpoint does first: book the
// namespace's batches that have ended, then draw one request from the
// organization's batch requests per minute (the real 429 when empty).
func (x *exchange) openBatchCall() error {
	x.s.settleBatches(x.ns, x.now)
	charge := limits.BatchCharge(x.acct)
	d := x.ns.Limiter.Admit([]quota.Charge{charge}, x.now)
	if d.Admitted {
		return nil
	}
	x.header().Set("retry-after", x.s.retryAfter(d.RetryAfter))
	x.header().Set("x-should-retry", "true")
	x.outcome.Dimension = limits.JournalName(charge.Key.Dimension)
	return rateLimited(limits.BatchRateMessage(x.acct))
}

// admitQueue refuses a batch whose n requests would take the
// organization's processing queue past its tier's bound: the 429 waits
// until the next batch of the organization ends, or, when none is
// processing, says that retrying will not help.
func (x *exchange) admitQueue(n int) error {
	org := x.acct.OrgID
	queued := x.ns.Batches.Queued(org, x.now)
	ok, limit := limits.QueueRoom(x.acct, queued, n)
	if ok {
		return nil
	}
	if next := x.ns.Batches.NextEnd(org, x.now); !next.IsZero() && n <= limit {
		x.header().Set("retry-after", x.s.retryAfter(next.Sub(x.now)))
		x.header().Set("x-should-retry", "true")
	} else {
		x.header().Set("x-should-retry", "false")
	}
	x.outcome.Dimension = limits.JournalName(limits.BatchQueue)
	return rateLimited(limits.QueueMessage(x.acct, limit, queued, n))
}

// owner is whose batches the request sees: its key's organization and
// workspace.
func (x *exchange) owner() batch.Owner {
	return batch.Owner{Org: x.acct.OrgID, Workspace: x.acct.WorkspaceID}
}

// resultsURL is where a batch's results are, absolute on the host the
// request came to: the TypeScript and Python SDKs fetch results_url as
// given, so it must lead back to this server.
func (x *exchange) resultsURL(id string) string {
	return x.c.Scheme() + "://" + x.c.Request().Host + "/v1/messages/batches/" + id + "/results"
}

// settleBatches books the cost of the namespace's batches that have ended
// by now and were not booked yet, each once, in the month it ended. It
// runs wherever spend is read: every batch endpoint and the spend check of
// the namespace's requests, and the control API's state for every
// namespace, so a batch counts from the first look at or after its end.
func (s *Server) settleBatches(ns *run.Namespace, now time.Time) {
	for _, ch := range ns.Batches.Settle(now) {
		_ = s.book.Charge(ch.Billed, ch.Cost, ch.At) // a cost is never negative
	}
}

// settleAllBatches settles the batches of every namespace of the run.
func (s *Server) settleAllBatches(now time.Time) {
	for _, ns := range s.play.Load().All() {
		s.settleBatches(ns, now)
	}
}
