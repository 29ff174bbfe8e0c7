package batch

import "time"

// Counts is request_counts: every request is processing until the batch
// ends, then each is counted under its result.
type Counts struct {
	Processing int `json:"processing"`
	Succeeded  int `json:"succeeded"`
	Errored    int `json:"errored"`
	Canceled   int `json:"canceled"`
	Expired    int `json:"expired"`
}

// Object is the message_batch object, in the real key order.
type Object struct {
	ID                string     `json:"id"`
	Type              string     `json:"type"`
	ProcessingStatus  string     `json:"processing_status"`
	RequestCounts     Counts     `json:"request_counts"`
	EndedAt           *time.Time `json:"ended_at"`
	CreatedAt         time.Time  `json:"created_at"`
	ExpiresAt         time.Time  `json:"expires_at"`
	ArchivedAt        *time.Time `json:"archived_at"`
	CancelInitiatedAt *time.Time `json:"cancel_initiated_at"`
	ResultsURL        *string    `json:"results_url"`
}

// Deleted is the answer to a delete.
type Deleted struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Object is the batch as the API shows it at now; resultsURL is where its
// results will be, shown once it has ended.
func (b *Batch) Object(now time.Time, resultsURL string) Object {
	o := Object{
		ID: b.ID, Type: "message_batch", ProcessingStatus: "in_progress",
		CreatedAt: utc(b.Created), ExpiresAt: utc(b.Expires()),
	}
	if !b.canceled.IsZero() {
		o.ProcessingStatus, o.CancelInitiatedAt = "canceling", ptr(utc(b.canceled))
	}
	if !b.HasEnded(now) {
		o.RequestCounts.Processing = len(b.Items)
		return o
	}
	o.ProcessingStatus, o.EndedAt, o.ResultsURL = "ended", ptr(utc(b.Ended())), &resultsURL
	if archived := b.Created.Add(Retention); !now.Before(archived) {
		o.ArchivedAt = ptr(utc(archived))
	}
	for i := range b.Items {
		o.RequestCounts.add(b.Result(i))
	}
	return o
}

// add counts one ended request under its result.
func (c *Counts) add(r Outcome) {
	switch r {
	case Succeeded:
		c.Succeeded++
	case Errored:
		c.Errored++
	case Canceled:
		c.Canceled++
	default:
		c.Expired++
	}
}

// utc writes a time as the API does, in UTC ("Z").
func utc(t time.Time) time.Time { return t.UTC() }

// ptr points at a copy of v, for the nullable fields.
func ptr[T any](v T) *T { return &v }
