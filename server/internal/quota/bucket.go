package quota

import (
	"math"
	"time"
)

// maxWait is the longest wait this package reports, the largest Duration.
const maxWait = time.Duration(math.MaxInt64)

// snapTolerance is how close a level must be to a whole number, relative
// to the magnitude of the numbers it was computed from, to count as that
// number: above the float error of one refill (a few roundings of about
// 1.1e-16 each) and far below one token or one nanosecond of refill.
const snapTolerance = 2e-15

// bucket is one token bucket: it held level tokens at its anchor (at) and
// has been refilling at limit.Rate since, up to limit.Capacity. level is
// never above the capacity; it is below zero when in debt. The anchor is
// kept as Unix seconds and nanoseconds rather than a time.Time, so that a
// bucket is 48 bytes with no pointer for the garbage collector to scan (a
// time.Time carries a *Location); every instant the package returns is
// derived from the now it was given, never from the anchor's location.
type bucket struct {
	limit Limit
	level float64
	sec   int64 // the anchor: Unix seconds
	nsec  int32 // and nanoseconds
}

// newBucket returns a full bucket of shape limit as of now, because a
// bucket nobody has used yet has lost nothing.
func newBucket(limit Limit, now time.Time) *bucket {
	b := &bucket{limit: limit, level: limit.Capacity}
	b.setAt(now)
	return b
}

// at is the bucket's anchor as an instant.
func (b *bucket) at() time.Time { return time.Unix(b.sec, int64(b.nsec)) }

// setAt moves the anchor to t.
func (b *bucket) setAt(t time.Time) { b.sec, b.nsec = t.Unix(), int32(t.Nanosecond()) }

// levelAt is what the bucket holds at now: level plus what it regained
// since at, capped at the capacity. An instant before at (a clock set
// backwards) regains nothing, so that no token is ever counted twice.
func (b *bucket) levelAt(now time.Time) float64 {
	return b.after(now.Sub(b.at()))
}

// after is what the bucket holds e after at (nothing regained when e is
// not positive). It never decreases as e increases, which is what makes
// the searches in first exact.
func (b *bucket) after(e time.Duration) float64 {
	if b.limit.Period != Rolling {
		return b.windowAfter(e)
	}
	raw := b.level
	if e > 0 && b.limit.Rate > 0 {
		raw += b.limit.Rate * seconds(e)
	}
	return min(b.limit.Capacity, snap(raw, max(math.Abs(b.level), math.Abs(raw))))
}

// windowAfter is after for a calendar bucket: its level until the next
// reset after at, full from then on.
func (b *bucket) windowAfter(e time.Duration) float64 {
	if at := b.at(); e > 0 && !at.Add(e).Before(b.limit.Period.next(at)) {
		return b.limit.Capacity
	}
	return min(b.limit.Capacity, b.level)
}

// add moves the bucket to now and adds amount (negative to take), never
// above the capacity. The anchor only moves forward, so a clock set
// backwards cannot make the bucket regain the same interval twice.
func (b *bucket) add(amount float64, now time.Time) {
	b.level = min(b.limit.Capacity, b.levelAt(now)+amount)
	b.advance(now)
}

// advance moves the anchor to now unless now is before it.
func (b *bucket) advance(now time.Time) {
	if now.After(b.at()) {
		b.setAt(now)
	}
}

// idle reports whether the bucket has been full since IdleAfter before now
// (or earlier): from the instant it was full on, it holds, regains and
// re-shapes exactly as a new bucket created then, full, would, so it may
// be dropped and made again on next use.
func (b *bucket) idle(now time.Time) bool {
	e := now.Sub(b.at()) - IdleAfter
	return e >= 0 && b.after(e) == b.limit.Capacity
}

// reshape gives the bucket a new shape at now (a tier changed). What was
// used of the old capacity stays used of the new one, so an upgrade takes
// effect on the very next request (50 used of 50 RPM leaves 950 of 1,000)
// and a downgrade below what was used leaves a debt that refills at the
// new rate. From now on the bucket refills at the new rate.
func (b *bucket) reshape(limit Limit, now time.Time) {
	used := b.limit.Capacity - b.levelAt(now)
	b.level = min(limit.Capacity, limit.Capacity-used)
	b.limit = limit
	b.advance(now)
}

// wait returns the shortest wait after which the bucket holds need, to
// the nanosecond, counted from now; ok is false when no wait ever will
// (need above the capacity, or no refill).
func (b *bucket) wait(need float64, now time.Time) (d time.Duration, ok bool) {
	e := now.Sub(b.at())
	return b.waitFrom(b.after(e), need, e)
}

// waitFrom is wait given e, the time since at, and level, what the bucket
// holds then. A calendar bucket short of need waits for its next reset.
func (b *bucket) waitFrom(level, need float64, e time.Duration) (time.Duration, bool) {
	switch {
	case level >= need:
		return 0, true
	case need > b.limit.Capacity:
		return 0, false
	case b.limit.Period != Rolling:
		at := b.at()
		return b.limit.Period.next(at).Sub(at.Add(e)), true
	case !(b.limit.Rate > 0):
		return 0, false
	}
	return b.first(need, e, duration((need-level)/b.limit.Rate)), true
}

// first finds the smallest d > 0 such that the bucket holds need e+d
// after at, given that it does not e after at and that guess is close to
// d. Because after never decreases, a bracket [lo, hi] with lo short and
// hi enough can be widened and halved exactly; with a good guess that
// costs two or three evaluations.
func (b *bucket) first(need float64, e, guess time.Duration) time.Duration {
	holds := func(d time.Duration) bool { return b.after(addSat(e, d)) >= need }
	var lo, hi time.Duration
	if hi = max(guess, 1); holds(hi) {
		lo = below(holds, hi)
	} else {
		lo, hi = above(holds, hi)
	}
	for hi-lo > 1 {
		if mid := lo + (hi-lo)/2; holds(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// below steps down from hi, which holds, by doubling steps until it finds
// a wait that does not, and returns it (0 at worst, which never holds).
func below(holds func(time.Duration) bool, hi time.Duration) time.Duration {
	for step := time.Duration(1); hi > step; step *= 2 {
		if !holds(hi - step) {
			return hi - step
		}
	}
	return 0
}

// above steps up from lo, which does not hold, by doubling steps until it
// finds a wait that does, and returns the bracket; it stops at maxWait.
func above(holds func(time.Duration) bool, lo time.Duration) (time.Duration, time.Duration) {
	for step := time.Duration(1); step > 0; step *= 2 {
		hi := addSat(lo, step)
		if hi == maxWait || holds(hi) {
			return lo, hi
		}
		lo = hi
	}
	return maxWait - 1, maxWait
}

// state describes the bucket at now under key.
func (b *bucket) state(key Key, now time.Time) State {
	e := now.Sub(b.at())
	s := State{Key: key, Limit: b.limit, Level: b.after(e)}
	if d, ok := b.waitFrom(s.Level, b.limit.Capacity, e); ok {
		s.FullAt = now.Add(d)
	}
	return s
}

// addSat is a+b for b >= 0, saturating at maxWait.
func addSat(a, b time.Duration) time.Duration {
	if a > maxWait-b {
		return maxWait
	}
	return a + b
}

// seconds converts d to float seconds in one rounding, so that a longer
// duration is never fewer seconds.
func seconds(d time.Duration) float64 {
	return float64(d) / 1e9
}

// duration converts s seconds to a Duration, rounding up to the
// nanosecond and saturating at maxWait.
func duration(s float64) time.Duration {
	ns := math.Ceil(s * 1e9)
	if !(ns < math.MaxInt64) { // also NaN
		return maxWait
	}
	return time.Duration(max(ns, 0))
}

// snap returns the whole number nearest x when x is within snapTolerance
// of scale of it, and x otherwise: refill adds rate*elapsed with float
// error, and a bucket that has mathematically regained k tokens must hold
// k, not k-1e-15. With scale the larger of |x| and the operands' sizes,
// snap never decreases as x increases.
func snap(x, scale float64) float64 {
	r := math.Round(x)
	if math.Abs(x-r) <= snapTolerance*scale {
		return r
	}
	return x
}
