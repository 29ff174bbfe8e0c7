// Package server is claudemock's one importable package: a local,
// deterministic stand-in for the Anthropic Messages API. It can run as a
// process (cmd/claudemock) or in-process from Go tests (RunT).
//
// This package speaks HTTP and nothing else: it reads requests, calls the
// domain packages under internal/ in order, and writes what they decide as
// the real API's bytes. Each kind of knowledge has one home there:
// request (what a body may say), limits (rate-limit dimensions and the
// policy), quota (token buckets), billing (prices, spend, credits),
// accounts (who a key bills), control (what the control API changes),
// scenario (faults and scripted replies), compose and generate (what the
// answer says), wire (its shape on the wire), journal and expect (what the
// client did and the verdict), apierror (the error vocabulary); docs/development.md
// lists them all. None of them imports net/http or echo.
//
// # One request, end to end
//
// POST /v1/messages, in the order the code runs it. The middleware, around
// every route (routes.go):
//
//  1. stripPrefix lets a base URL carry a path prefix.
//  2. identify gives the request its exchange (exchange.go): the test
//     namespace it names, its sequence number there, its own random source
//     derived from (seed, namespace, sequence), and its request id.
//  3. accessLog and recoverPanic: one log line; a panic becomes a 500.
//  4. record (journal.go) journals the arrival before anything can refuse
//     the request, and the outcome once the answer is written.
//  5. authenticate checks the key and anthropic-version as the real API
//     does, after the edge's 413 for an oversized body.
//
// Then the handler, createMessage (messages.go), one step a line, each a
// method of the exchange; the first step that returns an error ends the
// walk, and renderError (errors.go), the one error renderer, writes it:
//
//  6. validate: the body becomes a request.Request, or a 400 naming the
//     field; the journal learns the model.
//  7. strike (faults.go): the scenario's fault for the request, if any. An
//     error fault is the answer now; latency and stream faults wait for
//     delivery.
//  8. checkSpend: the tier's monthly cap, a customer-set spend limit or an
//     empty credit balance refuses the request. It runs before admission
//     so that a request refused for money draws nothing from the rate-limit
//     buckets.
//  9. admit: the prompt cache's plan and the rate-limit policy
//     (limits.Admit, Priority Tier first when eligible) let the request in
//     or refuse it with a 429 and its headers.
//  10. compose: the cache's plan is committed and the answer made
//     (compose.Message): a scripted reply or a generated one.
//  11. settle: the output buckets are trued up, the anthropic-ratelimit-*
//     headers set from the admission's own view, the cost booked.
//  12. deliver (deliver.go): the answer, whole or streamed, paced or broken
//     by the fault from step 7.
//
// POST /v1/messages/count_tokens walks validate, strike, admitCount
// (token-counting requests per minute) and deliverCount.
//
// The Admin API (/v1/organizations/..., admin.go) skips record: its
// requests are not API traffic the journal judges. authenticateAdmin takes
// authenticate's path (authenticateAs) with admin keys instead of API keys,
// and each handler calls package admin over the accounts directory, the
// catalogue and every namespace's journal.
//
// The Message Batches endpoints (batches.go) each book the test's ended
// batches and draw on the batch requests per minute (openBatchCall), then
// ask the test's batch store (package batch). A create also validates the
// whole body (batch.Parse), checks spend and the processing queue
// (admitQueue), and answers every request at once (batchitems.go: the
// batch_* faults, compose.Message, the batch rate); the virtual clock then
// reveals them.
package server
