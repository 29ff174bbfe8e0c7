// Package limits is the one registry of rate-limit dimensions: for each, its
// name (as the Rate Limits API names a limiter), the name scenario files and
// the journal use, how a 429 words it, the shape of its bucket, whether it is
// trued up once the reply is known, and (Field) which tier field sets it. Every
// other place that needs to know something about a dimension asks here, so
// that adding one (the Priority Tier did) cannot leave a special case behind.
// It also holds the one rule for which bucket of several is the tightest.
//
// Beside the registry lives the policy built on it: what a request is
// charged in each bucket (Request), admission with the Priority
// Tier's fallback (Admit), settling output once the reply is known
// (Admission.Settle), which bucket each family of headers shows (View), the 429 a
// rate_limit fault forces (Force), and the real 429 wording (Message). It
// takes plain values (an account, model ids, the prompt cache's usage,
// the time) and returns decisions as values; it knows nothing of HTTP, of
// header names, of the wall clock or of how a request body is parsed,
// which stay with the server.
package limits

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// The dimension names, as the real Rate Limits API names its limiter
// entries; each is a bucket per (scope, family), the Priority Tier's per
// (scope, model).
const (
	Requests         = "requests_per_minute"
	InputTokens      = "input_tokens_per_minute"
	OutputTokens     = "output_tokens_per_minute"
	Tokens           = "tokens_per_minute"
	TokensPerDay     = "tokens_per_day"
	RequestsPerDay   = "requests_per_day"
	RequestsPerMonth = "requests_per_month"
	CountRequests    = "token_counting_requests_per_minute"
	PriorityInput    = "priority_input_tokens_per_minute"
	PriorityOutput   = "priority_output_tokens_per_minute"
	// BatchRequests is the Message Batches API's requests per minute, one
	// bucket per organization over every batch endpoint (api-facts §2.5).
	BatchRequests = "batch_requests_per_minute"
	// BatchQueue is no bucket but a count: the batch requests of an
	// organization in the processing queue, bounded by the tier (§2.5).
	BatchQueue = "batch_queue_requests"
)

// Dimension is everything the mock knows about one kind of limit.
type Dimension struct {
	// Name is the limiter's name, e.g. "requests_per_minute".
	Name string
	// Scenario is how scenario files (a rate_limit fault's dimension) name
	// it, e.g. "requests"; "" when a fault cannot force it.
	Scenario string
	// Journal is how the journal and reports name it: the scenario name
	// where there is one, so a forced and a real 429 read alike.
	Journal string
	// Unit is how a 429 message says it: "input tokens per minute".
	Unit string
	// Window is a rolling bucket's refill window (a minute); Period says
	// whether it is rolling or a calendar day or month that resets at 00:00
	// UTC.
	Window time.Duration
	Period quota.Period
	// Settles marks the dimensions trued up once the reply's output is
	// known: a reserve refunded, or actual output charged.
	Settles bool
}

// All lists every dimension: first the ones tiers set, in the order the
// headers and the state report them, then the others.
var All = []Dimension{
	{Requests, "requests", "requests", "requests per minute", time.Minute, quota.Rolling, false},
	{InputTokens, "input_tokens", "input_tokens", "input tokens per minute", time.Minute, quota.Rolling, false},
	{OutputTokens, "output_tokens", "output_tokens", "output tokens per minute", time.Minute, quota.Rolling, true},
	{Tokens, "tokens", "tokens", "tokens per minute", time.Minute, quota.Rolling, true},
	{TokensPerDay, "", "tokens_per_day", "tokens per day", 0, quota.Day, true},
	{RequestsPerDay, "", "requests_per_day", "requests per day", 0, quota.Day, false},
	{RequestsPerMonth, "", "requests_per_month", "requests per month", 0, quota.Month, false},
	{CountRequests, "", "token_counting_requests", "token counting requests per minute", time.Minute, quota.Rolling, false},
	{PriorityInput, "", "priority_input_tokens_per_minute", "priority input tokens per minute", time.Minute, quota.Rolling, false},
	{PriorityOutput, "", "priority_output_tokens_per_minute", "priority output tokens per minute", time.Minute, quota.Rolling, true},
	{BatchRequests, "", "batch_requests", "batch requests per minute", time.Minute, quota.Rolling, false},
	{BatchQueue, "", "batch_queue", "batch requests in the processing queue", 0, quota.Rolling, false},
}

// byName indexes All.
var byName = func() map[string]Dimension {
	m := make(map[string]Dimension, len(All))
	for _, d := range All {
		m[d.Name] = d
	}
	return m
}()

// Lookup finds a dimension by its limiter name.
func Lookup(name string) (Dimension, bool) {
	d, ok := byName[name]
	return d, ok
}

// ByScenario finds a dimension by the name scenario files give it
// ("requests"); false for a name no fault may force.
func ByScenario(name string) (Dimension, bool) {
	for _, d := range All {
		if d.Scenario != "" && d.Scenario == name {
			return d, true
		}
	}
	return Dimension{}, false
}

// ScenarioNames lists the names a rate_limit fault may force, in All's
// order: "requests", "input_tokens", "output_tokens", "tokens".
func ScenarioNames() []string {
	var out []string
	for _, d := range All {
		if d.Scenario != "" {
			out = append(out, d.Scenario)
		}
	}
	return out
}

// JournalName is how the journal and reports name a dimension (its
// Journal name); the limiter name for one the registry does not know.
func JournalName(name string) string {
	if d, ok := byName[name]; ok {
		return d.Journal
	}
	return name
}

// LimitIn is the dimension's limit in a tier's limits; 0 (no limit) for a
// dimension tiers do not set.
func (d Dimension) LimitIn(l catalog.Limits) int {
	if f := Field(&l, d.Name); f != nil {
		return *f
	}
	return 0
}

// Field points at the field of l a dimension stands for: the one mapping
// from dimensions to a tier's limits, nil for a dimension tiers do not set
// (the Priority Tier's, token counting's) or an unknown name.
func Field(l *catalog.Limits, name string) *int {
	switch name {
	case Requests:
		return &l.RequestsPerMinute
	case InputTokens:
		return &l.InputTokensPerMinute
	case OutputTokens:
		return &l.OutputTokensPerMinute
	case Tokens:
		return &l.TokensPerMinute
	case TokensPerDay:
		return &l.TokensPerDay
	case RequestsPerDay:
		return &l.RequestsPerDay
	case RequestsPerMonth:
		return &l.RequestsPerMonth
	}
	return nil
}

// Settles reports whether a dimension is trued up once output is known.
func Settles(name string) bool { return byName[name].Settles }

// Shape is the bucket of a limit of n in this dimension: a calendar
// window, or a rolling one whose capacity the burst window may shrink.
func (d Dimension) Shape(n int, burst time.Duration) quota.Limit {
	if d.Period != quota.Rolling {
		return quota.Calendar(float64(n), d.Period)
	}
	return quota.PerWindow(float64(n), d.Window, burst)
}

// LimitOf is the per-window limit a bucket stands for (its capacity may be
// smaller under a burst window); a calendar bucket's is its capacity.
func LimitOf(st quota.State) float64 {
	if st.Limit.Period != quota.Rolling {
		return st.Limit.Capacity
	}
	if d, ok := byName[st.Key.Dimension]; ok && d.Window > 0 {
		return st.Limit.Rate * d.Window.Seconds()
	}
	return st.Limit.Capacity
}

// Restrictive reports whether bucket a restricts the client more than b:
// it is the binding one (the bucket a refusal waits on), else it has fewer
// whole units left, else (both equally empty) it is full again later.
func Restrictive(a, b quota.State, binding quota.Key) bool {
	switch {
	case b.Key == binding:
		return false
	case a.Key == binding:
		return true
	case a.Remaining() != b.Remaining():
		return a.Remaining() < b.Remaining()
	}
	return a.FullAt.After(b.FullAt)
}

// Tightest is the index of the most restrictive of states that keep
// accepts, the first of equals; -1 when keep accepts none.
func Tightest(states []quota.State, binding quota.Key, keep func(quota.State) bool) int {
	best := -1
	for i, st := range states {
		if keep(st) && (best < 0 || Restrictive(st, states[best], binding)) {
			best = i
		}
	}
	return best
}
