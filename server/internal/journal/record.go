package journal

import (
	"sort"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// Begin records a request as it arrives and returns its entry, to be passed
// to Finish. It numbers the entry, counts it in flight and places it in a
// logical request: an X-Stainless-Retry-Count above 0 makes it a retry of
// the latest logical request with the same fingerprint; 0 makes it a new
// one unless that latest attempt was answered with a status the SDKs retry
// or broke with a retryable error event (a client retrying above its SDK);
// without the header it is a retry when that latest attempt was answered
// and failed.
func (j *Journal) Begin(e Entry) *Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.inFlight++
	j.seq++
	e.Seq, e.InFlight, e.Delivery = j.seq, j.inFlight, NotAnswered
	j.since429(&e)
	prev := j.logical[e.Fingerprint]
	if prev != nil && j.isRetry(prev, e.RetryCount) {
		e.Logical, e.Attempt = prev.Logical, prev.Attempt+1
		if !prev.End.IsZero() {
			e.SincePrevious = seconds(e.Time.Sub(prev.End))
		}
	} else {
		j.logicals++
		e.Logical, e.Attempt = j.logicals, 1
	}
	entry := &e
	j.entries = append(j.entries, entry)
	j.logical[e.Fingerprint] = entry
	j.open[entry] = true
	j.count(1)
	if j.limit > 0 && len(j.entries) > j.limit {
		j.trim()
	}
	return entry
}

// Trim lets go of the oldest tenth of the entries (at least one while any
// are left) and returns how many went, for an owner bounding several
// journals together (NewCounted).
func (j *Journal) Trim() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.entries) == 0 {
		return 0
	}
	return j.trim()
}

// trim lets go of the oldest tenth of the entries (at least one) and
// returns how many; j.mu must be held and an entry must be left. A later
// retry of a dropped request starts a new logical request.
func (j *Journal) trim() int {
	n := max(len(j.entries)/10, 1)
	for _, e := range j.entries[:n] {
		if j.logical[e.Fingerprint] == e {
			delete(j.logical, e.Fingerprint)
		}
	}
	j.entries = append([]*Entry(nil), j.entries[n:]...)
	j.dropped += n
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
	j.since429(e)
}

// since429 sets the wait since the latest 429 to the entry's organization
// and family, when there was one; j.mu must be held.
func (j *Journal) since429(e *Entry) {
	if t, ok := j.last429[e.Organization+"/"+e.Family]; ok && e.Family != "" {
		e.WaitSince429 = seconds(e.Time.Sub(t))
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
// entry begun since the last Reset counts it out of flight and notes its
// 429: a request that straddles a scenario load must not drive the new
// run's in-flight count below zero nor lend it a 429 it never saw.
func (j *Journal) Finish(e *Entry, o Outcome) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e.Outcome = o
	if !j.open[e] {
		return
	}
	delete(j.open, e)
	j.inFlight--
	if o.Status == 429 && !o.Spend {
		j.last429[e.Organization+"/"+e.Family] = o.End
	}
}

// Entries returns a copy of every entry, in arrival order.
func (j *Journal) Entries() []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Entry, len(j.entries))
	for i, e := range j.entries {
		out[i] = *e
	}
	return out
}

// Len is the number of entries.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.entries)
}

func seconds(d time.Duration) *float64 {
	s := d.Seconds()
	return &s
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
	defer j.mu.Unlock()
	if newest {
		return j.newestPage(after, limit)
	}
	start := sort.Search(len(j.entries), func(i int) bool { return j.entries[i].Seq > after })
	end := len(j.entries)
	if limit > 0 && start+limit < end {
		end = start + limit
	}
	return Page{Entries: copyEntries(j.entries[start:end], false), More: end < len(j.entries)}
}

// newestPage is Page newest first; j.mu must be held.
func (j *Journal) newestPage(after, limit int) Page {
	end := len(j.entries)
	if after > 0 {
		end = sort.Search(len(j.entries), func(i int) bool { return j.entries[i].Seq >= after })
	}
	start := 0
	if limit > 0 && end-limit > 0 {
		start = end - limit
	}
	return Page{Entries: copyEntries(j.entries[start:end], true), More: start > 0}
}

// copyEntries copies entries, reversed when asked.
func copyEntries(entries []*Entry, reversed bool) []Entry {
	out := make([]Entry, len(entries))
	for i, e := range entries {
		if reversed {
			i = len(entries) - 1 - i
		}
		out[i] = *e
	}
	return out
}
