package quota

import (
	"slices"
	"sync"
	"time"
)

// Limiter holds the buckets, created full on first use; it is safe for
// concurrent use. One mutex guards them all, because an admission spans
// several buckets and must see and change them atomically. Each admission
// also looks at a few buckets and drops those that have been full for
// IdleAfter (see Reclaim), so that the buckets of organizations gone quiet
// do not stay in memory.
type Limiter struct {
	mu      sync.Mutex
	buckets map[Key]*bucket
	names   names
}

// IdleAfter is how long a bucket must have been full before it may be
// dropped. A bucket full since before the last instant it was used (its
// anchor) behaves exactly as a new one, which is created full, for every
// instant from its anchor on, so dropping it changes no level, wait or
// header. The hour keeps that true even when virtual time is set back,
// unless it is set back more than an hour before the drop.
const IdleAfter = time.Hour

// sweepBudget is how many buckets each admission looks at for dropping:
// enough that reclaiming keeps up with the admissions that create
// buckets, few enough that it costs each one a bounded, small amount.
const sweepBudget = 4

// New returns a Limiter with no buckets.
func New() *Limiter {
	return &Limiter{buckets: make(map[Key]*bucket), names: names{m: map[[2]string]string{}}}
}

// Admit checks every charge against its bucket and, only if all pass,
// deducts every Take: a request is admitted whole or not at all, and a
// refusal changes no level. A bucket is created full on first use, and
// re-shaped when the Limit given differs from the stored one (a tier
// upgrade): it keeps its level, capped at the new capacity, and refills at
// the new rate from now. Charges on the same Key are cumulative: each must
// find its Need on top of the Takes of the earlier ones.
func (l *Limiter) Admit(charges []Charge, now time.Time) Decision {
	var d Decision
	l.AdmitInto(&d, charges, now)
	return d
}

// AdmitInto is Admit writing into d, reusing the storage of d.Refused and
// d.States so that a caller that keeps one Decision allocates nothing.
// The slices are overwritten by the next AdmitInto with the same d.
func (l *Limiter) AdmitInto(d *Decision, charges []Charge, now time.Time) {
	d.reset()
	if cap(d.States) < len(charges) {
		d.States = make([]State, 0, len(charges))
	}
	d.States = d.States[:len(charges)]
	l.admit(d, d.States, charges, now, true)
}

// AdmitStates is Admit for a caller that keeps the states itself, in
// storage of its own: it writes the charges' states into states[:len(charges)]
// (states must be at least that long) and returns the verdict with its
// Refused and States lists left nil. It allocates nothing.
func (l *Limiter) AdmitStates(states []State, charges []Charge, now time.Time) Decision {
	var d Decision
	l.admit(&d, states[:len(charges)], charges, now, false)
	return d
}

// admit is the admission AdmitInto and AdmitStates describe, writing the
// verdict into d (the refusing keys too when list is set) and the states
// into states, in charge order.
func (l *Limiter) admit(d *Decision, states []State, charges []Charge, now time.Time, list bool) {
	var scratch [16]*bucket
	bs := scratch[:0]
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range charges {
		bs = append(bs, l.bucket(c.Key, c.Limit, now))
	}
	check(d, charges, bs, now, list)
	if d.Admitted {
		for i, c := range charges {
			bs[i].add(-c.Take, now)
		}
	}
	for i, c := range charges {
		states[i] = bs[i].state(c.Key, now)
	}
	l.sweep(now, sweepBudget)
}

// sweep looks at up to n buckets, starting wherever the map's iteration
// does (a random place), and drops those idle at now. The caller holds
// l.mu.
func (l *Limiter) sweep(now time.Time, n int) {
	for k, b := range l.buckets {
		if n--; n < 0 {
			return
		}
		if b.idle(now) {
			delete(l.buckets, k)
		}
	}
}

// Reclaim drops every bucket idle at now (full for IdleAfter), as the
// admissions do a few at a time, and returns how many are left.
func (l *Limiter) Reclaim(now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now, len(l.buckets))
	return len(l.buckets)
}

// Len is how many buckets the limiter holds.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// check fills in d's verdict for charges on buckets bs without changing
// any bucket: the longest wait among the refusing ones and the bucket
// that sets it, whether some will never pass, and (when list is set) the
// refusing keys.
func check(d *Decision, charges []Charge, bs []*bucket, now time.Time, list bool) {
	var slowest Key
	refused := 0
	for i, c := range charges {
		wait, ok := bs[i].wait(c.Need+earlier(charges, bs, i), now)
		switch {
		case !ok:
			if !d.Never {
				d.Never, d.Binding = true, c.Key
			}
		case wait == 0:
			continue
		case wait > d.RetryAfter:
			d.RetryAfter, slowest = wait, c.Key
		}
		if refused++; list {
			d.Refused = append(d.Refused, c.Key)
		}
	}
	d.Admitted = refused == 0
	if d.Never {
		d.RetryAfter = 0
	} else {
		d.Binding = slowest
	}
}

// earlier sums the Takes of the charges before i on the same bucket, which
// charge i must leave room for.
func earlier(charges []Charge, bs []*bucket, i int) float64 {
	sum := 0.0
	for j := range i {
		if bs[j] == bs[i] {
			sum += charges[j].Take
		}
	}
	return sum
}

// bucket returns the bucket for key shaped as limit, creating it full or
// re-shaping it as Admit describes. The caller holds l.mu.
func (l *Limiter) bucket(key Key, limit Limit, now time.Time) *bucket {
	b, ok := l.buckets[key]
	switch {
	case !ok:
		b = newBucket(limit, now)
		l.buckets[key] = b
	case b.limit != limit:
		b.reshape(limit, now)
	}
	return b
}

// Settle adjusts one bucket after the fact, because output is only known
// once generated: a positive amount takes more and may drive the level
// below zero (debt, which delays later requests by debt/Rate); a negative
// one refunds, never above the capacity. The bucket is created or
// re-shaped as in Admit. Settle returns the bucket's state afterwards.
func (l *Limiter) Settle(key Key, limit Limit, amount float64, now time.Time) State {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, limit, now)
	b.add(-amount, now)
	return b.state(key, now)
}

// Settled is the state s would show had amount been settled on its bucket
// (as Settle does) at now with nothing else in between. It lets a response
// report the state its own admission left, adjusted by its own settlement,
// rather than a later look that other requests have already moved.
func (s State) Settled(amount float64, now time.Time) State {
	b := bucket{limit: s.Limit, level: s.Level}
	b.setAt(now)
	b.add(-amount, now)
	return b.state(s.Key, now)
}

// Peek returns the states of the charges' buckets, in charge order, as
// Admit would see them, without changing anything: a bucket not yet used
// shows full, and one whose Limit differs shows re-shaped. It serves the
// rate-limit headers of requests turned away before admission.
func (l *Limiter) Peek(charges []Charge, now time.Time) []State {
	out := make([]State, 0, len(charges))
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range charges {
		b := *newBucket(c.Limit, now)
		if stored, ok := l.buckets[c.Key]; ok {
			b = *stored
			if b.limit != c.Limit {
				b.reshape(c.Limit, now)
			}
		}
		out = append(out, b.state(c.Key, now))
	}
	return out
}

// Snapshot returns every bucket's state at now, sorted by Scope, Family
// and Dimension so that two snapshots of the same buckets are identical.
func (l *Limiter) Snapshot(now time.Time) []State {
	l.mu.Lock()
	out := make([]State, 0, len(l.buckets))
	for k, b := range l.buckets {
		out = append(out, b.state(k, now))
	}
	l.mu.Unlock()
	slices.SortFunc(out, func(a, b State) int { return a.Key.compare(b.Key) })
	return out
}

// Reset forgets every bucket, so that each comes back full on next use.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.buckets)
}
