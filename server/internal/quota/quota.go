package quota

import (
	"cmp"
	"math"
	"strings"
	"time"
)

// Limit is one bucket's shape: Capacity is the most it can hold (the
// burst), Rate what it regains per second. A Rate of 0 or less never
// refills, unless Period makes the bucket a fixed calendar window that
// is full again at the start of each one.
type Limit struct {
	Capacity float64
	Rate     float64
	Period   Period
}

// Period is the calendar window a fixed-window bucket resets on. Daily
// and monthly quotas are described as "resetting" (per day, per month),
// unlike the per-minute limits, which the real API refills continuously.
type Period uint8

const (
	// Rolling is a continuously refilled token bucket: no fixed window.
	Rolling Period = iota
	// Day resets a bucket to full at 00:00 UTC every day.
	Day
	// Month resets a bucket to full at 00:00 UTC on the 1st of every month.
	Month
)

// next is the first reset after t: the next 00:00 UTC, or the 1st of the
// next month. A Rolling period has none (the zero Time).
func (p Period) next(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	switch p {
	case Day:
		return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// Calendar builds the Limit for "n per calendar day" or "n per calendar
// month" (UTC): a bucket of n that does not refill but is full again at
// each reset. A negative n counts as 0.
func Calendar(n float64, p Period) Limit {
	return Limit{Capacity: max(n, 0), Period: p}
}

// PerWindow builds the Limit for "n per window" enforced over a shorter
// burst window, because the real API may enforce "60 RPM as 1 request per
// second": Rate is n/window.Seconds() and Capacity is n*burst/window, or n
// when burst is 0 or not shorter than window. Capacity is never below
// min(n, 1), so that a bucket always admits at least one whole request:
// PerWindow(50, time.Minute, time.Second) is {Capacity: 1, Rate: 50/60}.
// A negative n counts as 0; a window of 0 or less gives a bucket of n that
// never refills.
func PerWindow(n float64, window, burst time.Duration) Limit {
	n = max(n, 0)
	if window <= 0 {
		return Limit{Capacity: n}
	}
	l := Limit{Capacity: n, Rate: n / window.Seconds()}
	if burst > 0 && burst < window {
		l.Capacity = max(n*float64(burst)/float64(window), min(n, 1))
	}
	return l
}

// Key names a bucket: who (Scope, e.g. "org:<id>" or "ws:<id>"), which
// pool (Family, e.g. "opus-4", or "" for org-wide) and what (Dimension,
// e.g. "requests_per_minute").
type Key struct {
	Scope, Family, Dimension string
}

// compare orders keys by Scope, then Family, then Dimension, so that
// snapshots are deterministic.
func (k Key) compare(o Key) int {
	return cmp.Or(strings.Compare(k.Scope, o.Scope),
		strings.Compare(k.Family, o.Family),
		strings.Compare(k.Dimension, o.Dimension))
}

// Charge is what one request asks of one bucket: it is admitted only if
// the bucket holds at least Need, and then Take is deducted. Need and Take
// differ when output is charged after the fact: OTPM in "actual" mode is
// Need 1, Take 0, settled later; in "reserve" mode Need = Take = max_tokens.
// A Need of 0 admits any bucket not in debt.
type Charge struct {
	Key        Key
	Limit      Limit
	Need, Take float64
}

// State is a bucket's condition at one instant, for rate-limit headers and
// the control API. Level may be negative (debt, see Limiter.Settle).
// FullAt is the first instant the bucket will be full if nothing is taken:
// the instant of the state when it already is, the next reset of a
// calendar bucket, and the zero Time when it never will be (Rate 0).
type State struct {
	Key    Key
	Limit  Limit
	Level  float64
	FullAt time.Time
}

// Remaining is the whole units left, floored and never negative, because
// a header cannot promise a unit the bucket does not fully hold.
func (s State) Remaining() int64 {
	switch {
	case !(s.Level > 0): // also NaN
		return 0
	case s.Level >= math.MaxInt64:
		return math.MaxInt64
	}
	return int64(s.Level)
}

// RemainingThousands is Remaining floored to a multiple of 1000, as the
// real token headers report it (39,586.7 is 39000).
func (s State) RemainingThousands() int64 {
	return s.Remaining() / 1000 * 1000
}

// Decision is the outcome of one admission.
type Decision struct {
	// Admitted is true when every charged bucket held its Need; only then
	// was anything taken.
	Admitted bool
	// RetryAfter, when refused, is the smallest wait after which this same
	// request would be admitted if nothing else happened: the largest over
	// the refusing buckets of the first nanosecond at which the bucket
	// holds Need (about (Need-level)/Rate). It is 0 when admitted and when
	// Never, and saturates at the largest Duration (about 292 years).
	RetryAfter time.Duration
	// Refused holds the keys of the buckets that refused, in charge order;
	// empty when admitted.
	Refused []Key
	// Never is true when no wait will ever admit the request: some Need
	// exceeds its bucket's Capacity, or a bucket short of its Need never
	// refills (Rate 0 and no Period).
	Never bool
	// Binding is the refusing bucket the outcome hangs on, so that a 429
	// names the limit the client actually waits for: when Never, the first
	// that can never admit; otherwise the first whose wait is RetryAfter.
	// The zero Key when admitted.
	Binding Key
	// States holds every charged bucket's state after the decision, in
	// charge order.
	States []State
}

// reset empties d for reuse, keeping its slices' storage.
func (d *Decision) reset() {
	d.Admitted, d.RetryAfter, d.Never, d.Binding = false, 0, false, Key{}
	d.Refused, d.States = d.Refused[:0], d.States[:0]
}
