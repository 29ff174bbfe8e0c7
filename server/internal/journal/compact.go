package journal

import (
	"math"
	"time"
)

// record is an entry as the journal keeps it: fixed-size and free of
// pointers, so that chunks of records cost the collector nothing to scan
// and 100,000 of them stay within 200 bytes each. Strings are ids in the
// journal's names; times are Unix nanoseconds (UTC); optional values carry
// a flag. An entry that does not fit (a time outside UTC or the int64
// range, a count out of range, rate limits in another order, a stall) is
// kept whole in the journal's odd entries instead, so that every reader
// still sees exactly what was recorded. An entry's Seq is its place plus
// one, so it is not stored.
type record struct {
	time, end       int64
	retryAfter      float64
	wait, since     float64
	fp              uint64 // the fingerprint's 8 bytes, or a string id (fpRaw)
	reset           [4]int64
	remaining       [4]int64
	usage           [5]uint32
	logical         uint32
	deltas          uint32
	req, what, how  uint32 // ids of the reqKey, whatKey and howKey
	id              [15]byte
	attempt, flight uint16
	retryCount      int16
	flags           uint16
}

// Record flags; the low four bits say which rate-limit buckets are set.
const (
	hasWait uint16 = 1 << (iota + 4)
	hasSince
	hasRetryAfter
	hasUsage
	idRaw // id holds a string id: the request id is not of the usual form
	fpRaw // fp holds a string id: the fingerprint is not of the usual form
	odd   // the entry is kept whole in Journal.odd
)

// buckets are the rate-limit buckets in the order the server reports them.
var buckets = [4]string{"requests", "tokens", "input_tokens", "output_tokens"}

// zeroTime stands for the zero time.Time, which has no Unix nanoseconds.
const zeroTime = math.MinInt64

// packTime is t in Unix nanoseconds, false when that would not give t back
// exactly (another location, a monotonic reading, out of range).
func packTime(t time.Time) (int64, bool) {
	if t == (time.Time{}) {
		return zeroTime, true
	}
	if t.Location() != time.UTC || t != t.Round(0) {
		return 0, false
	}
	sec := t.Unix()
	if sec <= math.MinInt64/int64(time.Second) || sec >= math.MaxInt64/int64(time.Second) {
		return 0, false
	}
	return sec*1e9 + int64(t.Nanosecond()), true
}

// unpackTime is the time packTime packed.
func unpackTime(n int64) time.Time {
	if n == zeroTime {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// optional is *p and its flag, when p is set.
func optional(p *float64, flag uint16) (float64, uint16) {
	if p == nil {
		return 0, 0
	}
	return *p, flag
}

// fits32 reports whether n fits a uint32.
func fits32(n int) bool { return n >= 0 && n <= math.MaxUint32 }

// fits16 reports whether n fits a uint16.
func fits16(n int) bool { return n >= 0 && n <= math.MaxUint16 }

// packRequest sets the request half of r from e, false when it does not
// fit a record.
func (n *names) packRequest(r *record, e *Entry) bool {
	t, ok := packTime(e.Time)
	if !ok || !fits32(e.Logical) || !fits16(e.Attempt) || !fits16(e.InFlight) ||
		e.RetryCount < math.MinInt16 || e.RetryCount > math.MaxInt16 {
		return false
	}
	r.time, r.logical, r.attempt, r.flight, r.retryCount = t, uint32(e.Logical), uint16(e.Attempt), uint16(e.InFlight), int16(e.RetryCount)
	r.req = n.reqs.id(reqKey{n.str(e.Method), n.str(e.Path), n.str(e.Endpoint), n.str(e.Key), n.str(e.Organization), n.str(e.Workspace)})
	n.packID(r, e.RequestID)
	n.packWhat(r, e)
	var f uint16
	r.since, f = optional(e.SincePrevious, hasSince)
	r.flags = r.flags&^hasSince | f
	return true
}

// packWhat sets what the request asked for and the wait since its family's
// latest 429, which is measured when that becomes known.
func (n *names) packWhat(r *record, e *Entry) {
	r.what = n.whats.id(whatKey{n.str(e.Model), n.str(e.Family), e.Stream})
	var f uint16
	r.wait, f = optional(e.WaitSince429, hasWait)
	r.flags = r.flags&^hasWait | f
}

// packOutcome sets the outcome half of r from o, false when it does not
// fit a record.
func (n *names) packOutcome(r *record, o *Outcome) bool {
	end, ok := packTime(o.End)
	if !ok || o.StalledAt != nil || !fits32(o.ContentDeltas) || !packLimits(r, o.RateLimits) || !packUsage(r, o.Usage) {
		return false
	}
	r.end, r.deltas = end, uint32(o.ContentDeltas)
	r.how = n.hows.id(howKey{o.Status, n.str(o.ErrorType), n.str(o.ErrorCode), n.str(o.ShouldRetry), n.str(o.Dimension),
		n.str(o.Fault), n.str(o.Action), n.str(o.Reply), n.str(o.Delivery), o.Spend})
	var f uint16
	r.retryAfter, f = optional(o.RetryAfter, hasRetryAfter)
	r.flags = r.flags&^hasRetryAfter | f
	return true
}

// packUsage sets the usage, false when a count is out of range.
func packUsage(r *record, u *Usage) bool {
	r.flags &^= hasUsage
	if u == nil {
		return true
	}
	counts := [5]int{u.InputTokens, u.OutputTokens, u.CacheCreationInputTokens, u.CacheReadInputTokens, u.CacheCreation1h}
	for i, c := range counts {
		if !fits32(c) {
			return false
		}
		r.usage[i] = uint32(c)
	}
	r.flags |= hasUsage
	return true
}

// packLimits sets the rate limits, false unless they are the server's
// buckets in its order, each at most once.
func packLimits(r *record, limits []RateLimit) bool {
	if limits != nil && len(limits) == 0 {
		return false // an empty list is not the same as none
	}
	var mask uint16
	b := 0
	for _, l := range limits {
		for b < len(buckets) && buckets[b] != l.Bucket {
			b++
		}
		reset, ok := packTime(l.Reset)
		if b == len(buckets) || !ok {
			return false
		}
		r.reset[b], r.remaining[b] = reset, l.Remaining
		mask |= 1 << b
		b++
	}
	r.flags = r.flags&^0xf | mask
	return true
}

// base58 is the alphabet of request ids.
const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// idPrefix and idLen are the form of the server's request ids.
const (
	idPrefix = "req_011C"
	idLen    = len(idPrefix) + 20
)

// digit58 maps a byte to its base58 digit plus one (0: not a digit).
var digit58 = func() (d [256]byte) {
	for i := range len(base58) {
		d[base58[i]] = byte(i + 1)
	}
	return d
}()

// packID packs a request id of the server's form into 6 bits a character;
// any other id is interned.
func (n *names) packID(r *record, id string) {
	r.id = [15]byte{}
	r.flags &^= idRaw
	if canonicalID(id) {
		var acc uint64
		have, k := 0, 0
		for i := len(idPrefix); i < idLen; i++ {
			acc, have = acc<<6|uint64(digit58[id[i]]-1), have+6
			for ; have >= 8; have -= 8 {
				r.id[k], k = byte(acc>>(have-8)), k+1
			}
		}
		return
	}
	s := n.str(id)
	r.id[0], r.id[1], r.id[2], r.id[3] = byte(s), byte(s>>8), byte(s>>16), byte(s>>24)
	r.flags |= idRaw
}

// canonicalID reports whether id is of the server's form: the prefix and
// 20 base58 characters.
func canonicalID(id string) bool {
	if len(id) != idLen || id[:len(idPrefix)] != idPrefix {
		return false
	}
	for i := len(idPrefix); i < idLen; i++ {
		if digit58[id[i]] == 0 {
			return false
		}
	}
	return true
}

// rawID is the interned request id of a record flagged idRaw.
func (n *names) rawID(r *record) string {
	return n.strs.vals[uint32(r.id[0])|uint32(r.id[1])<<8|uint32(r.id[2])<<16|uint32(r.id[3])<<24]
}

// appendID appends the request id packID packed.
func appendID(out []byte, r *record) []byte {
	out = append(out, idPrefix...)
	var acc uint64
	have := 0
	for _, b := range r.id {
		acc, have = acc<<8|uint64(b), have+8
		for ; have >= 6; have -= 6 {
			out = append(out, base58[(acc>>(have-6))&63])
		}
	}
	return out
}

// hexDigits spell fingerprints.
const hexDigits = "0123456789abcdef"

// packFP sets the fingerprint: the 8 bytes its 16 hex digits spell, or,
// for any other string, its string id.
func (n *names) packFP(r *record, fp string) {
	r.flags &^= fpRaw
	if v, ok := parseFP(fp); ok {
		r.fp = v
		return
	}
	r.fp = uint64(n.str(fp))
	r.flags |= fpRaw
}

// parseFP reads 16 lowercase hex digits.
func parseFP(fp string) (uint64, bool) {
	if len(fp) != 16 {
		return 0, false
	}
	var v uint64
	for i := range len(fp) {
		c := fp[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | uint64(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | uint64(c-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// appendFP appends the 16 hex digits of a fingerprint packFP parsed.
func appendFP(out []byte, r *record) []byte {
	for i := range 16 {
		out = append(out, hexDigits[(r.fp>>(60-4*i))&0xf])
	}
	return out
}
