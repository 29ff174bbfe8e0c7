package expect

import "github.com/claudemock/claudemock/server/internal/journal"

// Rule names, as scenario files write them and reports print them.
const (
	RuleRespectsRetryAfter = "respects_retry_after"
	RuleRespectsRemaining  = "respects_remaining"
	RuleMaxAttempts        = "max_attempts"
	RuleBackoff            = "backoff"
	RuleJitter             = "jitter"
	RuleNoRetryOn          = "no_retry_on"
	RuleRetriesRetryable   = "retries_retryable"
	RuleNoTruncatedAccept  = "no_truncated_accept"
	RuleNoDuplicateOutput  = "no_duplicate_output"
	RuleReadTimeout        = "read_timeout"
	RuleStopsOnSpendCap    = "stops_on_spend_cap"
	RuleMaxConcurrency     = "max_concurrency"
	RuleMaxRequests        = "max_requests"
)

// MaxViolations caps the violations a Result lists, so that a client
// looping for an hour yields a readable report; the Summary still gives
// the total.
const MaxViolations = 20

// Evaluate judges a run: entries are the journal in arrival order (all
// times virtual), and the Report holds one Result per rule r switches on,
// in the order of Rules' fields. It is pure and deterministic: the same
// entries give an equal Report. Results and Violations are never nil, so
// that JSON shows empty lists rather than null.
func Evaluate(r Rules, entries []journal.Entry) Report {
	x := newRun(entries)
	rep := Report{Pass: true, Requests: len(entries), Results: []Result{}}
	for _, c := range r.checks() {
		if !c.on {
			continue
		}
		res := c.judge(x).result(c.name)
		rep.Results = append(rep.Results, res)
		rep.Pass = rep.Pass && res.Pass
	}
	return rep
}

// check is one rule as Evaluate runs it: whether it is on, and how to
// judge a run by it.
type check struct {
	name  string
	on    bool
	judge func(*run) verdict
}

// checks lists the rules in Rules' field order, which is the order of a
// Report's results. A judge is only called when its rule is on, so it may
// dereference the rule's pointer.
func (r Rules) checks() []check {
	return []check{
		{RuleRespectsRetryAfter, r.RespectsRetryAfter != nil,
			func(x *run) verdict { return x.respectsRetryAfter(*r.RespectsRetryAfter) }},
		{RuleRespectsRemaining, r.RespectsRemaining != nil,
			func(x *run) verdict { return x.respectsRemaining(*r.RespectsRemaining) }},
		{RuleMaxAttempts, r.MaxAttempts > 0, func(x *run) verdict { return x.maxAttempts(r.MaxAttempts) }},
		{RuleBackoff, r.Backoff != nil, func(x *run) verdict { return x.backoff(*r.Backoff) }},
		{RuleJitter, r.Jitter != nil, func(x *run) verdict { return x.jitter(*r.Jitter) }},
		{RuleNoRetryOn, r.NoRetryOn != nil, func(x *run) verdict { return x.noRetryOn(r.NoRetryOn) }},
		{RuleRetriesRetryable, r.RetriesRetryable, (*run).retriesRetryable},
		{RuleNoTruncatedAccept, r.NoTruncatedAccept, func(x *run) verdict { return x.noTruncatedAccept(r.NoDuplicateOutput) }},
		{RuleNoDuplicateOutput, r.NoDuplicateOutput, (*run).noDuplicateOutput},
		{RuleReadTimeout, r.ReadTimeout > 0, func(x *run) verdict { return x.readTimeout(r.ReadTimeout) }},
		{RuleStopsOnSpendCap, r.StopsOnSpendCap, (*run).stopsOnSpendCap},
		{RuleMaxConcurrency, r.MaxConcurrency > 0, func(x *run) verdict { return x.maxConcurrency(r.MaxConcurrency) }},
		{RuleMaxRequests, r.MaxRequests > 0, func(x *run) verdict { return x.maxRequests(r.MaxRequests) }},
	}
}

// verdict is what judging one rule found, before it is turned into a
// Result: the violations (in the order found), what was checked ("12
// requests, 3 rate-limited") and what held when nothing broke ("every
// request waited out retry-after").
type verdict struct {
	violations []Violation
	checked    string
	held       string
}

// result turns a verdict into the rule's Result, capping the violations
// listed at MaxViolations while the Summary counts them all.
func (v verdict) result(rule string) Result {
	n := len(v.violations)
	if n == 0 {
		return Result{Rule: rule, Pass: true, Summary: v.checked + "; " + v.held, Violations: []Violation{}}
	}
	summary := count(n, "violation", "violations")
	list := v.violations
	if n > MaxViolations {
		summary += ", first " + itoa(MaxViolations) + " listed"
		list = list[:MaxViolations]
	}
	return Result{Rule: rule, Summary: summary + " (" + v.checked + ")", Violations: list}
}

// run is the journal as the rules read it: the entries, and each logical
// request's attempts with links between consecutive attempts, so that no
// rule walks a map (whose order would leak into the report).
type run struct {
	entries  []journal.Entry
	logicals [][]*journal.Entry     // attempts of each logical request, by first arrival
	prev     map[int]*journal.Entry // seq -> previous attempt of its logical request
	next     map[int]*journal.Entry // seq -> next attempt of its logical request
}

// newRun groups entries into logical requests.
func newRun(entries []journal.Entry) *run {
	x := &run{entries: entries, prev: map[int]*journal.Entry{}, next: map[int]*journal.Entry{}}
	index := map[int]int{} // logical number -> position in x.logicals
	for i := range entries {
		e := &entries[i]
		k, ok := index[e.Logical]
		if !ok {
			k = len(x.logicals)
			index[e.Logical] = k
			x.logicals = append(x.logicals, nil)
		}
		if n := len(x.logicals[k]); n > 0 {
			p := x.logicals[k][n-1]
			x.prev[e.Seq], x.next[p.Seq] = p, e
		}
		x.logicals[k] = append(x.logicals[k], e)
	}
	return x
}

// answered lists the entries that got an answer (are no longer in flight).
func (x *run) answered(keep func(*journal.Entry) bool) []*journal.Entry {
	var out []*journal.Entry
	for i := range x.entries {
		if e := &x.entries[i]; e.Delivery != journal.NotAnswered && keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// retries counts the attempts after the first.
func (x *run) retries() int {
	return len(x.entries) - len(x.logicals)
}
