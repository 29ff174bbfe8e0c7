package expect

import (
	"fmt"
	"sort"

	"github.com/claudemock/claudemock/server/internal/journal"
)

// respectsRemaining finds the Messages requests sent while the latest
// answer to the same organization and model family, answered before they
// arrived, reported a rate-limit bucket at remaining 0 whose reset lay
// ahead. An answer that carried retry-after is left to respects_retry_after:
// its wait says exactly when to come back, and the reset (a full refill) is
// later. Answers without rate-limit headers (a 401, a request refused
// before the buckets) say nothing and are passed over.
func (x *run) respectsRemaining(rule RemainingRule) verdict {
	byPool := map[string][]*journal.Entry{} // organization/family -> answers with headers, by end
	reported := 0
	for _, e := range x.answered(func(e *journal.Entry) bool { return e.Endpoint == "messages" && len(e.RateLimits) > 0 }) {
		byPool[pool(e)] = append(byPool[pool(e)], e)
		if _, ok := empty(e); ok && e.RetryAfter == nil {
			reported++
		}
	}
	for _, as := range byPool {
		sort.SliceStable(as, func(i, j int) bool { return as[i].End.Before(as[j].End) })
	}
	var v []Violation
	for i := range x.entries {
		e := &x.entries[i]
		if e.Endpoint != "messages" || e.Family == "" {
			continue
		}
		if l := latestAnswer(byPool[pool(e)], e); l != nil && l.RetryAfter == nil {
			if b, ok := empty(l); ok && e.Time.Before(b.Reset.Add(-rule.Tolerance)) {
				v = append(v, Violation{Requests: []int{l.Seq, e.Seq}, Detail: fmt.Sprintf(
					"request %d was sent %s after the answer to request %d reported %s remaining 0, %s before its reset%s",
					e.Seq, dur(e.Time.Sub(l.End)), l.Seq, b.Bucket, dur(b.Reset.Sub(e.Time)), where(e))})
			}
		}
	}
	checked := count(len(x.entries), "request", "requests") + ", " +
		count(reported, "answer", "answers") + " reporting an empty bucket without retry-after"
	return verdict{v, checked, "none was sent while an empty bucket's reset lay ahead"}
}

// pool keys the rate limits an entry draws on: its organization and family.
func pool(e *journal.Entry) string { return e.Organization + "/" + e.Family }

// latestAnswer is the answer among as (ordered by end) that ended last
// before e arrived; nil when none did. One to a request that arrived after
// e cannot have been read before e was sent, even at the same instant.
func latestAnswer(as []*journal.Entry, e *journal.Entry) *journal.Entry {
	k := sort.Search(len(as), func(i int) bool { return as[i].End.After(e.Time) })
	for k--; k >= 0; k-- {
		if as[k].Seq < e.Seq {
			return as[k]
		}
	}
	return nil
}

// empty returns the bucket an answer reported at remaining 0 that is full
// again the latest, and whether there was one.
func empty(e *journal.Entry) (journal.RateLimit, bool) {
	var out journal.RateLimit
	found := false
	for _, b := range e.RateLimits {
		if b.Remaining == 0 && (!found || b.Reset.After(out.Reset)) {
			out, found = b, true
		}
	}
	return out, found
}
