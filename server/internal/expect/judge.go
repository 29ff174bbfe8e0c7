package expect

import (
	"fmt"

	"github.com/claudemock/claudemock/server/internal/journal"
)

// Names of the checks a report makes on the run itself, before the rules:
// whether there was anything to judge. They show in a Report like rules.
const (
	RuleRequestsArrived = "requests_arrived"
	RuleFaultsFired     = "faults_fired"
)

// NoRequests is requests_arrived's summary for an empty journal: a test
// suite that never reached the mock (its base URL unset, or pointing at
// the real API) would otherwise pass every rule.
const NoRequests = "no request reached the mock — is the client's base URL set?"

// Fault is one fault of the loaded scenario as faults_fired reads it: how
// often it matched and fired, and whether a correct client may never
// trigger it.
type Fault struct {
	Name     string
	Kind     string
	Matched  int
	Fired    int
	Optional bool
}

// Judge is the verdict on a run: requests_arrived, then faults_fired when
// the scenario declares faults, then Evaluate's results for r. A run that
// no request reached, or in which a fault the scenario needs never fired,
// fails whatever the rules say, since its rules judged nothing.
func Judge(r Rules, entries []journal.Entry, faults []Fault) Report {
	rules := Evaluate(r, entries)
	results := []Result{requestsArrived(len(entries))}
	if len(faults) > 0 {
		results = append(results, faultsFired(faults).result(RuleFaultsFired))
	}
	rep := Report{Pass: rules.Pass, Requests: rules.Requests, Results: append(results, rules.Results...)}
	for _, res := range results {
		rep.Pass = rep.Pass && res.Pass
	}
	return rep
}

// requestsArrived passes when the journal holds at least one request. Its
// failure names no request, so its summary carries the whole message.
func requestsArrived(n int) Result {
	if n == 0 {
		return Result{Rule: RuleRequestsArrived, Summary: NoRequests, Violations: []Violation{}}
	}
	return Result{Rule: RuleRequestsArrived, Pass: true,
		Summary: count(n, "request", "requests") + " reached the mock", Violations: []Violation{}}
}

// faultsFired names each fault that never fired and is not optional: the
// client never met the trouble the scenario was written to cause.
func faultsFired(faults []Fault) verdict {
	var v []Violation
	optional := 0
	for _, f := range faults {
		if f.Optional {
			optional++
		}
		if f.Fired > 0 || f.Optional {
			continue
		}
		v = append(v, Violation{Requests: []int{}, Detail: fmt.Sprintf(
			"fault %s (%s) never fired: it matched %s", f.Name, f.Kind, count(f.Matched, "request", "requests"))})
	}
	checked := count(len(faults), "fault", "faults") + ", " + itoa(optional) + " optional"
	return verdict{v, checked, "every fault that is not optional fired"}
}
