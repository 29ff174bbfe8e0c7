package journal_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/journal"
)

func TestJournal(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Journal Suite")
}

// t0 is the virtual instant every spec starts at.
var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// at is t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// request is a request of org-a for sonnet-4 with the given content and
// X-Stainless-Retry-Count (-1: absent), arriving at offset d.
func request(d time.Duration, body string, retry int) journal.Entry {
	return journal.Entry{Time: at(d), Endpoint: "messages", Organization: "org-a", Family: "sonnet-4",
		RetryCount: retry, Fingerprint: journal.Fingerprint("sk-a", "messages", []byte(body))}
}

// answer is an outcome ending at offset d with status (200 complete,
// anything else an error answer).
func answer(d time.Duration, status int) journal.Outcome {
	return journal.Outcome{End: at(d), Status: status, Delivery: journal.Complete}
}

// ptr is a pointer to v, for comparing the journal's optional seconds.
func ptr(v float64) *float64 { return &v }
