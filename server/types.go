package server

import (
	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// The types below are defined by the internal packages that own them and
// named here, as aliases, so that code outside the module can name every
// type the public API hands out (declare a variable, write a helper that
// takes one) without importing an internal package.

// JournalEntry is one request in the journal (Journal, JournalFor): what
// it asked for, who it was billed to, which logical request it is an
// attempt of and, in its JournalOutcome, how it was answered.
type JournalEntry = journal.Entry

// JournalOutcome is how a journalled request was answered: status, error
// type, the fault that fired, usage, the rate limits reported and how the
// response reached the client (one of the Delivery constants).
type JournalOutcome = journal.Outcome

// JournalUsage is the token usage a successful answer reported.
type JournalUsage = journal.Usage

// JournalRateLimit is one anthropic-ratelimit-* bucket as an answer
// reported it, so that a test can see what the client was told.
type JournalRateLimit = journal.RateLimit

// The values of JournalOutcome.Delivery: how a response reached the client.
const (
	DeliveryComplete    = journal.Complete    // the whole response (a stream through message_stop)
	DeliveryErrorEvent  = journal.ErrorEvent  // a stream that ended with event: error
	DeliveryMalformed   = journal.Malformed   // a stream that carried a broken event and ended
	DeliveryCut         = journal.Cut         // the server closed the connection mid-response
	DeliveryStalled     = journal.Stalled     // the server stopped sending and held the connection
	DeliveryClientGone  = journal.ClientGone  // the client closed the connection first
	DeliveryNotAnswered = journal.NotAnswered // still in flight
)

// JournalLimit is how many requests (100,000) the journals of a run keep
// together, so that a long run cannot grow the server without end; older
// ones are let go and counted in Report.Dropped.
const JournalLimit = journal.DefaultLimit

// Verdict is the judgement a Report carries: Pass, the number of requests
// judged and one ExpectationResult per check (requests_arrived,
// faults_fired when the scenario has faults, then each rule switched on).
type Verdict = expect.Report

// ExpectationResult is one check's verdict: the rule's name, whether it
// passed, a one-line summary and the Violations that broke it.
type ExpectationResult = expect.Result

// Violation is one breach of a rule, naming the requests involved by their
// JournalEntry.Seq (the offender last).
type Violation = expect.Violation

// FaultCount is how often one fault of the loaded scenario matched a
// request and how often it fired (ScenarioInfo.Faults, Report.Faults).
type FaultCount = scenario.Count

// FaultKind names what a fault does ("rate_limit", "overloaded",
// "disconnect", …): the action key its scenario file gave the fault.
type FaultKind = scenario.Kind
