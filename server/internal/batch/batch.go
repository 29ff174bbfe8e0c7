package batch

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// Lifetime is how long a batch may process before its unfinished requests
// expire: 24 hours (expires_at).
const Lifetime = 24 * time.Hour

// Retention is how long results stay available: 29 days after creation,
// when the real API archives a batch (archived_at).
const Retention = 29 * 24 * time.Hour

// Outcome is what a request comes to if the batch reaches it.
type Outcome string

// The result types of the results file.
const (
	Succeeded Outcome = "succeeded"
	Errored   Outcome = "errored"
	Canceled  Outcome = "canceled"
	Expired   Outcome = "expired"
)

// Item is one request of a batch as decided at creation: what it comes to
// (a message, an error or an expiry the scenario chose), how long it takes
// to process, and what it costs once it succeeds.
type Item struct {
	CustomID string
	Outcome  Outcome // Succeeded, Errored or Expired
	Message  wire.Message
	// Error is an Errored item's error, RequestID the id its error
	// envelope carries.
	Error     *apierror.Error
	RequestID string
	// Takes is the item's processing time; Cost is its price at the batch
	// rate, charged when the batch ends with it succeeded.
	Takes time.Duration
	Cost  billing.Money
}

// Owner is who a batch belongs to: the organization whose queue it fills
// and the workspace that sees it.
type Owner struct {
	Org, Workspace string
}

// Batch is one Message Batch. done[i] is when items[i] finishes
// processing, measured from Created: the requests are processed one after
// another.
type Batch struct {
	ID      string
	Owner   Owner
	Created time.Time
	Items   []Item
	done    []time.Duration
	// canceled is when cancellation was initiated, zero when never.
	canceled time.Time
	// Key is the key that created it, redacted as the journal keeps keys,
	// for the Admin API's reports.
	Key string
	// billed is whom its succeeded requests are charged to; charged says
	// they were.
	billed  billing.Account
	charged bool
}

// newBatch lays items out one after another from created.
func newBatch(id string, owner Owner, created time.Time, items []Item) *Batch {
	b := &Batch{ID: id, Owner: owner, Created: created, Items: items, done: make([]time.Duration, len(items))}
	var at time.Duration
	for i, it := range items {
		at += it.Takes
		b.done[i] = at
	}
	return b
}

// Expires is expires_at: 24 hours after creation.
func (b *Batch) Expires() time.Time { return b.Created.Add(Lifetime) }

// Ended is when processing ends: when the last request finishes, at the
// latest at expiry; once cancellation is initiated, when the request in
// flight at that moment would have finished (canceling lasts that long).
func (b *Batch) Ended() time.Time {
	end := b.Created
	if n := len(b.done); n > 0 {
		end = b.Created.Add(b.done[n-1])
	}
	if exp := b.Expires(); end.After(exp) {
		end = exp
	}
	if b.canceled.IsZero() || !b.canceled.Before(end) {
		return end
	}
	for _, d := range b.done {
		if t := b.Created.Add(d); !t.Before(b.canceled) {
			return minTime(t, end)
		}
	}
	return end
}

// HasEnded reports whether processing has ended at now.
func (b *Batch) HasEnded(now time.Time) bool { return !now.Before(b.Ended()) }

// Result is what items[i] came to, once the batch has ended: its own
// outcome when it finished before cancellation and expiry, canceled when
// cancellation came first, expired when the 24 hours did.
func (b *Batch) Result(i int) Outcome {
	at := b.Created.Add(b.done[i])
	if !b.canceled.IsZero() && at.After(b.canceled) {
		return Canceled
	}
	if at.After(b.Expires()) {
		return Expired
	}
	return b.Items[i].Outcome
}

// Cost is what the batch's succeeded requests cost, once it has ended.
func (b *Batch) Cost() billing.Money {
	var total billing.Money
	for i := range b.Items {
		if b.Result(i) == Succeeded {
			total += b.Items[i].Cost
		}
	}
	return total
}

// minTime is the earlier of two times.
func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
