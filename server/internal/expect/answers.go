package expect

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/journal"
)

// noRetryOn finds the non-retryable answers that were retried anyway: a
// status in the list (unless x-should-retry: true told the client
// otherwise), any answer marked x-should-retry: false (the official SDKs
// obey it whatever the status: a 429 for a request larger than a whole
// bucket carries it) or a spend refusal sent as a 400 (a spend limit, an
// empty balance: no wait makes the money come back). The tier cap's 429 is
// left out: the official SDKs retry every 429, as they do against the real
// API.
func (x *run) noRetryOn(statuses []int) verdict {
	var v []Violation
	refused := 0
	for i := range x.entries {
		e := &x.entries[i]
		why := unretryable(e, statuses)
		if why == "" {
			continue
		}
		refused++
		if n := x.next[e.Seq]; n != nil {
			v = append(v, Violation{Requests: []int{e.Seq, n.Seq}, Detail: fmt.Sprintf(
				"request %d retried the %s to request %d, %s%s", n.Seq, label(e), e.Seq, why, where(e))})
		}
	}
	return verdict{v, refusedWhat(refused, statuses), "none retried"}
}

// unretryable says why e's answer must not be retried, or "" when it may.
func unretryable(e *journal.Entry, statuses []int) string {
	switch {
	case e.Spend && e.Status == 400:
		return "a spend refusal"
	case e.Spend:
		return ""
	case slices.Contains(statuses, e.Status) && e.ShouldRetry != "true":
		return "which is not retryable"
	case e.ShouldRetry == "false":
		return "which said x-should-retry: false"
	}
	return ""
}

// refusedWhat says what noRetryOn counted, n of them: "2 answers with
// status 400, 401, x-should-retry: false or a spend refusal", or "1
// answer with x-should-retry: false or a spend refusal" for an empty list.
func refusedWhat(n int, statuses []int) string {
	if len(statuses) == 0 {
		return count(n, "answer", "answers") + " with x-should-retry: false or a spend refusal"
	}
	parts := make([]string, len(statuses))
	for i, s := range statuses {
		parts[i] = itoa(s)
	}
	return count(n, "answer", "answers") + " with status " + strings.Join(parts, ", ") + ", x-should-retry: false or a spend refusal"
}

// retriesRetryable finds the logical requests given up at once: a single
// attempt whose answer was retryable. Requests still in flight are not
// judged.
func (x *run) retriesRetryable() verdict {
	var v []Violation
	for _, a := range x.logicals {
		last := a[len(a)-1]
		if len(a) > 1 || last.Delivery == journal.NotAnswered || !retryable(last) {
			continue
		}
		v = append(v, Violation{Requests: []int{last.Seq}, Detail: fmt.Sprintf(
			"request %d gave up at once after its %s, which is retryable%s", last.Seq, label(last), where(last))})
	}
	n := len(x.answered(retryable))
	checked := count(n, "retryable answer", "retryable answers")
	return verdict{v, checked, "no logical request gave up at once"}
}

// retryable reports whether an answer invites a retry: a rate limit,
// an internal error, an overload, x-should-retry: true, or a stream that
// broke after its 200 with an overloaded_error, api_error or
// rate_limit_error event before any content reached the client (the SDKs
// do not retry those: the application must; after content, sending the
// same prompt again would duplicate it, see noDuplicateOutput). A spend
// refusal never does, nor an answer marked x-should-retry: false.
func retryable(e *journal.Entry) bool {
	if e.Spend || e.ShouldRetry == "false" {
		return false
	}
	return e.Status == 429 || e.Status == 500 || e.Status == 529 || e.ShouldRetry == "true" ||
		e.RetryableEvent() && e.ContentDeltas == 0
}

// noTruncatedAccept finds the cut streams (a 200 that did not reach its
// end) that nothing asked again: no later request carried the same
// content. The fingerprint, not the logical request, decides, because an
// application retries a cut stream with a new SDK call, which starts
// X-Stainless-Retry-Count at 0 again. With no_duplicate_output on
// (spare), a cut after content reached the client is left to it: asking
// again is then the wrong move, and continuing or reporting the error
// cannot be seen from here.
func (x *run) noTruncatedAccept(spare bool) verdict {
	var v []Violation
	asked := lastByFingerprint(x.entries)
	cut := x.answered((*journal.Entry).Truncated)
	spared := 0
	for _, e := range cut {
		switch {
		case spare && e.ContentDeltas > 0:
			spared++
		case asked[e.Fingerprint] == e.Seq:
			v = append(v, Violation{Requests: []int{e.Seq}, Detail: fmt.Sprintf(
				"request %d accepted a %s: no retry followed%s", e.Seq, label(e), where(e))})
		}
	}
	checked := count(len(cut), "cut stream", "cut streams")
	if spared > 0 {
		checked += fmt.Sprintf(", %d after content left to no_duplicate_output", spared)
	}
	return verdict{v, checked, "each was retried"}
}

// lastByFingerprint maps each fingerprint to the seq of its latest request.
func lastByFingerprint(entries []journal.Entry) map[string]int {
	last := map[string]int{}
	for i := range entries {
		last[entries[i].Fingerprint] = entries[i].Seq
	}
	return last
}

// noDuplicateOutput finds the requests that sent a stream's body again
// after that stream broke with content already delivered: the same prompt
// run twice, its first output possibly shown to the caller already. Each
// cut stream is named once, with the first request that repeated it.
func (x *run) noDuplicateOutput() verdict {
	var v []Violation
	shown := x.answered(func(e *journal.Entry) bool { return e.Truncated() && e.ContentDeltas > 0 })
	same := x.byFingerprint()
	for _, e := range shown {
		again := resentAfter(e, same[e.Fingerprint])
		if again == nil {
			continue
		}
		v = append(v, Violation{Requests: []int{e.Seq, again.Seq}, Detail: fmt.Sprintf(
			"request %d sent the body of request %d again after its stream broke with %s delivered (%s): the caller may show that output twice%s",
			again.Seq, e.Seq, count(e.ContentDeltas, "content delta", "content deltas"), e.Delivery, where(e))})
	}
	checked := count(len(shown), "stream", "streams") + " cut after content was delivered"
	return verdict{v, checked, "none was sent again with the same body"}
}

// byFingerprint groups the entries by fingerprint, each group in arrival
// order.
func (x *run) byFingerprint() map[string][]*journal.Entry {
	out := map[string][]*journal.Entry{}
	for i := range x.entries {
		e := &x.entries[i]
		out[e.Fingerprint] = append(out[e.Fingerprint], e)
	}
	return out
}

// resentAfter is the first of same (e's content: key, endpoint and body,
// in arrival order) that came after e and arrived once e was answered;
// nil when none did.
func resentAfter(e *journal.Entry, same []*journal.Entry) *journal.Entry {
	k := sort.Search(len(same), func(i int) bool { return same[i].Seq > e.Seq })
	for _, r := range same[k:] {
		if !r.Time.Before(e.End) {
			return r
		}
	}
	return nil
}

// readTimeout finds the stalls the client sat through: it left later than
// the timeout after the last byte, or never left and the server ended the
// stall. A stall the server ended within the timeout could not have been
// left in time, so it is not judged (and counted apart).
func (x *run) readTimeout(limit time.Duration) verdict {
	var v []Violation
	stalls, short := 0, 0
	for _, e := range x.answered(func(e *journal.Entry) bool { return e.StalledAt != nil }) {
		stalls++
		held := e.End.Sub(*e.StalledAt)
		switch {
		case held <= limit && e.Delivery == journal.ClientGone:
		case held <= limit:
			short++
		case e.Delivery == journal.ClientGone:
			v = append(v, Violation{Requests: []int{e.Seq}, Detail: fmt.Sprintf(
				"request %d stalled and the client waited %s before leaving, longer than the %s read timeout%s",
				e.Seq, dur(held), dur(limit), where(e))})
		default:
			v = append(v, Violation{Requests: []int{e.Seq}, Detail: fmt.Sprintf(
				"request %d stalled and the client never left: the server ended the stall after %s, past the %s read timeout%s",
				e.Seq, dur(held), dur(limit), where(e))})
		}
	}
	checked := count(stalls, "stalled stream", "stalled streams")
	if short > 0 {
		checked += fmt.Sprintf(" (%d ended by the server within %s, not judged)", short, dur(limit))
	}
	return verdict{v, checked, "the client left each within " + dur(limit) + " of its last byte"}
}

// stopsOnSpendCap finds the requests an organization sent after a spend
// refusal was answered to it. Each is named once, against its
// organization's earliest-answered refusal. Retries of the refused request
// itself are no_retry_on's business (the SDKs retry the cap's 429), so
// only other logical requests count.
func (x *run) stopsOnSpendCap() verdict {
	spent := x.answered(func(e *journal.Entry) bool { return e.Spend })
	var v []Violation
	for i := range x.entries {
		e := &x.entries[i]
		s := firstRefusal(e, spent)
		if s == nil || s.Logical == e.Logical {
			continue
		}
		v = append(v, Violation{Requests: []int{s.Seq, e.Seq}, Detail: fmt.Sprintf(
			"request %d came %s after the spend refusal to request %d (%d %s, org %s)",
			e.Seq, dur(e.Time.Sub(s.End)), s.Seq, s.Status, code(s), e.Organization)})
	}
	checked := count(len(x.entries), "request", "requests") + ", " +
		count(len(spent), "spend refusal", "spend refusals")
	return verdict{v, checked, "no organization sent a request after its refusal"}
}

// firstRefusal returns the spend refusal of e's organization that was
// answered earliest before e arrived, or nil.
func firstRefusal(e *journal.Entry, spent []*journal.Entry) *journal.Entry {
	var first *journal.Entry
	for _, s := range spent {
		if s.Seq >= e.Seq || s.Organization != e.Organization || e.Time.Before(s.End) {
			continue
		}
		if first == nil || s.End.Before(first.End) {
			first = s
		}
	}
	return first
}
