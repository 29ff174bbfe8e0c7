package server_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("GET /_mock/requests, paged", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Clock: "manual"})
		for range 5 {
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		}
	})

	page := func(query string) (seqs []int, more bool) {
		GinkgoHelper()
		r := c.do("GET", "/_mock/requests"+query, "")
		Expect(r.status).To(Equal(200), string(r.body))
		var body struct {
			HasMore  bool `json:"has_more"`
			Requests []struct {
				Seq int `json:"seq"`
			} `json:"requests"`
		}
		Expect(json.Unmarshal(r.body, &body)).To(Succeed())
		for _, e := range body.Requests {
			seqs = append(seqs, e.Seq)
		}
		return seqs, body.HasMore
	}

	It("pages oldest first with limit and after", func() {
		seqs, more := page("?limit=2")
		Expect(seqs).To(Equal([]int{1, 2}))
		Expect(more).To(BeTrue())
		seqs, more = page("?limit=2&after=4")
		Expect(seqs).To(Equal([]int{5}))
		Expect(more).To(BeFalse())
	})

	It("pages newest first with order=newest", func() {
		seqs, more := page("?order=newest&limit=2")
		Expect(seqs).To(Equal([]int{5, 4}))
		Expect(more).To(BeTrue())
		seqs, _ = page("?order=newest&after=4")
		Expect(seqs).To(Equal([]int{3, 2, 1}))
	})

	DescribeTable("refuses bad paging parameters with the envelope",
		func(query, message string) {
			status, typ, msg := c.do("GET", "/_mock/requests"+query, "").errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", message}))
		},
		Entry("a zero limit", "?limit=0", `limit: must be an integer from 1 to 100000, got "0"`),
		Entry("a huge limit", "?limit=100001", `limit: must be an integer from 1 to 100000, got "100001"`),
		Entry("a word for after", "?after=x", `after: must be an integer from 0 to 9223372036854775807, got "x"`),
		Entry("an unknown order", "?order=random", `order: Input should be 'oldest' or 'newest', got "random"`),
	)
})
