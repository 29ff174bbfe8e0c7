package expect

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
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
			"request %d came after %s of the %s the 429 to request %d asked to wait%s",
			e.Seq, dur(e.Time.Sub(l.End)), secs(*l.RetryAfter), l.Seq, where(l, dimension(l)...))})
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
			"%s made %d attempts (requests %s), more than the %d allowed%s%s",
			logical(a[0]), len(a), seqList(a), n, restarted(a), where(a[0]))})
	}
	checked := count(len(x.entries), "request", "requests") + " in " +
		count(len(x.logicals), "logical request", "logical requests")
	return verdict{v, checked, fmt.Sprintf("none made more than %s (most: %d)", count(n, "attempt", "attempts"), most)}
}

// restarted says where the attempts a of one logical request began new
// SDK retry chains (X-Stainless-Retry-Count back at 0 after an attempt
// that sent it): an application retrying on top of its SDK's retries,
// whose attempts multiply. Empty when none did.
func restarted(a []*journal.Entry) string {
	var at []*journal.Entry
	for k := 1; k < len(a); k++ {
		if a[k].RetryCount == 0 && a[k-1].RetryCount >= 0 {
			at = append(at, a[k])
		}
	}
	if len(at) == 0 {
		return ""
	}
	return fmt.Sprintf("; X-Stainless-Retry-Count went back to 0 at %s: an application retrying on top of its SDK's retries", requests(at))
}

// backoff finds the retries that came at once after an answer that asked
// for no particular wait, and the runs of waits that did not grow (see
// BackoffRule): a client retrying on a fixed schedule fails, whatever the
// noise on its waits, while the SDKs' doubling backoff and full jitter pass.
func (x *run) backoff(rule BackoffRule) verdict {
	if rule.Factor <= 0 {
		rule.Factor = DefaultBackoffFactor
	}
	if rule.Cap <= 0 {
		rule.Cap = DefaultBackoffCap
	}
	var v []Violation
	for _, a := range x.logicals {
		v = append(v, backoffBreaches(a, rule)...)
	}
	checked := count(x.retries(), "retry", "retries")
	return verdict{v, checked, fmt.Sprintf("none came at once and the waits grew (%s× within every three, or reached %s)",
		strconv.FormatFloat(rule.Factor, 'f', -1, 64), dur(rule.Cap))}
}

// flatRun is how many own waits in a row that do not grow break backoff.
const flatRun = 3

// backoffBreaches judges the waits between the attempts a of one logical
// request. A wait that served out the retry-after its answer carried was
// the server's choice: it counts as grown and is never a wait the next is
// held against. A retry that came while its previous attempt was
// unanswered (the client timed out) has no wait to judge, nor has an
// immediate retry, which is named as such. Once an own wait reaches the
// cap, the backoff has done its growing and the rest is not judged.
func backoffBreaches(a []*journal.Entry, rule BackoffRule) []Violation {
	g := growth{rule: rule}
	for k := 1; k < len(a); k++ {
		prev, cur := a[k-1], a[k]
		if cur.SincePrevious == nil {
			continue
		}
		w := *cur.SincePrevious
		switch {
		case w < 0.001 && prev.RetryAfter == nil:
			g.v = append(g.v, Violation{Requests: []int{prev.Seq, cur.Seq}, Detail: fmt.Sprintf(
				"request %d retried request %d immediately, %s after its %s, which asked for no wait%s",
				cur.Seq, prev.Seq, secs(w), label(prev), where(cur, logical(cur)))})
		case obeyed(prev, w):
			g.end()
		default:
			g.own(cur, w)
		}
	}
	g.end()
	return g.v
}

// growth follows the client's own waits through one logical request.
type growth struct {
	rule   BackoffRule
	waits  []float64        // own waits so far, in seconds
	flat   []*journal.Entry // the current run of retries whose wait did not grow
	capped bool             // an own wait reached the cap
	v      []Violation
}

// own judges the retry cur, which waited w seconds of its own accord.
func (g *growth) own(cur *journal.Entry, w float64) {
	switch {
	case g.capped:
		return
	case w+1e-9 >= g.rule.Cap.Seconds():
		g.capped = true
		g.end()
	case len(g.waits) > 0 && !g.grew(w):
		g.flat = append(g.flat, cur)
	default:
		g.end()
	}
	g.waits = append(g.waits, w)
}

// grew reports whether a wait of w seconds is at least Factor times the
// shorter of the two own waits before it, less the tolerance.
func (g *growth) grew(w float64) bool {
	ref := g.waits[len(g.waits)-1]
	if n := len(g.waits); n > 1 {
		ref = min(ref, g.waits[n-2])
	}
	return w+g.rule.Tolerance.Seconds()+1e-9 >= g.rule.Factor*ref
}

// end closes the current run of waits that did not grow, naming it when
// it was long enough to break the rule.
func (g *growth) end() {
	if len(g.flat) >= flatRun {
		g.v = append(g.v, flatViolation(g.flat, g.rule))
	}
	g.flat = nil
}

// flatViolation names a run of retries whose waits did not grow.
func flatViolation(run []*journal.Entry, rule BackoffRule) Violation {
	waits := make([]string, len(run))
	for i, e := range run {
		waits[i] = secs(*e.SincePrevious)
	}
	last := run[len(run)-1]
	return Violation{Requests: seqs(run), Detail: fmt.Sprintf(
		"requests %s waited %s: %d waits in a row, none %s× the shorter of the two before it, below the %s cap%s",
		seqList(run), strings.Join(waits, ", "), len(run), strconv.FormatFloat(rule.Factor, 'f', -1, 64),
		dur(rule.Cap), where(last, logical(last)))}
}

// obeyed reports whether a wait of w seconds after prev's answer waited
// out the retry-after it carried.
func obeyed(prev *journal.Entry, w float64) bool {
	return prev.RetryAfter != nil && w+1e-9 >= *prev.RetryAfter
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
