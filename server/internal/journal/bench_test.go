package journal_test

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/journal"
)

// fullJournal is how many entries the memory measurements record: the
// journal's default limit, the most a server keeps.
const fullJournal = journal.DefaultLimit

// realistic is the i-th request a busy server journals: a streamed or
// plain Messages request of one of a few organizations, with the strings
// the server builds per request (request id, path, redacted key,
// fingerprint) freshly allocated as the server allocates them, and one
// answer in twenty a 429 with its Retry-After.
func realistic(rng *rand.Rand, i int) (journal.Entry, journal.Outcome) {
	now := t0.Add(time.Duration(i) * 3 * time.Millisecond)
	org := orgs[i%len(orgs)]
	key := "sk-ant-api03-" + strconv.Itoa(1000+i%37)
	e := journal.Entry{
		RequestID: generate.ID(rng, "req_011C", 20), Time: now, Method: "POST",
		Path: strings.Clone("/v1/messages"), Endpoint: "messages", Key: journal.Redact(key),
		Organization: org, Workspace: "Default", Model: "claude-sonnet-4-5-20250929", Family: "sonnet-4",
		Stream: i%2 == 0, RetryCount: i % 3,
		Fingerprint: journal.Fingerprint(key, "/v1/messages", []byte("body "+strconv.Itoa(i))),
	}
	return e, outcome(now.Add(850*time.Millisecond), i)
}

// orgs are the organizations realistic requests come from.
var orgs = []string{"org-a", "org-b", "org-c", "org-d"}

// outcome is how realistic answers request i, at end: a 429 every
// twentieth, else a 200 with usage; four rate-limit buckets on each.
func outcome(end time.Time, i int) journal.Outcome {
	o := journal.Outcome{End: end, Status: 200, Delivery: journal.Complete, ContentDeltas: i % 50,
		RateLimits: []journal.RateLimit{
			{Bucket: "requests", Remaining: int64(49 - i%50), Reset: end.Add(1200 * time.Millisecond)},
			{Bucket: "tokens", Remaining: int64(90000 - i%1000), Reset: end.Add(300 * time.Millisecond)},
			{Bucket: "input_tokens", Remaining: int64(80000 - i%1000), Reset: end.Add(300 * time.Millisecond)},
			{Bucket: "output_tokens", Remaining: int64(16000 - i%100), Reset: end.Add(100 * time.Millisecond)},
		}}
	if i%20 == 19 {
		wait := 1.5
		o.Status, o.ErrorType, o.ShouldRetry, o.RetryAfter, o.Dimension = 429, "rate_limit_error", "true", &wait, "requests"
		return o
	}
	o.Usage = &journal.Usage{InputTokens: 1200 + i%500, OutputTokens: 300 + i%200, CacheReadInputTokens: i % 1024}
	return o
}

// fill records n realistic requests, each begun, identified and finished.
func fill(j *journal.Journal, n int) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		e, o := realistic(rng, i)
		entry := j.Begin(e)
		j.Identify(entry, e.Model, e.Family, e.Stream)
		j.Finish(entry, o)
	}
}

// heapPerEntry is the live heap a journal of n realistic entries holds,
// per entry, measured after a collection on either side.
func heapPerEntry(n int) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	j := journal.New()
	fill(j, n)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(j)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// BenchmarkJournalMemory records a full journal of realistic entries and
// reports the heap it holds per entry (B/entry).
func BenchmarkJournalMemory(b *testing.B) {
	b.ReportAllocs()
	var perEntry float64
	for b.Loop() {
		perEntry = heapPerEntry(fullJournal)
	}
	b.ReportMetric(perEntry, "B/entry")
}

// BenchmarkBeginFinish is the journal's cost on the hot path: one request
// begun, identified and finished in a journal that is full and letting
// its oldest entries go. The inputs are built beforehand, so the
// allocations are the journal's own.
func BenchmarkBeginFinish(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const distinct = 4096
	entries, outcomes := make([]journal.Entry, distinct), make([]journal.Outcome, distinct)
	for i := range distinct {
		entries[i], outcomes[i] = realistic(rng, i)
	}
	j := journal.New()
	fill(j, fullJournal)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		e, o := entries[i%distinct], outcomes[i%distinct]
		entry := j.Begin(e)
		j.Identify(entry, e.Model, e.Family, e.Stream)
		j.Finish(entry, o)
		i++
	}
}

// BenchmarkGCFullJournal is one full collection while a full journal is
// live: what every GC cycle of a busy server pays to scan the journal.
func BenchmarkGCFullJournal(b *testing.B) {
	j := journal.New()
	fill(j, fullJournal)
	runtime.GC()
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
	}
	runtime.KeepAlive(j)
}

// BenchmarkEntries reads a full journal back, as the report and the
// control API do: off the hot path, but not to be a few allocations an
// entry.
func BenchmarkEntries(b *testing.B) {
	j := journal.New()
	fill(j, fullJournal)
	b.ReportAllocs()
	for b.Loop() {
		if len(j.Entries()) != fullJournal {
			b.Fatal("short")
		}
	}
}
