package journal_test

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/journal"
)

const ms = time.Millisecond

var _ = Describe("Begin and Finish", func() {
	var j *journal.Journal
	BeforeEach(func() { j = journal.New() })

	// shape is what the specs compare of an entry: its place in the run
	// and its logical request.
	type shape struct{ Seq, Logical, Attempt, InFlight int }
	shapeOf := func(e *journal.Entry) shape { return shape{e.Seq, e.Logical, e.Attempt, e.InFlight} }

	It("numbers entries, marks them unanswered and counts them in flight until answered", func() {
		a := j.Begin(request(0, "a", 0))
		b := j.Begin(request(10*ms, "b", 0))
		Expect(a.Delivery).To(Equal(journal.NotAnswered))
		j.Finish(a, answer(100*ms, 200))
		c := j.Begin(request(200*ms, "c", 0))
		Expect([]shape{shapeOf(a), shapeOf(b), shapeOf(c)}).To(Equal([]shape{
			{1, 1, 1, 1}, {2, 2, 1, 2}, {3, 3, 1, 2}}))
		Expect(j.Len()).To(Equal(3))
	})

	It("groups retries by X-Stainless-Retry-Count: above 0 continues, 0 starts anew", func() {
		j.Finish(j.Begin(request(0, "a", 0)), answer(100*ms, 529))
		second := j.Begin(request(600*ms, "a", 1))
		j.Finish(second, answer(700*ms, 200))
		late := j.Begin(request(800*ms, "a", 2)) // a retry the client decided on, even after a success
		j.Finish(late, answer(900*ms, 200))
		fresh := j.Begin(request(1*time.Second, "a", 0))
		Expect([]shape{shapeOf(second), shapeOf(late), shapeOf(fresh)}).To(Equal([]shape{
			{2, 1, 2, 1}, {3, 1, 3, 1}, {4, 2, 1, 1}}))
		Expect(second.SincePrevious).To(Equal(ptr(0.5)))
		Expect(fresh.SincePrevious).To(BeNil())
	})

	It("takes retry count 0 after an answer the SDKs retry for a retry (a client retrying above its SDK)", func() {
		j.Finish(j.Begin(request(0, "a", 0)), answer(100*ms, 429))
		again := j.Begin(request(1100*ms, "a", 0))
		j.Finish(again, answer(1200*ms, 400))
		afterBadRequest := j.Begin(request(1300*ms, "a", 0))
		Expect([]shape{shapeOf(again), shapeOf(afterBadRequest)}).To(Equal([]shape{{2, 1, 2, 1}, {3, 2, 1, 1}}))
		Expect(again.SincePrevious).To(Equal(ptr(1.0)))
	})

	It("takes retry count 0 after a stream that broke with a retryable error event for a retry, not after a cut", func() {
		broke := func(typ string) journal.Outcome {
			return journal.Outcome{End: at(100 * ms), Status: 200, Delivery: journal.ErrorEvent, ErrorType: typ}
		}
		for i, typ := range []string{"overloaded_error", "api_error", "rate_limit_error"} {
			body := "a" + strconv.Itoa(i)
			j.Finish(j.Begin(request(0, body, 0)), broke(typ))
			Expect(j.Begin(request(200*ms, body, 0)).Attempt).To(Equal(2), typ)
		}
		j.Finish(j.Begin(request(0, "b", 0)), broke("invalid_request_error"))
		j.Finish(j.Begin(request(0, "c", 0)), journal.Outcome{End: at(100 * ms), Status: 200, Delivery: journal.Cut})
		Expect([]int{j.Begin(request(200*ms, "b", 0)).Attempt, j.Begin(request(200*ms, "c", 0)).Attempt}).To(Equal([]int{1, 1}))
	})

	It("without the header, takes the same content after a failed answer for a retry", func() {
		j.Finish(j.Begin(request(0, "a", -1)), answer(100*ms, 500))
		retry := j.Begin(request(300*ms, "a", -1))
		j.Finish(retry, journal.Outcome{End: at(400 * ms), Status: 200, Delivery: journal.Cut})
		again := j.Begin(request(500*ms, "a", -1))
		j.Finish(again, answer(600*ms, 200))
		repeat := j.Begin(request(700*ms, "a", -1))
		Expect([]shape{shapeOf(retry), shapeOf(again), shapeOf(repeat)}).To(Equal([]shape{
			{2, 1, 2, 1}, {3, 1, 3, 1}, {4, 2, 1, 1}}))
		Expect(retry.SincePrevious).To(Equal(ptr(0.2)))
	})

	It("without the header, does not take a request for a retry of one still in flight", func() {
		j.Begin(request(0, "a", -1))
		twin := j.Begin(request(10*ms, "a", -1))
		Expect(shapeOf(twin)).To(Equal(shape{2, 2, 1, 2}))
	})

	It("with the header, counts a retry of an unanswered attempt without a wait", func() {
		j.Begin(request(0, "a", 0))
		retry := j.Begin(request(10*time.Second, "a", 1))
		Expect(shapeOf(retry)).To(Equal(shape{2, 1, 2, 2}))
		Expect(retry.SincePrevious).To(BeNil())
	})

	It("tells content apart: another body, key or endpoint is another logical request", func() {
		j.Finish(j.Begin(request(0, "a", 0)), answer(100*ms, 500))
		other := request(200*ms, "a", 1)
		other.Fingerprint = journal.Fingerprint("sk-b", "messages", []byte("a"))
		Expect(j.Begin(other).Logical).To(Equal(2))
		Expect(j.Begin(request(300*ms, "b", 1)).Logical).To(Equal(3))
		Expect(journal.Fingerprint("sk-a", "count_tokens", []byte("a"))).
			NotTo(Equal(journal.Fingerprint("sk-a", "messages", []byte("a"))))
		Expect(journal.Fingerprint("sk-a", "messages", []byte("a"))).
			To(Equal(journal.Fingerprint("sk-a", "messages", []byte("a"))))
	})

	It("identifies a request after it began, measuring the wait since its family's 429 then", func() {
		j.Finish(j.Begin(request(0, "a", 0)), answer(100*ms, 429))
		unknown := request(600*ms, "b", 0)
		unknown.Family = ""
		e := j.Begin(unknown)
		Expect(e.WaitSince429).To(BeNil())
		j.Identify(e, "claude-sonnet-4-5-20250929", "sonnet-4", true)
		Expect([]any{e.Model, e.Family, e.Stream, *e.WaitSince429}).To(Equal([]any{"claude-sonnet-4-5-20250929", "sonnet-4", true, 0.5}))
	})

	It("measures the wait since the organization and family's latest 429, ignoring spend refusals", func() {
		first := j.Begin(request(0, "a", 0))
		Expect(first.WaitSince429).To(BeNil())
		j.Finish(first, answer(100*ms, 429))
		j.Finish(j.Begin(request(200*ms, "b", 0)), answer(300*ms, 429))
		spend := answer(500*ms, 429)
		spend.Spend = true
		j.Finish(j.Begin(request(400*ms, "c", 0)), spend)
		next := j.Begin(request(1300*ms, "d", 0))
		Expect(next.WaitSince429).To(Equal(ptr(1.0)))
		otherFamily := request(1300*ms, "e", 0)
		otherFamily.Family = "haiku-4"
		Expect(j.Begin(otherFamily).WaitSince429).To(BeNil())
		otherOrg := request(1300*ms, "f", 0)
		otherOrg.Organization = "org-b"
		Expect(j.Begin(otherOrg).WaitSince429).To(BeNil())
	})

	It("counts a request out of flight once, however often it is finished", func() {
		a := j.Begin(request(0, "a", 0))
		j.Begin(request(0, "b", 0))
		j.Finish(a, answer(100*ms, 200))
		j.Finish(a, answer(100*ms, 200))
		Expect(j.Begin(request(200*ms, "c", 0)).InFlight).To(Equal(2))
	})

	It("starts over on Reset, unaffected by requests that straddle it", func() {
		old := j.Begin(request(0, "a", 0))
		j.Reset()
		Expect(j.Len()).To(Equal(0))
		first := j.Begin(request(10*ms, "a", 0))
		j.Finish(old, answer(100*ms, 429))
		second := j.Begin(request(200*ms, "b", 0))
		Expect([]shape{shapeOf(first), shapeOf(second)}).To(Equal([]shape{{1, 1, 1, 1}, {2, 2, 1, 2}}))
		Expect(second.WaitSince429).To(BeNil())
	})

	It("hands out copies of its entries", func() {
		j.Begin(request(0, "a", 0))
		entries := j.Entries()
		entries[0].Seq = 99
		Expect(j.Entries()[0].Seq).To(Equal(1))
	})

	It("is safe for concurrent use and numbers every request once", func() {
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				e := j.Begin(request(time.Duration(i)*ms, string(rune('a'+i%5)), -1))
				j.Finish(e, answer(time.Duration(i+1)*ms, 500))
			})
		}
		wg.Wait()
		seen := map[int]bool{}
		for _, e := range j.Entries() {
			seen[e.Seq] = true
			Expect(e.Delivery).To(Equal(journal.Complete))
		}
		Expect(seen).To(HaveLen(50))
		Expect(j.Begin(request(time.Second, "z", 0)).InFlight).To(Equal(1))
	})

	It("redacts keys to their last four characters", func() {
		Expect(journal.Redact("sk-ant-api03-abcd")).To(Equal("…abcd"))
		Expect(journal.Redact("abcd")).To(Equal("…"))
	})
})

var _ = Describe("a limited journal", func() {
	It("lets the oldest tenth go once over its limit, numbering on", func() {
		j := journal.NewLimited(10)
		for i := range 11 {
			j.Finish(j.Begin(request(time.Duration(i)*ms, string(rune('a'+i)), 0)), answer(time.Duration(i)*ms, 200))
		}
		entries := j.Entries()
		Expect([]int{len(entries), entries[0].Seq, entries[9].Seq, j.Dropped()}).To(Equal([]int{10, 2, 11, 1}))
		again := j.Begin(request(20*ms, "a", 1)) // a retry of a dropped request starts anew
		Expect([]int{again.Seq, again.Logical, again.Attempt}).To(Equal([]int{12, 12, 1}))
		j.Reset()
		Expect([]int{j.Len(), j.Dropped()}).To(Equal([]int{0, 0}))
	})
})

var _ = Describe("counted journals", func() {
	var (
		total atomic.Int64
		a, b  *journal.Journal
	)

	BeforeEach(func() {
		total.Store(0)
		a, b = journal.NewCounted(&total), journal.NewCounted(&total)
		for i := range 20 {
			a.Begin(request(time.Duration(i)*ms, "a"+strconv.Itoa(i), 0))
		}
		for i := range 5 {
			b.Begin(request(time.Duration(i)*ms, "b"+strconv.Itoa(i), 0))
		}
	})

	It("count their entries together and keep them all until trimmed", func() {
		Expect([]int64{total.Load(), int64(a.Len()), int64(b.Len())}).To(Equal([]int64{25, 20, 5}))
	})

	It("let the oldest tenth go on Trim, counting them out and as dropped", func() {
		Expect(a.Trim()).To(Equal(2))
		Expect(b.Trim()).To(Equal(1))
		Expect([]int64{total.Load(), int64(a.Len()), int64(a.Dropped()), int64(b.Dropped())}).To(Equal([]int64{22, 18, 2, 1}))
		Expect(a.Entries()[0].Seq).To(Equal(3))
	})

	It("count a reset journal out, and trim nothing once empty", func() {
		b.Reset()
		Expect(total.Load()).To(Equal(int64(20)))
		Expect(b.Trim()).To(Equal(0))
		Expect(total.Load()).To(Equal(int64(20)))
	})
})

var _ = Describe("Journal.Page", func() {
	var j *journal.Journal

	BeforeEach(func() {
		j = journal.NewLimited(10)
		for i := range 12 { // the first two are let go at the 11th
			j.Begin(request(time.Duration(i)*time.Second, "x"+strconv.Itoa(i), 0))
		}
	})

	seqs := func(p journal.Page) []int {
		var out []int
		for _, e := range p.Entries {
			out = append(out, e.Seq)
		}
		return out
	}

	It("pages oldest first from a cursor, saying whether more follow", func() {
		first := j.Page(0, 4, false)
		Expect(seqs(first)).To(Equal([]int{3, 4, 5, 6}))
		Expect(first.More).To(BeTrue())
		last := j.Page(10, 4, false)
		Expect(seqs(last)).To(Equal([]int{11, 12}))
		Expect(last.More).To(BeFalse())
	})

	It("pages newest first from a cursor", func() {
		first := j.Page(0, 4, true)
		Expect(seqs(first)).To(Equal([]int{12, 11, 10, 9}))
		Expect(first.More).To(BeTrue())
		last := j.Page(5, 4, true)
		Expect(seqs(last)).To(Equal([]int{4, 3}))
		Expect(last.More).To(BeFalse())
	})

	It("gives everything without a limit", func() {
		Expect(seqs(j.Page(0, 0, false))).To(Equal([]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	})
})
