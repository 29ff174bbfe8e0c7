package journal

import "math/bits"

// batch is the storage the entries built together share, so that reading
// a page of the journal allocates a handful of times rather than a few
// times an entry: the request ids and fingerprints are windows on one
// string, the optional values point into shared arrays.
type batch struct {
	text   string
	floats []float64
	usages []Usage
	limits []RateLimit
}

// view is a window of the journal copied under its lock (the records,
// the entries kept whole, the names' lists as they stand), so that its
// entries are built after the lock is let go: reading a full journal does
// not hold up the requests being journaled. The lists are only ever
// appended to, so copies of their headers stay good.
type view struct {
	names names
	recs  []record
	odd   map[int]Entry // index in recs -> the entry kept whole
	first int           // the place of recs[0]
}

// view copies the places [start, end); j.mu must be held.
func (j *Journal) view(start, end int) *view {
	n := j.names
	v := &view{recs: make([]record, end-start), first: start, names: names{
		strs: interner[string]{vals: n.strs.vals}, reqs: interner[reqKey]{vals: n.reqs.vals},
		whats: interner[whatKey]{vals: n.whats.vals}, hows: interner[howKey]{vals: n.hows.vals}}}
	for a := start; a < end; a++ {
		v.recs[a-start] = *j.records.at(a)
	}
	for a, e := range j.odd {
		if a >= start && a < end {
			if v.odd == nil {
				v.odd = map[int]Entry{}
			}
			v.odd[a-start] = *e
		}
	}
	return v
}

// entries builds the view's entries, newest first when reversed.
func (v *view) entries(reversed bool) []Entry {
	out, b := make([]Entry, len(v.recs)), newBatch(v.recs)
	for i := range v.recs {
		at := i
		if reversed {
			at = len(out) - 1 - i
		}
		if r := &v.recs[i]; r.flags&odd != 0 {
			out[at] = v.odd[i]
		} else {
			out[at] = v.names.unpack(r, v.first+i+1, b)
		}
	}
	return out
}

// newBatch prepares the storage for building the entries of recs.
func newBatch(recs []record) *batch {
	var text []byte
	var floats, usages, limits int
	for i := range recs {
		r := &recs[i]
		if r.flags&odd != 0 {
			continue
		}
		if r.flags&idRaw == 0 {
			text = appendID(text, r)
		}
		if r.flags&fpRaw == 0 {
			text = appendFP(text, r)
		}
		floats += bits.OnesCount16(r.flags & (hasWait | hasSince | hasRetryAfter))
		usages += int(r.flags&hasUsage) / int(hasUsage)
		limits += bits.OnesCount16(r.flags & 0xf)
	}
	return &batch{text: string(text), floats: make([]float64, 0, floats),
		usages: make([]Usage, 0, usages), limits: make([]RateLimit, 0, limits)}
}

// take is the next n bytes of the batch's text.
func (b *batch) take(n int) string {
	s := b.text[:n]
	b.text = b.text[n:]
	return s
}

// float is a pointer to v in the batch when flag is set, else nil.
func (b *batch) float(v float64, flag uint16) *float64 {
	if flag == 0 {
		return nil
	}
	b.floats = append(b.floats, v) // within the capacity counted: never moves
	return &b.floats[len(b.floats)-1]
}

// unpack gives the entry r records back, numbered seq, taking its storage
// from b in place order.
func (n *names) unpack(r *record, seq int, b *batch) Entry {
	q, w := n.reqs.vals[r.req], n.whats.vals[r.what]
	s := n.strs.vals
	e := Entry{
		Seq: seq, Time: unpackTime(r.time), Method: s[q.method], Path: s[q.path],
		Endpoint: s[q.endpoint], Key: s[q.key], Organization: s[q.org], Workspace: s[q.workspace],
		Model: s[w.model], Family: s[w.family], Stream: w.stream, RetryCount: int(r.retryCount),
		InFlight: int(r.flight),
	}
	e.RequestID, e.Fingerprint = n.requestID(r, b), n.fingerprint(r, b)
	e.WaitSince429, e.SincePrevious = b.float(r.wait, r.flags&hasWait), b.float(r.since, r.flags&hasSince)
	n.unpackCore(&e, r)
	h, o := n.hows.vals[r.how], &e.Outcome
	o.ErrorCode, o.ShouldRetry, o.Dimension = s[h.errCode], s[h.shouldRetry], s[h.dimension]
	o.Fault, o.Action, o.Reply, o.Spend = s[h.fault], s[h.action], s[h.reply], h.spend
	o.RetryAfter, o.ContentDeltas = b.float(r.retryAfter, r.flags&hasRetryAfter), int(r.deltas)
	o.Usage, o.RateLimits = b.usage(r), b.rateLimits(r)
	return e
}

// requestID gives the request id back.
func (n *names) requestID(r *record, b *batch) string {
	if r.flags&idRaw != 0 {
		return n.rawID(r)
	}
	return b.take(idLen)
}

// fingerprint gives the fingerprint back.
func (n *names) fingerprint(r *record, b *batch) string {
	if r.flags&fpRaw != 0 {
		return n.strs.vals[r.fp]
	}
	return b.take(16)
}

// unpackCore sets what deciding on a retry needs of an earlier attempt,
// without allocating: its logical request, attempt and answer.
func (n *names) unpackCore(e *Entry, r *record) {
	h := n.hows.vals[r.how]
	e.Logical, e.Attempt = int(r.logical), int(r.attempt)
	e.End, e.Status, e.ErrorType, e.Delivery = unpackTime(r.end), h.status, n.strs.vals[h.errType], n.strs.vals[h.delivery]
}

// usage gives the usage back, nil when there was none.
func (b *batch) usage(r *record) *Usage {
	if r.flags&hasUsage == 0 {
		return nil
	}
	u := r.usage
	b.usages = append(b.usages, Usage{InputTokens: int(u[0]), OutputTokens: int(u[1]),
		CacheCreationInputTokens: int(u[2]), CacheReadInputTokens: int(u[3]), CacheCreation1h: int(u[4])})
	return &b.usages[len(b.usages)-1]
}

// rateLimits gives the rate limits back, nil when there were none: a
// window on the batch's, capped so that appending to it copies.
func (b *batch) rateLimits(r *record) []RateLimit {
	mask := r.flags & 0xf
	if mask == 0 {
		return nil
	}
	from := len(b.limits)
	for i, name := range buckets {
		if mask&(1<<i) != 0 {
			b.limits = append(b.limits, RateLimit{Bucket: name, Remaining: r.remaining[i], Reset: unpackTime(r.reset[i])})
		}
	}
	return b.limits[from:len(b.limits):len(b.limits)]
}
