// Package journal records every API request a server answers: when it came
// and went (virtual time), who sent it, what it asked for, what it got and
// which fault fired. It also groups requests into logical requests (a first
// attempt and its retries), which is what client-behaviour expectations are
// judged on. The journal is append-only and safe for concurrent use.
package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"
)

// Deliveries say how a response reached the client.
const (
	Complete    = "complete"     // the whole response (for a stream, through message_stop)
	ErrorEvent  = "error_event"  // a stream that ended with event: error
	Malformed   = "malformed"    // a stream that carried a broken event and ended
	Cut         = "disconnected" // the server closed the connection mid-response
	Stalled     = "stalled"      // the server stopped sending and held the connection
	ClientGone  = "abandoned"    // the client closed the connection first
	NotAnswered = ""             // still in flight
)

// Entry is one request. The request half is set when it arrives
// (Begin), the Outcome when it is answered (Finish).
type Entry struct {
	Seq       int       `json:"seq"`
	RequestID string    `json:"request_id"`
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	// Endpoint is "messages" or "count_tokens".
	Endpoint     string `json:"endpoint"`
	Key          string `json:"key"` // redacted: the last four characters only
	Organization string `json:"organization"`
	Workspace    string `json:"workspace"`
	Model        string `json:"model"`
	Family       string `json:"family"`
	Stream       bool   `json:"stream"`
	// RetryCount is the X-Stainless-Retry-Count header, -1 when absent.
	RetryCount int `json:"retry_count"`
	// Fingerprint identifies the request's content (key, endpoint, body):
	// retries resend the same body.
	Fingerprint string `json:"fingerprint"`
	// Logical numbers the logical request this is an attempt of (from 1),
	// Attempt the attempt (1 is the first try).
	Logical int `json:"logical"`
	Attempt int `json:"attempt"`
	// WaitSince429 is the virtual seconds since the latest 429 answered to
	// the same organization and family; nil when there was none.
	WaitSince429 *float64 `json:"wait_since_429"`
	// SincePrevious is the virtual seconds since the previous attempt of
	// the same logical request was answered; nil for a first attempt.
	SincePrevious *float64 `json:"since_previous_attempt"`
	// InFlight counts the requests being answered when this one arrived,
	// itself included.
	InFlight int `json:"in_flight"`
	Outcome
}

// Outcome is how a request was answered.
type Outcome struct {
	End         time.Time `json:"end"`
	Status      int       `json:"status"`
	ErrorType   string    `json:"error_type,omitempty"`
	ErrorCode   string    `json:"error_code,omitempty"`
	ShouldRetry string    `json:"should_retry,omitempty"` // the x-should-retry header
	// RetryAfter is the wait the answer asked for, in virtual seconds.
	RetryAfter *float64 `json:"retry_after,omitempty"`
	// Dimension is the limit a 429 names ("requests", "input_tokens", …).
	Dimension string `json:"dimension,omitempty"`
	// Fault and Action name the fault that fired, if any.
	Fault  string `json:"fault,omitempty"`
	Action string `json:"action,omitempty"`
	Reply  string `json:"reply,omitempty"`
	Usage  *Usage `json:"usage,omitempty"`
	// RateLimits are the anthropic-ratelimit-* buckets the answer
	// reported, so that a rule can tell whether the client went on
	// sending while the headers said a bucket was empty.
	RateLimits []RateLimit `json:"rate_limits,omitempty"`
	// Delivery is one of the delivery constants.
	Delivery string `json:"delivery"`
	// ContentDeltas counts the content_block_delta events a stream
	// delivered before it ended: output the caller may already have shown
	// when a stream breaks.
	ContentDeltas int `json:"content_deltas,omitempty"`
	// StalledAt is when a stall began (virtual), for read-timeout rules.
	StalledAt *time.Time `json:"stalled_at,omitempty"`
	// Spend marks a spend refusal: spend cap, spend limit or no credit.
	Spend bool `json:"spend,omitempty"`
}

// RateLimit is one anthropic-ratelimit-* bucket as an answer reported it.
type RateLimit struct {
	// Bucket is "requests", "tokens", "input_tokens" or "output_tokens".
	Bucket    string `json:"bucket"`
	Remaining int64  `json:"remaining"`
	// Reset is the -reset header in virtual time: when the bucket is full
	// again.
	Reset time.Time `json:"reset"`
}

// Usage is the token usage a successful answer reported.
type Usage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	// CacheCreation1h is the part of CacheCreationInputTokens written to
	// the 1-hour cache, billed at its own rate: the Admin API's cost report
	// needs it, the journal's readers do not.
	CacheCreation1h int `json:"-"`
}

// Failed reports whether the answer was not a complete success, so that a
// request with the same content that follows it is a retry.
func (e *Entry) Failed() bool {
	return e.Status != 200 || e.Delivery != Complete
}

// Truncated reports whether a 200 response did not reach its end.
func (e *Entry) Truncated() bool {
	return e.Status == 200 && e.Delivery != Complete && e.Delivery != NotAnswered
}

// Journal is the list of entries of a run. It keeps them as records
// (record) in pointer-free chunks, with their strings interned, so that a
// full journal costs the collector nothing to scan; its readers get Entry
// values built from them.
type Journal struct {
	mu      sync.Mutex
	records store
	names   *names
	odd     map[int]*Entry // place -> an entry that does not fit a record, kept whole
	index   index          // fingerprint -> latest attempt of its latest logical request
	last429 map[pool]time.Time
	open    map[*Entry]*slot // begun in this run and not yet finished
	slab    []slot           // handles still to hand out
	// grown is names.size() when the names were last compacted.
	grown    int
	inFlight int
	logicals int
	seq      int // requests begun since the last Reset
	limit    int // most entries kept; 0 is no limit
	dropped  int // oldest entries let go to stay within limit
	// total, when set, counts the entries of several journals together
	// (NewCounted), so that their owner can bound them as one.
	total *atomic.Int64
}

// pool is an organization and model family, whose latest 429 the journal
// remembers.
type pool struct{ org, family string }

// DefaultLimit is how many entries New keeps: at under 200 bytes each, a
// server under sustained load holds on to at most ~20 MB of journal.
const DefaultLimit = 100_000

// New starts an empty journal keeping the latest DefaultLimit entries.
func New() *Journal { return NewLimited(DefaultLimit) }

// NewLimited starts an empty journal keeping the latest limit entries (0:
// all of them); older ones are let go a tenth at a time.
func NewLimited(limit int) *Journal {
	j := &Journal{limit: limit}
	j.Reset()
	return j
}

// NewCounted starts an empty journal with no limit of its own whose
// entries are also counted in total. Journals sharing one total are
// bounded together by their owner, which lets go of entries with Trim: a
// server keeps one journal per test and one bound on them all.
func NewCounted(total *atomic.Int64) *Journal {
	j := &Journal{total: total}
	j.Reset()
	return j
}

// count adds n to the shared total, when there is one.
func (j *Journal) count(n int) {
	if j.total != nil {
		j.total.Add(int64(n))
	}
}

// Reset empties the journal, as loading a scenario does.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.count(-(j.seq - j.dropped))
	j.records.reset()
	j.names, j.odd, j.index, j.grown = newNames(), map[int]*Entry{}, index{}, 0
	j.last429, j.open = map[pool]time.Time{}, map[*Entry]*slot{}
	j.inFlight, j.logicals, j.seq, j.dropped = 0, 0, 0, 0
}

// Fingerprint hashes what identifies a request's content.
func Fingerprint(key, endpoint string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(key))
	h.Write([]byte{0})
	h.Write([]byte(endpoint))
	h.Write([]byte{0})
	h.Write(body)
	var sum [sha256.Size]byte
	var out [16]byte
	hex.Encode(out[:], h.Sum(sum[:0])[:8])
	return string(out[:])
}

// Redact keeps the last four characters of an API key, enough to tell
// keys apart in a report without writing secrets into it.
func Redact(key string) string {
	if len(key) <= 4 {
		return "…"
	}
	return "…" + key[len(key)-4:]
}
