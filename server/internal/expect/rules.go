// Package expect judges how a client behaved: it reads the journal of a run
// (journal.Entry values, in arrival order) and checks each rule a scenario's
// `expect:` block switched on, naming the requests that broke it. Like
// every domain package it is pure: entries in, Report out, all times
// virtual.
package expect

import (
	"slices"
	"time"
)

// Rules is a scenario's `expect:` block. A nil pointer or zero value
// switches a rule off. A file writes a rule as `name: true` for its
// defaults or as a mapping of its attributes.
type Rules struct {
	// RespectsRetryAfter: no request for the same organization and model
	// family before the deadline a 429 gave (its time plus retry-after).
	RespectsRetryAfter *RetryAfterRule
	// RespectsRemaining: no request for a model family while the latest
	// answer to its organization and family reported a rate-limit bucket
	// at remaining 0 whose reset lies ahead (a client that reads the
	// headers never needs the 429).
	RespectsRemaining *RemainingRule
	// MaxAttempts caps the attempts of one logical request (first try plus
	// retries); 0 is off.
	MaxAttempts int
	// Backoff: the waits between the retries of one logical request grow
	// (judged so that jitter and network noise cannot flip the verdict: see
	// BackoffRule), and no retry comes at once after an answer that asked
	// for no wait.
	Backoff *BackoffRule
	// Jitter: after a burst of 429s, the retries of different logical
	// requests are spread out rather than sent together.
	Jitter *JitterRule
	// NoRetryOn lists statuses whose answer must not be retried; nil is
	// off. `no_retry_on: true` means DefaultNoRetryOn. The spend and
	// credit refusals (400s, and the 429 of a spend cap) count as
	// non-retryable whenever this rule is on.
	NoRetryOn []int
	// RetriesRetryable: a retryable answer (429, 500, 529, and any with
	// x-should-retry: true) is retried rather than given up at once.
	RetriesRetryable bool
	// NoTruncatedAccept: a stream cut before message_stop (disconnect,
	// stall, stream_error, malformed_event) is followed by a retry of the
	// same request. With NoDuplicateOutput on, cuts after content was
	// delivered are left to it.
	NoTruncatedAccept bool
	// NoDuplicateOutput: a stream cut after content deltas reached the
	// client is not sent again with the same body, which would run the
	// same prompt twice and show its output twice; the client surfaces
	// the error or continues from what it received.
	NoDuplicateOutput bool
	// ReadTimeout: a stalled stream is abandoned by the client within this
	// much virtual time of its last byte; 0 is off.
	ReadTimeout time.Duration
	// StopsOnSpendCap: after a spend refusal (spend cap, spend limit,
	// empty credit balance) the organization sends no more requests.
	StopsOnSpendCap bool
	// MaxConcurrency caps how many requests are in flight at once; 0 is off.
	MaxConcurrency int
	// MaxRequests caps the requests of the whole run; 0 is off.
	MaxRequests int
}

// DefaultNoRetryOn is `no_retry_on: true`: the statuses the SDKs never
// retry (unless told to by x-should-retry).
var DefaultNoRetryOn = []int{400, 401, 403, 404, 413}

// Defaults are the rules a run is judged by when no scenario is loaded or
// the loaded one has no `expect:` block, so that a plain run still gets a
// verdict: retry-after respected, no retry of the statuses the SDKs never
// retry, retryable answers retried, no cut stream taken for whole. Each
// rule has the attributes `rule: true` gives it in a file.
func Defaults() Rules {
	return Rules{
		RespectsRetryAfter: &RetryAfterRule{Scope: "organization"},
		NoRetryOn:          slices.Clone(DefaultNoRetryOn),
		RetriesRetryable:   true,
		NoTruncatedAccept:  true,
	}
}

// RetryAfterRule is respects_retry_after's attributes.
type RetryAfterRule struct {
	// Tolerance forgives a request this much virtual time early (clock
	// granularity); default 0.
	Tolerance time.Duration
	// Scope is "organization" (default: every request of the organization
	// and family counts, as the real limits do) or "request" (only retries
	// of the refused logical request count).
	Scope string
}

// RemainingRule is respects_remaining's attributes.
type RemainingRule struct {
	// Tolerance forgives a request this much virtual time before the
	// reset (clock granularity); default 0.
	Tolerance time.Duration
}

// BackoffRule is backoff's attributes. A wait the client chose itself
// grows when it is at least Factor times the shorter of its two own waits
// before it; three own waits in a row that do not grow break the rule. The
// shorter of two, and three in a row, are what make full jitter (a wait
// drawn anywhere below a doubling ceiling) pass: one long draw does not set
// the bar, and one or two low draws are forgiven, while a fixed schedule,
// whose waits differ only by noise, never grows at all.
type BackoffRule struct {
	// Factor is how many times the shorter of the two previous own waits a
	// wait must reach to count as grown; 0 means DefaultBackoffFactor.
	Factor float64
	// Cap is where a backoff may stop growing: once the client has waited
	// this long of its own accord, its later waits are not held to growth;
	// 0 means DefaultBackoffCap.
	Cap time.Duration
	// Tolerance forgives a wait this much short of grown (timer slack).
	Tolerance time.Duration
}

// The defaults of BackoffRule. 6 s is the official SDKs' 8-second ceiling
// less their 25 % jitter, the shortest wait they make once capped.
const (
	DefaultBackoffFactor = 1.5
	DefaultBackoffCap    = 6 * time.Second
)

// JitterRule is jitter's attributes.
type JitterRule struct {
	// Window is the virtual span within which retries count as together
	// (default 100ms).
	Window time.Duration
	// MaxTogether is how many retries of different logical requests may
	// fall into one window (default 2).
	MaxTogether int
}
