package expect

import (
	"fmt"
	"sort"
	"time"

	"github.com/claudemock/claudemock/server/internal/journal"
)

// respectsRetryAfter finds the requests that came before a 429's
// retry-after ran out. Each offender is named once, against the 429 whose
// wait binds it most (the latest deadline), so that a burst of 429s does
// not multiply one early request into many violations.
func (x *run) respectsRetryAfter(rule RetryAfterRule) verdict {
	limited := x.answered(func(e *journal.Entry) bool {
		return e.Status == 429 && e.RetryAfter != nil && !e.Spend
	})
	w := newWaits(limited)
	var v []Violation
	for i := range x.entries {
		e := &x.entries[i]
		l := binding429(e, w.near(e.Time), rule)
		if l == nil {
			continue
		}
		v = append(v, Violation{Requests: []int{l.Seq, e.Seq}, Detail: fmt.Sprintf(
			"request %d came %s after the 429 to request %d, which asked to wait %s%s",
			e.Seq, dur(e.Time.Sub(l.End)), l.Seq, secs(*l.RetryAfter), where(l, dimension(l)...))})
	}
	checked := count(len(x.entries), "request", "requests") + ", " + itoa(len(limited)) + " rate-limited"
	return verdict{v, checked, "every request waited out retry-after"}
}

// waits are the 429s of a run ordered by when they were answered, so the
// ones that can still bind a request (answered at most the longest wait
// before it) are found by binary search rather than by a scan of all.
type waits struct {
	byEnd   []*journal.Entry
	longest time.Duration
}

func newWaits(limited []*journal.Entry) waits {
	w := waits{byEnd: append([]*journal.Entry(nil), limited...)}
	sort.SliceStable(w.byEnd, func(i, j int) bool { return w.byEnd[i].End.Before(w.byEnd[j].End) })
	for _, l := range limited {
		w.longest = max(w.longest, seconds(*l.RetryAfter))
	}
	return w
}

// near returns the 429s answered within the longest wait before t.
func (w waits) near(t time.Time) []*journal.Entry {
	from := sort.Search(len(w.byEnd), func(i int) bool { return !w.byEnd[i].End.Before(t.Add(-w.longest)) })
	to := sort.Search(len(w.byEnd), func(i int) bool { return w.byEnd[i].End.After(t) })
	return w.byEnd[from:max(from, to)]
}

// binding429 returns the 429 among limited whose wait e broke, or nil: it
// was answered before e arrived (requests already in flight are not the
// client's fault), is in the rule's scope, and e came earlier than its
// deadline less the tolerance. Of several, the latest deadline wins, then
// e's own logical request, then the latest 429.
func binding429(e *journal.Entry, limited []*journal.Entry, rule RetryAfterRule) *journal.Entry {
	var best *journal.Entry
	for _, l := range limited {
		if l.Seq >= e.Seq || e.Time.Before(l.End) || !inScope(l, e, rule.Scope) {
			continue
		}
		if !e.Time.Before(deadline(l).Add(-rule.Tolerance)) {
			continue
		}
		if outranks(l, best, e) {
			best = l
		}
	}
	return best
}

// outranks reports whether the 429 l binds e more than best, which came
// before it: a later deadline, else e's own logical request, else the
// later 429.
func outranks(l, best, e *journal.Entry) bool {
	if best == nil {
		return true
	}
	if dl, db := deadline(l), deadline(best); !dl.Equal(db) {
		return dl.After(db)
	}
	return l.Logical == e.Logical || best.Logical != e.Logical
}

// inScope reports whether the 429 l binds e: the same organization and
// family (the limits are the organization's), or with scope "request"
// only the same logical request.
func inScope(l, e *journal.Entry, scope string) bool {
	if scope == "request" {
		return l.Logical == e.Logical
	}
	return l.Organization == e.Organization && l.Family == e.Family
}

// deadline is when the wait a 429 asked for runs out.
func deadline(l *journal.Entry) time.Time { return l.End.Add(seconds(*l.RetryAfter)) }

// dimension names the limit a 429 hit, as an extra for where, when known.
func dimension(l *journal.Entry) []string {
	if l.Dimension == "" {
		return nil
	}
	return []string{l.Dimension}
}

// maxAttempts finds the logical requests tried more than n times.
func (x *run) maxAttempts(n int) verdict {
	var v []Violation
	most := 0
	for _, a := range x.logicals {
		most = max(most, len(a))
		if len(a) <= n {
			continue
		}
		v = append(v, Violation{Requests: seqs(a), Detail: fmt.Sprintf(
			"%s made %d attempts (requests %s), more than the %d allowed%s",
			logical(a[0]), len(a), seqList(a), n, where(a[0]))})
	}
	checked := count(len(x.entries), "request", "requests") + " in " +
		count(len(x.logicals), "logical request", "logical requests")
	return verdict{v, checked, fmt.Sprintf("none made more than %s (most: %d)", count(n, "attempt", "attempts"), most)}
}

// backoff finds the retries that came at once after an answer that asked
// for no particular wait, and those that waited no longer than an earlier
// retry (unless they waited out the retry-after they were given): waits
// must grow, so a client retrying on a fixed schedule fails.
func (x *run) backoff(rule BackoffRule) verdict {
	var v []Violation
	for _, a := range x.logicals {
		v = append(v, backoffBreaches(a, rule.Tolerance)...)
	}
	checked := count(x.retries(), "retry", "retries")
	return verdict{v, checked, "none came at once and every wait grew"}
}

// backoffBreaches judges the waits between the attempts a of one logical
// request. A wait is held against the latest earlier wait the client
// chose itself: one that waited out a retry-after was the server's
// choice, and says nothing of the client's schedule (an SDK waits 2s for
// a retry-after of 2s, then backs off 1s after a 500 without fault). A
// retry that came while its previous attempt was unanswered (the client
// timed out) has no wait to judge.
func backoffBreaches(a []*journal.Entry, tolerance time.Duration) []Violation {
	var v []Violation
	var base *journal.Entry // the latest retry whose wait the client chose
	for k := 1; k < len(a); k++ {
		prev, cur := a[k-1], a[k]
		if cur.SincePrevious == nil {
			continue
		}
		w := *cur.SincePrevious
		switch {
		case w < 0.001 && prev.RetryAfter == nil:
			v = append(v, Violation{Requests: []int{prev.Seq, cur.Seq}, Detail: fmt.Sprintf(
				"request %d retried request %d immediately, %s after its %s, which asked for no wait%s",
				cur.Seq, prev.Seq, secs(w), label(prev), where(cur, logical(cur)))})
		case base != nil && w <= *base.SincePrevious-tolerance.Seconds()+1e-9 && !obeyed(prev, w):
			v = append(v, Violation{Requests: []int{base.Seq, cur.Seq}, Detail: shrunk(prev, cur, base)})
		}
		if !obeyed(prev, w) {
			base = cur
		}
	}
	return v
}

// obeyed reports whether a wait of w seconds after prev's answer waited
// out the retry-after it carried.
func obeyed(prev *journal.Entry, w float64) bool {
	return prev.RetryAfter != nil && w+1e-9 >= *prev.RetryAfter
}

// shrunk explains a retry cur of prev that waited less than base had.
func shrunk(prev, cur, base *journal.Entry) string {
	asked := ""
	if prev.RetryAfter != nil {
		asked = ", and the answer asked for " + secs(*prev.RetryAfter)
	}
	return fmt.Sprintf("request %d waited %s after the %s to request %d, no longer than the %s request %d had waited%s%s",
		cur.Seq, secs(*cur.SincePrevious), label(prev), prev.Seq, secs(*base.SincePrevious), base.Seq,
		asked, where(cur, logical(cur)))
}

// jitter finds clusters of retries that followed 429s and came together:
// more than MaxTogether logical requests retried within one Window.
// Overlapping crowded windows merge into one cluster, named once.
func (x *run) jitter(rule JitterRule) verdict {
	window, most := rule.Window, rule.MaxTogether
	if window <= 0 {
		window = 100 * time.Millisecond
	}
	if most <= 0 {
		most = 2
	}
	rs := x.retriesAfter429()
	var v []Violation
	start, end := -1, -1 // the cluster being gathered, rs[start:end]
	for s := range rs {
		e := s
		for e < len(rs) && rs[e].Time.Sub(rs[s].Time) < window {
			e++
		}
		if distinct(rs[s:e]) <= most {
			continue
		}
		if start >= 0 && s < end {
			end = max(end, e)
			continue
		}
		v = appendCluster(v, rs, start, end, window, most)
		start, end = s, e
	}
	v = appendCluster(v, rs, start, end, window, most)
	checked := count(len(rs), "retry after a 429", "retries after 429s")
	return verdict{v, checked, fmt.Sprintf("never more than %d within %s", most, dur(window))}
}

// retriesAfter429 lists the retries whose previous attempt got a 429
// (not a spend refusal), by arrival time.
func (x *run) retriesAfter429() []*journal.Entry {
	var rs []*journal.Entry
	for i := range x.entries {
		e := &x.entries[i]
		if p := x.prev[e.Seq]; p != nil && p.Status == 429 && !p.Spend {
			rs = append(rs, e)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Time.Before(rs[j].Time) })
	return rs
}

// distinct counts the logical requests among es.
func distinct(es []*journal.Entry) int {
	seen := map[int]bool{}
	for _, e := range es {
		seen[e.Logical] = true
	}
	return len(seen)
}

// appendCluster adds the violation of the cluster rs[start:end], if any.
func appendCluster(v []Violation, rs []*journal.Entry, start, end int, window time.Duration, most int) []Violation {
	if start < 0 {
		return v
	}
	c := rs[start:end]
	return append(v, Violation{Requests: seqs(c), Detail: fmt.Sprintf(
		"requests %s retried %d logical requests within %s of each other after 429s, more than %d in one %s window%s",
		seqList(c), distinct(c), dur(c[len(c)-1].Time.Sub(c[0].Time)), most, dur(window), commonWhere(c))})
}
