package journal

import (
	"github.com/claudemock/claudemock/server/internal/apierror"
)

// Begin records a request as it arrives and returns its entry, to be passed
// to Finish. It numbers the entry, counts it in flight and places it in a
// logical request: an X-Stainless-Retry-Count above 0 makes it a retry of
// the latest logical request with the same fingerprint; 0 makes it a new
// one unless that latest attempt was answered with a status the SDKs retry
// or broke with a retryable error event (a client retrying above its SDK);
// without the header it is a retry when that latest attempt was answered
// and failed. The entry returned is the caller's view of what was
// recorded, kept up to date by Identify and Finish; the journal itself
// keeps a compact record of it, which its readers build entries from.
func (j *Journal) Begin(e Entry) *Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.inFlight++
	j.seq++
	s := j.handle(e)
	h, a := &s.entry, j.seq-1
	h.Seq, h.InFlight, h.Delivery = j.seq, j.inFlight, NotAnswered
	j.since429(s)
	var r record
	j.names.packFP(&r, h.Fingerprint)
	j.place(s, r.key())
	j.save(&r, h, a)
	j.note(a)
	j.open[h] = s
	j.count(1)
	if j.limit > 0 && j.seq-j.dropped > j.limit {
		j.trim()
	}
	return h
}

// slotLen is how many handles a journal allocates at a time.
const slotLen = 32

// slot is the entry Begin hands out, with room for its optional waits, so
// that a request costs no allocation of its own; place is its record's.
type slot struct {
	entry       Entry
	wait, since float64
	place       int
}

// handle is a new slot holding e; j.mu must be held.
func (j *Journal) handle(e Entry) *slot {
	if len(j.slab) == 0 {
		j.slab = make([]slot, slotLen)
	}
	s := &j.slab[0]
	j.slab = j.slab[1:]
	s.entry, s.place = e, j.seq-1
	return s
}

// place puts a new request in a logical request: the retry of the latest
// one with fingerprint k, or a new one; j.mu must be held.
func (j *Journal) place(s *slot, k fpKey) {
	h := &s.entry
	if a, ok := j.latest(k); ok {
		prev := j.core(a)
		if j.isRetry(&prev, h.RetryCount) {
			h.Logical, h.Attempt = prev.Logical, prev.Attempt+1
			if !prev.End.IsZero() {
				s.since = h.Time.Sub(prev.End).Seconds()
				h.SincePrevious = &s.since
			}
			return
		}
	}
	j.logicals++
	h.Logical, h.Attempt = j.logicals, 1
}

// core is what deciding on a retry needs of the entry at place a.
func (j *Journal) core(a int) Entry {
	r := j.records.at(a)
	if r.flags&odd != 0 {
		return *j.odd[a]
	}
	var e Entry
	j.names.unpackCore(&e, r)
	return e
}

// save stores the new entry h at place a, r already holding its
// fingerprint: as a record, or whole when it does not fit one.
func (j *Journal) save(r *record, h *Entry, a int) {
	if !j.names.packRequest(r, h) || !j.names.packOutcome(r, &h.Outcome) {
		r.flags |= odd
		j.odd[a] = copyOf(h)
	}
	j.records.push(r)
}

// copyOf is a copy of e on the heap.
func copyOf(e *Entry) *Entry {
	c := *e
	return &c
}

// Trim lets go of the oldest tenth of the entries (at least one while any
// are left) and returns how many went, for an owner bounding several
// journals together (NewCounted).
func (j *Journal) Trim() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.seq == j.dropped {
		return 0
	}
	return j.trim()
}

// trim lets go of the oldest tenth of the entries (at least one) and
// returns how many; j.mu must be held and an entry must be left. A later
// retry of a dropped request starts a new logical request.
func (j *Journal) trim() int {
	n := max((j.seq-j.dropped)/10, 1)
	j.dropped += n
	for a := range j.odd {
		if a < j.dropped {
			delete(j.odd, a)
		}
	}
	j.records.dropBefore(j.dropped)
	if j.compact() || j.seq-j.index.base > maxRelative {
		j.reindex(j.seq - j.dropped)
	}
	j.count(-n)
	return n
}

// Dropped is how many of the oldest entries were let go to stay within the
// journal's limit since the last Reset.
func (j *Journal) Dropped() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.dropped
}

// Identify sets what a request asked for (model, family, stream) once it
// is known, which for the server is after the body was parsed rather than
// on arrival; the wait since the family's latest 429 is measured then.
func (j *Journal) Identify(e *Entry, model, family string, stream bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e.Model, e.Family, e.Stream = model, family, stream
	s, ok := j.open[e]
	if !ok {
		if t, ok := j.last429[pool{e.Organization, e.Family}]; ok && e.Family != "" {
			wait := e.Time.Sub(t).Seconds()
			e.WaitSince429 = &wait
		}
		return
	}
	j.since429(s)
	if r := j.kept(s); r != nil {
		j.names.packWhat(r, e)
	}
}

// kept is the record of the open entry s, nil when it was let go or is
// kept whole, in which case the whole entry is stored again; j.mu must be
// held.
func (j *Journal) kept(s *slot) *record {
	if s.place < j.dropped {
		return nil
	}
	r := j.records.at(s.place)
	if r.flags&odd != 0 {
		j.odd[s.place] = copyOf(&s.entry)
		return nil
	}
	return r
}

// since429 sets the wait since the latest 429 to the entry's organization
// and family, when there was one; j.mu must be held.
func (j *Journal) since429(s *slot) {
	e := &s.entry
	if t, ok := j.last429[pool{e.Organization, e.Family}]; ok && e.Family != "" {
		s.wait = e.Time.Sub(t).Seconds()
		e.WaitSince429 = &s.wait
	}
}

// isRetry decides whether a request follows prev as its retry.
func (j *Journal) isRetry(prev *Entry, retryCount int) bool {
	switch {
	case retryCount > 0:
		return true
	case retryCount == 0:
		return prev.Delivery != NotAnswered && retryableAnswer(prev)
	}
	return prev.Delivery != NotAnswered && prev.Failed()
}

// retryableAnswer reports whether the SDKs retry an answer of this status
// (408, 409, 429 and 5xx), or whether it is a stream that broke with an
// error event of a retryable type after its 200, which the SDKs leave to
// the application. A client that retries above the SDK (LangChain JS,
// Claude Code) sends each attempt as a fresh SDK call, retry count 0, so
// the same content right after such an answer is still a retry of it.
func retryableAnswer(e *Entry) bool {
	s := e.Status
	return s == 408 || s == 409 || s == 429 || s >= 500 || e.RetryableEvent()
}

// RetryableEvent reports whether a stream broke after its 200 with an
// error event the API would have answered with a retryable status:
// overloaded_error (529), api_error (500) or rate_limit_error (429).
func (e *Entry) RetryableEvent() bool {
	if e.Delivery != ErrorEvent {
		return false
	}
	switch apierror.Kind(e.ErrorType) {
	case apierror.Overloaded, apierror.APIFailure, apierror.RateLimit:
		return true
	}
	return false
}

// Finish records how a request was answered. Only the first Finish of an
// entry begun since the last Reset counts it out of flight, notes its 429
// and records the outcome in the journal: a request that straddles a
// scenario load must not drive the new run's in-flight count below zero
// nor lend it a 429 it never saw. A later Finish changes only e.
func (j *Journal) Finish(e *Entry, o Outcome) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e.Outcome = o
	s, ok := j.open[e]
	if !ok {
		return
	}
	delete(j.open, e)
	j.inFlight--
	if o.Status == 429 && !o.Spend {
		j.last429[pool{e.Organization, e.Family}] = o.End
	}
	if r := j.kept(s); r != nil && !j.names.packOutcome(r, &e.Outcome) {
		r.flags |= odd
		j.odd[s.place] = copyOf(e)
	}
}

// Entries returns a copy of every entry, in arrival order.
func (j *Journal) Entries() []Entry {
	j.mu.Lock()
	v := j.view(j.dropped, j.seq)
	j.mu.Unlock()
	return v.entries(false)
}

// Len is the number of entries.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seq - j.dropped
}

// Page is a window of the journal, as GET /_mock/requests serves it.
type Page struct {
	Entries []Entry
	// More is true when entries lie beyond the last one, in the page's order.
	More bool
}

// Page returns up to limit entries (0: no limit) beyond the cursor after:
// oldest first, those with Seq > after; newest first, those with Seq <
// after (after 0 starts from the newest). Only the page is copied, so
// reading a long run a page at a time never copies the whole journal.
func (j *Journal) Page(after, limit int, newest bool) Page {
	j.mu.Lock()
	start, end, more := j.window(after, limit, newest)
	v := j.view(start, end)
	j.mu.Unlock()
	return Page{Entries: v.entries(newest), More: more}
}

// window is the places [start, end) of Page's entries and whether more
// lie beyond them; j.mu must be held.
func (j *Journal) window(after, limit int, newest bool) (start, end int, more bool) {
	if newest {
		end = j.seq
		if after > 0 {
			end = j.dropped + min(max(after-1-j.dropped, 0), j.seq-j.dropped) // the first with Seq >= after
		}
		start = j.dropped
		if limit > 0 && end-limit > start {
			start = end - limit
		}
		return start, end, start > j.dropped
	}
	start = j.dropped + min(max(after-j.dropped, 0), j.seq-j.dropped) // the first with Seq > after
	end = j.seq
	if limit > 0 && start+limit < end {
		end = start + limit
	}
	return start, end, end < j.seq
}
