package quota

import (
	"slices"
	"sync"
	"time"
)

// Limiter holds the buckets, created full on first use; it is safe for
// concurrent use. One mutex guards them all, because an admission spans
// several buckets and must see and change them atomically.
type Limiter struct {
	mu      sync.Mutex
	buckets map[Key]*bucket
}

// New returns a Limiter with no buckets.
func New() *Limiter {
	return &Limiter{buckets: make(map[Key]*bucket)}
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
	var scratch [8]*bucket
	bs := scratch[:0]
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range charges {
		bs = append(bs, l.bucket(c.Key, c.Limit, now))
	}
	check(d, charges, bs, now)
	if d.Admitted {
		for i, c := range charges {
			bs[i].add(-c.Take, now)
		}
	}
	for i, c := range charges {
		d.States = append(d.States, bs[i].state(c.Key, now))
	}
}

// check fills in d's verdict for charges on buckets bs without changing
// any bucket: the refusing keys, the longest wait among them and the
// bucket that sets it, and whether some will never pass.
func check(d *Decision, charges []Charge, bs []*bucket, now time.Time) {
	var slowest Key
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
		d.Refused = append(d.Refused, c.Key)
	}
	d.Admitted = len(d.Refused) == 0
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
	b := bucket{limit: s.Limit, level: s.Level, at: now}
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
		b := bucket{limit: c.Limit, level: c.Limit.Capacity, at: now}
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
