package journal_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/journal"
)

// kept begins, identifies and finishes e with o in j and returns the entry
// Begin handed out, which holds everything the journal recorded.
func kept(j *journal.Journal, e journal.Entry, o journal.Outcome) *journal.Entry {
	h := j.Begin(e)
	j.Identify(h, e.Model, e.Family, e.Stream)
	j.Finish(h, o)
	return h
}

// expectExact checks that the journal gives every entry back exactly as it
// was recorded: the same values and the same JSON.
func expectExact(got []journal.Entry, want []*journal.Entry) {
	ExpectWithOffset(1, got).To(HaveLen(len(want)))
	for i, w := range want {
		ExpectWithOffset(1, got[i]).To(Equal(*w), "entry %d", i)
		g, _ := json.Marshal(got[i])
		x, _ := json.Marshal(w)
		ExpectWithOffset(1, string(g)).To(Equal(string(x)), "entry %d", i)
	}
}

var _ = Describe("the compact journal", func() {
	It("holds a full journal of realistic entries in at most 200 bytes each", func() {
		perEntry := heapPerEntry(journal.DefaultLimit)
		Expect(perEntry).To(BeNumerically("<=", 200),
			"a full journal (%d entries) takes %.1f bytes per entry on the heap; the budget is 200 (100,000 entries < 30 MB)",
			journal.DefaultLimit, perEntry)
	})

	It("gives realistic entries back exactly, retries, waits and rate limits included", func() {
		j := journal.New()
		rng := rand.New(rand.NewPCG(5, 6))
		var want []*journal.Entry
		for i := range 200 {
			e, o := realistic(rng, i)
			if i%7 == 3 {
				e.Fingerprint = journal.Fingerprint("sk-ant-api03-1000", "/v1/messages", []byte("again"))
				o.Fault, o.Action, o.Reply, o.ErrorCode = "burst", "reply", "overloaded", "code-"+strconv.Itoa(i%3)
				o.Usage = &journal.Usage{InputTokens: i, OutputTokens: 2, CacheCreationInputTokens: 30, CacheReadInputTokens: 4, CacheCreation1h: 10}
			}
			want = append(want, kept(j, e, o))
		}
		Expect(want[10].Attempt).To(Equal(2)) // the repeated content became a retry…
		Expect(want[10].SincePrevious).NotTo(BeNil())
		Expect(want[23].WaitSince429).NotTo(BeNil()) // …and org-d's 429 (request 19) is waited on
		expectExact(j.Entries(), want)
	})

	It("gives entries that do not fit a record back exactly too", func() {
		j := journal.New()
		paris := time.FixedZone("CET", 3600)
		var want []*journal.Entry
		for i, change := range []func(*journal.Entry, *journal.Outcome){
			func(e *journal.Entry, _ *journal.Outcome) { e.Time = e.Time.In(paris) },
			func(e *journal.Entry, _ *journal.Outcome) { e.Time = time.Now() }, // a monotonic reading
			func(e *journal.Entry, _ *journal.Outcome) { e.RetryCount = math.MaxInt32 },
			func(_ *journal.Entry, o *journal.Outcome) { t := o.End; o.StalledAt = &t; o.Delivery = journal.Stalled },
			func(_ *journal.Entry, o *journal.Outcome) { o.RateLimits = o.RateLimits[1:2:2] },
			func(_ *journal.Entry, o *journal.Outcome) {
				o.RateLimits[0], o.RateLimits[1] = o.RateLimits[1], o.RateLimits[0]
			},
			func(_ *journal.Entry, o *journal.Outcome) { o.RateLimits = []journal.RateLimit{} },
			func(_ *journal.Entry, o *journal.Outcome) { o.RateLimits[2].Remaining = -1 },
			func(_ *journal.Entry, o *journal.Outcome) { o.RateLimits[3].Remaining = math.MaxUint32 + 1 },
			func(_ *journal.Entry, o *journal.Outcome) { o.RateLimits[3].Reset = time.Time{}.Add(time.Hour) },
			func(_ *journal.Entry, o *journal.Outcome) { o.Usage = &journal.Usage{OutputTokens: -1} },
			func(_ *journal.Entry, o *journal.Outcome) { o.ContentDeltas = math.MaxUint32 + 1 },
			func(_ *journal.Entry, o *journal.Outcome) { o.End = time.Time{} },
			func(e *journal.Entry, _ *journal.Outcome) { e.RequestID, e.Fingerprint = "req_011C0OIl", "not hex" },
			func(e *journal.Entry, _ *journal.Outcome) { e.RequestID, e.Fingerprint = "", "ABCDEF0123456789" },
			func(e *journal.Entry, _ *journal.Outcome) { e.Time = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) },
		} {
			e, o := realistic(rand.New(rand.NewPCG(7, uint64(i))), i)
			change(&e, &o)
			want = append(want, kept(j, e, o))
		}
		expectExact(j.Entries(), want)
		Expect(j.Page(3, 2, true).Entries).To(Equal([]journal.Entry{*want[1], *want[0]}))
	})

	It("keeps entries exact and retries tied while it lets go of the strings only let-go entries named", func() {
		j := journal.NewLimited(1000)
		var want []*journal.Entry
		for i := range 20_000 {
			e, o := realistic(rand.New(rand.NewPCG(8, uint64(i))), i)
			e.Path, e.RequestID = "/v1/files/file_"+strconv.Itoa(i), "id-"+strconv.Itoa(i)
			e.Fingerprint = "raw-" + strconv.Itoa(i/2) // every second request repeats the one before
			want = append(want, kept(j, e, o))
		}
		Expect(j.Len()).To(Equal(1000))
		Expect(want[19_999].Attempt).To(Equal(want[19_998].Attempt + 1))
		expectExact(j.Entries(), want[19_000:])
	})
})

var _ = Describe("entries kept whole", func() {
	It("are retried, identified late and let go like the others", func() {
		j := journal.NewLimited(10)
		whole := request(0, "a", 0)
		whole.Time = whole.Time.In(time.FixedZone("CET", 3600))
		first := j.Begin(whole)
		j.Identify(first, "claude-haiku-4-5", "haiku-4", true)
		j.Finish(first, answer(100*ms, 529))
		retry := j.Begin(request(300*ms, "a", 1))
		Expect([]int{retry.Logical, retry.Attempt}).To(Equal([]int{1, 2}))
		Expect(j.Entries()[0]).To(Equal(*first))
		for i := range 10 {
			j.Begin(request(time.Second, "x"+strconv.Itoa(i), 0))
		}
		Expect([]int{j.Len(), j.Entries()[0].Seq}).To(Equal([]int{10, 3}))
		Expect(j.Begin(request(2*time.Second, "a", 1)).Attempt).To(Equal(1))
	})

	It("leave an entry that straddles a Reset out of the new run", func() {
		j := journal.New()
		old := j.Begin(request(0, "a", 0))
		j.Reset()
		j.Finish(j.Begin(request(10*ms, "b", 0)), answer(100*ms, 429))
		j.Identify(old, "claude-sonnet-4-5-20250929", "sonnet-4", false)
		j.Finish(old, answer(300*ms, 200))
		Expect([]any{old.Model, *old.WaitSince429, old.Status}).To(Equal([]any{"claude-sonnet-4-5-20250929", -0.1, 200}))
		Expect(j.Entries()).To(HaveLen(1))
		Expect(j.Entries()[0].Status).To(Equal(429))
	})
})
