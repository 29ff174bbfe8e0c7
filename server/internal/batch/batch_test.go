package batch_test

import (
	"math/rand/v2"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	claudemock "github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/batch"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var owner = batch.Owner{Org: "o1", Workspace: "w1"}

// items are n succeeded items of a second each, costing 10 nano-dollars.
func items(n int) []batch.Item {
	out := make([]batch.Item, n)
	for i := range out {
		out[i] = batch.Item{CustomID: string(rune('a' + i)), Outcome: batch.Succeeded, Takes: time.Second, Cost: 10}
	}
	return out
}

func newStore(its []batch.Item) (*batch.Store, *batch.Batch) {
	s := batch.NewStore()
	return s, s.Create(owner, billing.Account{Org: "o1"}, "key-…abcd", its, rand.New(rand.NewPCG(1, 2)), t0)
}

var _ = Describe("A batch's state over virtual time", func() {
	It("shows every request processing until the last one is done, then each under its result", func() {
		its := items(3)
		its[1] = batch.Item{CustomID: "b", Outcome: batch.Errored, Takes: time.Second, Error: apierror.Invalid("bad"), RequestID: "req_1"}
		its[2].Outcome = batch.Expired
		s, b := newStore(its)
		o := s.Object(b, t0.Add(2999*time.Millisecond), "u")
		Expect(o.ProcessingStatus).To(Equal("in_progress"))
		Expect(o.RequestCounts).To(Equal(batch.Counts{Processing: 3}))
		Expect(o.EndedAt).To(BeNil())
		Expect(o.ResultsURL).To(BeNil())
		o = s.Object(b, t0.Add(3*time.Second), "u")
		Expect(o.ProcessingStatus).To(Equal("ended"))
		Expect(*o.EndedAt).To(Equal(t0.Add(3 * time.Second)))
		Expect(o.RequestCounts).To(Equal(batch.Counts{Succeeded: 1, Errored: 1, Expired: 1}))
		Expect(*o.ResultsURL).To(Equal("u"))
		Expect(o.ExpiresAt).To(Equal(t0.Add(24 * time.Hour)))
		Expect(string(b.Results())).To(Equal(`{"custom_id":"a","result":{"type":"succeeded","message":` + messageJSON(its[0]) + `}}` + "\n" +
			`{"custom_id":"b","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"bad"},"request_id":"req_1"}}}` + "\n" +
			`{"custom_id":"c","result":{"type":"expired"}}` + "\n"))
	})

	It("cancels: canceling until the request in flight is done, the rest canceled, the done ones kept", func() {
		s, b := newStore(items(3))
		c, err := s.Cancel(owner, b.ID, t0.Add(1500*time.Millisecond))
		Expect(err).NotTo(HaveOccurred())
		o := s.Object(c, t0.Add(1999*time.Millisecond), "u")
		Expect(o.ProcessingStatus).To(Equal("canceling"))
		Expect(*o.CancelInitiatedAt).To(Equal(t0.Add(1500 * time.Millisecond)))
		o = s.Object(c, t0.Add(2*time.Second), "u")
		Expect(o.ProcessingStatus).To(Equal("ended"))
		Expect(o.RequestCounts).To(Equal(batch.Counts{Succeeded: 1, Canceled: 2}))
		Expect(s.Settle(t0.Add(2 * time.Second))).To(Equal([]batch.Charge{{Billed: billing.Account{Org: "o1"}, Cost: 10, At: t0.Add(2 * time.Second)}}))
		Expect(s.Settle(t0.Add(time.Hour))).To(BeEmpty())
	})

	It("expires the requests the 24 hours do not reach", func() {
		its := items(2)
		its[1].Takes = 25 * time.Hour
		s, b := newStore(its)
		o := s.Object(b, t0.Add(24*time.Hour), "u")
		Expect(*o.EndedAt).To(Equal(t0.Add(24 * time.Hour)))
		Expect(o.RequestCounts).To(Equal(batch.Counts{Succeeded: 1, Expired: 1}))
	})

	It("refuses to delete or give results before the end, and forgets a deleted batch", func() {
		s, b := newStore(items(1))
		err := s.Delete(owner, b.ID, t0)
		Expect(err).To(MatchError(ContainSubstring("cannot be deleted while it is still processing")))
		_, err = s.Results(owner, b.ID, t0)
		Expect(err).To(MatchError(ContainSubstring("has not ended yet")))
		Expect(s.Queued("o1", t0)).To(Equal(1))
		Expect(s.NextEnd("o1", t0)).To(Equal(t0.Add(time.Second)))
		Expect(s.Delete(owner, b.ID, t0.Add(time.Second))).To(Succeed())
		_, err = s.Get(owner, b.ID)
		Expect(err).To(Equal(&apierror.Error{Kind: apierror.NotFound, Message: "Message batch " + b.ID + " not found."}))
	})

	It("hides a batch from another workspace", func() {
		s, b := newStore(items(1))
		_, err := s.Get(batch.Owner{Org: "o1", Workspace: "w2"}, b.ID)
		Expect(err).To(HaveOccurred())
		Expect(s.Objects(batch.Owner{Org: "o1", Workspace: "w2"}, t0, func(string) string { return "" })).To(BeEmpty())
	})
})

var _ = Describe("Paging through batches", func() {
	objs := []batch.Object{{ID: "c"}, {ID: "b"}, {ID: "a"}}
	ids := func(p batch.Page) []string {
		var out []string
		for _, o := range p.Data {
			out = append(out, o.ID)
		}
		return out
	}

	It("pages on with after_id and back with before_id", func() {
		p, err := batch.List(objs, batch.Query{Limit: "2"})
		Expect(err).NotTo(HaveOccurred())
		Expect(ids(p)).To(Equal([]string{"c", "b"}))
		Expect(p.HasMore).To(BeTrue())
		Expect(*p.FirstID + *p.LastID).To(Equal("cb"))
		p, _ = batch.List(objs, batch.Query{Limit: "2", AfterID: "b"})
		Expect(ids(p)).To(Equal([]string{"a"}))
		Expect(p.HasMore).To(BeFalse())
		p, _ = batch.List(objs, batch.Query{Limit: "1", BeforeID: "a"})
		Expect(ids(p)).To(Equal([]string{"b"}))
		Expect(p.HasMore).To(BeTrue())
		p, _ = batch.List(nil, batch.Query{})
		Expect(p.Data).To(BeEmpty())
		Expect(p.FirstID).To(BeNil())
	})

	DescribeTable("refuses a bad query",
		func(q batch.Query, msg string) {
			_, err := batch.List(objs, q)
			Expect(err).To(Equal(apierror.Invalid("%s", msg)))
		},
		Entry("limit 0", batch.Query{Limit: "0"}, "limit: Input should be greater than or equal to 1"),
		Entry("limit 1001", batch.Query{Limit: "1001"}, "limit: Input should be less than or equal to 1000"),
		Entry("both cursors", batch.Query{AfterID: "a", BeforeID: "b"}, "after_id and before_id cannot both be set"),
		Entry("unknown cursor", batch.Query{AfterID: "zz"}, "after_id: no message batch with id zz"),
	)
})

var _ = Describe("A create body", func() {
	cat, err := catalog.Load("tiers.yaml", claudemock.Tiers)
	if err != nil {
		panic(err)
	}
	req := func(id, params string) string {
		return `{"custom_id":"` + id + `","params":` + params + `}`
	}
	ok := `{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`
	body := func(reqs ...string) []byte { return []byte(`{"requests":[` + strings.Join(reqs, ",") + `]}`) }

	It("gives each request its custom_id and validated params", func() {
		es, err := batch.Parse(body(req("a", ok), req("B_-9", ok)), batch.Reading{Catalog: cat, Now: t0})
		Expect(err).NotTo(HaveOccurred())
		Expect(es).To(HaveLen(2))
		Expect(es[1].CustomID).To(Equal("B_-9"))
		Expect(es[1].Params.MaxTokens).To(Equal(10))
	})

	DescribeTable("refuses a bad one with the field named from the root",
		func(b []byte, msg string) {
			_, err := batch.Parse(b, batch.Reading{Catalog: cat, Now: t0})
			Expect(err).To(Equal(apierror.Invalid("%s", msg)))
		},
		Entry("no requests", []byte(`{}`), "requests: Field required"),
		Entry("not JSON", []byte(`{"requests":`), "The request body is not valid JSON: unexpected end of data: line 1 column 13 (char 12)"),
		Entry("requests not a list", []byte(`{"requests":{}}`), "requests: Input should be a valid list"),
		Entry("a request not an object", body(`7`), "requests.0: Input should be a valid dictionary"),
		Entry("empty requests", body(), "requests: List should have at least 1 item after validation, not 0"),
		Entry("more than 100,000 requests", body(strings.Split(strings.Repeat("{},", 100_001), ",")[:100_001]...),
			"requests: List should have at most 100000 items after validation, not 100001"),
		Entry("an unknown key", []byte(`{"requests":[],"x":1}`), "x: Extra inputs are not permitted"),
		Entry("no custom_id", body(`{"params":`+ok+`}`), "requests.0.custom_id: Field required"),
		Entry("a bad custom_id", body(req("a b", ok)), "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"),
		Entry("a long custom_id", body(req(strings.Repeat("x", 65), ok)), "requests.0.custom_id: String should have at most 64 characters"),
		Entry("a duplicate custom_id", body(req("a", ok), req("a", ok)), `requests.1.custom_id: Duplicate custom_id "a": it is already used by requests.0; each custom_id must be unique within the batch`),
		Entry("no params", body(`{"custom_id":"a"}`), "requests.0.params: Field required"),
		Entry("params without max_tokens", body(req("a", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}`)), "requests.0.params.max_tokens: Field required"),
		Entry("a params field of the wrong type", body(req("a", `{"model":"claude-haiku-4-5","max_tokens":"x","messages":[]}`)), "requests.0.params.max_tokens: Input should be a valid integer"),
		Entry("streaming params", body(req("a", `{"model":"claude-haiku-4-5","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}`)), "requests.0.params.stream: Streaming is not supported in the Message Batches API"),
	)
})

// messageJSON is an item's message as the results file writes it.
func messageJSON(it batch.Item) string {
	b, err := jsonMarshal(it.Message)
	Expect(err).NotTo(HaveOccurred())
	return string(b)
}
