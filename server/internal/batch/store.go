package batch

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// Store holds the batches of one test namespace, oldest first, so that
// parallel tests never see each other's batches. Its methods are safe for
// concurrent use; a *Batch it returns must be read only through the Store.
type Store struct {
	mu      sync.Mutex
	batches []*Batch
	byID    map[string]*Batch
	// pending are the batches not booked yet: Settle runs on every
	// Messages request's spend check, so it walks only these.
	pending []*Batch
}

// NewStore is an empty store.
func NewStore() *Store { return &Store{byID: map[string]*Batch{}} }

// Charge is the cost of one batch's succeeded requests, booked once, in
// the month the batch ended.
type Charge struct {
	Billed billing.Account
	Cost   billing.Money
	At     time.Time
}

// Create stores a new batch of items for owner, billed to billed and
// created by key (redacted, for the reports), at now,
// its id drawn from rng (so the same seed and requests give the same id).
func (s *Store) Create(owner Owner, billed billing.Account, key string, items []Item, rng *rand.Rand, now time.Time) *Batch {
	b := newBatch(generate.ID(rng, "msgbatch_01", 22), owner, now, items)
	b.billed, b.Key = billed, key
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, b)
	s.pending = append(s.pending, b)
	s.byID[b.ID] = b
	return b
}

// Get finds a batch the workspace of owner can see.
func (s *Store) Get(owner Owner, id string) (*Batch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.find(owner, id)
}

// find is Get under the lock.
func (s *Store) find(owner Owner, id string) (*Batch, error) {
	if b, ok := s.byID[id]; ok && b.Owner == owner {
		return b, nil
	}
	return nil, &apierror.Error{Kind: apierror.NotFound, Message: fmt.Sprintf("Message batch %s not found.", id)}
}

// Cancel initiates cancellation at now: a processing batch moves to
// canceling, then ends once the request in flight is done; the requests not
// yet processed are canceled. Canceling a batch that is canceling or has
// ended changes nothing.
func (s *Store) Cancel(owner Owner, id string, now time.Time) (*Batch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.find(owner, id)
	if err == nil && b.canceled.IsZero() && !b.HasEnded(now) {
		b.canceled = now
	}
	return b, err
}

// Delete removes a batch that has ended; one still processing is refused,
// as the real API refuses it (cancel it first).
func (s *Store) Delete(owner Owner, id string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.find(owner, id)
	if err != nil {
		return err
	}
	if !b.HasEnded(now) {
		return apierror.Invalid("Message batch %s cannot be deleted while it is still processing (processing_status %q). Cancel it first, then delete it once it has ended.", id, b.Object(now, "").ProcessingStatus)
	}
	delete(s.byID, id)
	s.batches = slices.DeleteFunc(s.batches, func(x *Batch) bool { return x == b })
	return nil
}

// Results is the results file of a batch that has ended; one still
// processing has none yet.
func (s *Store) Results(owner Owner, id string, now time.Time) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.find(owner, id)
	if err != nil {
		return nil, err
	}
	if !b.HasEnded(now) {
		return nil, apierror.Invalid("Message batch %s has not ended yet: results are available once its processing_status is \"ended\".", id)
	}
	return b.Results(), nil
}

// Queued is how many batch requests of org are in the processing queue at
// now: every request of its batches that have not ended.
func (s *Store) Queued(org string, now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, b := range s.batches {
		if b.Owner.Org == org && !b.HasEnded(now) {
			n += len(b.Items)
		}
	}
	return n
}

// NextEnd is the earliest time after now a batch of org ends, freeing its
// place in the queue; zero when none is processing.
func (s *Store) NextEnd(org string, now time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, b := range s.batches {
		if e := b.Ended(); b.Owner.Org == org && e.After(now) && (next.IsZero() || e.Before(next)) {
			next = e
		}
	}
	return next
}

// Settle returns the charges of the batches that have ended by now and
// were not charged yet, and marks them charged, so each batch is booked
// exactly once whoever observes its end first.
func (s *Store) Settle(now time.Time) []Charge {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Charge
	kept := s.pending[:0]
	for _, b := range s.pending {
		if b.charged || !b.HasEnded(now) {
			if !b.charged {
				kept = append(kept, b)
			}
			continue
		}
		b.charged = true
		if c := b.Cost(); c > 0 {
			out = append(out, Charge{Billed: b.billed, Cost: c, At: b.Ended()})
		}
	}
	clear(s.pending[len(kept):])
	s.pending = kept
	return out
}

// Objects is the list of the workspace of owner's batches, newest first,
// as they stand at now, each with its results URL from url.
func (s *Store) Objects(owner Owner, now time.Time, url func(id string) string) []Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Object
	for i := len(s.batches) - 1; i >= 0; i-- {
		if b := s.batches[i]; b.Owner == owner {
			out = append(out, b.Object(now, url(b.ID)))
		}
	}
	return out
}

// Object is the batch at now, read under the store's lock.
func (s *Store) Object(b *Batch, now time.Time, url string) Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	return b.Object(now, url)
}

// Served is one succeeded request of an ended batch as the Admin API's
// reports count it: at its batch's end, when the ledger books it.
type Served struct {
	At             time.Time
	Org, Workspace string
	Key            string
	Usage          wire.Usage
	Model          string
}

// Served lists the succeeded requests of org's batches that have ended by
// now, in creation order.
func (s *Store) Served(org string, now time.Time) []Served {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Served
	for _, b := range s.batches {
		if b.Owner.Org != org || !b.HasEnded(now) {
			continue
		}
		for i, it := range b.Items {
			if b.Result(i) == Succeeded {
				out = append(out, Served{At: b.Ended(), Org: org, Workspace: b.Owner.Workspace,
					Key: b.Key, Usage: it.Message.Usage, Model: it.Message.Model})
			}
		}
	}
	return out
}
