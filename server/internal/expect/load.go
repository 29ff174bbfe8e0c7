package expect

import (
	"fmt"

	"github.com/claudemock/claudemock/server/internal/journal"
)

// maxConcurrency checks the most requests in flight at once against n. A
// breach is one violation naming where the most was seen, since every
// request of a crowded moment would say the same thing.
func (x *run) maxConcurrency(n int) verdict {
	most, over := 0, 0
	var at []*journal.Entry
	for i := range x.entries {
		e := &x.entries[i]
		if e.InFlight > n {
			over++
		}
		switch {
		case e.InFlight > most:
			most, at = e.InFlight, []*journal.Entry{e}
		case e.InFlight == most:
			at = append(at, e)
		}
	}
	checked := count(len(x.entries), "request", "requests") + ", at most " + itoa(most) + " in flight"
	if most <= n {
		return verdict{nil, checked, fmt.Sprintf("never more than %d at once", n)}
	}
	v := Violation{Requests: seqs(at), Detail: fmt.Sprintf(
		"%s arrived with %d requests in flight, more than the %d allowed (%s arrived above %d)",
		requests(at), most, n, count(over, "request", "requests"), n)}
	return verdict{[]Violation{v}, checked, ""}
}

// requests names entries by their sequence numbers ("request 4",
// "requests 4, 7").
func requests(es []*journal.Entry) string {
	if len(es) == 1 {
		return "request " + itoa(es[0].Seq)
	}
	return "requests " + seqList(es)
}

// maxRequests checks the run's request count against n, naming the first
// request beyond it.
func (x *run) maxRequests(n int) verdict {
	checked := count(len(x.entries), "request", "requests")
	if len(x.entries) <= n {
		return verdict{nil, checked, fmt.Sprintf("no more than the %d allowed", n)}
	}
	first := x.entries[n].Seq
	v := Violation{Requests: []int{first}, Detail: fmt.Sprintf(
		"request %d went beyond the %s allowed (the run made %d)", first, count(n, "request", "requests"), len(x.entries))}
	return verdict{[]Violation{v}, checked, ""}
}
